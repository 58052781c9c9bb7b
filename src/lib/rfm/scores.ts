/**
 * RFM values and scores per customer, with Arquero.
 *
 * Two steps, so that a page can re-score (k, thresholds) without re-aggregating transactions:
 *   rfmValues(transactions, {analysisDate, frequency, monetary}) -> one row per customer
 *   scoreRfm(values, {k, thresholds})                             -> the same rows plus r/f/m scores
 * rfmScores() runs both. src/lib/rfm/sql.ts builds the same computation as DuckDB SQL.
 *
 * Tie rule (quantile scores). Among the n scored customers, a value's score is
 *   score = 1 + floor(k * (rank_min - 1) / n),
 * where rank_min - 1 is the number of customers with a strictly smaller value (strictly larger days for
 * recency, so that recent customers score high). Equal values get equal scores and no score depends on row
 * order. Consequences: the lowest value always scores 1; a block of ties takes the score of its first
 * position, so with few distinct values (or k above the number of distinct values, or n < k) some scores
 * are unused and the top score k may never occur; one customer, or all customers equal, all score 1.
 *
 * Money is summed exactly: each amount is rounded to 1e-6 (half away from zero, like DuckDB's round) and
 * summed as an integer number of micro-units, so totals do not depend on row order and agree with SQL.
 * Exact while a customer's revenue stays below about 9e9 currency units.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import type {Transaction} from "../types.js";
import {DAY_MS, dayNumber, isoDay} from "../time.js";
import {checkCuts, checkK} from "./rules.js";

export {checkCuts, checkK};

const {op} = aq;
/** A row or the params object inside an Arquero table expression (parsed by Arquero, not called). */
type Row = Record<string, any>;

/**
 * Cleaned transactions: an Arquero table or an array of Transaction rows. order_date may be a YYYY-MM-DD
 * string, a Date or epoch milliseconds (UTC days).
 */
export type TransactionInput = ColumnTable | readonly Transaction[];
export type FrequencyMode = "orders" | "days";
export type MonetaryMode = "total" | "mean";

export interface RfmValueOptions {
  /** YYYY-MM-DD; only orders before this day count. Default: the day after the last order in the data. */
  analysisDate?: string;
  /** "orders": distinct order_id if the column exists (a row without one is its own order), else rows;
   * "days": distinct purchase days. */
  frequency?: FrequencyMode;
  /** "total": revenue; "mean": revenue / frequency. */
  monetary?: MonetaryMode;
}

/** Cut points in value units (days, orders, money), strictly increasing, k - 1 of them per dimension. */
export interface Thresholds {
  recency?: readonly number[];
  frequency?: readonly number[];
  monetary?: readonly number[];
}

export interface ScoreOptions {
  /** Number of score bins, an integer from 2 to 10. */
  k?: number;
  /** Dimensions listed here are scored by cut points instead of quantiles (see thresholdScores). */
  thresholds?: Thresholds;
}

/** One row of rfmValues(); scoreRfm() adds r_score, f_score, m_score and fm_score (mean of f and m). */
export interface RfmValues {
  customer_id: string;
  first_purchase: string;
  last_purchase: string;
  /** Days from the last purchase to the analysis date (at least 1). */
  recency: number;
  frequency: number;
  monetary: number;
  revenue: number;
}
export interface RfmScores extends RfmValues {
  r_score: number;
  f_score: number;
  m_score: number;
  fm_score: number;
}

/**
 * A column's values in row order without a copy when the table is neither filtered nor ordered and the
 * column is an array or typed array (Arquero's array() copies value by value: a tenth of a second per
 * million rows); otherwise array().
 */
export function columnValues<T = unknown>(table: ColumnTable, name: string): ArrayLike<T> {
  const column = table.column(name) as unknown;
  if (column === undefined) throw new Error(`the table has no column ${JSON.stringify(name)}`);
  if (!table.isFiltered() && !table.isOrdered() && (Array.isArray(column) || (ArrayBuffer.isView(column) && !(column instanceof DataView)))) return column as ArrayLike<T>;
  return table.array(name) as ArrayLike<T>;
}

/** An amount in integer micro-units, rounded half away from zero (as DuckDB's round(amount * 1e6)). */
export function toMicros(amount: number): number {
  return (amount < 0 ? -Math.round(-amount * 1e6) : Math.round(amount * 1e6)) + 0;
}

