import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {birthsSql, costMargins, customerProfileSql, profileSegments, repeatsSql} from "../../../src/lib/clv/profiles.js";
import {budgetByGroup} from "../../../src/lib/clv/budget.js";

// A buys on 01-01 (two orders of one order id, and another order), 01-08 and, after the calibration end,
// 02-05; B once on 01-15 in Ontario; C first buys after the calibration end.
const ROWS = [
  ["A", "2024-01-01", 10, 4, "o1", "West"],
  ["A", "2024-01-01", 5, 2, "o1", "West"],
  ["A", "2024-01-01", 1, null, "o2", "East"],
  ["A", "2024-01-08", 20, 8, "o3", "East"],
  ["A", "2024-02-05", 40, 16, "o4", "East"],
  ["B", "2024-01-15", 100, 50, "o5", "Ontario"],
  ["C", "2024-02-10", 50, 20, "o6", null]
] as const;

describe("clv-data SQL", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await db.run(`CREATE TABLE transactions (customer_id VARCHAR, order_date DATE, amount DOUBLE, cost DOUBLE, order_id VARCHAR, region VARCHAR)`);
    const literal = (v: unknown) => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));
    await db.run(`INSERT INTO transactions VALUES ${ROWS.map((r) => `(${r.map(literal).join(", ")})`).join(", ")}`);
  });
  afterAll(() => db.close());

  it("profiles customers up to asOf, with the attributes of the first day (alphabetical on ties)", async () => {
    const columns = ["customer_id", "order_date", "amount", "cost", "order_id", "region"];
    const rows = await db.query(customerProfileSql({asOf: "2024-01-31", columns}));
    expect(rows).toEqual([
      {customer_id: "A", revenue: 36, orders: 3, cost: 14, purchase_days: 2, first_purchase: "2024-01-01", last_purchase: "2024-01-08", region: "East"},
      {customer_id: "B", revenue: 100, orders: 1, cost: 50, purchase_days: 1, first_purchase: "2024-01-15", last_purchase: "2024-01-15", region: "Ontario"}
    ]);
  });

  it("leaves out columns the table does not have: rows for orders, no cost", async () => {
    const rows = await db.query<Record<string, unknown>>(customerProfileSql({columns: ["customer_id", "order_date", "amount"]}));
    expect(rows.map((r) => [r.customer_id, r.orders, r.cost, r.revenue])).toEqual([
      ["A", 5, null, 76],
      ["B", 1, null, 100],
      ["C", 1, null, 50]
    ]);
    expect(Object.keys(rows[0])).not.toContain("region");
  });

  it("counts births and repeat purchase days of the calibration customers", async () => {
    expect(await db.query(birthsSql({calibrationEnd: "2024-01-31"}))).toEqual([
      {day: "2024-01-01", customers: 1},
      {day: "2024-01-15", customers: 1}
    ]);
    expect(await db.query(repeatsSql({calibrationEnd: "2024-01-31"}))).toEqual([
      {day: "2024-01-08", purchases: 1},
      {day: "2024-02-05", purchases: 1}
    ]);
  });

  it("adds the acquisition cost (sum on the orders), channel of the first order, top category and partner share", async () => {
    // A: CAC 30 on the first order, nothing later; channels Web then Ads (first day: Web); categories Toys 25
    // (10 + 15) vs Books 20; partners P1 30 (10 + 20), P2 15, one order of 5 without one: share 30 / 50. B: CAC
    // split 5 + 7, no category, only a refund through its partner: share 0. C buys after asOf.
    await db.run(`CREATE TABLE acquired (customer_id VARCHAR, order_date DATE, amount DOUBLE, acquisition_cost DOUBLE, channel VARCHAR, category VARCHAR, partner VARCHAR)`);
    await db.run(`INSERT INTO acquired VALUES
      ('A', '2024-01-01', 10, 30, 'Web', 'Toys', 'P1'),
      ('A', '2024-01-02', 20, NULL, 'Ads', 'Books', 'P1'),
      ('A', '2024-01-03', 15, NULL, 'Ads', 'Toys', 'P2'),
      ('A', '2024-01-04', 5, NULL, NULL, NULL, NULL),
      ('B', '2024-01-05', 8, 5, NULL, NULL, NULL),
      ('B', '2024-01-06', -3, 7, NULL, NULL, 'P3'),
      ('C', '2024-03-01', 50, 9, 'Web', 'Toys', 'P1')`);
    const columns = ["customer_id", "order_date", "amount", "acquisition_cost", "channel", "category", "partner"];
    const rows = await db.query<Record<string, unknown>>(customerProfileSql({table: "acquired", asOf: "2024-01-31", columns}));
    expect(rows.map(({customer_id, revenue, orders, channel, acquisition_cost, top_category, partner_share}) => ({customer_id, revenue, orders, channel, acquisition_cost, top_category, partner_share}))).toEqual([
      {customer_id: "A", revenue: 50, orders: 4, channel: "Web", acquisition_cost: 30, top_category: "Toys", partner_share: 30 / 50},
      {customer_id: "B", revenue: 5, orders: 2, channel: null, acquisition_cost: 12, top_category: null, partner_share: 0}
    ]);
    // The budget takes each profile's own CAC: A 50 − 30 = 20; B 5 − 12 = −7 (no cost to serve; B has no
    // channel: the page's "(no channel)" group).
    const budget = budgetByGroup(rows.map((r) => ({...r, channel: r.channel ?? "(no channel)"}) as never), {key: "channel", cac: 99, cacColumn: "acquisition_cost", costToServe: 0, asOf: "2024-01-31"});
    expect(Object.fromEntries(budget.map((g) => [g.group, [g.cac, g.meanHistoricalClv]]))).toEqual({"(no channel)": [12, -7], Web: [30, 20]});
    const plain = await db.query<Record<string, unknown>>(customerProfileSql({columns: ["customer_id", "order_date", "amount"]}));
    for (const key of ["acquisition_cost", "channel", "top_category", "partner_share"]) expect(Object.keys(plain[0])).not.toContain(key);
  });

  it("refuses a malformed date", () => {
    expect(() => birthsSql({calibrationEnd: "2024-13-01"})).toThrow(/calibrationEnd/);
  });
});

describe("profileSegments and costMargins", () => {
  it("scores recency, frequency and revenue as rfm.ts does and applies the scheme", () => {
    const profiles = [
      {orders: 10, revenue: 1000, last_purchase: "2024-01-30"},
      {orders: 1, revenue: 10, last_purchase: "2023-01-01"},
      {orders: 2, revenue: 50, last_purchase: "2024-01-29"},
      {orders: 5, revenue: 500, last_purchase: "2023-06-01"},
      {orders: 1, revenue: 20, last_purchase: "2024-01-31"}
    ];
    expect(profileSegments(profiles, {analysisDate: "2024-02-01"})).toEqual(["VIP", "Lost Customer", "Regular", "At Risk", "New Customer"]);
  });
  it("gives margin rates from costs, the overall rate where a cost is missing", () => {
    const margins = costMargins([
      {revenue: 100, cost: 60},
      {revenue: 100, cost: null},
      {revenue: 50, cost: 80},
      {revenue: 0, cost: 5}
    ]);
    const overall = (150 - 140) / 150;
    expect(Array.from(margins)).toEqual([0.4, overall, 0, overall]);
    expect(Array.from(costMargins([{revenue: 10, cost: null}], {fallback: 0.3}))).toEqual([0.3]);
  });
});
