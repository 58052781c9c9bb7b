// The bare-cast path of the cleaning (ClassifyPlan.plainDate / plainNumbers, decided by columnStatsSql): a
// column is read with a bare cast only when every distinct value is plain, and then every row gets the same
// parsed values and the same reason as on the general path; one value that is not plain turns it off.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {classifySql} from "../../../../src/lib/data/clean/classify.js";
import {columnStatsSql, parseColumnStats, plainExpr, trimExpr} from "../../../../src/lib/data/clean/parse.js";
import {cleanTransactions} from "../../../../src/lib/data/clean/report.js";
import {sqlString} from "../../../../src/lib/sql/quote.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import {loadRawTable} from "./rawTable.js";

const COLUMNS = ["id", "day", "amount", "region"];
const MAPPING: Mapping = {customer_id: "id", order_date: "day", amount: "amount", region: "region"};

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

async function loadRaw(rows: (string | null)[][]): Promise<void> {
  await loadRawTable(db, COLUMNS, rows);
}

/** Every classified row, by row number, as JSON, with the bare casts on or off. */
async function classified(plain: boolean): Promise<string[]> {
  const sql = classifySql({
    rawTable: "raw",
    columns: COLUMNS,
    mapping: MAPPING,
    dateOrder: "mdy",
    compact: true,
    ...(plain ? {plainDate: true, plainNumbers: ["amount"]} : {})
  });
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM (${sql}) c ORDER BY __clv_row`);
  return rows.map((row) => JSON.stringify(row));
}

const PLAIN: (string | null)[][] = [
  ["A", "2024-01-05", "12.5", "West"],
  ["B", "2024-02-29", "-3", " East "],
  [null, "2024-03-01", "7", "West"],
  ["C", null, "1e3", "NA"],
  ["C", "2024-03-02", null, "\tNorth"],
  ["D", "2024-03-03", "0", null],
  ["A", "2024-01-05", "12.5", "West"]
];

describe("plain columns", () => {
  it("a column of plain values is found plain, and the bare casts classify every row as the general path does", async () => {
    await loadRaw(PLAIN);
    const [row] = await db.query<Record<string, unknown>>(columnStatsSql("raw", MAPPING));
    const stats = parseColumnStats(row, MAPPING);
    expect(stats.notPlainDate).toBe(0);
    expect(stats.notPlain).toEqual({amount: 0});
    const general = await classified(false);
    expect(await classified(true)).toEqual(general);
    expect(general).toHaveLength(PLAIN.length);
  });

  it("one value that is not plain (padded, slashed, a thousands separator, a missing token) turns its column off", async () => {
    for (const [day, amount, notPlainDate, notPlainAmount] of [
      [" 2024-01-05", "12.5", 1, 0],
      ["1/5/2024", "12.5", 1, 0],
      ["2024-01-05", "1,250.00", 0, 1],
      ["2024-01-05", "NA", 0, 1],
      ["2024-01-05", "nan", 0, 1],
      ["2024-01-05", "1_000", 0, 1],
      ["2024-02-30", "12.5", 1, 0]
    ] as const) {
      await loadRaw([...PLAIN, ["E", day, amount, "West"]]);
      const [row] = await db.query<Record<string, unknown>>(columnStatsSql("raw", MAPPING));
      const stats = parseColumnStats(row, MAPPING);
      expect([day, amount, stats.notPlainDate, stats.notPlain?.amount]).toEqual([day, amount, notPlainDate, notPlainAmount]);
    }
  });

  it("the report is the same whether the columns are plain or not", async () => {
    await loadRaw(PLAIN);
    const plain = await cleanTransactions(db, {mapping: MAPPING});
    // The same rows with one padded date: the date column takes the general path, and the row still parses.
    await loadRaw([...PLAIN, ["E", " 2024-03-04 ", "5", "West"]]);
    const general = await cleanTransactions(db, {mapping: MAPPING});
    expect(general.kept).toBe(plain.kept + 1);
    expect(general.dropped).toEqual(plain.dropped);
    expect(general.lastDate).toBe("2024-03-04");
    expect(plain.dropped.missing_customer_id).toBe(1);
    expect(plain.dropped.missing_date).toBe(1);
    expect(plain.dropped.missing_amount).toBe(1);
    expect(plain.dropped.return).toBe(1);
    expect(plain.kept).toBe(3);
  });

  it("the trim guard leaves exactly the texts trim leaves alone", async () => {
    const texts = ["a", " a", "a ", "\ta", "a\r\n", "a\u0001", "\u0001a", "é", " é ", "", " ", "ab c", "\u000ba\u000c"];
    const rows = await db.query<{t: string; trimmed: string}>(
      `SELECT t, ${trimExpr("t")} AS trimmed FROM (VALUES ${texts.map((t) => `(${sqlString(t)})`).join(", ")}) v(t)`
    );
    const expected = await db.query<{t: string; trimmed: string}>(
      `SELECT t, trim(t, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) AS trimmed FROM (VALUES ${texts.map((t) => `(${sqlString(t)})`).join(", ")}) v(t)`
    );
    expect(rows).toEqual(expected);
    const [{n}] = await db.query<{n: number}>(`SELECT count(*) FILTER (WHERE ${plainExpr("t", "number")}) AS n FROM (VALUES ('1.5'), (' 1.5'), ('inf'), ('1_0')) v(t)`);
    expect(n).toBe(1);
  });
});
