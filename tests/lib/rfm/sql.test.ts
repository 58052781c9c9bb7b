/**
 * The DuckDB SQL of src/lib/rfm/sql.ts must give exactly the Arquero result of src/lib/rfm/scores.ts: on the hand
 * fixture, on seeded generated data, and on the shared real data sets (CDNOW sample, Superstore).
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import fc from "fast-check";
import * as aq from "arquero";
import {rfmScores, scoreRfm} from "../../../src/lib/rfm/scores.js";
import {rfmScoresSql, rfmValuesSql, type RfmSqlOptions} from "../../../src/lib/rfm/sql.js";
import {sqlIdentifier as quoteIdentifier} from "../../../src/lib/sql/quote.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import type {Transaction} from "../../../src/lib/types.js";

import {sharedData} from "../../datasets.js";
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

async function loadRows(name: string, rows: readonly Transaction[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(name)} (customer_id VARCHAR, order_date DATE, amount DOUBLE, order_id VARCHAR)`);
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows
      .slice(i, i + 500)
      .map((r) => `(${sqlText(r.customer_id)}, DATE '${r.order_date}', ${r.amount.toPrecision(17)}, ${r.order_id == null ? "NULL" : sqlText(r.order_id)})`);
    await db.run(`INSERT INTO ${quoteIdentifier(name)} VALUES ${values.join(", ")}`);
  }
}

async function readRows(name: string): Promise<Transaction[]> {
  return db.query<Transaction>(`SELECT customer_id, CAST(order_date AS VARCHAR) AS order_date, amount, order_id FROM ${quoteIdentifier(name)}`);
}

async function expectAgreement(name: string, options: RfmSqlOptions, rows?: Transaction[]): Promise<number> {
  rows ??= await readRows(name);
  const {table: _table, orderId, ...rest} = options;
  const input = orderId ? rows : rows.map(({order_id, ...row}) => row);
  const arquero = rfmScores(input, rest).objects();
  const sql = await db.query(rfmScoresSql({...options, table: name}));
  expect(sql).toEqual(arquero);
  // The CLI's path: the values from SQL, as columns, scored by Arquero.
  const {k, thresholds, ...valueOptions} = options;
  const values = aq.table(await db.queryColumns(rfmValuesSql({...valueOptions, table: name})));
  expect(scoreRfm(values, {k, thresholds}).objects()).toEqual(arquero);
  return sql.length;
}

const VARIANTS: RfmSqlOptions[] = [
  {},
  {k: 3, frequency: "days", monetary: "mean"},
  {k: 10, orderId: true},
  {k: 4, monetary: "mean", orderId: true, frequency: "days"},
  {k: 2},
  {k: 5, thresholds: {recency: [30, 90, 180, 365], monetary: [20, 50, 100, 250]}}
];

describe("rfmScoresSql agrees with rfmScores", () => {
  it("on the hand fixture with ties", async () => {
    const rows: Transaction[] = [
      {customer_id: "A", order_date: "2024-01-10", amount: 100, order_id: "1"},
      {customer_id: "A", order_date: "2024-01-05", amount: 50, order_id: "2"},
      {customer_id: "B", order_date: "2024-01-10", amount: 30, order_id: null},
      {customer_id: "C", order_date: "2024-01-01", amount: 20, order_id: "3"},
      {customer_id: "C", order_date: "2024-01-03", amount: 130, order_id: "3"},
      {customer_id: "D", order_date: "2024-01-06", amount: 10, order_id: "4"},
      {customer_id: "E", order_date: "2024-01-02", amount: 5, order_id: null},
      {customer_id: "E", order_date: "2024-01-04", amount: 5, order_id: null},
      {customer_id: "E", order_date: "2024-01-08", amount: 5, order_id: "5"},
      {customer_id: "F", order_date: "2023-12-31", amount: 30, order_id: "6"}
    ];
    await loadRows("fixture", rows);
    for (const options of [...VARIANTS, {analysisDate: "2024-01-05", orderId: true}]) await expectAgreement("fixture", options);
    const [a] = await db.query(rfmScoresSql({table: "fixture"}));
    expect(a).toMatchObject({customer_id: "A", recency: 1, r_score: 4, f_score: 3, m_score: 4, fm_score: 3.5});
  });

  it("on one customer and on all-equal customers", async () => {
    await loadRows("one", [{customer_id: "x", order_date: "2020-01-01", amount: 5}]);
    expect(await expectAgreement("one", {k: 7})).toBe(1);
    await loadRows("equal", ["a", "b", "c"].map((customer_id) => ({customer_id, order_date: "2020-01-01", amount: 2.5})));
    expect(await expectAgreement("equal", {k: 10})).toBe(3);
  });

  it("on generated data (fast-check)", async () => {
    const tx = fc.record({
      customer_id: fc.integer({min: 1, max: 40}).map((i) => `c${i}`),
      order_date: fc.integer({min: 0, max: 400}).map((d) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10)),
      amount: fc.oneof(fc.integer({min: 0, max: 20000}).map((c) => c / 100), fc.double({min: -50, max: 5000, noNaN: true})),
      order_id: fc.option(fc.integer({min: 1, max: 60}).map(String))
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(tx, {minLength: 1, maxLength: 150}),
        fc.record({k: fc.integer({min: 2, max: 10}), frequency: fc.constantFrom("orders" as const, "days" as const), monetary: fc.constantFrom("total" as const, "mean" as const), orderId: fc.boolean()}),
        async (rows, options) => {
          await loadRows("generated", rows);
          await expectAgreement("generated", options);
        }
      ),
      {numRuns: 40}
    );
  });

  it("on the CDNOW sample", async () => {
    // Header line ends in LF, data lines in CRLF: strict_mode=false lets the sniffer accept that.
    await db.run(`CREATE OR REPLACE TABLE cdnow AS
      SELECT customer_id, date AS order_date, amount, NULL::VARCHAR AS order_id
      FROM read_csv(${sqlText(sharedData("cdnow/cdnow_sample_transactions.csv"))}, header = true, strict_mode = false,
        columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'quantity': 'INTEGER', 'amount': 'DOUBLE'})`);
    const rows = await readRows("cdnow");
    expect(rows).toHaveLength(6919);
    for (const options of [...VARIANTS, {analysisDate: "1997-10-01"}, {analysisDate: "1997-04-01", k: 10, frequency: "days" as const}]) {
      const n = await expectAgreement("cdnow", options, rows);
      if (options.analysisDate === undefined) expect(n).toBe(2357);
    }
  });

  it("on Superstore (Customer Name as id, M/D/YY dates, BOM)", async () => {
    await db.run(`CREATE OR REPLACE TABLE superstore AS
      SELECT "Customer Name" AS customer_id, CAST(strptime("Order Date", '%m/%d/%y') AS DATE) AS order_date,
        CAST("Sales" AS DOUBLE) AS amount, "Order ID" AS order_id
      FROM read_csv(${sqlText(sharedData("superstore/SampleSuperstoreSales.csv"))}, header = true, all_varchar = true)`);
    const rows = await readRows("superstore");
    expect(rows).toHaveLength(8399);
    for (const options of [...VARIANTS, {analysisDate: "2011-01-01", orderId: true, k: 6}]) {
      const n = await expectAgreement("superstore", options, rows);
      if (options.analysisDate === undefined) expect(n).toBe(795);
    }
  });
});

describe("rfmScoresSql options", () => {
  it("rejects bad values, naming them", () => {
    expect(() => rfmScoresSql({k: 0})).toThrow(/got 0/);
    expect(() => rfmScoresSql({analysisDate: "2020-02-30"})).toThrow(/"2020-02-30"/);
    expect(() => rfmScoresSql({frequency: "weeks" as never})).toThrow(/"weeks"/);
    expect(() => rfmScoresSql({thresholds: {recency: [3, 2, 1, 0]}})).toThrow(/thresholds.recency\[1\]/);
    expect(() => rfmScoresSql({table: ""})).toThrow(/table/);
  });

  it("quotes the table name", () => {
    expect(rfmScoresSql({table: 'my "tx"'})).toContain('FROM "my ""tx"""');
  });
});
