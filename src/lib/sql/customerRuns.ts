/**
 * Per-customer queries over many customers, a run of customers at a time. DuckDB-WASM's memory only grows:
 * one GROUP BY customer over every row of a large upload (its hash table, the aggregate states, the sorted
 * result) set the page's high-water mark: at 1M orders (432,457 customers), the CLV pages' customer queries
 * took the engine from 263 to 546 MB in one run, to 379 MB in runs of 250,000 customers and not past 263 MB in
 * runs of 100,000, in the same time. Run by run, the engine holds one run's customers at a time, and the
 * parts, each in customer order, join in customer order.
 *
 * The engine says whether it reads in runs, and how many customers a run holds (SqlRunner.customersPerRun: the
 * DuckDB-WASM runners, the page's and Node's, give CUSTOMERS_PER_RUN); native DuckDB gives its memory back and
 * reads every customer in one query, with no extra query to find the runs.
 *
 * Runs split the customer ids in DuckDB's VARCHAR order, which is the order of the queries that sort by
 * customer_id (the cleaned transactions hold it as VARCHAR). A table whose customer_id is of another type is
 * read in one run.
 */
import type {SqlRunner} from "../types.js";
import {sqlIdentifier, sqlString} from "./quote.js";

/** Customers per run of the DuckDB-WASM runners (see byCustomerRuns). */
export const CUSTOMERS_PER_RUN = 100_000;

/**
 * Customers per query of the tables of cells (rfm/cells.ts, explore/derived.ts) on an engine that reads
 * per-customer queries in runs (SqlRunner's customersPerRun: DuckDB-WASM): about a million transactions at 5M
 * orders. Native DuckDB groups every customer in one query.
 */
export const CELL_CUSTOMERS_PER_RUN = 400_000;

/** Customers counted per run start found (customerRunStarts): runs of fewer are cut exactly. */
export const RUN_START_SAMPLE = 1000;

/**
 * The customer ids that start the second and later runs of `size` customers of `table` (none when one run
 * holds them all, or when customer_id is not text). Runs of fewer than 2 × RUN_START_SAMPLE customers are cut
 * exactly, from every customer's id in order. Longer ones are cut from one customer in `stride` (size /
 * RUN_START_SAMPLE), chosen by the hash of the id: every stride-th of those starts a run, which then holds
 * about `size` customers (within a few per cent). Every customer still falls in exactly one run, and the runs
 * are in id order; but the engine sorts a thousandth of the ids, not all of them (at 5M orders, 2.16M
 * customers, sorting every id took DuckDB-WASM's heap, which never shrinks, from 1.16 to 1.30 GB).
 */
export async function customerRunStarts(db: SqlRunner, table: string, size = CUSTOMERS_PER_RUN): Promise<string[]> {
  if (!(Number.isInteger(size) && size >= 1)) throw new Error(`customers per run must be a whole number of at least 1, not ${size}`);
  const source = sqlIdentifier(table);
  const [type] = await db.query<{type: string}>(`SELECT typeof(customer_id) AS type FROM ${source} WHERE customer_id IS NOT NULL LIMIT 1`);
  if (type?.type !== "VARCHAR") return [];
  const stride = Math.max(1, Math.floor(size / RUN_START_SAMPLE));
  const sampled = stride > 1 ? ` AND hash(customer_id) % ${stride} = 0` : "";
  const rows = await db.query<{customer_id: string}>(`SELECT customer_id FROM (
  SELECT customer_id, row_number() OVER (ORDER BY customer_id) - 1 AS position
  FROM (SELECT DISTINCT customer_id FROM ${source} WHERE customer_id IS NOT NULL${sampled}) ids
) numbered
WHERE position > 0 AND position % ${Math.round(size / stride)} = 0
ORDER BY customer_id`);
  return rows.map((row) => String(row.customer_id));
}

let calls = 0;

/**
 * `read` over the customers of `table` a run at a time: each run is a view of `table`'s rows of that run's
 * customers, named after `table`; `join` gets the parts in customer order. `size` defaults to the engine's
 * customersPerRun; with one run (or none given), `read` gets `table` itself and `join` its one part.
 */
