/**
 * A filter change on the sales page over 1M orders in Chromium: opens the built /sales page (CLV_DIST,
 * default dist/), replaces the page's `transactions` table by N generated orders in its own DuckDB-WASM
 * (same columns as the demo, 2022–2024, thirteen provinces, each in its region as in real data; segment and
 * category drawn per order), makes the page's cells again (src/lib/explore/cells.ts), then times Region filter
 * changes until every chart of the page is redrawn: a different region each time, alternating with no region
 * filter, median of 10. It also times each of the page's queries alone, on the transactions and on the cells.
 *   CLV_DIST=/tmp/dist npx tsx bench/explore-browser.ts [orders=1000000]
 */
import {open, start} from "../tests/browser/browser.js";
import {filterChangeMs} from "../tests/browser/measure.js";

const orders = Number(process.argv[2] ?? 1_000_000);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const session = await start();
try {
  const {page} = await open(session, "/sales");
  page.setDefaultTimeout(0);
  await page.locator("#sales-heatmap svg").last().waitFor({timeout: 300_000});
  const modules = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll("link[rel=modulepreload]")]
    .map((l) => [l.href.match(/\\/_import\\/(components\\/database|lib\\/explore\\/sales|lib\\/explore\\/regions)\\.[0-9a-f]+\\.js$/)?.[1], l.href])
    .filter(([name]) => name))`)) as Record<string, string>;
  for (const name of ["components/database", "lib/explore/sales", "lib/explore/regions"]) {
    if (!modules[name]) throw new Error(`the built sales page does not preload ${name}`);
  }
  const swap = (await page.evaluate(`(async () => {
    const {transactionsDatabase, exploreCells} = await import(${JSON.stringify(modules["components/database"])});
    const db = await transactionsDatabase();
    const t0 = performance.now();
    await db.client.query(\`CREATE OR REPLACE TABLE transactions AS
      WITH orders AS (SELECT i, 1 + CAST(hash(i * 19) % 13 AS INTEGER) AS p FROM range(${orders}) t(i))
      SELECT 'C' || lpad(CAST(hash(i) % ${Math.round(orders / 7.5)} AS VARCHAR), 7, '0') AS customer_id,
             DATE '2022-01-01' + CAST(hash(i * 7) % 1095 AS INTEGER) AS order_date,
             round(5 + (hash(i * 13) % 50000) / 100.0, 2) AS amount,
             'O' || i AS order_id,
             1 + CAST(hash(i * 3) % 4 AS INTEGER) AS quantity,
             round((5 + (hash(i * 13) % 50000) / 100.0) * 0.6, 2) AS cost,
             ['Ontario', 'Quebec', 'West', 'Prairies', 'Prairies', 'Prairies', 'Atlantic', 'Atlantic', 'Atlantic', 'Atlantic', 'North', 'North', 'North'][p] AS region,
             ['Ontario', 'Quebec', 'British Columbia', 'Alberta', 'Manitoba', 'Saskatchewan', 'Nova Scotia', 'New Brunswick', 'Newfoundland and Labrador', 'Prince Edward Island', 'Yukon', 'Northwest Territories', 'Nunavut'][p] AS province,
             'Partner ' || CAST(hash(i * 23) % 36 AS VARCHAR) AS partner,
             ['Bundle', 'Discount', 'Subscription', 'Loyalty Points', 'Free Shipping', 'Gift Card'][1 + CAST(hash(i * 29) % 6 AS INTEGER)] AS offer_type,
             ['Furniture', 'Office Supplies', 'Technology'][1 + CAST(hash(i * 31) % 3 AS INTEGER)] AS category,
             ['Consumer', 'Corporate', 'Home Office', 'Small Business'][1 + CAST(hash(i * 37) % 4 AS INTEGER)] AS customer_segment
      FROM orders\`);
    const t1 = performance.now();
    // A build from before the cells (for a before/after comparison) has no exploreCells.
    if (exploreCells) await exploreCells(db, {rebuild: true});
    return [t1 - t0, exploreCells ? performance.now() - t1 : null];
  })()`)) as [number, number | null];

  // Each query of the page alone (region filter "Atlantic"), on the transactions and on the cells: median of 3.
  const profile = (await page.evaluate(`(async () => {
    const {transactionsDatabase, exploreCells} = await import(${JSON.stringify(modules["components/database"])});
    const sales = await import(${JSON.stringify(modules["lib/explore/sales"])});
    const regions = await import(${JSON.stringify(modules["lib/explore/regions"])});
    const db = await transactionsDatabase();
    const cells = exploreCells ? await exploreCells(db) : null;
    const columns = (await db.runner.query("DESCRIBE transactions")).map((row) => row.column_name);
    const filters = {region: ["Atlantic"]};
    const queries = (rows, customers) => ({
      "dailySales (whole period)": sales.dailySalesSql({...rows, filters}),
      weekdayHeatmap: sales.weekdayHeatmapSql({...rows, filters}),
      salesByRegion: regions.salesByRegionSql({...customers, filters}),
      "yearOverYear (month)": sales.yearOverYearSql({...rows, filters, grain: "month"})
    });
    const time = async (sql) => {
      const times = [];
      for (let i = 0; i < 3; ++i) {
        const t0 = performance.now();
        await db.runner.query(sql);
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[1];
    };
    const out = {};
    for (const [name, sql] of Object.entries(queries({columns}, {columns}))) out[name] = [await time(sql)];
    if (!cells) return {times: out, size: null};
    for (const [name, sql] of Object.entries(queries(cells.days, cells.customers))) out[name].push(await time(sql));
    const [size] = await db.runner.query("SELECT (SELECT COUNT(*) FROM " + cells.days.table + ") AS days, (SELECT COUNT(*) FROM " + cells.customers.table + ") AS customers");
    return {times: out, size};
  })()`)) as {times: Record<string, [number, number?]>; size: {days: number; customers: number} | null};

  // Changes: region 0, none, region 1, none, ... The first also runs the page's queries on the new cells
  // for the first time: left out.
  await filterChangeMs(page, false);
  const picks: number[] = [];
  const clears: number[] = [];
  for (let i = 0; i < 5; ++i) {
    picks.push(await filterChangeMs(page, i));
    clears.push(await filterChangeMs(page, false));
  }
  const all = [...picks, ...clears];
  const round = (values: number[]) => values.map(Math.round).join(", ");
  console.log(
    `chromium sales page, ${orders.toLocaleString("en")} orders (table built in ${Math.round(swap[0])} ms, ` +
      (profile.size && swap[1] != null
        ? `cells in ${Math.round(swap[1])} ms: ${profile.size.days.toLocaleString("en")} day cells, ${profile.size.customers.toLocaleString("en")} customer cells): `
        : "a build without cells): ") +
      `filter change to 5 charts redrawn, median of 10: ${Math.round(median(all))} ms ` +
      `(one region: ${round(picks)}; no region: ${round(clears)})`
  );
  for (const [name, [rows, cells]] of Object.entries(profile.times)) {
    console.log(`  ${name}: ${Math.round(rows)} ms on the transactions${cells == null ? "" : `, ${Math.round(cells)} ms on the cells`}`);
  }
} finally {
  await session.close();
}
