import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {cohortMatrix, m1Retention} from "../../../src/lib/explore/cohorts.js";
import {sharedData} from "../../datasets.js";


/*
 * Hand-made fixture; the data ends on 2024-04-15, so April is incomplete.
 *   a: 01-31 (100 N), 02-01 (50 N)                  cohort 2024-01, buys again in February: M1
 *   b: 01-01 (20 S), 01-31 (10 S), 03-01 (30 N)     cohort 2024-01, again in January and March: not M1
 *   c: 01-15 (40 S)                                 cohort 2024-01, never again
 *   d: 02-10 (25 N), 03-05 (5 N), 04-15 (10 N)      cohort 2024-02, M1
 *   e: 02-28 (15 S), 04-01 (5 N)                    cohort 2024-02, skips March: not M1
 *   f: 03-31 (60 N), 04-02 (20 S)                   cohort 2024-03, its next month (April) is incomplete
 */
async function fixture(): Promise<NodeDuckDB> {
  const db = await openDuckDB();
  await db.run(`CREATE TABLE transactions AS
    SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, region
    FROM (VALUES
      ('a', '2024-01-31', 100, 'N'), ('a', '2024-02-01', 50, 'N'),
      ('b', '2024-01-01', 20, 'S'), ('b', '2024-01-31', 10, 'S'), ('b', '2024-03-01', 30, 'N'),
      ('c', '2024-01-15', 40, 'S'),
      ('d', '2024-02-10', 25, 'N'), ('d', '2024-03-05', 5, 'N'), ('d', '2024-04-15', 10, 'N'),
      ('e', '2024-02-28', 15, 'S'), ('e', '2024-04-01', 5, 'N'),
      ('f', '2024-03-31', 60, 'N'), ('f', '2024-04-02', 20, 'S')
    ) t(customer_id, d, amount, region)`);
  return db;
}

describe("m1Retention (hand-computed)", () => {
  it("counts customers buying in the next calendar month and drops cohorts whose next month is incomplete", async () => {
    const db = await fixture();
    expect(await m1Retention(db)).toEqual([
      {cohort: "2024-01", cohort_size: 3, m1_customers: 1, m1_retention: 1 / 3},
      {cohort: "2024-02", cohort_size: 2, m1_customers: 1, m1_retention: 1 / 2}
    ]);
    db.close();
  });

  it("lets region filters select customers, then counts all their purchases", async () => {
    const db = await fixture();
    // N: a, b (via 03-01), d, e (via 04-01), f; c never bought in N.
    expect(await m1Retention(db, {filters: {region: ["N"]}})).toEqual([
      {cohort: "2024-01", cohort_size: 2, m1_customers: 1, m1_retention: 1 / 2},
      {cohort: "2024-02", cohort_size: 2, m1_customers: 1, m1_retention: 1 / 2}
    ]);
    // S: b, c, e, f (via 04-02); a's February purchase was in N but a is not selected.
    expect(await m1Retention(db, {filters: {region: ["S"]}})).toEqual([
      {cohort: "2024-01", cohort_size: 2, m1_customers: 0, m1_retention: 0},
      {cohort: "2024-02", cohort_size: 1, m1_customers: 0, m1_retention: 0}
    ]);
    db.close();
  });

  it("takes the earlier of `to` and the last order date as the data's end", async () => {
    const db = await fixture();
    // Ending on 03-31 completes March, so the February cohort stays; f (first purchase 03-31) is a cohort of one.
    expect(await m1Retention(db, {filters: {to: "2024-03-31"}})).toEqual([
      {cohort: "2024-01", cohort_size: 3, m1_customers: 1, m1_retention: 1 / 3},
      {cohort: "2024-02", cohort_size: 2, m1_customers: 1, m1_retention: 1 / 2}
    ]);
    // Ending on 03-30 leaves March incomplete: only January's cohort has a complete next month.
    expect(await m1Retention(db, {filters: {to: "2024-03-30"}})).toEqual([
      {cohort: "2024-01", cohort_size: 3, m1_customers: 1, m1_retention: 1 / 3}
    ]);
    // `to` itself is the end, not the last order before it (02-28): February is complete.
    expect(await m1Retention(db, {filters: {to: "2024-02-29"}})).toEqual([
      {cohort: "2024-01", cohort_size: 3, m1_customers: 1, m1_retention: 1 / 3}
    ]);
    // From February: the January customers are not re-assigned to later cohorts.
    expect(await m1Retention(db, {filters: {from: "2024-02-01"}})).toEqual([
      {cohort: "2024-02", cohort_size: 2, m1_customers: 1, m1_retention: 1 / 2}
    ]);
    db.close();
  });
});