function asTable(data: TransactionInput): ColumnTable {
  if (Array.isArray(data)) {
    // Only the columns used here; order_id counts if any row has one.
    const names = ["customer_id", "order_date", "amount"];
    if ((data as Transaction[]).some((row) => row.order_id !== undefined)) names.push("order_id");
    return aq.from(data as Transaction[], names);
  }
  if (data && typeof (data as ColumnTable).numRows === "function") return data as ColumnTable;
  throw new Error(`transactions must be an Arquero table or an array of rows, got ${typeof data}`);
}

function dayColumn(dates: ArrayLike<unknown>): Int32Array {
  const days = new Int32Array(dates.length);
  const cache = new Map<string, number>();
  for (let i = 0; i < dates.length; ++i) {
    const v = dates[i];
    if (typeof v === "string") {
      let day = cache.get(v);
      if (day === undefined) cache.set(v, (day = dayNumber(v, `order_date in row ${i}`)));
      days[i] = day;
    } else if (v instanceof Date && !Number.isNaN(v.getTime())) {
      days[i] = Math.floor(v.getTime() / DAY_MS);
    } else if (typeof v === "number" && Number.isFinite(v)) {
      days[i] = Math.floor(v / DAY_MS); // epoch milliseconds, as Arrow DATE columns may arrive
    } else {
      throw new Error(`order_date in row ${i} must be a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
    }
  }
  return days;
}

function microsColumn(amounts: ArrayLike<unknown>): Float64Array {
  const micros = new Float64Array(amounts.length);
  for (let i = 0; i < amounts.length; ++i) {
    const v = amounts[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`amount in row ${i} must be a finite number, got ${JSON.stringify(v)}`);
    }
    micros[i] = toMicros(v);
  }
  return micros;
}

function checkMode<T extends string>(name: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new Error(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)}`);
  }
}

/** The default analysis date: the day after the last order in the data. */
export function defaultAnalysisDate(data: TransactionInput): string {
  const days = dayColumn(asTable(data).array("order_date") as ArrayLike<unknown>);
  if (days.length === 0) throw new Error("no transactions: cannot choose a default analysis date");
  let max = -Infinity;
  for (const d of days) if (d > max) max = d;
  return isoDay(max + 1);
}

/**
 * Per customer: first_purchase, last_purchase, recency (days), frequency, monetary, revenue, sorted by
 * customer_id. Orders on or after analysisDate are ignored, so customers who had not bought yet are absent.
 */
export function rfmValues(
  data: TransactionInput,
  {analysisDate, frequency = "orders", monetary = "total"}: RfmValueOptions = {}
): ColumnTable {
  checkMode("frequency", frequency, ["orders", "days"] as const);
  checkMode("monetary", monetary, ["total", "mean"] as const);
  const tx = asTable(data);
  const names = tx.columnNames();
  for (const c of ["customer_id", "order_date", "amount"]) {
    if (!names.includes(c)) throw new Error(`transactions lack the column ${JSON.stringify(c)}`);
  }
  const ids = tx.array("customer_id") as ArrayLike<unknown>;
  for (let i = 0; i < ids.length; ++i) {
    if (ids[i] == null || ids[i] === "") throw new Error(`customer_id in row ${i} is missing, got ${JSON.stringify(ids[i])}`);
  }
  const day = dayColumn(tx.array("order_date") as ArrayLike<unknown>);
  const columns: Record<string, ArrayLike<unknown>> = {
    customer_id: ids,
    day,
    micros: microsColumn(tx.array("amount") as ArrayLike<unknown>)
  };
  const byOrder = frequency === "orders" && names.includes("order_id");
  if (byOrder) {
    const orders = tx.array("order_id") as ArrayLike<unknown>;
    columns.order_key = Array.from(orders, (o, i) => (o == null ? `\u0000row ${i}` : String(o)));
  }
  let cut: number;
  if (analysisDate === undefined) {
    cut = day.length ? day.reduce((a, b) => (b > a ? b : a), -Infinity) + 1 : 0;
  } else {
    cut = dayNumber(analysisDate, "analysisDate");
  }
  const rolled = aq
    .table(columns)
    .params({cut})
    .filter((d: Row, $: Row) => d.day < $.cut)
    .groupby("customer_id")
    .rollup({
      first_day: (d: Row) => op.min(d.day),
      last_day: (d: Row) => op.max(d.day),
      frequency: frequency === "days" ? (d: Row) => op.distinct(d.day) : byOrder ? (d: Row) => op.distinct(d.order_key) : () => op.count(),
      micros: (d: Row) => op.sum(d.micros)
    })
    .params({cut})
    .derive({
      recency: (d: Row, $: Row) => $.cut - d.last_day,
      // (micros / frequency) / 1e6, in this order, is what the SQL computes too.
      monetary: monetary === "mean" ? (d: Row) => d.micros / d.frequency / 1000000 : (d: Row) => d.micros / 1000000,
      revenue: (d: Row) => d.micros / 1000000
    });
  const dates = new Map<number, string>();
  const iso = (d: number) => dates.get(d) ?? (dates.set(d, isoDay(d)), dates.get(d)!);
  return rolled
    .assign({
      first_purchase: Array.from(rolled.array("first_day") as ArrayLike<number>, iso),
      last_purchase: Array.from(rolled.array("last_day") as ArrayLike<number>, iso)
    })
    .select("customer_id", "first_purchase", "last_purchase", "recency", "frequency", "monetary", "revenue")
    .orderby("customer_id")
    .reify();
}

/**
 * Rearranges a[lo, hi) so that a[rank] holds the value of that rank in ascending order, everything before it
 * is <= and everything after it >= (Hoare partition around a median of three; no NaN in a). Average O(n).
 */
function select(a: Float64Array, lo: number, hi: number, rank: number): void {
  let left = lo, right = hi - 1;
  while (right > left) {
    if (right - left < 16) {
      for (let i = left + 1; i <= right; ++i) {
        const v = a[i];
        let j = i - 1;
        while (j >= left && a[j] > v) a[j + 1] = a[j--];
        a[j + 1] = v;
      }
      return;
    }
    const mid = (left + right) >>> 1;
    const x = a[left], y = a[mid], z = a[right];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left, j = right;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (rank <= j) right = j;
    else if (rank >= i) left = i;
    else return;
  }
}

/**
 * The values of the given 0-based ranks in ascending order (ranks non-decreasing), NaN values counted and
 * placed last as a typed-array sort places them (a rank that falls on them gives NaN). By selection on a copy
 * (no sort), so a few ranks of a million values take a few tens of milliseconds.
 */
/**
 * The ranks of a[0, m) from a histogram when every value is an integer (no −0) within a range not much wider
 * than m (days, counts): O(m + range) with no rearranging. False (out untouched) otherwise.
 */
function countRanks(a: Float64Array, m: number, ranks: readonly number[], out: Float64Array): boolean {
  const counted = countValues(a, m);
  if (!counted) return false;
  for (let j = 1; j < ranks.length; ++j) if (ranks[j] < ranks[j - 1]) return false; // the general path says why
  const {lo, counts} = counted;
  let bin = 0, below = counts[0]; // values in bins 0..bin
  ranks.forEach((rank, j) => {
    if (!(rank >= 0 && rank < m)) {
      out[j] = NaN;
      return;
    }
    while (below <= rank) below += counts[++bin];
    out[j] = lo + bin;
  });
  return true;
}

/**
 * A histogram of a[0, m) when every value is an integer (no −0) within a range not much wider than m (days,
 * counts): counts[v - lo] values equal v. Null otherwise.
 */
function countValues(a: Float64Array, m: number): {lo: number; counts: Int32Array} | null {
  if (m === 0) return null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; ++i) {
    const v = a[i];
    if (!Number.isInteger(v) || (v === 0 && 1 / v < 0)) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo + 1;
  if (range > 4 * m + 1024 || range > 1 << 24) return null;
  const counts = new Int32Array(range);
  for (let i = 0; i < m; ++i) counts[a[i] - lo]++;
  return {lo, counts};
}

/** The values that are not NaN, negated when descending, in a[0, m) (a holds n slots). */
function numbersOf(values: ArrayLike<number>, descending: boolean): {a: Float64Array; m: number} {
  const sign = descending ? -1 : 1;
  const a = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; ++i) {
    const v = sign * values[i];
    if (v === v) a[m++] = v;
  }
  return {a, m};
}

