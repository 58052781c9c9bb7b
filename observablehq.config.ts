// Observable Framework configuration. See README.md, "How the offline build works".
export default {
  title: "CLV Explorer",
  root: "src",
  output: "dist",
  pages: [
    {name: "Overview", path: "/"}
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
