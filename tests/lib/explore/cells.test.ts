/*
 * The cells (src/lib/explore/cells.ts): every query of sales.ts and regions.ts gives, on the cells, exactly
 * the rows it gives on the transactions (customers null on cells without the customer key), on hand-written
 * fixtures with NULLs and on the Superstore data, under several filters.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {tableColumns, type Filters, type QueryOptions} from "../../../src/lib/sql/filters.js";
import {createSalesCells, ordersRepeat, salesCellsSql, type SalesCells} from "../../../src/lib/explore/cells.js";
import {dailySales, salesByPeriod, weekdayHeatmap, yearOverYear} from "../../../src/lib/explore/sales.js";
import {areaByMonth, salesByProvince, salesByRegion} from "../../../src/lib/explore/regions.js";
import type {SqlRunner} from "../../../src/lib/types.js";
import {superstoreTable, withoutCustomers} from "./rows.js";



type Query = (db: SqlRunner, options: QueryOptions) => Promise<object[]>;

const QUERIES: Record<string, Query> = {
  dailySales: (db, o) => dailySales(db, o),
  weeks: (db, o) => salesByPeriod(db, {...o, grain: "week"}),
  months: (db, o) => salesByPeriod(db, {...o, grain: "month"}),
  days: (db, o) => salesByPeriod(db, {...o, grain: "day"}),
  heatmap: (db, o) => weekdayHeatmap(db, o),
  yearOverYearDays: (db, o) => yearOverYear(db, o),
  yearOverYearMonths: (db, o) => yearOverYear(db, {...o, grain: "month"}),
  provinces: (db, o) => salesByProvince(db, o),
  regions: (db, o) => salesByRegion(db, o),
  regionMonths: (db, o) => areaByMonth(db, o),
  provinceMonths: (db, o) => areaByMonth(db, {...o, column: "province"})
};

/** Checks every query under every filter: cells with customers give the same rows, cells without them too but customers null. */
async function sameOnCells(db: NodeDuckDB, filters: Filters[], table = "transactions"): Promise<number> {
  // Split by order where order ids repeat, as the pages do (src/components/database.ts).
  const orders = await ordersRepeat(db, {table, columns: await tableColumns(db, table)});
  const days = await createSalesCells(db, "day_cells", {table, orders});
  const customers = await createSalesCells(db, "customer_cells", {table, customers: true, orders});
  // The pages' way: day cells summed from the customer cells.
  const rolled = await createSalesCells(db, "rolled_day_cells", {table: customers.table, fromCells: true});
  expect(rolled.columns).toEqual(days.columns);
  // The COUNT(DISTINCT) path, without the bitmap.
  const hashed: SalesCells = {...customers, customerKeys: null};
  let checked = 0;
  for (const f of filters) {
    for (const [name, query] of Object.entries(QUERIES)) {
      const rows = await query(db, {table, filters: f});
      expect(await query(db, {...customers, filters: f}), `${name} ${JSON.stringify(f)}`).toEqual(rows);
      expect(await query(db, {...hashed, filters: f}), `${name} ${JSON.stringify(f)} without bitmap`).toEqual(rows);
      expect(await query(db, {...days, filters: f}), `${name} ${JSON.stringify(f)} without customers`).toEqual(withoutCustomers(rows));
      expect(await query(db, {...rolled, filters: f}), `${name} ${JSON.stringify(f)} from customer cells`).toEqual(withoutCustomers(rows));
      checked += rows.length;
    }
  }
  return checked;
}