export function orderStatistics(values: ArrayLike<number>, ranks: readonly number[], {descending = false} = {}): Float64Array {
  const {a, m} = numbersOf(values, descending);
  const out = new Float64Array(ranks.length);
  if (countRanks(a, m, ranks, out)) return out;
  let from = 0;
  ranks.forEach((rank, j) => {
    if (j > 0 && rank < ranks[j - 1]) throw new Error(`ranks must not decrease, got ${rank} after ${ranks[j - 1]}`);
    if (!(rank >= 0 && rank < m)) {
      out[j] = NaN;
      return;
    }
    select(a, from, m, rank);
    out[j] = a[rank];
    from = rank; // a[rank..] holds the m - rank largest values, so later ranks are found there
  });
  return out;
}

/**
 * The k - 1 cut values of the tie rule: a value v scores 1 + (the number of cuts c with v > c), because
 * score >= s exactly when at least q = ceil((s - 1) n / k) values are strictly smaller than v, that is when
 * v is above the q-th smallest value. NaN values count in n and sort last (as in a typed-array sort): a cut
 * that falls on them is NaN, above which nothing scores. Descending: cuts of the negated values.
 */
export function quantileCuts(values: ArrayLike<number>, {k = 5, descending = false} = {}): Float64Array {
  checkK(k);
  return orderStatistics(values, quantileRanks(values.length, k), {descending});
}

