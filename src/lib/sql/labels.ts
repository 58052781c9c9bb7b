/**
 * Integer codes for text columns with few distinct values (region, province, category…), for derived tables
 * that group and sort millions of rows: grouping and sorting on the codes instead of the strings keeps
 * DuckDB's hash tables and sort runs small (on 5M orders in DuckDB-WASM: 0.7 GB of heap instead of 2.6 GB,
 * a quarter of the time), and the rows cross into TypeScript as integers, not a string per row and column.
 *
 * Each column's labels are numbered 0, 1, … in sort order, so sorting on the codes sorts as the labels would
 * (a NULL label has a NULL code, last, as DuckDB sorts NULLs).
 */
import {sqlIdentifier} from "./quote.js";
import type {SqlRunner} from "../types.js";

export interface LabelCodes {
  /** Per column, its labels in code order. */
  labels: string[][];
  /** Per column, the expression of its code for rows of `alias` (joined by `joins`). */
  codes: string[];
  /** The LEFT JOINs that bring the codes to rows of `alias`. */
  joins: string[];
  /** Drops the label tables. */
  drop(): Promise<void>;
}

/** Numbers the labels of `columns` of `source` (tables named `${prefix}_<column>`), for rows aliased `alias`. */
export async function labelCodes(db: SqlRunner, source: string, columns: readonly string[], {prefix, alias}: {prefix: string; alias: string}): Promise<LabelCodes> {
  const tables = columns.map((c) => sqlIdentifier(`${prefix}_${c}`));
  const drop = async () => {
    for (const table of tables) await db.query(`DROP TABLE IF EXISTS ${table}`);
  };
  const labels: string[][] = [];
  try {
    for (const [k, c] of columns.entries()) {
      await db.query(`CREATE OR REPLACE TABLE ${tables[k]} AS
SELECT label, CAST(row_number() OVER (ORDER BY label) - 1 AS INTEGER) AS code
FROM (SELECT DISTINCT ${sqlIdentifier(c)} AS label FROM ${source} WHERE ${sqlIdentifier(c)} IS NOT NULL) labels`);
      labels.push((await db.query<{label: unknown}>(`SELECT label FROM ${tables[k]} ORDER BY code`)).map((row) => String(row.label)));
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    labels,
    codes: columns.map((c, k) => `l${k}.code`),
    joins: columns.map((c, k) => `LEFT JOIN ${tables[k]} l${k} ON l${k}.label = ${sqlIdentifier(alias)}.${sqlIdentifier(c)}`),
    drop
  };
}

/** The codes of a query result's column as Int32 (-1 for NULL), written into `out` from `offset`. */
export function readCodes(values: ArrayLike<unknown>, out: Int32Array, offset = 0): void {
  for (let i = 0; i < values.length; i++) out[offset + i] = values[i] == null ? -1 : Number(values[i]);
}
