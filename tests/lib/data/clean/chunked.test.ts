// The chunked cleaning (src/lib/data/clean/chunked.ts) gives the one-pass path's report and transactions,
// row for row, for any chunk size: on rows that hit every drop reason (with repeats and returns spread across
// chunks), on the malformed and failure-path fixtures, under each cleaning option; its progress counts rise
// to the table's rows.
import {readFileSync} from "node:fs";
import {DuckDBInstance} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {cleanTransactions, type CleanTransactionsOptions} from "../../../../src/lib/data/clean/report.js";
import {cleanTransactionsInChunks, unmappedColumns, type CleanProgress} from "../../../../src/lib/data/clean/chunked.js";
import {sqlString} from "../../../../src/lib/sql/quote.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import {loadRawTable} from "./rawTable.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

async function loadRows(columns: readonly string[], rows: readonly (string | null)[][]): Promise<void> {
  await loadRawTable(db, columns, rows);
}

async function loadCsv(path: string, delimiter = ","): Promise<string[]> {
  const [header, ...lines] = readFileSync(path, "utf8").replace(/\r/g, "").split("\n").filter((line) => line.length > 0);
  const columns = header.split(delimiter);
  await loadRows(columns, lines.map((line) => line.split(delimiter)));
  return columns;
}

/** The report and every transaction, one path or the other. */
async function clean(options: CleanTransactionsOptions, chunkRows?: number): Promise<{report: unknown; rows: unknown[]}> {
  const report = chunkRows === undefined ? await cleanTransactions(db, options) : await cleanTransactionsInChunks(db, {...options, chunkRows});
  // In the table's own order (a scan keeps insertion order): file order on both paths.
  const rows = await db.query(`SELECT * FROM transactions`);
  return {report, rows};
}

async function expectSameAsOnePass(options: CleanTransactionsOptions, chunks: readonly number[]): Promise<void> {
  const one = await clean(options);
  for (const chunkRows of chunks) {
    const chunked = await clean(options, chunkRows);
    expect(chunked.report, `chunks of ${chunkRows}`).toEqual(one.report);
    expect(chunked.rows, `chunks of ${chunkRows}`).toEqual(one.rows);
  }
  const tables = await db.query<{name: string}>(`SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE 'clv_classified%'`);
  expect(tables).toEqual([]);
}

// Every rule, in the order of DROP_REASONS, with repeats far apart and returns of customers who buy (A, B),
// and who never do (D): with chunks of 1 to 7 rows every rule across rows meets rows of other chunks.
const COLUMNS = ["InvoiceNo", "CustomerID", "InvoiceDate", "Amount"];
const MAPPING: Mapping = {order_id: "InvoiceNo", customer_id: "CustomerID", order_date: "InvoiceDate", amount: "Amount"};
const RULES: (string | null)[][] = [
  ["1001", "A", "2010-12-01", "10.00"],
  ["1002", "", "2010-12-01", "5"],
  ["1003", "NA", "2010-12-02", "5"],
  ["1004", "B", null, "5"],
  ["1005", "B", "not a date", "5"],
  ["1006", "B", "2010-13-45", "5"],
  ["1007", "B", "2030-01-01", "5"],
  ["1008", "B", "2010-12-03", " "],
  ["1009", "B", "2010-12-03", "abc"],
  ["1001", "A", "2010-12-01", "10.00"],
  ["1010", "B", "2010-12-04", "0"],
  ["C1011", "A", "2010-12-05", "-4.00"],
  ["1012", "B", "2010-12-06", "$1,234.50"],
  ["1013", "B", "12/7/2010 8:26", "(12.00)"],
  ["C1014", "D", "2010-12-08", "3"],
  ["1015", "A", "20101209", "7"],
  ["1010", "B", "2010-12-04", "0"],
  ["C1011", "A", "2010-12-05", "-4.00"],
  ["1002", "", "2010-12-01", "5"],
  ["C1014", "D", "2010-12-08", "3"],
  ["1016", "E", "2010-12-10", "-2"],
  ["1001", "A", "2010-12-01", "10.00"]
];
const OPTIONS: Omit<CleanTransactionsOptions, "mapping">[] = [
  {},
  {asOf: "2011-12-31", dropZero: true},
  {netReturns: true},
  {netReturns: true, dropZero: true, asOf: "2011-12-31"},
  {dedupe: false},
  {dedupe: true, netReturns: true}
];

