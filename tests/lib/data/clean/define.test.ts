// defineTransactions (the transactions view of `clv summary` and `clv rfm`, without the data-quality report) keeps
// exactly the rows cleanTransactions keeps, with the same values, under every option that changes which rows
// are kept: dedupe on an order id, returns netted or dropped, zero amounts dropped, an as-of date; and says
// whether any row was kept.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {cleanTransactions, defineTransactions} from "../../../../src/lib/data/clean/report.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import {loadRawTable} from "./rawTable.js";

const COLUMNS = ["InvoiceNo", "CustomerID", "InvoiceDate", "Amount"];
const MAPPING: Mapping = {order_id: "InvoiceNo", customer_id: "CustomerID", order_date: "InvoiceDate", amount: "Amount"};
const ROWS: (string | null)[][] = [
  ["1001", "A", "2010-12-01", "10.00"],
  ["1002", "", "2010-12-01", "5"],
  ["1004", "B", null, "5"],
  ["1005", "B", "not a date", "5"],
  ["1007", "B", "2030-01-01", "5"],
  ["1008", "B", "2010-12-03", " "],
  ["1009", "B", "2010-12-03", "abc"],
  ["1001", "A", "2010-12-01", "10.00"],
  ["1010", "B", "2010-12-04", "0"],
  ["C1011", "A", "2010-12-05", "-4.00"],
  ["1012", "B", "2010-12-06", "$1,234.50"],
  ["1013", "B", "12/7/2010 8:26", "(12.00)"],
  ["1014", "D", "2010-12-08", "-3"],
  ["1015", " C ", "2010-12-09", "NaN"],
  ["1016", "C", "2010-12-09", "7"]
];

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

async function loadRaw(rows: (string | null)[][]): Promise<void> {
  await loadRawTable(db, COLUMNS, rows);
}

const rowsOf = async (table: string) => (await db.query(`SELECT * FROM ${table} ORDER BY source_row`)).map((row) => JSON.stringify(row));

describe("defineTransactions", () => {
  const cases = [
    {},
    {dedupe: false},
    {netReturns: true},
    {dropZero: true, asOf: "2011-12-31"},
    {netReturns: true, dedupe: false, dropZero: true}
  ] as const;
  for (const options of cases) {
    it(`keeps the rows cleanTransactions keeps (${JSON.stringify(options)})`, async () => {
      await loadRaw(ROWS);
      const report = await cleanTransactions(db, {mapping: MAPPING, table: "reported", ...options});
      const defined = await defineTransactions(db, {mapping: MAPPING, table: "defined", ...options});
      expect(defined).toEqual({rows: ROWS.length, anyKept: true});
      const kept = await rowsOf("defined");
      expect(kept).toEqual(await rowsOf("reported"));
      expect(kept).toHaveLength(report.kept);
    });
  }

  it("says when no row is kept", async () => {
    await loadRaw([
      ["1", "", "2010-12-01", "1"],
      ["2", "A", "never", "1"]
    ]);
    expect(await defineTransactions(db, {mapping: MAPPING})).toEqual({rows: 2, anyKept: false});
  });
});