/** The 0-based ranks of the k - 1 cuts among n values (quantileCuts). */
function quantileRanks(n: number, k: number): number[] {
  return Array.from({length: k - 1}, (_, j) => Math.ceil(((j + 1) * n) / k) - 1);
}

/**
 * orderStatistics of a column of an Arquero table, remembered with the column: the first request selects, as
 * orderStatistics does (no sort); a second on the same column sorts a copy once, and every later request
 * (another number of bins, the median of the headline) reads its ranks off that copy. A page that re-scores
 * the same customers for k = 4, 6, 7… pays one sort instead of a selection per k. Arquero tables are not
 * changed in place (every verb makes a new table, sharing the columns it keeps), so the column's array
 * stands for its values; do not use it on arrays that a caller may still write to.
 */
export function columnOrderStatistics(values: ArrayLike<number>, ranks: readonly number[], {descending = false} = {}): Float64Array {
  let entry = sortedColumns.get(values as object);
  if (!entry) sortedColumns.set(values as object, (entry = {asked: new Set(), sorted: new Map()}));
  let sorted = entry.sorted.get(descending);
  if (!sorted) {
    if (!entry.asked.has(descending)) {
      entry.asked.add(descending);
      return orderStatistics(values, ranks, {descending});
    }
    entry.sorted.set(descending, (sorted = sortedValues(values, descending)));
  }
  const out = new Float64Array(ranks.length);
  ranks.forEach((rank, j) => {
    if (j > 0 && rank < ranks[j - 1]) throw new Error(`ranks must not decrease, got ${rank} after ${ranks[j - 1]}`);
    out[j] = rank >= 0 && rank < sorted.length ? sorted[rank] : NaN;
  });
  return out;
}
const sortedColumns = new WeakMap<object, {asked: Set<boolean>; sorted: Map<boolean, Float64Array>}>();

/** The values that are not NaN (negated when descending), sorted ascending: orderStatistics' ranks by index. */
function sortedValues(values: ArrayLike<number>, descending: boolean): Float64Array {
  const {a, m} = numbersOf(values, descending);
  // Integers in a narrow range (days, counts) by their histogram, in O(m + range); others by a sort.
  const counted = countValues(a, m);
  if (!counted) return a.subarray(0, m).sort();
  const {lo, counts} = counted;
  for (let bin = 0, i = 0; bin < counts.length; ++bin) a.fill(lo + bin, i, (i += counts[bin]));
  return a.subarray(0, m);
}

/**
 * Quantile scores of plain values (the tie rule above); descending = true scores the largest values 1
 * (recency days). The cut values come from quantileCuts, then each value is compared with at most k - 1 cuts.
 */
export function quantileScores(values: ArrayLike<number>, {k = 5, descending = false} = {}): Int32Array {
  return scoresByCuts(values, quantileCuts(values, {k, descending}), descending);
}