describe("cohortMatrix (hand-computed)", () => {
  it("fills every cohort up to the data's last month", async () => {
    const db = await fixture();
    const rows = await cohortMatrix(db);
    const cell = (cohort: string, m: number, month: string, size: number, active: number, revenue: number, month0: number, cumulative: number, complete: boolean) => ({
      cohort, months_since_first: m, month, cohort_size: size, active_customers: active, retention: active / size,
      revenue, revenue_retention: revenue / month0, cumulative_revenue_per_customer: cumulative / size, complete
    });
    expect(rows).toEqual([
      cell("2024-01", 0, "2024-01", 3, 3, 170, 170, 170, true),
      cell("2024-01", 1, "2024-02", 3, 1, 50, 170, 220, true),
      cell("2024-01", 2, "2024-03", 3, 1, 30, 170, 250, true),
      cell("2024-01", 3, "2024-04", 3, 0, 0, 170, 250, false),
      cell("2024-02", 0, "2024-02", 2, 2, 40, 40, 40, true),
      cell("2024-02", 1, "2024-03", 2, 1, 5, 40, 45, true),
      cell("2024-02", 2, "2024-04", 2, 2, 15, 40, 60, false),
      cell("2024-03", 0, "2024-03", 1, 1, 60, 60, 60, true),
      cell("2024-03", 1, "2024-04", 1, 1, 20, 60, 80, false)
    ]);
    // M1 is the matrix's months_since_first = 1 column, on complete months.
    const m1 = rows.filter((r) => r.months_since_first === 1 && r.complete).map((r) => [r.cohort, r.active_customers]);
    expect(m1).toEqual([["2024-01", 1], ["2024-02", 1]]);
    db.close();
  });

  it("counts a selected customer's purchases in every region and cuts activity at `to`", async () => {
    const db = await fixture();
    const north = await cohortMatrix(db, {filters: {region: ["N"]}});
    expect(north[0]).toMatchObject({cohort: "2024-01", cohort_size: 2, active_customers: 2, revenue: 130});
    const march = await cohortMatrix(db, {filters: {to: "2024-03-31"}});
    expect(march.map((r) => [r.cohort, r.month, r.complete])).toEqual([
      ["2024-01", "2024-01", true], ["2024-01", "2024-02", true], ["2024-01", "2024-03", true],
      ["2024-02", "2024-02", true], ["2024-02", "2024-03", true],
      ["2024-03", "2024-03", true]
    ]);
    expect(await cohortMatrix(db, {filters: {region: ["nowhere"]}})).toEqual([]);
    db.close();
  });
});

describe("cohorts on the CDNOW sample", () => {
  it("has the three first-quarter 1997 cohorts of 2,357 customers, and M1 matches a direct count", async () => {
    const CDNOW = sharedData("cdnow/cdnow_sample_transactions.csv");
    const db = await openDuckDB();
    // The file's header ends in LF and its rows in CRLF: native DuckDB's strict CSV mode refuses the mix.
    await db.run(`CREATE TABLE transactions AS
      SELECT customer_id, order_date, amount, quantity
      FROM read_csv('${CDNOW}', header = true, strict_mode = false,
                    columns = {'customer_id': 'VARCHAR', 'order_date': 'DATE', 'quantity': 'INTEGER', 'amount': 'DOUBLE'})`);
    const m1 = await m1Retention(db);
    expect(m1.map((r) => r.cohort)).toEqual(["1997-01", "1997-02", "1997-03"]);
    expect(m1.reduce((s, r) => s + r.cohort_size, 0)).toBe(2357);

    // The same counts, computed in plain TypeScript from the CSV text.
    const months = new Map<string, Set<string>>();
    for (const line of readFileSync(CDNOW, "utf8").split(/\r?\n/).slice(1)) {
      if (!line) continue;
      const [id, date] = line.split(",");
      if (!months.has(id)) months.set(id, new Set());
      months.get(id)!.add(date.slice(0, 7));
    }
    const expected = new Map<string, {size: number; m1: number}>();
    for (const set of months.values()) {
      const first = [...set].sort()[0];
      const [y, m] = first.split("-").map(Number);
      const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
      const entry = expected.get(first) ?? {size: 0, m1: 0};
      entry.size += 1;
      if (set.has(next)) entry.m1 += 1;
      expected.set(first, entry);
    }
    for (const row of m1) {
      expect(row.cohort_size).toBe(expected.get(row.cohort)!.size);
      expect(row.m1_customers).toBe(expected.get(row.cohort)!.m1);
      expect(row.m1_retention).toBeCloseTo(row.m1_customers / row.cohort_size, 15);
    }

    const matrix = await cohortMatrix(db);
    expect(matrix).toHaveLength(18 + 17 + 16); // to 1998-06, every month complete
    expect(matrix.every((r) => r.complete)).toBe(true);
    expect(matrix.filter((r) => r.months_since_first === 0).every((r) => r.retention === 1 && r.revenue_retention === 1)).toBe(true);
    const [total] = await db.query<{revenue: number}>("SELECT SUM(amount) AS revenue FROM transactions");
    const lastCells = matrix.filter((r) => r.month === "1998-06");
    expect(lastCells.reduce((s, r) => s + r.cumulative_revenue_per_customer * r.cohort_size, 0)).toBeCloseTo(total.revenue, 4);
    expect(matrix.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(total.revenue, 4);
    for (const row of matrix) expect(row.active_customers).toBeLessThanOrEqual(row.cohort_size);
    db.close();
  });
});
