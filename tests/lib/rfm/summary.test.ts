import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {rfmValues} from "../../../src/lib/rfm/scores.js";
import {rfmValuesSql} from "../../../src/lib/rfm/page.js";
import {rfmSummarySql, summaryLastDay, valuesFromSummary, type RfmSummary} from "../../../src/lib/rfm/summary.js";
import {selectionViewSql} from "../../../src/lib/sql/selection.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";
import type {Transaction} from "../../../src/lib/types.js";

const tx: Transaction[] = [
  {customer_id: "c1", order_date: "2024-01-01", amount: 10, order_id: "o1"},
  {customer_id: "c1", order_date: "2024-03-01", amount: 30, order_id: "o2"},
  {customer_id: "c2", order_date: "2024-02-01", amount: 5.5, order_id: "o3"},
  {customer_id: "c2", order_date: "2024-02-01", amount: 4.5, order_id: "o3"},
  {customer_id: "c3", order_date: "2024-03-10", amount: 200, order_id: "o4"},
  {customer_id: "c4", order_date: "2023-06-15", amount: 1, order_id: "o5"},
  {customer_id: "c5", order_date: "2024-03-05", amount: 70, order_id: "o6"},
  {customer_id: "c5", order_date: "2024-03-06", amount: 70, order_id: "o7"},
  {customer_id: "c6", order_date: "2023-12-24", amount: 12.25, order_id: "o8"}
];

async function summaryOf(db: NodeDuckDB, options: Parameters<typeof rfmSummarySql>[0]): Promise<RfmSummary> {
  const rows = await db.query<Record<keyof RfmSummary, never>>(rfmSummarySql(options));
  const column = <K extends keyof RfmSummary>(k: K) => rows.map((r) => r[k]);
  return {customer_id: column("customer_id"), first_day: column("first_day"), last_day: column("last_day"), orders: column("orders"), days: column("days"), micros: column("micros")};
}

const MODES = [
  {frequency: "orders" as const, monetary: "total" as const},
  {frequency: "orders" as const, monetary: "mean" as const},
  {frequency: "days" as const, monetary: "total" as const},
  {frequency: "days" as const, monetary: "mean" as const}
];

describe("valuesFromSummary", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await db.run(`CREATE TABLE tx AS SELECT * FROM (VALUES ${tx.map((t) => `('${t.customer_id}', DATE '${t.order_date}', ${t.amount}, '${t.order_id}')`).join(", ")}) v(customer_id, order_date, amount, order_id)`);
  });
  afterAll(() => db?.close());

  for (const options of [...MODES, {analysisDate: "2024-06-01", frequency: "days" as const, monetary: "mean" as const}]) {
    it(`gives the rows of rfmValues() ${JSON.stringify(options)}`, async () => {
      const summary = await summaryOf(db, {table: "tx", orderId: true});
      expect(valuesFromSummary(summary, options).objects()).toEqual(rfmValues(tx, options).objects());
    });
  }

  it("answers an earlier date from a summary cut before it", async () => {
    const summary = await summaryOf(db, {table: "tx", orderId: true, before: "2024-02-15"});
    expect(summaryLastDay(summary)).toBe("2024-02-01");
    const options = {analysisDate: "2024-02-15", monetary: "mean" as const};
    expect(valuesFromSummary(summary, options).objects()).toEqual(rfmValues(tx, options).objects());
  });

  it("refuses an analysis date the summary cannot answer", async () => {
    const summary = await summaryOf(db, {table: "tx", orderId: true});
    expect(() => valuesFromSummary(summary, {analysisDate: "2024-03-10"})).toThrow(/up to 2024-03-10.*needs the transactions/);
    expect(() => valuesFromSummary(summary, {frequency: "weekly" as never})).toThrow(/frequency/);
  });

  it("gives an empty table for an empty summary", () => {
    const empty = {customer_id: [], first_day: [], last_day: [], orders: [], days: [], micros: []};
    expect(summaryLastDay(empty)).toBeNull();
    expect(valuesFromSummary(empty).numRows()).toBe(0);
  });
});

// The loader's table against the SQL the page runs on the selection of all transactions (parity).
for (const [name, create, orderId] of [
  ["the demo (3,000 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 3000})), true],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable())), true]
] as const) {
  describe(`per-customer summary on ${name}`, () => {
    let db: NodeDuckDB;
    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      await db.run(selectionViewSql({filters: {}, columns: ["customer_id", "order_date", "amount", "order_id"], name: "selection"}));
    });
    afterAll(() => db?.close());

    it("gives rfmValuesSql's rows in every mode, at the default date and a later one", async () => {
      const summary = await summaryOf(db, {table: "transactions", orderId});
      expect(summary.customer_id.length).toBeGreaterThan(100);
      for (const options of [...MODES, {...MODES[3], analysisDate: "2031-01-01"}]) {
        const expected = await db.query(rfmValuesSql({table: "selection", orderId, ...options}));
        expect(valuesFromSummary(summary, options).objects(), JSON.stringify(options)).toEqual(expected);
      }
    });

    it("gives rfmValuesSql's rows at an earlier cut from a summary made before it", async () => {
      const [{last}] = await db.query<{last: string}>("SELECT CAST(max(order_date) - 182 AS VARCHAR) AS last FROM selection");
      const summary = await summaryOf(db, {table: "transactions", orderId, before: last});
      const expected = await db.query(rfmValuesSql({table: "selection", orderId, analysisDate: last}));
      expect(valuesFromSummary(summary, {analysisDate: last}).objects()).toEqual(expected);
    });
  });
}