describe("cleanTransactionsInChunks", () => {
  for (const options of OPTIONS) {
    it(`equals the one-pass cleaning on every drop reason, ${JSON.stringify(options)}`, async () => {
      await loadRows(COLUMNS, RULES);
      await expectSameAsOnePass({mapping: MAPPING, ...options}, [1, 2, 3, 7, 22, 1000]);
    });
  }

  it("equals the one-pass cleaning without an order id (repeats kept, counted), dedupe auto and on", async () => {
    await loadRows(["c", "d", "a"], [["A", "1997-01-01", "9.77"], ["B", "1997-01-02", "1.00"], ["A", "1997-01-01", "9.77"], ["A", "1997-01-01", "9.77"]]);
    await expectSameAsOnePass({mapping: {customer_id: "c", order_date: "d", amount: "a"}}, [1, 2]);
    await expectSameAsOnePass({mapping: {customer_id: "c", order_date: "d", amount: "a"}, dedupe: true}, [1, 3]);
  });

  it("equals the one-pass cleaning on the malformed semicolon file (day-first dates, decimal commas)", async () => {
    await loadCsv("tests/fixtures/malformed/semicolon.csv", ";");
    await expectSameAsOnePass({mapping: {customer_id: "customer", order_date: "date", amount: "amount"}}, [1, 2]);
  });

  for (const [file, options] of [
    ["negative-amounts.csv", {}],
    ["negative-amounts.csv", {netReturns: true}],
    ["future-dates.csv", {asOf: "2026-12-01"}],
    ["random-40x5.csv", {}],
    ["heavy-buyer.csv", {dedupe: true}]
  ] as const) {
    it(`equals the one-pass cleaning on failure-paths/${file} ${JSON.stringify(options)}`, async () => {
      const columns = await loadCsv(`tests/fixtures/failure-paths/${file}`);
      const mapping: Mapping = {customer_id: columns[0], order_date: columns[1], amount: columns[2]};
      await expectSameAsOnePass({mapping, ...options}, [1, 3, 50]);
    });
  }

  it("reports the rows classified so far, rising to every row of the table", async () => {
    await loadRows(COLUMNS, RULES);
    const seen: CleanProgress[] = [];
    await cleanTransactionsInChunks(db, {mapping: MAPPING, chunkRows: 5, progress: (p) => void seen.push(p)});
    expect(seen).toEqual([
      {rows: 0, total: 22, stage: "repeats"},
      {rows: 5, total: 22, stage: "rows"},
      {rows: 10, total: 22, stage: "rows"},
      {rows: 15, total: 22, stage: "rows"},
      {rows: 20, total: 22, stage: "rows"},
      {rows: 22, total: 22, stage: "rows"},
      {rows: 22, total: 22, stage: "rules"}
    ]);
  });

  it("leaves out of a lean transactions table exactly the columns that are NULL by construction", async () => {
    await loadRows([...COLUMNS, "Region"], RULES.map((row, i) => [...row, i % 3 ? "West" : null]));
    const mapping: Mapping = {...MAPPING, region: "Region"};
    expect(unmappedColumns(mapping)).toEqual(["quantity", "cost", "acquisition_cost", "province", "partner", "offer_type", "category", "customer_segment", "channel", "currency"]);
    const one = await clean({mapping, netReturns: true});
    const lean = await cleanTransactionsInChunks(db, {mapping, netReturns: true, chunkRows: 4, lean: true});
    expect(lean).toEqual(one.report);
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM transactions`);
    const kept = Object.keys(rows[0]);
    expect(kept).toEqual(["customer_id", "order_date", "amount", "order_id", "region", "is_return", "source_row"]);
    for (const row of one.rows as Record<string, unknown>[]) for (const name of unmappedColumns(mapping)) expect(row[name]).toBeNull();
    expect(rows).toEqual((one.rows as Record<string, unknown>[]).map((row) => Object.fromEntries(kept.map((name) => [name, row[name]]))));
  });

  it("cleans through a runner that runs each statement on a connection of its own, as a page's DuckDBClient does", async () => {
    // A temporary table lives in one connection: the upload of a file without an order id once failed in the
    // page ("Table with name clv_repeated_upload_preview does not exist") while every test here passed.
    const instance = await DuckDBInstance.create(":memory:");
    const statement = async (sql: string) => {
      const connection = await instance.connect();
      try {
        return (await connection.runAndReadAll(sql)).getRowObjectsJS();
      } finally {
        connection.closeSync();
      }
    };
    const perStatement = {query: statement, run: async (sql: string) => void (await statement(sql))} as unknown as NodeDuckDB;
    try {
      const rows = [["A", "1997-01-01", "9.77"], ["B", "1997-01-02", "0"], ["A", "1997-01-01", "9.77"], ["A", "1997-01-03", "9.77"]];
      await perStatement.run(`CREATE TABLE raw (c VARCHAR, d VARCHAR, a VARCHAR)`);
      await perStatement.run(`INSERT INTO raw VALUES ${rows.map((r) => `(${r.map(sqlString).join(", ")})`).join(", ")}`);
      await loadRows(["c", "d", "a"], rows);
      const options: CleanTransactionsOptions = {mapping: {customer_id: "c", order_date: "d", amount: "a"}, table: "upload_preview"};
      const expected = await cleanTransactions(db, options);
      for (const chunkRows of [1, 3]) {
        expect(await cleanTransactionsInChunks(perStatement, {...options, chunkRows, lean: true})).toEqual(expected);
        expect(await cleanTransactions(perStatement, options)).toEqual(expected);
      }
      expect(expected).toMatchObject({kept: 4, identicalRows: 1, zeroAmount: 1});
    } finally {
      instance.closeSync();
    }
  });

  it("cleans an empty table (one empty chunk) as the one-pass path does", async () => {
    await loadRows(COLUMNS, []);
    await expectSameAsOnePass({mapping: MAPPING}, [4]);
  });

  it("refuses a chunk size below one row", async () => {
    await loadRows(COLUMNS, RULES);
    await expect(cleanTransactionsInChunks(db, {mapping: MAPPING, chunkRows: 0})).rejects.toThrow(/chunkRows/);
  });
});