describe("sales cells on a fixture", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    // Timestamps, a NULL customer, a NULL amount, NULL areas, two lines of one order, a leap day.
    await db.run(`CREATE TABLE transactions AS
      SELECT customer_id, CAST(d AS TIMESTAMP) AS order_date, CAST(amount AS DOUBLE) AS amount, province, region, segment AS customer_segment
      FROM (VALUES
        ('a', '2023-02-27 10:00:00', 10.005, 'Ontario', 'Central', 'Consumer'),
        ('a', '2023-02-27 18:30:00', 2.5, 'Ontario', 'Central', 'Consumer'),
        ('b', '2023-03-01 00:00:00', 30, 'Quebec', 'Quebec', 'Corporate'),
        (NULL, '2023-03-01 12:00:00', 7, 'Quebec', 'Quebec', 'Corporate'),
        ('c', '2023-06-15 09:00:00', NULL, 'Alberta', 'West', NULL),
        ('a', '2024-02-29 09:00:00', 20.1, 'Quebec', 'Quebec', 'Consumer'),
        ('c', '2024-03-01 09:00:00', 40, 'Alberta', 'West', 'Corporate'),
        ('d', '2024-03-01 15:00:00', 5, NULL, NULL, 'Consumer'),
        ('c', '2024-03-02 09:00:00', -5, 'O''Leary Isle', 'West', 'Corporate')
      ) t(customer_id, d, amount, province, region, segment)`);
  });
  afterAll(() => db?.close());

  it("makes one row per day, area, segment (and customer), with exact sums in millionths", async () => {
    const cells = await db.query<Record<string, unknown>>(
      `${salesCellsSql({columns: ["customer_id", "order_date", "amount", "province", "region", "customer_segment"]})}`
    );
    expect(cells).toHaveLength(7);
    const ontario = cells.find((c) => c.province === "Ontario")!;
    expect(ontario).toEqual({order_date: "2023-02-27", region: "Central", province: "Ontario", customer_segment: "Consumer", transactions: 2, revenue: 12_505_000});
    // The NULL customer's line and b's share a cell without the customer key, not with it.
    expect(cells.find((c) => c.order_date === "2023-03-01")).toMatchObject({transactions: 2, revenue: 37_000_000});
    const withCustomers = await createSalesCells(db, "fixture_cells", {customers: true});
    expect(withCustomers.customerKeys).toBe(4);
    expect(withCustomers.columns).toEqual(["order_date", "region", "province", "customer_segment", "customer", "transactions", "revenue"]);
    const [{n}] = await db.query<{n: number}>(`SELECT COUNT(*) AS n FROM fixture_cells`);
    expect(n).toBe(8);
  });

  it("give every query's rows", async () => {
    const checked = await sameOnCells(db, [
      {},
      {region: ["Quebec", "West"]},
      {province: ["Quebec"], customer_segment: ["Consumer"]},
      {from: "2023-03-01", to: "2024-03-01"},
      {from: "2024-03-01", region: ["West", "Nowhere"]},
      {from: "2030-01-01"}
    ]);
    expect(checked).toBeGreaterThan(1000);
  });
});

describe("sales cells on the Superstore data", () => {
  it("give every query's rows under the page's filters", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable("superstore"));
    const checked = await sameOnCells(
      db,
      [
        {},
        {region: ["West"]},
        {from: "2010-03-15", to: "2012-06-30", region: ["West", "Ontario", "Atlantic"], customer_segment: ["Corporate", "Consumer"]},
        {province: ["Quebec", "Ontario"], category: ["Furniture"]}
      ],
      "superstore"
    );
    expect(checked).toBeGreaterThan(20_000);
    // 8,399 order lines, but fewer cells: lines of one customer, day and area share one.
    const [{lines, cells}] = await db.query<{lines: number; cells: number}>(
      `SELECT (SELECT COUNT(*) FROM superstore) AS lines, (SELECT COUNT(*) FROM customer_cells) AS cells`
    );
    expect(lines).toBe(8399);
    expect(cells).toBeLessThan(lines);
    // Its order ids repeat, so the cells keep them, and they count 5,496 orders, not 8,399 lines.
    expect(await ordersRepeat(db, {table: "superstore", columns: await tableColumns(db, "superstore")})).toBe(true);
    const [{orders}] = await db.query<{orders: number}>(`SELECT COUNT(DISTINCT order_id) AS orders FROM customer_cells`);
    expect(orders).toBe(5496);
    const all = await salesByRegion(db, {table: "customer_cells", columns: await tableColumns(db, "customer_cells"), cells: true});
    // Orders whose lines are in two regions count in both (259 of them; 5,496 + 259 + a few in three).
    const [{pairs}] = await db.query<{pairs: number}>(`SELECT COUNT(DISTINCT (order_id, region)) AS pairs FROM superstore`);
    expect(all.reduce((s, r) => s + r.transactions, 0)).toBe(pairs);
    expect(pairs).toBeGreaterThan(5496 + 259 - 1);
    db.close();
  }, 120_000);
});
