/**
 * `npm run bench [-- suite ...]`: the benchmarks, each in its own process, medians printed by each suite.
 *   models        BG/NBD, Pareto/NBD, Gamma-Gamma fits on CDNOW and 10k/100k/1M simulated customers (Node)
 *   paretonbd     Pareto/NBD on CDNOW and 1M continuous customers: wall, CPU, iterations, evaluations (Node)
 *   rfm           RFM scores of 1M customers, Arquero and DuckDB SQL; clv rfm on 1.6M orders vs bare DuckDB (Node)
 *   rfm-summary   the RFM page on the build's per-customer summary of 1M customers: size, read, re-scoring (Node)
 *   data          clv check, clv summary and clv rfm on 1.6M orders vs bare DuckDB (CLV_BENCH_CSV reuses a file), clv summary's peak memory on 10M;
 *                 generate, load and summarise 1M and 10M orders vs a plain GROUP BY (Node)
 *   rfm-browser   RFM scoring of the demo and 1M customers in Chromium (needs a build)
 *   rfm-page      the RFM page's bins change and Region filter on the build's tables, no DuckDB (needs a build)
 *   data-browser  upload, clean and summarise 1M orders in Chromium (needs a build)
 *   upload-browser  the data page's upload of a 1.6M-order CSV until its quality report vs a bare DuckDB-WASM read_csv + GROUP BY (needs a build)
 *   explore-browser  a Region filter change on each exploration page, on the build's tables (needs a build)
 *   models-browser   the model fits of "models" in Chromium (needs a build)
 *   learned       the learned CLV model on the demo (20,000 customers): training, importance, holdout RMSE (Node)
 *   intervals     the CLV page's per-refit figures on the demo (20,000 customers, 100 refits), before and per distinct row (Node)
 *   budget        the Acquisition budget page's groupings and figures, and the What-if page's data, on 500k and 2.5M synthetic customers (Node)
 *   pages         time to first chart and bytes before it, every page, fresh context, median of 5 (needs a build)
 *   postgres      1M, 3M, 10M orders in PostgreSQL and as Parquet (file, hive folder) in DuckDB: clv summary and fit, rows and bytes back (Node)
 * Without arguments every suite runs (the browser ones only when dist/ exists). Figures are not asserted:
 * they are recorded in the issue notes.
 */
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {loadavg} from "node:os";

const SUITES: Record<string, string[]> = {
  models: ["bench/models.ts"],
  paretonbd: ["bench/paretonbd.ts"],
  rfm: ["bench/rfm.ts", "1000000", "3"],
  "rfm-summary": ["bench/rfm-summary.ts", "1000000", "3"],
  data: ["bench/data.ts", "1000000", "10000000"],
  "rfm-browser": ["bench/rfm-browser.ts", "1000000", "3"],
  "rfm-page": ["bench/rfm-page.ts", "5"],
  "data-browser": ["bench/data-browser.ts", "1000000", "3"],
  "upload-browser": ["bench/upload-browser.ts", "1600000", "1"],
  "explore-browser": ["bench/explore-browser.ts", "10"],
  "models-browser": ["bench/models-browser.ts"],
  learned: ["bench/learned.ts", "20000"],
  intervals: ["bench/intervals.ts", "20000", "100"],
  budget: ["bench/budget.ts", "500000", "2500000"],
  pages: ["bench/pages-browser.ts", "5"],
  postgres: ["bench/postgres.ts", "1000000", "3000000", "10000000"]
};

const asked = process.argv.slice(2);
for (const name of asked) if (!SUITES[name]) throw new Error(`unknown suite ${name}: ${Object.keys(SUITES).join(", ")}`);
const built = existsSync(`${process.env.CLV_DIST ?? "dist"}/index.html`);
const suites = asked.length ? asked : Object.keys(SUITES).filter((name) => built || !(name.endsWith("-browser") || name === "pages" || name === "rfm-page"));

let failed = 0;
for (const name of suites) {
  console.log(`\n== ${name} (load average ${loadavg().map((x) => x.toFixed(1)).join(" ")})`);
  const started = Date.now();
  const result = spawnSync("npx", ["tsx", ...SUITES[name]], {stdio: "inherit", env: {...process.env, TZ: "UTC"}});
  console.log(`== ${name}: ${result.status === 0 ? "done" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
