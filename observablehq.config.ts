// Observable Framework configuration. See README.md, "How the offline build works".
import {existsSync} from "node:fs";

interface Page {
  name: string;
  path: string;
}

/** Keeps the pages whose Markdown file exists, so the sidebar never links to a page that is not built. */
function present(pages: Page[]): Page[] {
  return pages.filter(({path}) => existsSync(`src${path}.md`));
}

function section(name: string, pages: Page[]) {
  const kept = present(pages);
  return kept.length ? [{name, pages: kept}] : [];
}

// The report build (CLV_PUBLISH=aggregates, src/lib/explore/publish.ts) ships no transactions: a meta tag
// tells the pages (components/published.ts), and the footer tells the reader.
const published = process.env.CLV_PUBLISH?.trim().toLowerCase() === "aggregates";
const minGroup = process.env.CLV_MIN_GROUP?.trim() || "10";

export default {
  title: "CLV Explorer",
  root: "src",
  // CLV_DIST lets several builds run side by side; the default is dist/.
  output: process.env.CLV_DIST ?? "dist",
  pages: [
    ...present([{name: "Your data", path: "/data"}]),
    ...section("Explore", [
      {name: "Sales over time", path: "/sales"},
      {name: "Regions", path: "/regions"},
      {name: "Cohorts and retention", path: "/cohorts"},
      {name: "Partners and offers", path: "/partners"}
    ]),
    ...present([{name: "RFM segments", path: "/rfm"}]),
    ...section("Customer lifetime value", [
      {name: "Predicted CLV", path: "/clv"},
      {name: "Model validation", path: "/validation"},
      {name: "Acquisition budget", path: "/budget"},
      {name: "What-if", path: "/predict"}
    ])
  ],
  // No Google Fonts: the default global stylesheet would request them from a CDN. src/style.css keeps
  // Framework's themes with system fonts.
  globalStylesheets: [],
  style: "style.css",
  // DuckDB-WASM runs without network extensions: Framework installs json and parquet from the DuckDB site
  // unless they are switched off. Parquet is read with parquet-wasm and handed to DuckDB as Arrow.
  // Both DuckDB platforms stay declared (Framework 1.13's client reads the "mvp" entry even when it is off),
  // but scripts/prune-dist.mjs removes the "mvp" files from the built site: every browser with WebAssembly
  // exception handling (Chrome 95+, Firefox 100+, Safari 15.2+) loads the "eh" build.
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  // An empty icon: browsers otherwise ask the host for /favicon.ico.
  head: `<link rel="icon" href="data:,">${published ? `<meta name="clv-publish" content="aggregates" data-min-group="${Number(minGroup)}">` : ""}`,
  footer: published
    ? `CLV Explorer report: aggregate tables only. Customer ids are pseudonyms, groups of fewer than ${Number(minGroup)} customers are merged, and the transactions are not included.`
    : "CLV Explorer: your data stays in your browser."
};