export async function byCustomerRuns<T, R>(
  db: SqlRunner,
  table: string,
  read: (source: string) => Promise<T>,
  join: (parts: T[]) => R,
  size = db.customersPerRun
): Promise<R> {
  const starts = size === undefined ? [] : await customerRunStarts(db, table, size);
  if (!starts.length) return join([await read(table)]);
  // A name of its own per call: a page's cell that runs again while its last run is still reading must not
  // replace or drop that run's view.
  const view = `${table}_run_${++calls}`;
  const parts: T[] = [];
  try {
    for (let i = 0; i <= starts.length; i++) {
      const bounds: string[] = [];
      if (i > 0) bounds.push(`customer_id >= ${sqlString(starts[i - 1])}`);
      if (i < starts.length) bounds.push(`customer_id < ${sqlString(starts[i])}`);
      await db.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(view)} AS SELECT * FROM ${sqlIdentifier(table)} WHERE ${bounds.join(" AND ")}`);
      parts.push(await read(view));
    }
  } finally {
    // A failed drop (an engine out of memory) must not hide the query's own error.
    await db.query(`DROP VIEW IF EXISTS ${sqlIdentifier(view)}`).catch(() => {});
  }
  return join(parts);
}

/** Arrays joined end to end: a typed array when every part is one of the same kind, else a plain array. */
export function joinArrays<A extends ArrayLike<unknown>>(parts: readonly A[]): A {
  if (parts.length === 1) return parts[0];
  const kind = parts[0]?.constructor;
  const typed = parts.length > 0 && ArrayBuffer.isView(parts[0]) && parts.every((part) => part.constructor === kind);
  const length = parts.reduce((total, part) => total + part.length, 0);
  if (typed) {
    const out = new (kind as new (n: number) => A & {set(values: A, offset: number): void})(length);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
  const out = new Array<unknown>(length);
  let offset = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) out[offset++] = part[i];
  return out as unknown as A;
}

/**
 * Column sets joined end to end, column by column: every column any part has (a run without a row may come
 * back without columns from a runner that reads rows); a column a part lacks counts as empty there.
 */
export function joinColumns<C extends {[K in keyof C]: ArrayLike<unknown>}>(parts: readonly C[]): C {
  if (parts.length === 1) return parts[0];
  const names = new Set(parts.flatMap((part) => Object.keys(part)));
  const out: Record<string, ArrayLike<unknown>> = {};
  for (const name of names) out[name] = joinArrays(parts.map((part) => (part as Record<string, ArrayLike<unknown>>)[name] ?? []));
  return out as unknown as C;
}

/**
 * The order in which to read rows held as `ends.length` parts end to end (part p is rows ends[p-1]..ends[p]),
 * each sorted by `compare`, to read them all sorted by it: a merge of the parts, each part's rows kept in its
 * order, and rows that compare equal taken from the earlier part first. Runs of customers read sorted on
 * another key than the customer (by day, say) join this way into the order of one query over every run,
 * when the customer is the key's last tie-breaker and the runs are in customer order.
 */
export function mergeOrder(ends: readonly number[], compare: (a: number, b: number) => number): Int32Array {
  const total = ends.length ? ends[ends.length - 1] : 0;
  const out = new Int32Array(total);
  const next: number[] = [], end: number[] = [];
  ends.forEach((stop, p) => {
    const start = p ? ends[p - 1] : 0;
    if (stop < start) throw new Error(`part ${p} ends at ${stop}, before it starts at ${start}`);
    if (stop > start) (next.push(start), end.push(stop));
  });
  // A binary heap of parts (by their next row; the earlier part first on a tie), held as indices into next/end.
  const heap = next.map((_, k) => k);
  const less = (x: number, y: number) => {
    const c = compare(next[x], next[y]);
    return c < 0 || (c === 0 && x < y);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  for (let n = 0; n < total; n++) {
    const k = heap[0];
    out[n] = next[k]++;
    if (next[k] === end[k]) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) down(0);
  }
  return out;
}
