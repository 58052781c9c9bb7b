/**
 * Reading a large query result into TypeScript a column at a time: `queryColumns` asks the runner for columns
 * (Arrow in the page, DuckDB's column chunks in Node) and falls back to its rows; `readSlices` reads a table a
 * slice of rows at a time (by rowid, in its stored order) into columns the caller allocated for every row, so
 * that one result of millions of rows (an Arrow buffer in the engine and a copy in the page) is never held.
 */
import type {SqlRunner} from "../types.js";

/** A result column by column: the runner's queryColumns when it has one, else its rows turned into columns. */
export async function queryColumns(db: SqlRunner, sql: string): Promise<Record<string, ArrayLike<unknown>>> {
  if (db.queryColumns) return db.queryColumns(sql);
  const rows = await db.query<Record<string, unknown>>(sql);
  const columns: Record<string, unknown[]> = {};
  const names = rows.length ? Object.keys(rows[0]) : [];
  for (const name of names) columns[name] = rows.map((row) => row[name] ?? null);
  return columns;
}

/**
 * Every row of `table` (a quoted identifier of a DuckDB table: rowid is its insertion order), `sliceRows` at
 * a time: `read` gets each slice's columns (an absent column as empty) and the index of its first row.
 */
export async function readSlices(
  db: SqlRunner,
  table: string,
  rows: number,
  sliceRows: number,
  read: (column: (name: string) => ArrayLike<unknown>, start: number) => void
): Promise<void> {
  if (!(sliceRows >= 1)) throw new Error(`sliceRows must be at least 1, not ${sliceRows}`);
  for (let start = 0; start < rows; start += sliceRows) {
    const slice = await queryColumns(db, `SELECT * FROM ${table} WHERE rowid >= ${start} AND rowid < ${start + sliceRows}`);
    read((name) => slice[name] ?? [], start);
  }
}