/** Each value's quantile score from the cuts of quantileCuts: 1 + the number of cuts it is above. */
function scoresByCuts(values: ArrayLike<number>, cuts: Float64Array, descending: boolean): Int32Array {
  const n = values.length;
  const scores = new Int32Array(n);
  if (descending) {
    for (let i = 0; i < n; ++i) {
      const v = -values[i];
      let s = 1;
      for (let j = 0; j < cuts.length && v > cuts[j]; ++j) ++s;
      scores[i] = s;
    }
  } else {
    for (let i = 0; i < n; ++i) {
      const v = values[i];
      let s = 1;
      for (let j = 0; j < cuts.length && v > cuts[j]; ++j) ++s;
      scores[i] = s;
    }
  }
  return scores;
}

/** The reference implementation of quantileScores (a full sort and a binary search per value), for tests. */
export function quantileScoresBySort(values: ArrayLike<number>, {k = 5, descending = false} = {}): Int32Array {
  checkK(k);
  const n = values.length;
  const sign = descending ? -1 : 1;
  const sorted = Float64Array.from(values, (v) => sign * v).sort();
  const scores = new Int32Array(n);
  for (let i = 0; i < n; ++i) {
    const v = sign * values[i];
    let lo = 0, hi = n; // first index with sorted[index] >= v = count of strictly smaller values
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    scores[i] = 1 + Math.floor((k * lo) / n);
  }
  return scores;
}

/**
 * Scores by user-set cut points c[0] < … < c[k-2]. Ascending (frequency, monetary): score = 1 + the number
 * of cut points <= value, so value < c[0] scores 1 and value >= c[k-2] scores k. Descending (recency days):
 * score = k - that number, so days < c[0] score k and days >= c[k-2] score 1.
 */
export function thresholdScores(values: ArrayLike<number>, cuts: readonly number[], {descending = false} = {}): Int32Array {
  const k = cuts.length + 1;
  checkK(k);
  checkCuts(cuts, k);
  return Int32Array.from(values, (v) => {
    let below = 0;
    while (below < cuts.length && cuts[below] <= v) ++below;
    return descending ? k - below : 1 + below;
  });
}

const DIMENSIONS = [
  ["recency", "r_score", true],
  ["frequency", "f_score", false],
  ["monetary", "m_score", false]
] as const;

/** Whether the rows are already in customer_id order (as rfmValues() and the pages' SQL give them). */
function sortedById(t: ColumnTable): boolean {
  const ids = columnValues<string>(t, "customer_id");
  for (let i = 1; i < ids.length; ++i) if (ids[i - 1] > ids[i]) return false;
  return true;
}

/** Adds r_score, f_score, m_score (1..k) and fm_score (their F/M mean) to rfmValues() rows, sorted by customer_id. */
export function scoreRfm(values: ColumnTable, {k = 5, thresholds = {}}: ScoreOptions = {}): ColumnTable {
  checkK(k);
  for (const key of Object.keys(thresholds)) {
    if (!DIMENSIONS.some(([dim]) => dim === key)) throw new Error(`thresholds has an unknown dimension ${JSON.stringify(key)}`);
  }
  // Scores are computed column by column on typed arrays (k - 1 order statistics per dimension by selection,
  // quantileScores: the same tie rule as rank() in SQL), which keeps a re-scoring of a million customers
  // within a fraction of a second.
  let t = values.unorder().reify();
  const scores: Record<string, Int32Array> = {};
  for (const [dim, out, descending] of DIMENSIONS) {
    const cuts = thresholds[dim];
    const column = columnValues<number>(t, dim);
    if (cuts !== undefined) {
      checkCuts(cuts, k, `thresholds.${dim}`);
      scores[out] = thresholdScores(column, cuts, {descending});
    } else {
      // The cuts of quantileCuts, remembered with the column (another k on the same values sorts no more).
      scores[out] = scoresByCuts(column, columnOrderStatistics(column, quantileRanks(column.length, k), {descending}), descending);
    }
  }
  const fm = new Float64Array(t.numRows());
  for (let i = 0; i < fm.length; ++i) fm[i] = (scores.f_score[i] + scores.m_score[i]) / 2;
  t = t.assign({...scores, fm_score: fm});
  return sortedById(t) ? t : t.orderby("customer_id").reify();
}

/** rfmValues() then scoreRfm(). */
export function rfmScores(data: TransactionInput, options: RfmValueOptions & ScoreOptions = {}): ColumnTable {
  const {k, thresholds, ...valueOptions} = options;
  return scoreRfm(rfmValues(data, valueOptions), {k, thresholds});
}
