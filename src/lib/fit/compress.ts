/**
 * Compression of customer summaries for the likelihoods: customers with identical (frequency, recency, T), or
 * (frequency, monetary) for Gamma-Gamma, become one row with an integer weight, so a likelihood is evaluated
 * once per distinct row. With summaries on a daily grid a million customers shrink to some 10⁵ rows.
 */
import {customerName, invalidSummary, isColumns, summaryColumns, validSummary, type CustomerIds, type SummaryColumnsInput, type SummaryInput} from "./columns.js";

/** Compressed rows: distinct (x, t_x, T) with weights; index maps each customer to its row. */
export interface CompressedSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  index: Int32Array;
  customers: number;
  rows: number;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Groups identical (a, b, c) triples of doubles, numbering the groups in order of first appearance and counting
 * their members. Open addressing with linear probing over a power-of-two table that grows with the groups
 * (load at most one half), each group's key kept beside it: probing stays within a few hundred kilobytes
 * however many items are added, and nothing is allocated per item. -0 and 0 are the same key.
 */
class TripleGroups {
  a: Float64Array<ArrayBuffer>;
  b: Float64Array<ArrayBuffer>;
  c: Float64Array<ArrayBuffer>;
  count: Float64Array<ArrayBuffer>;
  size = 0;
  private table: Int32Array;
  private mask: number;

  /**
   * `expected`: the number of items to come, when known. The table starts at a quarter of it (at least 1024
   * groups), so data with few distinct rows does not pay for a table the size of the customers, and data with
   * as many groups as items grows twice instead of ten times.
   */
  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity < expected / 4) capacity *= 2;
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.count = new Float64Array(capacity);
    this.table = new Int32Array(2 * capacity).fill(-1);
    this.mask = 2 * capacity - 1;
  }

  /** Adds one item; returns its group's number. */
  add(a: number, b: number, c: number): number {
    a += 0;
    b += 0;
    c += 0;
    let slot = hashTriple(a, b, c) & this.mask;
    for (;;) {
      const group = this.table[slot];
      if (group === -1) break;
      if (this.a[group] === a && this.b[group] === b && this.c[group] === c) {
        this.count[group]++;
        return group;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.a.length) {
      this.grow();
      slot = this.free(hashTriple(a, b, c));
    }
    const group = this.size++;
    this.table[slot] = group;
    this.a[group] = a;
    this.b[group] = b;
    this.c[group] = c;
    this.count[group] = 1;
    return group;
  }

  private free(hash: number): number {
    let slot = hash & this.mask;
    while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const capacity = 2 * this.a.length;
    this.a = resized(this.a, capacity);
    this.b = resized(this.b, capacity);
    this.c = resized(this.c, capacity);
    this.count = resized(this.count, capacity);
    this.table = new Int32Array(2 * capacity).fill(-1);
    this.mask = 2 * capacity - 1;
    for (let g = 0; g < this.size; g++) this.table[this.free(hashTriple(this.a[g], this.b[g], this.c[g]))] = g;
  }
}

/** A copy of `a` in a larger array. */
function resized(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

const tripleBuffer = new Float64Array(3);
const tripleBits = new Int32Array(tripleBuffer.buffer);

/**
 * Hash of three doubles: their six 32-bit words folded in by multiply-xor steps (odd constants from xxHash and
 * MurmurHash3), then fmix. Cheap enough to run once per customer. TripleGroups.add has turned -0 into 0.
 */
function hashTriple(a: number, b: number, c: number): number {
  tripleBuffer[0] = a;
  tripleBuffer[1] = b;
  tripleBuffer[2] = c;
  let h = Math.imul(tripleBits[0] ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ tripleBits[1], 0x85ebca6b);
  h = Math.imul((h ^ (h >>> 15)) ^ tripleBits[2], 0xc2b2ae35);
  h = Math.imul(h ^ tripleBits[3], 0x27d4eb2f);
  h = Math.imul((h ^ (h >>> 15)) ^ tripleBits[4], 0x165667b1);
  h = Math.imul(h ^ tripleBits[5], 0x9e3779b1);
  return fmix(h);
}

/**
 * Validates and compresses summaries into distinct (frequency, recency, T) rows with integer weights, in one
 * pass over the customers that copies nothing (a million customers usually give some 10⁵ rows).
 */
export function compressSummaries(data: SummaryInput, {ids}: {ids?: CustomerIds} = {}): CompressedSummaries {
  const {frequency, recency, T} = isColumns(data) ? checkedColumns(data) : summaryColumns(data, {ids});
  const n = frequency.length;
  if (n === 0) throw new Error("no customers: the summaries are empty");
  const index = new Int32Array(n);
  const groups = new TripleGroups(n);
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const t = recency[i];
    const tt = T[i];
    if (!validSummary(x, t, tt)) invalidSummary(i, x, t, tt, ids);
    index[i] = groups.add(x, x === 0 ? 0 : t, tt); // recency is 0 by definition without repeat purchases
  }
  const rows = groups.size;
  return {x: groups.a.slice(0, rows), tx: groups.b.slice(0, rows), T: groups.c.slice(0, rows), weight: groups.count.slice(0, rows), index, customers: n, rows};
}

