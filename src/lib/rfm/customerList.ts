/**
 * The RFM page's customer list over columns, with no row objects: the rows are numbers (indices into the
 * columns), a search keeps the rows whose text matches, and a sort orders only as many rows as are shown
 * (a bounded heap: O(n log m) for the first m rows of n), so a million customers cost one pass per change.
 *
 * Values: typed arrays or arrays of numbers or strings; null, undefined and NaN sort last in either direction;
 * ties keep the row order (the order of the columns), so the list is the same whatever the direction's ties.
 */

export type ColumnLike = ArrayLike<number | string | null | undefined>;

/** The rows 0..n−1, or those where `keep` is true. */
export function rowsWhere(n: number, keep?: (row: number) => boolean): Int32Array {
  if (!keep) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const out = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[m++] = i;
  return out.slice(0, m);
}

const missing = (v: unknown) => v === null || v === undefined || v !== v;

/** A comparison of two rows by one column, missing values last, ties by row. */
export function rowComparator(column: ColumnLike, {descending = false}: {descending?: boolean} = {}): (a: number, b: number) => number {
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const va = column[a], vb = column[b];
    const ma = missing(va), mb = missing(vb);
    if (ma || mb) return ma && mb ? a - b : ma ? 1 : -1;
    return va! < vb! ? -sign : va! > vb! ? sign : a - b;
  };
}

/**
 * The first `limit` of `rows` in the order of `column` (ascending, or descending), as row numbers. A full sort
 * only when most rows are asked for; otherwise a heap of `limit` rows in one pass.
 */
export function orderRows(column: ColumnLike, rows: Int32Array, {descending = false, limit = rows.length}: {descending?: boolean; limit?: number} = {}): Int32Array {
  const compare = rowComparator(column, {descending});
  const m = Math.max(0, Math.min(limit, rows.length));
  if (m * 4 >= rows.length) return rows.slice().sort(compare).slice(0, m);
  // A max-heap (by `compare`) of the best m rows so far: its top is the worst of them.
  const heap = new Int32Array(m);
  let size = 0;
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let worst = i;
      if (l < size && compare(heap[l], heap[worst]) > 0) worst = l;
      if (r < size && compare(heap[r], heap[worst]) > 0) worst = r;
      if (worst === i) return;
      const t = heap[i];
      heap[i] = heap[worst];
      heap[worst] = t;
      i = worst;
    }
  };
  for (let k = 0; k < rows.length && m > 0; k++) {
    const row = rows[k];
    if (size < m) {
      let i = size++;
      heap[i] = row;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i], heap[parent]) <= 0) break;
        const t = heap[i];
        heap[i] = heap[parent];
        heap[parent] = t;
        i = parent;
      }
    } else if (compare(row, heap[0]) < 0) {
      heap[0] = row;
      down(0);
    }
  }
  return heap.sort(compare);
}

/**
 * The rows whose text matches a search as Observable Inputs' search does: every word of the query (split on
 * white space, case ignored) must begin a word of one of the columns' values (at its start, or after a
 * character that is not a letter or a hyphen). Numbers are matched as written by String().
 */
export function searchRows(columns: readonly ColumnLike[], query: string, rows: Int32Array): Int32Array {
  const terms = query.split(/\s+/).filter((t) => t !== "");
  if (!terms.length) return rows;
  const tests = terms.map((term) => new RegExp(`(?:^|[^\\p{L}-])${term.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}`, "iu"));
  // Columns with few distinct values (segments, dates) are tested once per value.
  const memo = columns.map(() => tests.map(() => new Map<unknown, boolean>()));
  const out = new Int32Array(rows.length);
  let m = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    let all = true;
    for (let t = 0; t < tests.length && all; t++) {
      let any = false;
      for (let c = 0; c < columns.length && !any; c++) {
        const value = columns[c][row];
        if (value === null || value === undefined) continue;
        const seen = memo[c][t];
        let hit = seen.get(value);
        if (hit === undefined) {
          hit = tests[t].test(String(value));
          if (seen.size < 4096) seen.set(value, hit);
        }
        any = hit;
      }
      all = any;
    }
    if (all) out[m++] = row;
  }
  return out.slice(0, m);
}
