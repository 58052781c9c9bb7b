// The chunked cleaning (src/lib/data/clean/chunked.ts) gives the one-pass path's report and transactions,
// row for row, for any chunk size: on rows that hit every drop reason (with repeats and returns spread across
// chunks), on the malformed and failure-path fixtures, under each cleaning option; its progress counts rise
// to the table's rows. A clean file (every row kept, as the column statistics show) is not classified at all: its
// transactions are read straight from the raw rows; the same report and rows are checked for it, and that a file
// with one flaw is still classified and reports the flaw.
import {readFileSync} from "node:fs";
import {DuckDBInstance} from "@duckdb/node-api";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {cleanTransactions, type CleanTransactionsOptions} from "../../../../src/lib/data/clean/report.js";
import {CHUNK_ROWS, KEEP_CHUNKS, cleanTransactionsInChunks, unmappedColumns, type CleanProgress} from "../../../../src/lib/data/clean/chunked.js";
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

/** A runner over db that records every statement it is sent. */
function recording(): {runner: NodeDuckDB; statements: string[]} {
  const statements: string[] = [];
  const runner = {
    query: (sql: string) => (statements.push(sql), db.query(sql)),
    run: (sql: string) => (statements.push(sql), db.run(sql))
  } as unknown as NodeDuckDB;
  return {runner, statements};
}

/** Whether any statement classified rows (classifySql gives every row a reason, __clv_pre_reason). */
const classifies = (statements: readonly string[]) => statements.some((sql) => sql.includes("__clv_pre_reason"));

// A clean file: plain ids, ISO days, plain amounts (0 included), order ids, quantities, profits and padded or
// missing regions (which the transactions trim or leave empty); rows 4 and 7 repeat row 1.
const CLEAN_COLUMNS = ["Invoice", "Customer", "Day", "Amount", "Qty", "Profit", "Region"];
const CLEAN: (string | null)[][] = [
  ["1001", "A", "2020-01-01", "10.5", "1", "2.5", "north"],
  ["1002", "B", "2020-01-03", "0", "2", "-1", null],
  ["1003", "C", "2020-02-29", "3e2", null, null, " south "],
  ["1001", "A", "2020-01-01", "10.5", "1", "2.5", "north"],
  ["1004", "D", "2021-12-31", "0.004999", "1.5", "0", "n/a"],
  [" 1005", "E", "2020-06-15", "123456.785", "3", "7", ""],
  ["1001", "A", "2020-01-01", "10.5", "1", "2.5", "north"],
  ["1006", "B", "2020-01-04", "4", "1", "1", "West"]
];
const CLEAN_MAPPING: Mapping = {customer_id: "Customer", order_date: "Day", amount: "Amount", quantity: "Qty", cost: {amountMinus: "Profit"}, region: "Region"};