/** Customers from which fitRows judges whether compressing pays (below it, it always compresses). */
export const DISTINCT_CHECK_CUSTOMERS = 65_536;
/** Customers fitRows hashes to judge it: evenly spaced over the input, so sorted data are judged fairly. */
const DISTINCT_SAMPLE = 4096;

/**
 * The rows a fit evaluates its likelihood on: compressSummaries' distinct rows with their weights, or, when
 * nearly every customer is a distinct row (continuous recency and T), the validated columns themselves with unit
 * weights and an identity index, because hashing a million rows that do not group costs more than two
 * likelihood passes over them and saves none. Judged on DISTINCT_SAMPLE evenly spaced customers: the pairs
 * among them with the same row estimate Σ p² (p: the shares of the distinct rows), and 1 / Σ p² is a lower bound
 * on the number of distinct rows; the columns are used when it is at least 80% of the customers (compression
 * would save at most a fifth of the rows). A wrong guess costs time, never a different likelihood: the same
 * customers are summed either way.
 */
export function fitRows(data: SummaryInput, {ids}: {ids?: CustomerIds} = {}): CompressedSummaries {
  const columns = isColumns(data) ? checkedColumns(data) : null;
  const n = columns ? columns.frequency.length : (data as ArrayLike<unknown>)?.length;
  if (!columns || !(n >= DISTINCT_CHECK_CUSTOMERS) || !nearlyAllDistinct(columns, n)) return compressSummaries(data, {ids});
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = columns.frequency[i];
    const t = columns.recency[i];
    const tt = columns.T[i];
    if (!validSummary(xi, t, tt)) invalidSummary(i, xi, t, tt, ids);
    x[i] = xi + 0;
    tx[i] = xi === 0 ? 0 : t + 0; // recency is 0 by definition without repeat purchases; -0 is 0
    T[i] = tt + 0;
    index[i] = i;
  }
  return {x, tx, T, weight: new Float64Array(n).fill(1), index, customers: n, rows: n};
}

/** Whether the pairs of equal rows among DISTINCT_SAMPLE evenly spaced customers say that ≥ 80% of the rows are distinct (see fitRows). */
function nearlyAllDistinct(data: {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>}, n: number): boolean {
  const s = Math.min(n, DISTINCT_SAMPLE);
  const groups = new TripleGroups(s);
  let pairs = 0;
  for (let k = 0; k < s; k++) {
    const i = Math.floor(((k + 0.5) * n) / s);
    const x = data.frequency[i];
    const g = groups.add(x, x === 0 ? 0 : data.recency[i], data.T[i]);
    pairs += groups.count[g] - 1;
  }
  // E[pairs] = s(s-1)/2 · Σ p²; at least 0.8 n distinct rows when Σ p² <= 1 / (0.8 n).
  return pairs <= (s * (s - 1)) / 2 / (0.8 * n);
}

/** The columns of a column input, checked for presence and equal lengths (values are validated by the caller). */
function checkedColumns(data: SummaryColumnsInput): {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>} {
  const n = data.frequency.length;
  if (data.recency?.length !== n || data.T?.length !== n) throw new Error("summary columns frequency, recency and T must have the same length");
  return data;
}

/**
 * Compresses the customers selected by `mask` into distinct (frequency, monetary) rows with weights; index maps
 * each customer to its row (-1 when left out by the mask).
 */
export function compressSpend(data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>}, mask: ArrayLike<number>): {
  x: Float64Array;
  monetary: Float64Array;
  weight: Float64Array;
  index: Int32Array;
  customers: number;
  rows: number;
} {
  const groups = new TripleGroups(data.frequency.length);
  const index = new Int32Array(data.frequency.length).fill(-1);
  let customers = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (mask[i]) {
      index[i] = groups.add(data.frequency[i], data.monetary[i], 0);
      customers++;
    }
  }
  const rows = groups.size;
  return {x: groups.a.slice(0, rows), monetary: groups.b.slice(0, rows), weight: groups.count.slice(0, rows), index, customers, rows};
}
