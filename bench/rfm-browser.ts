/**
 * RFM scoring time in Chromium, with the RFM page's own code: opens the built page (CLV_DIST, default dist/),
 * imports the page's modules by the URLs the page preloads (so they share its DuckDB-WASM instance), and
 * times each step of the page's data flow on the demo data and on a generated table of N customers:
 *   SQL   customerValues(): DuckDB aggregates per customer, the Arrow result becomes an Arquero table;
 *   score scoreRfm() (quantiles, k = 5);  segment assignSegments() (personas);  summary segmentSummary();
 *   rescore: what the page redoes after a bins change (segmentCustomers, headline, scoreGrid).
 *   CLV_DIST=/tmp/dist npx tsx bench/rfm-browser.ts [customers=1000000] [runs=3]
 * The generated customers have 1..4 orders each (about 2.5 on average) over 2022-2025, amounts 1.00..500.00,
 * one row per order, so frequency "orders" counts rows (orderId false); with --order-id the order_id column is
 * counted as distinct values too, as the page does on the demo data.
 */
import {open, start} from "../tests/browser/browser.js";

interface Timing {
  label: string;
  customers: number;
  transactions: number;
  runs: number;
  /** Median milliseconds of each step. */
  sql: number;
  score: number;
  segment: number;
  summary: number;
  total: number;
  /** The page's re-scoring after a bins change (segmentCustomers, headline, scoreGrid). */
  rescore: number;
}

const customers = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const orderId = process.argv.includes("--order-id");

/** Runs in the page: imports its modules, times the steps on the demo data, then on a generated table. */
const IN_PAGE = `async ({urls, customers, runs, orderId}) => {
  const [{transactionsDatabase}, {customerValues}, {scoreRfm}, {assignSegments, segmentSummary, segmentNames}, {PERSONAS}, {segmentCustomers, headline, scoreGrid}] =
    await Promise.all([urls.database, urls.data, urls.rfm, urls.segments, urls.schemes, urls.page].map((url) => import(url)));
  const db = await transactionsDatabase();
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const measure = async (label, table, withOrderId) => {
    const steps = {sql: [], score: [], segment: [], summary: [], total: [], rescore: []};
    let n = 0;
    for (let run = 0; run < runs; ++run) {
      const t0 = performance.now();
      const values = await customerValues(db.client, {table, orderId: withOrderId});
      const t1 = performance.now();
      const scored = scoreRfm(values, {k: 5});
      const t2 = performance.now();
      const segmented = assignSegments(scored, PERSONAS, {k: 5});
      const t3 = performance.now();
      segmentSummary(segmented, {order: segmentNames(PERSONAS)});
      const t4 = performance.now();
      n = values.numRows();
      steps.sql.push(t1 - t0);
      steps.score.push(t2 - t1);
      steps.segment.push(t3 - t2);
      steps.summary.push(t4 - t3);
      steps.total.push(t4 - t0);
      // What the page redoes on a bins change: scores, segments, summary, headline and the grid.
      const t5 = performance.now();
      const again = segmentCustomers(values, {k: run % 2 ? 4 : 3, scheme: PERSONAS});
      headline(again);
      scoreGrid(again.customers);
      steps.rescore.push(performance.now() - t5);
    }
    const [{rows}] = await db.runner.query("SELECT count(*) AS rows FROM " + table);
    const m = (key) => Math.round(median(steps[key]));
    return {label, customers: n, transactions: rows, runs, sql: m("sql"), score: m("score"), segment: m("segment"), summary: m("summary"), total: m("total"), rescore: m("rescore")};
  };
  const out = [await measure("demo data", "transactions", true)];
  const t0 = performance.now();
  await db.client.query(\`CREATE OR REPLACE TABLE bench_tx AS
    WITH c AS (SELECT i, 1 + CAST(floor(4 * ((hash(i) % 1000) / 1000.0) * ((hash(i + 7) % 1000) / 1000.0)) AS INTEGER) AS orders
               FROM range(\${customers}) r(i))
    SELECT 'c' || lpad(CAST(i AS VARCHAR), 7, '0') AS customer_id,
      DATE '2022-01-01' + CAST(hash(i * 31 + j) % 1277 AS INTEGER) AS order_date,
      (100 + CAST(hash(i * 17 + j) % 49900 AS DOUBLE)) / 100 AS amount,
      'c' || CAST(i AS VARCHAR) || '-' || CAST(j AS VARCHAR) AS order_id
    FROM c, range(orders) o(j)\`);
  console.log("generated " + customers + " customers in " + Math.round(performance.now() - t0) + " ms");
  out.push(await measure(orderId ? "generated, distinct order_id" : "generated", "bench_tx", orderId));
  await db.client.query("DROP TABLE bench_tx");
  return out;
}`;

const session = await start();
try {
  const {page, errors} = await open(session, "/rfm");
  await page.locator("#rfm-heatmap svg").first().waitFor({timeout: 180_000});
  const links = await page.locator("link[rel=modulepreload]").evaluateAll((nodes) => nodes.map((node) => (node as HTMLLinkElement).href));
  const find = (name: string) => links.find((href) => new RegExp(`/_import/${name}\\.[0-9a-f]+\\.js$`).test(href));
  const urls = {
    database: find("components/database"),
    data: find("components/rfmData"),
    rfm: find("lib/rfm/scores"),
    segments: find("lib/rfm/segments"),
    schemes: find("lib/rfm/schemes"),
    page: find("lib/rfm/page")
  };
  for (const [name, url] of Object.entries(urls)) if (!url) throw new Error(`the built page does not preload ${name}`);
  page.setDefaultTimeout(0);
  // Plain JavaScript, handed over as text: tsx would otherwise wrap named functions in a helper the page lacks.
  const results = (await page.evaluate(`(${IN_PAGE})(${JSON.stringify({urls, customers, runs, orderId})})`)) as Timing[];
  console.table(results);
  if (errors.length) console.error("console errors:", errors);
} finally {
  await session.close();
}