describe("cleanTransactionsInChunks on a clean file", () => {
  for (const options of [{}, {netReturns: true, asOf: "2022-01-01"}, {dropZero: false, dedupe: false}, {dedupe: true}] as Omit<CleanTransactionsOptions, "mapping">[]) {
    it(`reads the transactions straight from the raw rows, with the one-pass report and rows, ${JSON.stringify(options)}`, async () => {
      await loadRows(CLEAN_COLUMNS, CLEAN);
      const expected = await clean({mapping: CLEAN_MAPPING, ...options});
      const report = expected.report as {kept: number; rows: number; identicalRows: number};
      expect([report.rows, report.kept]).toEqual([8, options.dedupe ? 6 : 8]);
      for (const chunkRows of [1, 3, 8, 1000]) {
        const {runner, statements} = recording();
        const seen: CleanProgress[] = [];
        const chunked = await cleanTransactionsInChunks(runner, {mapping: CLEAN_MAPPING, ...options, chunkRows, progress: (p) => void seen.push(p)});
        expect(chunked, `chunks of ${chunkRows}`).toEqual(expected.report);
        expect(await db.query(`SELECT * FROM transactions`), `chunks of ${chunkRows}`).toEqual(expected.rows);
        // With dedupe the repeated rows are duplicates: that file is classified (and said so).
        expect(classifies(statements), `chunks of ${chunkRows}`).toBe(options.dedupe === true);
        if (!options.dedupe) {
          const counts = Array.from({length: Math.ceil(8 / chunkRows)}, (_, i) => ({rows: Math.min(8, (i + 1) * chunkRows), total: 8, stage: "rows"}));
          expect(seen).toEqual([{rows: 0, total: 8, stage: "repeats"}, ...counts, {rows: 8, total: 8, stage: "rules"}]);
        }
      }
      const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'clv_%'`);
      expect(tables).toEqual([]);
    });
  }

  it("takes the optional texts as they are when every value reads as itself, and only then", async () => {
    // Regions and segments without padding or missing-value tokens (NULL cells are NULL either way).
    const columns = [...CLEAN_COLUMNS, "Segment"];
    const rows = CLEAN.map((row, i) => [...row.slice(0, 6), i % 3 ? "West" : null, i % 2 ? "retail" : "b2b"]);
    for (const [segments, asIs] of [[rows.map((row) => row[7]), true], [rows.map((row, i) => (i === 5 ? " b2b" : row[7])), false], [rows.map((row, i) => (i === 5 ? "NA" : row[7])), false]] as const) {
      await loadRows(columns, rows.map((row, i) => [...row.slice(0, 7), segments[i]]));
      const mapping: Mapping = {...CLEAN_MAPPING, order_id: "Invoice", customer_segment: "Segment"};
      const expected = await clean({mapping, dedupe: false});
      const {runner, statements} = recording();
      expect(await cleanTransactionsInChunks(runner, {mapping, dedupe: false, chunkRows: 3})).toEqual(expected.report);
      expect(await db.query(`SELECT * FROM transactions`)).toEqual(expected.rows);
      expect(classifies(statements)).toBe(false);
      const made = statements.filter((sql) => /^CREATE OR REPLACE TABLE "transactions"/.test(sql)).join("\n");
      expect(made).toContain(`"Region" AS region`);
      expect(made.includes(`"Segment" AS customer_segment`), JSON.stringify(segments)).toBe(asIs);
      // The order id is always read as the classification reads it (" 1005" is trimmed).
      expect(made).not.toContain(`"Invoice" AS order_id`);
    }
  });

  it("leaves out of a lean transactions table the columns the mapping gives no source for, and keeps the others", async () => {
    await loadRows(CLEAN_COLUMNS, CLEAN);
    const mapping: Mapping = {customer_id: "Customer", order_date: "Day", amount: "Amount", order_id: "Invoice", region: "Region"};
    const one = await clean({mapping, dedupe: false});
    const {runner, statements} = recording();
    expect(await cleanTransactionsInChunks(runner, {mapping, dedupe: false, chunkRows: 3, lean: true})).toEqual(one.report);
    expect(classifies(statements)).toBe(false);
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM transactions`);
    const kept = ["customer_id", "order_date", "amount", "order_id", "region", "is_return", "source_row"];
    expect(Object.keys(rows[0])).toEqual(kept);
    expect(rows).toEqual((one.rows as Record<string, unknown>[]).map((row) => Object.fromEntries(kept.map((name) => [name, row[name]]))));
    expect(rows.map((row) => row.order_id)).toContain("1005");
  });

  it(`reads a large clean file in KEEP_CHUNKS chunks when no chunk size is given, with the one-pass rows`, async () => {
    // 900,000 clean rows made in SQL (every column text, as a raw table is): three chunks of 300,000.
    const n = 900_000;
    await db.run(`CREATE OR REPLACE TABLE raw AS SELECT 'C' || (i % 50000) AS "Customer", CAST(DATE '2020-01-01' + CAST(i % 700 AS INTEGER) AS VARCHAR) AS "Day", CAST((i % 997) + 0.25 AS VARCHAR) AS "Amount" FROM range(${n}) r(i)`);
    const mapping: Mapping = {customer_id: "Customer", order_date: "Day", amount: "Amount"};
    const totals = `SELECT count(*) AS n, sum(amount) AS revenue, count(DISTINCT customer_id) AS customers, min(order_date) AS first, max(source_row) AS last FROM transactions`;
    const expected = await cleanTransactions(db, {mapping, dedupe: false});
    const [one] = await db.query(totals);
    const {runner, statements} = recording();
    const seen: CleanProgress[] = [];
    expect(await cleanTransactionsInChunks(runner, {mapping, dedupe: false, progress: (p) => void seen.push(p)})).toEqual(expected);
    expect(classifies(statements)).toBe(false);
    expect(await db.query(totals)).toEqual([one]);
    const step = Math.max(CHUNK_ROWS, Math.ceil(n / KEEP_CHUNKS));
    const counts = Array.from({length: Math.ceil(n / step)}, (_, i) => ({rows: Math.min(n, (i + 1) * step), total: n, stage: "rows"}));
    expect(counts.length).toBeGreaterThan(1);
    expect(seen).toEqual([{rows: 0, total: n, stage: "repeats"}, ...counts, {rows: n, total: n, stage: "rules"}]);
    // File order: source_row runs 1..n as the rows were made.
    expect(await db.query(`SELECT count(*) AS out_of_order FROM (SELECT source_row - lag(source_row) OVER () AS d FROM transactions) WHERE d <> 1`)).toEqual([{out_of_order: 0}]);
  });

  // One flaw in row 3 at a time: the file must be classified a chunk at a time, and the flaw reported as the
  // one-pass cleaning reports it.
  const flaws: [string, (row: (string | null)[]) => (string | null)[], Partial<Record<string, number>>][] = [
    ["a missing customer", (r) => [r[0], null, ...r.slice(2)], {missing_customer_id: 1}],
    ["a padded customer", (r) => [r[0], " A", ...r.slice(2)], {}],
    ["a slashed date", (r) => [...r.slice(0, 2), "2/29/2020", ...r.slice(3)], {}],
    ["a day that is no date", (r) => [...r.slice(0, 2), "2020-02-30", ...r.slice(3)], {unparseable_date: 1}],
    ["a negative amount", (r) => [...r.slice(0, 3), "-300", ...r.slice(4)], {return: 1}],
    ["an amount with a currency sign", (r) => [...r.slice(0, 3), "$300", ...r.slice(4)], {}],
    ["a quantity that is no number", (r) => [...r.slice(0, 4), "two", ...r.slice(5)], {}]
  ];
  for (const [name, flaw, dropped] of flaws) {
    it(`classifies a file with ${name}, with the one-pass report and rows`, async () => {
      await loadRows(CLEAN_COLUMNS, CLEAN.map((row, i) => (i === 2 ? flaw(row) : row)));
      const expected = await clean({mapping: CLEAN_MAPPING});
      const report = expected.report as {dropped: Record<string, number>; examples: Record<string, {_row: number}[]>; warnings: string[]};
      for (const [reason, n] of Object.entries(dropped)) {
        expect(report.dropped[reason]).toBe(n);
        expect(report.examples[reason]?.map((e) => e._row)).toEqual([3]);
      }
      for (const chunkRows of [2, 1000]) {
        const {runner, statements} = recording();
        expect(await cleanTransactionsInChunks(runner, {mapping: CLEAN_MAPPING, chunkRows})).toEqual(expected.report);
        expect(await db.query(`SELECT * FROM transactions`)).toEqual(expected.rows);
        expect(classifies(statements)).toBe(true);
      }
    });
  }
});
