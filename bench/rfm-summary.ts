/**
 * The RFM page on the build's per-customer summary (src/lib/rfm/summary.ts, derived.ts) at many customers:
 * the summary in native DuckDB (build time), its Arrow IPC size, reading it back (what the page does on
 * opening), RFM values from it, and the re-scoring after a bins change (segmentCustomers, headline and the
 * score grid: what the page recomputes), median wall time of several runs, in Node.
 *   npx tsx bench/rfm-summary.ts [customers] [runs]
 */
import {tableFromIPC, tableToIPC} from "apache-arrow";
import {openDuckDB} from "../src/node/duckdb.js";
import {rfmSummary, summaryFromTable, summaryTable} from "../src/lib/rfm/derived.js";
import {valuesFromSummary} from "../src/lib/rfm/summary.js";
import {headline, scoreGrid, segmentCustomers} from "../src/lib/rfm/page.js";
import {PERSONAS} from "../src/lib/rfm/schemes.js";

const customers = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time<T>(f: () => T | Promise<T>): Promise<{ms: number; value: T}> {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; ++i) {
    const t0 = performance.now();
    value = await f();
    ms.push(performance.now() - t0);
  }
  return {ms: Math.round(median(ms)), value};
}

const db = await openDuckDB();
await db.query("SELECT setseed(0.42)");
// Seeded transactions: 1 + floor(4 u v) orders per customer over two years (about 1.8 per customer).
await db.run(`CREATE TABLE transactions AS
  SELECT printf('C%07d', c) AS customer_id, DATE '2022-01-01' + CAST(floor(random() * 730) AS INTEGER) AS order_date,
    round(1 + random() * 499, 2) AS amount, printf('C%07d-%d', c, o) AS order_id
  FROM (SELECT c, unnest(range(1 + CAST(floor(4 * random() * random()) AS INTEGER))) AS o FROM range(${customers}) t(c))`);
const [{rows}] = await db.query<{rows: number}>("SELECT count(*) AS rows FROM transactions");
const summarised = await time(() => rfmSummary(db, {table: "transactions", orderId: true}));
const meta = {columns: ["customer_id", "order_date", "amount", "order_id"], orderId: true, choices: {values: {}, first: "2022-01-01", last: "2023-12-31"}, selection: {transactions: rows, customers, first: "2022-01-01", last: "2023-12-31"}, before: null};
const bytes = tableToIPC(summaryTable(summarised.value, meta), "file");
const read = await time(() => summaryFromTable(tableFromIPC(bytes)));
const values = await time(() => valuesFromSummary(read.value.summary, {analysisDate: "2024-01-01"}));
let k = 4;
const rescore = await time(() => {
  k = k === 4 ? 5 : 4;
  const segmented = segmentCustomers(values.value, {k, scheme: PERSONAS});
  return [headline(segmented), scoreGrid(segmented.customers)];
});
db.close();
console.log(JSON.stringify({customers, transactions: rows, runs, summarySqlMs: summarised.ms, arrowBytes: bytes.length, readArrowMs: read.ms, valuesMs: values.ms, rescoreMs: rescore.ms}, null, 2));
