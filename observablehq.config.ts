// Observable Framework configuration. See README.md, "How the offline build works".
export default {
  title: "CLV Explorer",
  root: "src",
  // CLV_DIST lets several builds run side by side (tests in parallel checkouts); the default is dist/.
  output: process.env.CLV_DIST ?? "dist",
  pages: [
    {name: "Your data", path: "/data"},
    {
      name: "Explore",
      pages: [
        {name: "Sales over time", path: "/sales"},
        {name: "Regions", path: "/regions"},
        {name: "Cohorts and retention", path: "/cohorts"},
        {name: "Partners and offers", path: "/partners"}
      ]
    },
    {name: "RFM segments", path: "/rfm"},
    {
      name: "Customer lifetime value",
      pages: [
        {name: "Predicted CLV", path: "/clv"},
        {name: "Model validation", path: "/validation"},
        {name: "Acquisition budget", path: "/budget"},
        {name: "What-if", path: "/predict"}
      ]
    }
  ],
  // No Google Fonts: the default theme's stylesheet would request them from a CDN.
  globalStylesheets: [],
  style: "style.css",
  // DuckDB-WASM runs without network extensions: Framework installs json and parquet from the DuckDB site
  // unless they are switched off. Parquet is read with parquet-wasm and handed to DuckDB as Arrow.
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  // An empty icon: browsers otherwise ask the host for /favicon.ico.
  head: `<link rel="icon" href="data:,">`,
  footer: "CLV Explorer: your data stays in your browser.",
  cleanUrls: true
};
