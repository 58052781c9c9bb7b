import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import {birthsAndRepeats, customerData} from "../../../src/lib/clv/customers.js";
import {customerProfileSql} from "../../../src/lib/clv/profiles.js";
import {customerHoldout, customerSummary} from "../../../src/lib/fit/summary.js";
import {loadDemo} from "../../../src/data/source.js";

// A buys on 01-01 (two orders), 01-08 and, after the calibration end, 02-05; B once on 01-15; C first buys
// after the calibration end; D is in another region.
const ROWS = [
  ["A", "2024-01-01", 10, 4, "West"],
  ["A", "2024-01-01", 5, 2, "West"],
  ["A", "2024-01-08", 20, 8, "West"],
  ["A", "2024-02-05", 40, 16, "West"],
  ["B", "2024-01-15", 100, null, "West"],
  ["C", "2024-02-10", 50, 20, "West"],
  ["D", "2024-01-03", 70, 10, "East"]
] as const;
const columns = ["customer_id", "order_date", "amount", "cost", "region"];

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
  await db.run(`CREATE TABLE transactions (customer_id VARCHAR, order_date DATE, amount DOUBLE, cost DOUBLE, region VARCHAR)`);
  const literal = (v: unknown) => (v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v));
  await db.run(`INSERT INTO transactions VALUES ${ROWS.map((r) => `(${r.map(literal).join(", ")})`).join(", ")}`);
  await selectTransactions(db, {filters: {region: ["West"]}, columns, name: "west", dates: false});
});
afterAll(() => db?.close());

describe("customerData", () => {
  it("aligns summaries, profiles and holdout actuals of the customers who bought by the calibration end", async () => {
    const data = await customerData(db, {view: "west", columns, calibrationEnd: "2024-01-31", first: "2024-01-01", last: "2024-02-10"});
    expect(data.summaries.ids).toEqual(["A", "B"]);
    expect(data.profiles.map((p) => p.customer_id)).toEqual(["A", "B"]);
    expect(data.holdout?.map((h) => h.customer_id)).toEqual(["A", "B"]);
    expect(Array.from(data.summaries.frequency)).toEqual([1, 0]);
    expect(Array.from(data.summaries.monetary)).toEqual([20, 0]);
    expect(data.summaries.recency[0]).toBeCloseTo(1, 12);
    expect(data.summaries.T[0] - data.summaries.T[1]).toBeCloseTo(2, 12); // A's first purchase is two weeks before B's
    expect(data.holdout?.map((h) => h.frequency_holdout)).toEqual([1, 0]);
    expect(data.holdoutWeeks).toBeCloseTo(10 / 7, 12);
    expect(data.profiles[0]).toMatchObject({revenue: 35, orders: 3, cost: 14});
    expect(data.profiles[1]).toMatchObject({revenue: 100, orders: 1, cost: null});
    expect(typeof data.profiles[0].revenue).toBe("number");
  });

  it("has no holdout when the calibration runs to the last order", async () => {
    const data = await customerData(db, {view: "west", columns, calibrationEnd: "2024-02-10", first: "2024-01-01", last: "2024-02-10"});
    expect(data.holdout).toBeNull();
    expect(data.holdoutWeeks).toBe(0);
    expect(data.summaries.ids).toEqual(["A", "B", "C"]);
  });

  it("says so when no customer bought by the calibration end", async () => {
    await expect(customerData(db, {view: "west", columns, calibrationEnd: "2023-12-31", first: "2024-01-01", last: "2024-02-10"})).rejects.toThrow(
      /No customer in this selection bought by 2023-12-31/
    );
  });
});

describe("customerData's one joined query", () => {
  it("gives what the summary, profile and holdout queries give apart, customer by customer", async () => {
    const demo = await openDuckDB();
    try {
      await loadDemo(demo, {customers: 400});
      const demoColumns = (await demo.query<{column_name: string}>("DESCRIBE transactions")).map((r) => r.column_name);
      const [{first, last}] = await demo.query<{first: string; last: string}>("SELECT min(order_date)::DATE::VARCHAR AS first, max(order_date)::DATE::VARCHAR AS last FROM transactions");
      const calibrationEnd = "2023-06-30";
      expect(calibrationEnd > first && calibrationEnd < last).toBe(true);
      const data = await customerData(demo, {view: "transactions", columns: demoColumns, calibrationEnd, first, last});
      const summary = await customerSummary(demo, {calibrationEnd, unit: "week"});
      const profiles = await demo.query<Record<string, unknown>>(customerProfileSql({asOf: calibrationEnd, columns: demoColumns}));
      const holdout = await customerHoldout(demo, {calibrationEnd, holdoutEnd: last, unit: "week"});
      expect(data.summaries.ids).toEqual(summary.map((s) => s.customer_id));
      expect(Array.from(data.summaries.frequency)).toEqual(summary.map((s) => s.frequency));
      expect(Array.from(data.summaries.recency)).toEqual(summary.map((s) => s.recency));
      expect(Array.from(data.summaries.T)).toEqual(summary.map((s) => s.T));
      expect(Array.from(data.summaries.monetary)).toEqual(summary.map((s) => s.monetary));
      expect(data.holdout).toEqual(holdout);
      expect(data.profiles.length).toBe(profiles.length);
      for (const [i, profile] of profiles.entries()) {
        for (const [name, value] of Object.entries(profile)) expect((data.profiles[i] as unknown as Record<string, unknown>)[name], name).toEqual(value == null ? null : typeof value === "bigint" ? Number(value) : value);
      }
    } finally {
      demo.close();
    }
  }, 60_000);
});

describe("birthsAndRepeats", () => {
  it("counts first purchases and repeat purchase days of the calibration customers per day", async () => {
    expect(await birthsAndRepeats(db, {view: "west", calibrationEnd: "2024-01-31"})).toEqual({
      births: [
        {day: "2024-01-01", customers: 1},
        {day: "2024-01-15", customers: 1}
      ],
      repeats: [
        {day: "2024-01-08", purchases: 1},
        {day: "2024-02-05", purchases: 1}
      ]
    });
  });
});
