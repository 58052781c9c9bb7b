import {describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {dailySales, salesByPeriod, weekdayHeatmap, yearOverYear} from "../../../src/lib/explore/sales.js";
import {superstoreTable, salesFixture} from "./rows.js";


const fixture = salesFixture;

// Five purchases from Monday 2024-01-01 to Monday 2024-02-05 (36 days, 31 of them without sales).
const JANUARY = `('a', '2024-01-01', 10, 'N'), ('b', '2024-01-01', 10, 'S'), ('a', '2024-01-03', 5, 'N'),
  ('c', '2024-01-08', 20, 'N'), ('a', '2024-01-14', 1, 'S'), ('b', '2024-02-05', 4, 'S')`;

describe("dailySales", () => {
  it("fills every day of the span with zeros and computes trailing means by hand", async () => {
    const db = await fixture(JANUARY);
    const rows = await dailySales(db);
    expect(rows).toHaveLength(36);
    const day = (date: string) => rows.find((r) => r.date === date)!;
    expect(rows[0]).toMatchObject({date: "2024-01-01", transactions: 2, revenue: 20, customers: 2, revenue_7d: null, revenue_28d: null});
    expect(day("2024-01-02")).toMatchObject({transactions: 0, revenue: 0, customers: 0});
    expect(day("2024-01-06").transactions_7d).toBeNull();
    // 2024-01-01..07: 3 transactions, 25 revenue, 3 customer-days.
    expect(day("2024-01-07").transactions_7d).toBeCloseTo(3 / 7, 12);
    expect(day("2024-01-07").revenue_7d).toBeCloseTo(25 / 7, 12);
    expect(day("2024-01-07").customers_7d).toBeCloseTo(3 / 7, 12);
    // 2024-01-02..08: 01-03 (5) and 01-08 (20).
    expect(day("2024-01-08").revenue_7d).toBeCloseTo(25 / 7, 12);
    expect(day("2024-01-08").transactions_7d).toBeCloseTo(2 / 7, 12);
    // 2024-01-08..14: 20 + 1.
    expect(day("2024-01-14").revenue_7d).toBeCloseTo(3, 12);
    expect(day("2024-01-27").revenue_28d).toBeNull();
    // 2024-01-01..28: everything in January, 46.
    expect(day("2024-01-28").revenue_28d).toBeCloseTo(46 / 28, 12);
    expect(day("2024-01-28").transactions_28d).toBeCloseTo(5 / 28, 12);
    // 2024-01-02..29 drops the first day: 26.
    expect(day("2024-01-29").revenue_28d).toBeCloseTo(26 / 28, 12);
    // 2024-01-09..02-05: 1 + 4.
    expect(day("2024-02-05").revenue_28d).toBeCloseTo(5 / 28, 12);
    expect(day("2024-02-05").transactions_7d).toBeCloseTo(1 / 7, 12);
    db.close();
  });

  it("keeps the whole table's span under a region filter and clips it to from/to", async () => {
    const db = await fixture(JANUARY);
    const north = await dailySales(db, {filters: {region: ["N"]}});
    expect(north).toHaveLength(36);
    expect(north.at(-1)).toMatchObject({date: "2024-02-05", transactions: 0, revenue: 0});
    expect(north[0]).toMatchObject({transactions: 1, revenue: 10, customers: 1});
    const week = await dailySales(db, {filters: {from: "2024-01-08", to: "2024-01-14"}});
    expect(week.map((r) => r.date)).toEqual(["2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-13", "2024-01-14"]);
    expect(week.map((r) => r.revenue)).toEqual([20, 0, 0, 0, 0, 0, 1]);
    expect(week.at(-1)!.revenue_7d).toBeCloseTo(3, 12);
    expect(await dailySales(db, {filters: {from: "2025-01-01"}})).toEqual([]);
    db.close();
  });
});

describe("salesByPeriod", () => {
  it("groups by ISO week starting Monday, counting distinct customers per week", async () => {
    const db = await fixture(JANUARY);
    const weeks = await salesByPeriod(db, {grain: "week"});
    expect(weeks).toEqual([
      {date: "2024-01-01", transactions: 3, revenue: 25, customers: 2, days: 7, complete: true},
      {date: "2024-01-08", transactions: 2, revenue: 21, customers: 2, days: 7, complete: true},
      {date: "2024-01-15", transactions: 0, revenue: 0, customers: 0, days: 7, complete: true},
      {date: "2024-01-22", transactions: 0, revenue: 0, customers: 0, days: 7, complete: true},
      {date: "2024-01-29", transactions: 0, revenue: 0, customers: 0, days: 7, complete: true},
      {date: "2024-02-05", transactions: 1, revenue: 4, customers: 1, days: 1, complete: false}
    ]);
    const north = await salesByPeriod(db, {grain: "week", filters: {region: ["N"]}});
    expect(north.map((w) => w.revenue)).toEqual([15, 20, 0, 0, 0, 0]);
    expect(north.map((w) => w.customers)).toEqual([1, 1, 0, 0, 0, 0]);
    db.close();
  });

  it("groups by calendar month and by day", async () => {
    const db = await fixture(JANUARY);
    expect(await salesByPeriod(db, {grain: "month"})).toEqual([
      {date: "2024-01-01", transactions: 5, revenue: 46, customers: 3, days: 31, complete: true},
      {date: "2024-02-01", transactions: 1, revenue: 4, customers: 1, days: 5, complete: false}
    ]);
    const days = await salesByPeriod(db, {grain: "day"});
    expect(days).toHaveLength(36);
    expect(days.every((d) => d.complete && d.days === 1)).toBe(true);
    await expect(salesByPeriod(db, {grain: "year" as "day"})).rejects.toThrow(/grain must be day, week or month, got "year"/);
    db.close();
  });
});

describe("weekdayHeatmap", () => {
  it("labels days with ISO year, week and weekday across a year boundary", async () => {
    const db = await fixture(`('a', '2020-12-28', 1, 'N'), ('a', '2021-01-03', 2, 'N'), ('b', '2021-01-04', 3, 'N')`);
    const cells = await weekdayHeatmap(db);
    expect(cells).toHaveLength(8);
    expect(cells[0]).toEqual({date: "2020-12-28", iso_year: 2020, iso_week: 53, week_start: "2020-12-28", weekday: 1, transactions: 1, revenue: 1, customers: 1});
    expect(cells[6]).toEqual({date: "2021-01-03", iso_year: 2020, iso_week: 53, week_start: "2020-12-28", weekday: 7, transactions: 1, revenue: 2, customers: 1});
    expect(cells[7]).toEqual({date: "2021-01-04", iso_year: 2021, iso_week: 1, week_start: "2021-01-04", weekday: 1, transactions: 1, revenue: 3, customers: 1});
    expect(cells[3]).toMatchObject({date: "2020-12-31", weekday: 4, transactions: 0, revenue: 0});
    db.close();
  });
});

describe("yearOverYear", () => {
  const LEAP = `('x', '2023-02-28', 3, 'N'), ('x', '2023-03-01', 5, 'N'), ('y', '2024-02-28', 6, 'N'), ('y', '2024-02-29', 7, 'N'), ('x', '2024-03-01', 10, 'N')`;

  it("compares each day with the same calendar day a year earlier; 29 February has none", async () => {
    const db = await fixture(LEAP);
    const rows = await yearOverYear(db);
    expect(rows).toHaveLength(368); // 2023-02-28 .. 2024-03-01
    const day = (date: string) => rows.find((r) => r.date === date)!;
    expect(day("2024-02-28")).toEqual({
      date: "2024-02-28", year: 2024, period: 59, transactions: 1, revenue: 6, customers: 1, days: 1,
      previous_transactions: 1, previous_revenue: 3, previous_customers: 1, previous_days: 1, revenue_change: 1
    });
    expect(day("2024-02-29")).toMatchObject({period: 60, revenue: 7, previous_revenue: null, revenue_change: null});
    expect(day("2024-03-01")).toMatchObject({period: 61, revenue: 10, previous_revenue: 5, revenue_change: 1});
    // The previous year's day before the span: no data, not a zero.
    expect(day("2024-02-27")).toMatchObject({revenue: 0, previous_revenue: null, previous_days: null});
    expect(day("2023-03-01")).toMatchObject({year: 2023, period: 60, previous_revenue: null});
    // A day whose previous-year twin is in the span but sold nothing: zero, and no change ratio.
    expect(day("2024-02-01")).toMatchObject({revenue: 0, previous_revenue: null});
    db.close();
  });

  it("compares months, with the days each covers", async () => {
    const db = await fixture(LEAP);
    const rows = await yearOverYear(db, {grain: "month"});
    expect(rows.map((r) => r.date)).toEqual([
      "2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-07-01", "2023-08-01",
      "2023-09-01", "2023-10-01", "2023-11-01", "2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01"
    ]);
    expect(rows[0]).toMatchObject({year: 2023, period: 2, revenue: 3, days: 1, previous_revenue: null});
    expect(rows[12]).toEqual({
      date: "2024-02-01", year: 2024, period: 2, transactions: 2, revenue: 13, customers: 1, days: 29,
      previous_transactions: 1, previous_revenue: 3, previous_customers: 1, previous_days: 1, revenue_change: 13 / 3 - 1
    });
    expect(rows[13]).toMatchObject({period: 3, revenue: 10, days: 1, previous_revenue: 5, previous_days: 31, revenue_change: 1});
    await expect(yearOverYear(db, {grain: "week" as "day"})).rejects.toThrow(/day or month/);
    db.close();
  });
});

describe("sales on the Superstore data", () => {
  it("adds up to the grand total at every grain", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const [total] = await db.query<{revenue: number; n: number; orders: number}>(
      "SELECT SUM(amount) AS revenue, COUNT(*) AS n, COUNT(DISTINCT order_id) AS orders FROM transactions"
    );
    expect(total.n).toBe(8399);
    expect(total.orders).toBe(5496);
    const days = await dailySales(db);
    expect(days).toHaveLength(1460); // 2009-01-01 .. 2012-12-30
    const sum = (rows: {revenue: number}[]) => rows.reduce((s, r) => s + r.revenue, 0);
    expect(sum(days)).toBeCloseTo(total.revenue, 4);
    // Transactions are orders: 5,496, not the 8,399 order lines (an order's lines share its day).
    expect(days.reduce((s, r) => s + r.transactions, 0)).toBe(5496);
    const weeks = await salesByPeriod(db, {grain: "week"});
    expect(weeks.reduce((s, w) => s + w.days, 0)).toBe(1460);
    expect(sum(weeks)).toBeCloseTo(total.revenue, 4);
    const months = await salesByPeriod(db, {grain: "month"});
    expect(months).toHaveLength(48);
    expect(sum(months)).toBeCloseTo(total.revenue, 4);
    expect(months.filter((m) => !m.complete).map((m) => m.date)).toEqual(["2012-12-01"]);
    const cells = await weekdayHeatmap(db);
    expect(sum(cells)).toBeCloseTo(total.revenue, 4);
    const yoy = await yearOverYear(db, {grain: "month"});
    // Each month's previous_revenue is the revenue of the same month a year earlier.
    const byDate = new Map(months.map((m) => [m.date, m.revenue]));
    for (const row of yoy.filter((r) => r.year > 2009)) {
      expect(row.previous_revenue).toBeCloseTo(byDate.get(`${row.year - 1}${row.date.slice(4)}`)!, 6);
    }
    const west = await salesByPeriod(db, {grain: "month", filters: {region: ["West"]}});
    const [westTotal] = await db.query<{r: number}>("SELECT SUM(amount) AS r FROM transactions WHERE region = 'West'");
    expect(sum(west)).toBeCloseTo(westTotal.r, 4);
    db.close();
  });
});
