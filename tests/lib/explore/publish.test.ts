/*
 * The report build's rewrite of the transactions (src/lib/explore/publish.ts): keyed pseudonyms, small groups
 * merged, every row kept; and the derived archive made after it holds no customer or order id of the source.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {DEFAULT_MIN_GROUP, publishSettings, publishTransactions, smallGroupLabel} from "../../../src/lib/explore/publish.js";

const KEY = "a test key, 32 characters long!!";

describe("publishSettings", () => {
  it("reads the mode, the minimum group and the key, and refuses bad values with a message", () => {
    expect(publishSettings({})).toEqual({mode: "full", minGroup: DEFAULT_MIN_GROUP, key: null});
    expect(publishSettings({CLV_PUBLISH: "aggregates", CLV_MIN_GROUP: "25", CLV_PUBLISH_KEY: KEY})).toEqual({mode: "aggregates", minGroup: 25, key: KEY});
    expect(publishSettings({CLV_PUBLISH: " Aggregates "}).mode).toBe("aggregates");
    expect(() => publishSettings({CLV_PUBLISH: "aggregate"})).toThrow(/CLV_PUBLISH must be "aggregates"/);
    expect(() => publishSettings({CLV_MIN_GROUP: "0"})).toThrow(/CLV_MIN_GROUP/);
    expect(() => publishSettings({CLV_MIN_GROUP: "2.5"})).toThrow(/CLV_MIN_GROUP/);
    expect(() => publishSettings({CLV_PUBLISH_KEY: "short"})).toThrow(/at least 16/);
  });
});

describe("publishTransactions", () => {
  let db: NodeDuckDB;
  beforeAll(async () => (db = await openDuckDB()));
  afterAll(() => db?.close());

  const small = `CREATE OR REPLACE TABLE transactions AS SELECT * FROM (VALUES
    ('C1', DATE '2024-01-01', 10.0, 'O1', 'East', 'Ontario'),
    ('C1', DATE '2024-01-02', 20.0, 'O2', 'East', 'Ontario'),
    ('C2', DATE '2024-01-03', 30.0, 'O3', 'East', 'Quebec'),
    ('C3', DATE '2024-01-04', 40.0, 'O4', 'West', 'Alberta'),
    ('C4', DATE '2024-01-05', 50.0, NULL, NULL, 'Alberta'),
    ('C4', DATE '2024-01-05', 60.0, 'O5', 'West', 'Alberta')
  ) AS t(customer_id, order_date, amount, order_id, region, province)`;

  it("replaces ids with stable keyed pseudonyms and merges groups of fewer customers than the minimum", async () => {
    await db.run(small);
    const report = await publishTransactions(db, {key: KEY, minGroup: 2});
    expect(report).toEqual({
      rows: 6,
      customers: 4,
      orders: true,
      minGroup: 2,
      merged: [{column: "province", values: ["Ontario", "Quebec"], rows: 3, suppressed: false}]
    });
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM transactions ORDER BY order_date, amount`);
    expect(rows.map((r) => r.amount)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(rows.map((r) => r.province)).toEqual([smallGroupLabel(2), smallGroupLabel(2), smallGroupLabel(2), "Alberta", "Alberta", "Alberta"]);
    // Both regions have two customers: kept. NULL stays NULL.
    expect(rows.map((r) => r.region)).toEqual(["East", "East", "East", "West", null, "West"]);
    const ids = rows.map((r) => r.customer_id as string);
    for (const id of ids) expect(id).toMatch(/^P[0-9a-f]{16}$/);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(4);
    expect(rows.map((r) => r.order_id === null)).toEqual([false, false, false, false, true, false]);
    for (const r of rows) if (r.order_id !== null) expect(r.order_id).toMatch(/^O[0-9a-f]{16}$/);

    // A merged group still under the minimum is suppressed: its rows lose the value, and are kept.
    await db.run(small);
    const three = await publishTransactions(db, {key: KEY, minGroup: 3});
    expect(three.merged).toEqual([
      {column: "region", values: ["East", "West"], rows: 5, suppressed: false},
      {column: "province", values: ["Alberta", "Ontario", "Quebec"], rows: 6, suppressed: false}
    ]);
    await db.run(small);
    const five = await publishTransactions(db, {key: KEY, minGroup: 5});
    expect(five.merged.map((m) => m.suppressed)).toEqual([true, true]);
    expect(await db.query(`SELECT count(*) AS rows, count(region) AS region, count(province) AS province FROM transactions`)).toEqual([{rows: 6, region: 0, province: 0}]);

    // The same key gives the same pseudonyms; another key others.
    await db.run(small);
    await publishTransactions(db, {key: KEY, minGroup: 2});
    expect((await db.query<{customer_id: string}>(`SELECT customer_id FROM transactions ORDER BY order_date, amount`)).map((r) => r.customer_id)).toEqual(ids);
    await db.run(small);
    await publishTransactions(db, {key: `${KEY}, another`, minGroup: 2});
    const other = (await db.query<{customer_id: string}>(`SELECT customer_id FROM transactions ORDER BY order_date, amount`)).map((r) => r.customer_id);
    expect(other.filter((id, i) => id === ids[i])).toEqual([]);
  });

  it("leaves no customer id, order id or small group of the demo in any member of the derived archive", async () => {
    await loadDemo(db, {customers: 1500});
    const source = await db.query<{customer_id: string; order_id: string}>(`SELECT customer_id, order_id FROM transactions`);
    const [totals] = await db.query<{revenue: number; provinces: number}>(`SELECT sum(amount) AS revenue, count(DISTINCT province) AS provinces FROM transactions`);
    const report = await publishTransactions(db, {key: KEY, minGroup: DEFAULT_MIN_GROUP});
    expect(report.rows).toBe(source.length);
    const members = await makeDerived(db);
    const text = [...members.values()].map((bytes) => Buffer.from(bytes).toString("latin1")).join("\n");
    // Demo ids are C and seven digits, order ids C…-NNN: none is left, in any member.
    expect(text.match(/C\d{7}/g)).toBeNull();
    const ids = new Set(source.map((r) => r.customer_id));
    expect([...ids].filter((id) => text.includes(id))).toEqual([]);
    // Revenue is unchanged in the exploration cells (millionths).
    const cells = tableFromIPC(members.get("cells.arrow")!);
    const revenue = (cells.getChild("revenue")!.toArray() as Float64Array).reduce((a, b) => a + b, 0) / 1e6;
    expect(revenue).toBeCloseTo(totals.revenue, 2);
    // Every province left is held by at least DEFAULT_MIN_GROUP customers (the merged group included).
    const [{small}] = await db.query<{small: number}>(
      `SELECT count(*) AS small FROM (SELECT province FROM transactions GROUP BY province HAVING count(DISTINCT customer_id) < ${DEFAULT_MIN_GROUP})`
    );
    expect(Number(small)).toBe(0);
    // The per-customer tables carry pseudonyms only.
    const rfm = tableFromIPC(members.get("rfm-customers.arrow")!);
    const rfmIds = [...(rfm.getChild("customer_id") as unknown as Iterable<string>)];
    expect(rfmIds.length).toBe(ids.size);
    expect(rfmIds.every((id) => /^P[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(totals.provinces).toBeGreaterThan(0);
  }, 120_000);
});
