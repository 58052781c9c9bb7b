import {afterAll, beforeAll, describe, expect, it} from "vitest";
import fc from "fast-check";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {customerHoldout, customerSummary, holdoutSql, summarySql} from "../../../src/lib/fit/summary.js";
import {UNIT_DAYS} from "../../../src/lib/time.js";
import {readFixture} from "../../datasets.js";

/** Creates `name` (customer_id VARCHAR, order_date DATE, amount DOUBLE) from literal rows. */
async function createTable(db: NodeDuckDB, name: string, rows: [string, string, number][]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${name} (customer_id VARCHAR, order_date DATE, amount DOUBLE)`);
  if (rows.length === 0) return;
  await db.run(`INSERT INTO ${name} VALUES ${rows.map(([c, d, a]) => `('${c}', DATE '${d}', ${a})`).join(", ")}`);
}

// Hand-computed fixture. A buys twice on 2024-01-01 (one purchase day), then on 01-08 and 01-22 (calibration)
// and on 02-05 (holdout); B buys once; C's first purchase is after the calibration end.
const FIXTURE: [string, string, number][] = [
  ["A", "2024-01-01", 10],
  ["A", "2024-01-01", 5],
  ["A", "2024-01-08", 20],
  ["A", "2024-01-22", 30],
  ["A", "2024-02-05", 40],
  ["B", "2024-01-15", 100],
  ["C", "2024-02-10", 50]
];

describe("customerSummary", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await createTable(db, "transactions", FIXTURE);
  });
  afterAll(() => db.close());

  it("matches the hand-computed calibration summary", async () => {
    const rows = await customerSummary(db, {calibrationEnd: "2024-01-31"});
    expect(rows).toEqual([
      {customer_id: "A", frequency: 2, recency: 3, T: 30 / 7, monetary: 25, first_purchase: "2024-01-01", last_purchase: "2024-01-22"},
      {customer_id: "B", frequency: 0, recency: 0, T: 16 / 7, monetary: 0, first_purchase: "2024-01-15", last_purchase: "2024-01-15"}
    ]);
  });

  it("ends at the last date in the data by default, and at asOf when given", async () => {
    const all = await customerSummary(db);
    expect(all.map((r) => [r.customer_id, r.frequency, r.recency, r.T, r.monetary])).toEqual([
      ["A", 3, 5, 40 / 7, 30],
      ["B", 0, 0, 26 / 7, 0],
      ["C", 0, 0, 0, 0]
    ]);
    const asOf = await customerSummary(db, {asOf: "2024-01-31", unit: "day"});
    expect(asOf.map((r) => [r.customer_id, r.frequency, r.recency, r.T])).toEqual([
      ["A", 2, 21, 30],
      ["B", 0, 0, 16]
    ]);
  });

  it("counts months of 365.25 / 12 days", async () => {
    const [a] = await customerSummary(db, {calibrationEnd: "2024-01-31", unit: "month"});
    expect(a.recency).toBeCloseTo(21 / 30.4375, 12);
    expect(a.T).toBeCloseTo(30 / 30.4375, 12);
    expect(UNIT_DAYS.month).toBe(30.4375);
  });

  it("cuts timestamps to their date", async () => {
    await db.run(`CREATE TABLE ts AS SELECT customer_id, CAST(order_date AS TIMESTAMP) + INTERVAL 1 HOUR * (row_number() OVER ()) AS order_date, amount FROM transactions`);
    const rows = await customerSummary(db, {table: "ts", calibrationEnd: "2024-01-31"});
    expect(rows[0]).toMatchObject({customer_id: "A", frequency: 2, recency: 3, monetary: 25});
  });

  it("rejects bad options with the value in the message", () => {
    expect(() => summarySql({calibrationEnd: "2024/01/31"})).toThrow(/2024\/01\/31/);
    expect(() => summarySql({table: "t; DROP TABLE x"})).toThrow(/DROP/);
    expect(() => summarySql({unit: "year" as never})).toThrow(/year/);
    expect(() => holdoutSql({calibrationEnd: undefined as never})).toThrow(/calibrationEnd/);
  });
});

describe("customerHoldout", () => {
  it("counts holdout purchase days and spend for calibration customers only", async () => {
    const db = await openDuckDB();
    await createTable(db, "transactions", [...FIXTURE, ["A", "2024-02-05", 2], ["A", "2024-03-01", 7]]);
    expect(await customerHoldout(db, {calibrationEnd: "2024-01-31", holdoutEnd: "2024-02-29"})).toEqual([
      {customer_id: "A", frequency_holdout: 1, spend_holdout: 42, duration_holdout: 29 / 7},
      {customer_id: "B", frequency_holdout: 0, spend_holdout: 0, duration_holdout: 29 / 7}
    ]);
    const toEnd = await customerHoldout(db, {calibrationEnd: "2024-01-31", unit: "day"});
    expect(toEnd[0]).toEqual({customer_id: "A", frequency_holdout: 2, spend_holdout: 49, duration_holdout: 30});
    db.close();
  });
});

/** A plain reference implementation of the summary, to hold the SQL against. */
function referenceSummary(rows: [string, string, number][], end: string) {
  const byCustomer = new Map<string, Map<string, number>>();
  for (const [c, d, a] of rows) {
    if (d > end) continue;
    const days = byCustomer.get(c) ?? new Map<string, number>();
    days.set(d, (days.get(d) ?? 0) + a);
    byCustomer.set(c, days);
  }
  const dayDiff = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
  return [...byCustomer.keys()].sort().map((c) => {
    const days = [...byCustomer.get(c)!.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const repeat = days.slice(1);
    return {
      customer_id: c,
      frequency: repeat.length,
      recency: dayDiff(days[0][0], days[days.length - 1][0]) / 7,
      T: dayDiff(days[0][0], end) / 7,
      monetary: repeat.length ? repeat.reduce((s, [, v]) => s + v, 0) / repeat.length : 0
    };
  });
}

describe("customerSummary properties", () => {
  const isoDay = (d: number) => new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
  const transaction = fc.tuple(
    fc.constantFrom("c1", "c2", "c3", "c4", "c5"),
    fc.integer({min: 0, max: 90}).map(isoDay),
    fc.integer({min: 0, max: 50_000}).map((cents) => cents / 100)
  );

  it("agrees with the reference and keeps 0 <= recency <= T, frequency = 0 => recency = monetary = 0", async () => {
    const db = await openDuckDB();
    await fc.assert(
      fc.asyncProperty(fc.array(transaction, {maxLength: 40}), fc.integer({min: 0, max: 100}), async (rows, endOffset) => {
        const end = isoDay(endOffset);
        await createTable(db, "transactions", rows);
        const summary = await customerSummary(db, {calibrationEnd: end});
        const expected = referenceSummary(rows, end);
        expect(summary.map((s) => s.customer_id)).toEqual(expected.map((s) => s.customer_id));
        summary.forEach((s, i) => {
          expect(s.frequency).toBe(expected[i].frequency);
          expect(s.recency).toBeCloseTo(expected[i].recency, 12);
          expect(s.T).toBeCloseTo(expected[i].T, 12);
          expect(s.monetary).toBeCloseTo(expected[i].monetary, 9);
          expect(s.frequency).toBeGreaterThanOrEqual(0);
          expect(s.recency).toBeGreaterThanOrEqual(0);
          expect(s.recency).toBeLessThanOrEqual(s.T);
          if (s.frequency === 0) {
            expect(s.recency).toBe(0);
            expect(s.monetary).toBe(0);
          }
          expect(s.first_purchase <= s.last_purchase && s.last_purchase <= end).toBe(true);
        });
      }),
      {numRuns: 60, seed: 42}
    );
    db.close();
  });
});

// CDNOW 1/10 sample (Fader, Hardie & Lee 2005): committed fixtures, see tests/fixtures/README.md.
function readCsv(name: string): string[][] {
  // The transactions CSV mixes line endings (LF after the header, CRLF after rows).
  return readFixture(`cdnow/${name}`)
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => line.split(","));
}

describe("customerSummary on CDNOW", () => {
  let db: NodeDuckDB;
  let summary: Map<number, {frequency: number; recency: number; T: number; monetary: number}>;
  const round2 = (x: number) => Math.round(x * 100) / 100;

  beforeAll(async () => {
    db = await openDuckDB();
    const rows = readCsv("cdnow_sample_transactions.csv.gz").map(
      ([id, date, , amount]) => [id, date, Number(amount)] as [string, string, number]
    );
    expect(rows).toHaveLength(6919);
    await createTable(db, "cdnow", rows);
    const result = await customerSummary(db, {table: "cdnow", calibrationEnd: "1997-09-30"});
    summary = new Map(result.map((r) => [Number(r.customer_id), r]));
  });
  afterAll(() => db.close());

  it("matches the published summary exactly for all 2,357 customers (calibration ends 1997-09-30, inclusive)", () => {
    const published = readCsv("cdnow_customers_summary.csv").map((r) => r.map(Number));
    expect(published).toHaveLength(2357);
    expect(summary.size).toBe(2357);
    const mismatches = published.filter(([id, frequency, recency, T]) => {
      const s = summary.get(id);
      return !s || s.frequency !== frequency || round2(s.recency) !== recency || round2(s.T) !== T;
    });
    expect(mismatches).toEqual([]);
  });

  it("matches the published zbar (mean repeat-day spend) to the cent", () => {
    const published = readCsv("cdnow_customers_summary_with_transactions.csv").map((r) => r.map(Number));
    expect(published).toHaveLength(2357);
    const worst = Math.max(...published.map(([id, , , , zbar]) => Math.abs(summary.get(id)!.monetary - zbar)));
    expect(worst).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(published.filter(([, x]) => x > 0)).toHaveLength(946);
  });

  it("holds out the purchases from 1997-10-01 to 1998-06-30", async () => {
    const holdout = await customerHoldout(db, {table: "cdnow", calibrationEnd: "1997-09-30"});
    expect(holdout).toHaveLength(2357);
    expect(holdout[0].duration_holdout).toBeCloseTo(273 / 7, 12);
    const [{days}] = await db.query<{days: number}>(
      `SELECT count(*) AS days FROM (SELECT DISTINCT customer_id, order_date FROM cdnow WHERE order_date > DATE '1997-09-30')`
    );
    expect(holdout.reduce((s, h) => s + h.frequency_holdout, 0)).toBe(days);
  });
});
