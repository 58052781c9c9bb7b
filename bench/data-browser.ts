/**
 * Loading and summarising generated orders in Chromium, with the page's own code: opens the built data page
 * (CLV_DIST, default dist/), imports its modules by the URLs the page preloads, and times, on one
 * DuckDB-WASM instance:
 *   upload   a Parquet file of N orders read as a user's upload (parquet-wasm → Arrow → DuckDB, every column
 *            as text, then the library's cleaning into `transactions` with its data-quality report);
 *   summary  the per-customer BG/NBD summary (src/lib/fit/summary.ts SQL);
 *   group by a plain `SELECT customer_id, count(*), sum(amount) ... GROUP BY customer_id`, for the ratio.
 *   CLV_DIST=/tmp/dist npx tsx bench/data-browser.ts [orders=1000000] [runs=3]
 */
import {copyFileSync, existsSync, mkdirSync} from "node:fs";
import {join} from "node:path";
import {ORDERS_PER_CUSTOMER} from "../src/lib/data/demo.js";
import {summarySql} from "../src/lib/fit/summary.js";
import {openDuckDB} from "../src/node/duckdb.js";
import {loadDemo, writeParquet} from "../src/data/source.js";
import {open, start} from "../tests/browser/browser.js";

const orders = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const dist = process.env.CLV_DIST ?? "dist";
if (!existsSync(join(dist, "data.html"))) throw new Error(`${dist}/data.html is missing: run npm run build first`);

const output = join("bench", "output");
const file = join(output, `demo-${orders}.parquet`);
if (!existsSync(file)) {
  mkdirSync(output, {recursive: true});
  const db = await openDuckDB();
  await loadDemo(db, {customers: Math.round(orders / ORDERS_PER_CUSTOMER), batchCustomers: 50_000});
  await writeParquet(db, "SELECT * FROM transactions", file, {deterministic: false});
  db.close();
}
mkdirSync(join(dist, "_bench"), {recursive: true});
copyFileSync(file, join(dist, "_bench", "orders.parquet"));

const summary = summarySql({table: "transactions", unit: "week"});
const session = await start();
try {
  const {page} = await open(session, "/data");
  await page.locator("#current-source").waitFor({timeout: 180_000});
  // tsx compiles the callbacks below with esbuild's keepNames, which calls a __name helper the page lacks.
  await page.evaluate("globalThis.__name = (f) => f");
  const urls = await page.evaluate(() => {
    const links = [...document.querySelectorAll<HTMLLinkElement>("link[rel=modulepreload]")].map((l) => l.href);
    const find = (pattern: RegExp) => links.find((href) => pattern.test(href));
    return {reader: find(/\/_import\/components\/uploadReader\.[0-9a-f]+\.js$/), duckdb: find(/\/_observablehq\/stdlib\/duckdb\.[0-9a-f]+\.js$/), database: find(/\/_import\/components\/database\.[0-9a-f]+\.js$/)};
  });
  for (const [name, url] of Object.entries(urls)) if (!url) throw new Error(`the built data page does not preload ${name}`);
  page.setDefaultTimeout(0);
  const result = await page.evaluate(
    async ({urls, runs, summary}) => {
      const [{readUploadRaw, cleanUpload}, {DuckDBClient}, {runnerOf}] = await Promise.all([import(urls.reader!), import(urls.duckdb!), import(urls.database!)]);
      const bytes = new Uint8Array(await (await fetch("/_bench/orders.parquet")).arrayBuffer());
      const client = await DuckDBClient.of();
      const runner = runnerOf(client);
      const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const upload: number[] = [];
      const summaries: number[] = [];
      const groupBy: number[] = [];
      let report;
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        const raw = await readUploadRaw(client, runner, new Blob([bytes]), "orders.parquet");
        ({report} = await cleanUpload(runner, raw, {}, {}));
        upload.push(performance.now() - t0);
        const t1 = performance.now();
        await client.query(`CREATE OR REPLACE TABLE summary AS ${summary}`);
        summaries.push(performance.now() - t1);
        const t2 = performance.now();
        await client.query(`CREATE OR REPLACE TABLE plain AS SELECT customer_id, count(*) AS n, sum(amount) AS revenue FROM transactions GROUP BY customer_id`);
        groupBy.push(performance.now() - t2);
      }
      return {rows: report.rows, kept: report.kept, customers: report.customers, bytes: bytes.length, upload: median(upload), summary: median(summaries), groupBy: median(groupBy)};
    },
    {urls, runs, summary}
  );
  console.log(
    `chromium: ${result.rows.toLocaleString("en")} orders (${(result.bytes / 2 ** 20).toFixed(1)} MB Parquet), ${result.customers.toLocaleString("en")} customers, median of ${runs}: ` +
      `upload+clean ${(result.upload / 1000).toFixed(2)} s, summary ${(result.summary / 1000).toFixed(2)} s, plain group by ${(result.groupBy / 1000).toFixed(2)} s, summary/group-by ${(result.summary / result.groupBy).toFixed(1)}×`
  );
} finally {
  await session.close();
}
