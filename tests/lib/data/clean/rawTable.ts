import {sqlString} from "../../../../src/lib/sql/quote.js";

/** The statements that make `raw` as the readers do: every column VARCHAR, the rows as given (null: NULL). */
export function rawTableSql(columns: readonly string[], rows: readonly (readonly (string | null)[])[]): string[] {
  const value = (v: string | null) => (v === null ? "NULL" : sqlString(v));
  const create = `CREATE OR REPLACE TABLE raw (${columns.map((c) => `"${c}" VARCHAR`).join(", ")})`;
  return rows.length ? [create, `INSERT INTO raw VALUES ${rows.map((row) => `(${row.map(value).join(", ")})`).join(", ")}`] : [create];
}

/** Makes `raw` in a native DuckDB (or anything that runs SQL). */
export async function loadRawTable(db: {run(sql: string): Promise<unknown>}, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
  for (const sql of rawTableSql(columns, rows)) await db.run(sql);
}
