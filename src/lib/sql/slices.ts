/**
 * Reading a query result into TypeScript a column at a time: `queryColumns` asks the runner for columns
 * (Arrow in the page, DuckDB's column chunks in Node) and falls back to its rows. The derived tables of
 * millions of rows read one bounded query at a time into columns made once (the cells: by ranges of days in
 * explore/derived.ts, by runs of customers in rfm/cells.ts), so that one result of millions of rows (an
 * Arrow buffer in the engine and a copy in the page) is never held.
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
 * The first `n` values of a column made for an upper bound of rows (the cells: one per transaction at most):
 * the column itself when it is full, else a copy of its first `n` (a view would keep the whole buffer).
 */
export function leading<A extends Int32Array | Float64Array>(values: A, n: number): A {
  return n === values.length ? values : (values.slice(0, n) as A);
}

/**
 * Whether a typed array is the whole of its buffer (from its start to its end): such an array can move to a
 * worker or be kept as it is; a view into a larger buffer (an Arrow batch's body, a column cut to its rows)
 * would take, or keep, the rest of that buffer with it.
 */
export function ownsBuffer(view: ArrayBufferView): boolean {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
}

/**
 * A result column as strings (ids): the column itself when it holds strings already (a runner's column is
 * its caller's own), else each value as a string, in an indexed loop (Array.from's walk through an iterator
 * made an object per value: hundreds of MB to collect at millions of customers).
 */
export function stringColumn(values: ArrayLike<unknown>): string[] {
  if (Array.isArray(values) && values.every((value) => typeof value === "string")) return values as string[];
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = String(values[i]);
  return out;
}

/** A numeric result column as a typed array of `Kind` of its own: the column itself when it is one, else an indexed copy. */
export function ownedNumbers<A extends Int32Array | Float64Array>(Kind: {new (n: number): A}, values: ArrayLike<unknown>): A {
  if (values instanceof Kind && ownsBuffer(values)) return values;
  const out = new Kind(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}
