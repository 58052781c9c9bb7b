import {describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {areaByMonth, areaByMonthSql, salesByProvince, salesByRegion, salesByRegionSql} from "../../../src/lib/explore/regions.js";
import {superstoreTable} from "./rows.js";


// Six purchases over three months; total revenue 110, 6 transactions.
async function fixture(): Promise<NodeDuckDB> {
  const db = await openDuckDB();
  await db.run(`CREATE TABLE transactions AS
    SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, province, region
    FROM (VALUES
      ('a', '2024-01-05', 10, 'Ontario', 'Central'),
      ('b', '2024-01-20', 30, 'Quebec', 'Quebec'),
      ('a', '2024-02-10', 20, 'Quebec', 'Quebec'),
      ('c', '2024-03-01', 40, 'Alberta', 'West'),
      ('d', '2024-03-15', 5, NULL, NULL),
      ('c', '2024-03-20', 5, 'O''Leary Isle', 'West')
    ) t(customer_id, d, amount, province, region)`);
  return db;
}

describe("salesByProvince and salesByRegion", () => {
  it("total by area with shares, by revenue then name, the NULL group last", async () => {
    const db = await fixture();
    expect(await salesByProvince(db)).toEqual([
      {province: "Quebec", transactions: 2, revenue: 50, customers: 2, transaction_share: 2 / 6, revenue_share: 50 / 110},
      {province: "Alberta", transactions: 1, revenue: 40, customers: 1, transaction_share: 1 / 6, revenue_share: 40 / 110},
      {province: "Ontario", transactions: 1, revenue: 10, customers: 1, transaction_share: 1 / 6, revenue_share: 10 / 110},
      {province: "O'Leary Isle", transactions: 1, revenue: 5, customers: 1, transaction_share: 1 / 6, revenue_share: 5 / 110},
      {province: null, transactions: 1, revenue: 5, customers: 1, transaction_share: 1 / 6, revenue_share: 5 / 110}
    ]);
    expect(await salesByRegion(db)).toEqual([
      {region: "Quebec", transactions: 2, revenue: 50, customers: 2, transaction_share: 2 / 6, revenue_share: 50 / 110},
      {region: "West", transactions: 2, revenue: 45, customers: 1, transaction_share: 2 / 6, revenue_share: 45 / 110},
      {region: "Central", transactions: 1, revenue: 10, customers: 1, transaction_share: 1 / 6, revenue_share: 10 / 110},
      {region: null, transactions: 1, revenue: 5, customers: 1, transaction_share: 1 / 6, revenue_share: 5 / 110}
    ]);
    db.close();
  });

  it("apply the filters before the shares", async () => {
    const db = await fixture();
    expect(await salesByRegion(db, {filters: {province: ["Quebec", "O'Leary Isle"]}})).toEqual([
      {region: "Quebec", transactions: 2, revenue: 50, customers: 2, transaction_share: 2 / 3, revenue_share: 50 / 55},
      {region: "West", transactions: 1, revenue: 5, customers: 1, transaction_share: 1 / 3, revenue_share: 5 / 55}
    ]);
    expect(await salesByProvince(db, {filters: {from: "2024-03-01"}})).toHaveLength(3);
    expect(await salesByProvince(db, {filters: {from: "2025-01-01"}})).toEqual([]);
    db.close();
  });

  it("return nothing on a table without the column, and the SQL builder says why", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE transactions AS SELECT 'a' AS customer_id, DATE '2024-01-01' AS order_date, 1.0 AS amount`);
    expect(await salesByRegion(db)).toEqual([]);
    expect(await areaByMonth(db)).toEqual([]);
    expect(() => salesByRegionSql({columns: ["customer_id", "order_date", "amount"]})).toThrow(/no region column/);
    expect(() => areaByMonthSql({column: "country" as "region"})).toThrow(/province or region, got "country"/);
    db.close();
  });
});

describe("areaByMonth", () => {
  it("gives every region every month, zeros included, with the month's shares", async () => {
    const db = await fixture();
    const rows = await areaByMonth(db);
    const slim = rows.map((r) => [r.month, r.area, r.transactions, r.revenue, r.customers, r.revenue_share]);
    expect(slim).toEqual([
      ["2024-01", "Central", 1, 10, 1, 0.25],
      ["2024-01", "Quebec", 1, 30, 1, 0.75],
      ["2024-01", "West", 0, 0, 0, 0],
      ["2024-01", null, 0, 0, 0, 0],
      ["2024-02", "Central", 0, 0, 0, 0],
      ["2024-02", "Quebec", 1, 20, 1, 1],
      ["2024-02", "West", 0, 0, 0, 0],
      ["2024-02", null, 0, 0, 0, 0],
      ["2024-03", "Central", 0, 0, 0, 0],
      ["2024-03", "Quebec", 0, 0, 0, 0],
      ["2024-03", "West", 2, 45, 1, 0.9],
      ["2024-03", null, 1, 5, 1, 0.1]
    ]);
    expect(rows[0].date).toBe("2024-01-01");
    const provinces = await areaByMonth(db, {column: "province", filters: {region: ["Quebec"]}});
    expect(provinces.map((r) => [r.month, r.area, r.revenue])).toEqual([
      ["2024-01", "Quebec", 30],
      ["2024-02", "Quebec", 20],
      ["2024-03", "Quebec", 0]
    ]);
    expect(provinces[2].revenue_share).toBeNull();
    db.close();
  });
});

describe("regions on the Superstore data", () => {
  it("add up to the grand total", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const [total] = await db.query<{revenue: number; pairs: number; orders: number}>(
      "SELECT SUM(amount) AS revenue, COUNT(DISTINCT (customer_id, province)) AS pairs, COUNT(DISTINCT (order_id, province)) AS orders FROM transactions"
    );
    const provinces = await salesByProvince(db);
    expect(provinces).toHaveLength(13);
    expect(provinces.reduce((s, p) => s + p.revenue, 0)).toBeCloseTo(total.revenue, 4);
    // Transactions are orders (Superstore has order ids): 5,496 orders, 295 of them with lines in two provinces,
    // each counted once in every province it has lines in.
    expect(provinces.reduce((s, p) => s + p.transactions, 0)).toBe(total.orders);
    expect(total.orders).toBe(5816);
    expect(provinces.reduce((s, p) => s + p.revenue_share!, 0)).toBeCloseTo(1, 12);
    // Customers are counted once per province they bought in: 426 names appear in several.
    expect(provinces.reduce((s, p) => s + p.customers!, 0)).toBe(total.pairs);
    expect(provinces.map((p) => p.revenue)).toEqual([...provinces.map((p) => p.revenue)].sort((a, b) => b - a));
    const regions = await salesByRegion(db);
    expect(regions).toHaveLength(8);
    expect(regions.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(total.revenue, 4);
    const monthly = await areaByMonth(db);
    expect(monthly).toHaveLength(8 * 48);
    expect(monthly.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(total.revenue, 4);
    for (const region of regions) {
      const sum = monthly.filter((r) => r.area === region.region).reduce((s, r) => s + r.revenue, 0);
      expect(sum).toBeCloseTo(region.revenue, 6);
    }
    const consumers = await salesByRegion(db, {filters: {customer_segment: ["Consumer"], from: "2012-01-01"}});
    const [expected] = await db.query<{r: number}>(
      "SELECT SUM(amount) AS r FROM transactions WHERE customer_segment = 'Consumer' AND order_date >= DATE '2012-01-01'"
    );
    expect(consumers.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(expected.r, 4);
    db.close();
  });
});
