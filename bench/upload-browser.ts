/**
 * Uploading a CSV on the data page, through the page itself, against the bare engine on the same bytes in the
 * same page (issue 14's browser target: within 3×):
 *   upload  from handing the file to the page's file input until the data-quality report shows (the file
 *           streamed into DuckDB-WASM in chunks, every column as text, mapping detected, cleaned, reported);
 *   bare    in the same page, a second DuckDB-WASM instance: the same File's bytes registered, then
 *           `SELECT customer_id, count(*), sum(amount) FROM read_csv(...) GROUP BY customer_id`.
 * The CSV: N orders (customer_id, order_date, amount, region, province, category), N/2 customers, seeded.
 * The renderer's peak resident memory during the upload is sampled from ps.
 *   CLV_DIST=/tmp/dist npx tsx bench/upload-browser.ts [orders=1600000] [runs=1]
 */
import {existsSync, mkdirSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {open, start} from "../tests/browser/browser.js";
import {rendererRss} from "../tests/browser/measure.js";

const orders = Number(process.argv[2] ?? 1_600_000);
const runs = Number(process.argv[3] ?? 1);
const dist = process.env.CLV_DIST ?? "dist";
if (!existsSync(join(dist, "data.html"))) throw new Error(`${dist}/data.html is missing: run npm run build first`);

const REGIONS: [string, string][] = [["West", "British Columbia"], ["West", "Alberta"], ["Prairies", "Manitoba"], ["Central", "Ontario"], ["Central", "Quebec"], ["Atlantic", "Nova Scotia"]];
const CATEGORIES = ["Furniture", "Office Supplies", "Technology"];

function generate(file: string): void {
  const customers = Math.max(1, Math.round(orders / 2));
  const start = Date.UTC(2021, 0, 1);
  let seed = 14;
  // 32-bit arithmetic (Math.imul): a product past 2^53 would lose bits and cycle early.
  const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
  const lines = ["customer_id,order_date,amount,region,province,category"];
  for (let k = 0; k < orders; k++) {
    const customer = Math.floor(random() * customers);
    const [region, province] = REGIONS[customer % REGIONS.length];
    const day = new Date(start + Math.floor(random() * 1000) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`C${customer},${day},${(2 + random() * 300).toFixed(2)},${region},${province},${CATEGORIES[k % 3]}`);
  }
  writeFileSync(file, lines.join("\n") + "\n");
}

const output = join("bench", "output");
const file = join(output, `upload-${orders}.csv`);
if (!existsSync(file)) {
  mkdirSync(output, {recursive: true});
  generate(file);
}
const size = statSync(file).size;

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const uploads: number[] = [];
const bares: number[] = [];
const peaks: number[] = [];
const session = await start();
try {
  for (let run = 0; run < runs; run++) {
    const {page} = await open(session, "/data");
    page.setDefaultTimeout(0);
    await page.locator("#current-source").waitFor();
    await page.evaluate("globalThis.__name = (f) => f");
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rendererRss())), 1000);
    const t0 = Date.now();
    await page.locator("input[type=file]").setInputFiles(file);
    await page.locator("#quality-report, #upload-error, #mapping-error").first().waitFor();
    const upload = Date.now() - t0;
    clearInterval(sampler);
    const problem = await page.locator("#upload-error, #mapping-error").allInnerTexts();
    if (problem.length) throw new Error(`the upload failed: ${problem.join("; ")}`);
    const duckdbUrl = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>("link[rel=modulepreload]")].map((l) => l.href).find((href) => /\/_observablehq\/stdlib\/duckdb\.[0-9a-f]+\.js$/.test(href))
    );
    if (!duckdbUrl) throw new Error("the built data page does not preload DuckDB");
    const bare = await page.evaluate(async (url) => {
      const {DuckDBClient} = await import(url);
      const client = await DuckDBClient.of();
      const input = document.querySelector<HTMLInputElement>("input[type=file]")!;
      const t = performance.now();
      const bytes = new Uint8Array(await input.files![0].arrayBuffer());
      await client._db.registerFileBuffer("bare.csv", bytes);
      const result = await client.query(`SELECT customer_id, count(*) AS n, sum(amount) AS revenue FROM read_csv('bare.csv') GROUP BY customer_id`);
      const ms = performance.now() - t;
      await client._db.terminate?.();
      return {ms, customers: result.numRows as number};
    }, duckdbUrl);
    uploads.push(upload);
    bares.push(bare.ms);
    peaks.push(peak);
    await page.context().close();
    console.error(`run ${run + 1}: upload ${(upload / 1000).toFixed(1)} s, bare ${(bare.ms / 1000).toFixed(1)} s (${bare.customers} customers), peak renderer RSS ${peak.toFixed(0)} MB`);
  }
  console.log(
    `chromium: ${orders.toLocaleString("en")} orders (${(size / 1e6).toFixed(0)} MB CSV), median of ${runs}: upload until the quality report ${(median(uploads) / 1000).toFixed(1)} s, ` +
      `bare read_csv + GROUP BY ${(median(bares) / 1000).toFixed(1)} s, ratio ${(median(uploads) / median(bares)).toFixed(1)}×; peak renderer RSS ${median(peaks).toFixed(0)} MB`
  );
} finally {
  await session.close();
}
