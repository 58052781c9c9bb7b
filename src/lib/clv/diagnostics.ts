/**
 * Data for the model diagnostics of the lifetimes library (CamDavidsonPilon/lifetimes, plotting.py) and the
 * summaries of the CLV pages, as pure functions of fitted parameters and per-customer values:
 *
 * - `frequencyRecencyGrid`: expected purchases in the next period and P(alive) over a frequency × recency grid
 *   for a customer observed for T (lifetimes' plot_frequency_recency_matrix / plot_probability_alive_matrix);
 * - `repeatDistribution`: observed vs expected number of customers by repeat purchases in calibration, the
 *   expectation Σ_i P(X(T_i) = n) over the customers' own T (plot_period_transactions);
 * - `cumulativeTransactions`: cumulative repeat purchases over calendar days, actual vs Σ_i E[X(age_i)]
 *   (expected_cumulative_transactions);
 * - `holdoutByFrequency`: mean actual vs conditional expected holdout purchases by calibration frequency
 *   (plot_calibration_purchases_vs_holdout_purchases);
 * - `topShare`, `valueByGroup`: the share of value held by the top customers and value by a group key;
 * - `rankScores`, `scoreAgainst`, `scoreCuts` / `scoreWithCuts`: RFM-style quantile scores (the tie rule of
 *   rfm.ts) of every value of a population, or of one value against it (the what-if page); every value's
 *   score comes from the population's k − 1 cuts (order statistics), not a search per value.
 *
 * Time is in the models' unit (weeks in the pages); calendar days are YYYY-MM-DD strings.
 */
import {transactionModel, type TransactionModel} from "../models/index.js";
import {dayNumber, isoDay} from "../time.js";
import {MISSING} from "./groups.js";

export type {TransactionModel};

/** The four predictions of a transaction model, bound to its parameters. */
export interface ModelFunctions {
  probabilityAlive(x: number, tx: number, T: number): number;
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number;
  expectedPurchases(t: number): number;
  probabilityOfPurchases(t: number, n: number): number;
}

/** The model's predictions as functions of the customer's history (throws on an unknown model). */
export function modelFunctions(transaction: TransactionModel): ModelFunctions {
  const model = transactionModel(transaction?.model);
  const p = transaction.params;
  return {
    probabilityAlive: (x, tx, T) => model.probabilityAlive(p, x, tx, T),
    conditionalExpectedPurchases: (t, x, tx, T) => model.conditionalExpectedPurchases(p, t, x, tx, T),
    expectedPurchases: (t) => model.expectedPurchases(p, t),
    probabilityOfPurchases: (t, n) => model.probabilityOfPurchases(p, t, n)
  };
}

export interface GridCell {
  frequency: number;
  /** Recency (time from first to last purchase) at the middle of its band. */
  recency: number;
  expectedPurchases: number;
  probabilityAlive: number;
}

export interface GridOptions {
  /** Largest frequency shown (rows 0..maxFrequency). */
  maxFrequency: number;
  /** Observation length of the hypothetical customer; recency runs from 0 to T. */
  T: number;
  /** Number of recency bands (default 20). */
  recencyBins?: number;
  /** Length of the "next period" of the expected purchases (default 1 unit). */
  horizon?: number;
}

/**
 * Expected purchases in (T, T + horizon] and P(alive) of a customer observed for T with each frequency
 * 0..maxFrequency and recency at the middle of each of `recencyBins` equal bands of [0, T]. A customer without
 * repeat purchases has recency 0 by definition, so frequency 0 has the same values in every band.
 */
export function frequencyRecencyGrid(transaction: TransactionModel, {maxFrequency, T, recencyBins = 20, horizon = 1}: GridOptions): GridCell[] {
  if (!(Number.isInteger(maxFrequency) && maxFrequency >= 0)) throw new Error(`frequencyRecencyGrid: maxFrequency must be a non-negative integer, got ${maxFrequency}`);
  if (!(Number.isFinite(T) && T > 0)) throw new Error(`frequencyRecencyGrid: T must be a positive number, got ${T}`);
  if (!(Number.isInteger(recencyBins) && recencyBins > 0)) throw new Error(`frequencyRecencyGrid: recencyBins must be a positive integer, got ${recencyBins}`);
  if (!(Number.isFinite(horizon) && horizon > 0)) throw new Error(`frequencyRecencyGrid: horizon must be a positive number, got ${horizon}`);
  const f = modelFunctions(transaction);
  const cells: GridCell[] = [];
  for (let x = 0; x <= maxFrequency; x++) {
    for (let b = 0; b < recencyBins; b++) {
      const recency = ((b + 0.5) * T) / recencyBins;
      const tx = x === 0 ? 0 : recency;
      cells.push({
        frequency: x,
        recency,
        expectedPurchases: f.conditionalExpectedPurchases(horizon, x, tx, T),
        probabilityAlive: f.probabilityAlive(x, tx, T)
      });
    }
  }
  return cells;
}

export interface CountBucket {
  /** "0", "1", … and the last bucket "7+". */
  label: string;
  /** Lowest count of the bucket. */
  count: number;
  observed: number;
  expected: number;
}

/** The bucket labels 0..max−1 and "max+". */
function bucketLabel(n: number, max: number): string {
  return n >= max ? `${max}+` : String(n);
}

/**
 * Customers by number of repeat purchases in calibration, observed and expected: expected(n) = Σ_i P(X(T_i) = n)
 * for n < max and the rest of each customer's probability in the last bucket "max+". Evaluated once per
 * distinct T.
 */
export function repeatDistribution(
  transaction: TransactionModel,
  {frequency, T}: {frequency: ArrayLike<number>; T: ArrayLike<number>},
  {max = 7}: {max?: number} = {}
): CountBucket[] {
  if (!(Number.isInteger(max) && max >= 1)) throw new Error(`repeatDistribution: max must be a positive integer, got ${max}`);
  if (frequency.length !== T.length) throw new Error(`repeatDistribution: frequency has ${frequency.length} values, T ${T.length}`);
  const f = modelFunctions(transaction);
  const buckets: CountBucket[] = Array.from({length: max + 1}, (_, n) => ({label: bucketLabel(n, max), count: n, observed: 0, expected: 0}));
  const byT = new Map<number, number>();
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (!(Number.isInteger(x) && x >= 0)) throw new Error(`repeatDistribution: frequency[${i}] is ${x}, not a non-negative integer`);
    buckets[Math.min(x, max)].observed++;
    byT.set(T[i], (byT.get(T[i]) ?? 0) + 1);
  }
  for (const [t, customers] of byT) {
    let rest = 1;
    for (let n = 0; n < max; n++) {
      const p = f.probabilityOfPurchases(t, n);
      buckets[n].expected += customers * p;
      rest -= p;
    }
    buckets[max].expected += customers * Math.max(0, rest);
  }
  return buckets;
}

export interface CumulativePoint {
  date: string;
  /** Cumulative actual repeat purchases up to and including the day. */
  actual: number;
  /** Cumulative expected repeat purchases by the end of the day. */
  expected: number;
}

export interface CumulativeOptions {
  /** First and last day of the curve (inclusive). */
  first: string;
  last: string;
  /** Days in one model time unit (7 for weeks). */
  unitDays?: number;
}

/**
 * Cumulative repeat purchases by calendar day, actual vs expected, for the customers whose first purchases are
 * `births` (day and number of customers born that day). A customer born on day b has by the end of day d an
 * expected E[X((d − b) / unitDays)] repeat purchases (the model's unconditional expectation for a new
 * customer); the expected curve is the sum over customers. `repeats` are the actual repeat purchases by day
 * (a customer's purchase days after their first). Cost: one model evaluation per age in days, then a
 * convolution of births with those values.
 */
export function cumulativeTransactions(
  transaction: TransactionModel,
  {births, repeats}: {births: readonly {day: string; customers: number}[]; repeats: readonly {day: string; purchases: number}[]},
  {first, last, unitDays = 7}: CumulativeOptions
): CumulativePoint[] {
  const start = dayNumber(first, "cumulativeTransactions: first");
  const end = dayNumber(last, "cumulativeTransactions: last");
  if (end < start) throw new Error(`cumulativeTransactions: last ${last} is before first ${first}`);
  if (!(unitDays > 0)) throw new Error(`cumulativeTransactions: unitDays must be positive, got ${unitDays}`);
  const f = modelFunctions(transaction);
  const length = end - start + 1;
  const born = new Float64Array(length);
  for (const {day, customers} of births) {
    const d = dayNumber(day, "cumulativeTransactions: birth day") - start;
    if (d < 0) throw new Error(`cumulativeTransactions: a birth on ${day} is before first ${first}`);
    if (d < length) born[d] += customers;
  }
  const actualByDay = new Float64Array(length);
  for (const {day, purchases} of repeats) {
    const d = dayNumber(day, "cumulativeTransactions: purchase day") - start;
    if (d >= 0 && d < length) actualByDay[d] += purchases;
  }
  const expectedAtAge = Float64Array.from({length}, (_, age) => f.expectedPurchases((age + 1) / unitDays));
  const points: CumulativePoint[] = [];
  let actual = 0;
  for (let d = 0; d < length; d++) {
    actual += actualByDay[d];
    let expected = 0;
    for (let b = 0; b <= d; b++) if (born[b]) expected += born[b] * expectedAtAge[d - b];
    points.push({date: isoDay(start + d), actual, expected});
  }
  return points;
}

export interface HoldoutBucket {
  label: string;
  frequency: number;
  customers: number;
  /** Mean actual purchases in the holdout. */
  actual: number;
  /** Mean conditional expected purchases in the holdout. */
  expected: number;
}

/** Mean actual and expected holdout purchases by calibration frequency 0..max−1 and "max+" (empty buckets dropped). */
export function holdoutByFrequency(
  {frequency, actual, expected}: {frequency: ArrayLike<number>; actual: ArrayLike<number>; expected: ArrayLike<number>},
  {max = 7}: {max?: number} = {}
): HoldoutBucket[] {
  if (frequency.length !== actual.length || frequency.length !== expected.length) {
    throw new Error(`holdoutByFrequency: frequency, actual and expected must have the same length (${frequency.length}, ${actual.length}, ${expected.length})`);
  }
  const buckets = Array.from({length: max + 1}, (_, n) => ({label: bucketLabel(n, max), frequency: n, customers: 0, actual: 0, expected: 0}));
  for (let i = 0; i < frequency.length; i++) {
    const b = buckets[Math.min(frequency[i], max)];
    b.customers++;
    b.actual += actual[i];
    b.expected += expected[i];
  }
  return buckets
    .filter((b) => b.customers > 0)
    .map((b) => ({...b, actual: b.actual / b.customers, expected: b.expected / b.customers}));
}

/** The share of the total held by the top `share` of values (count max(1, round(share·n))); 0 for no total. */
export function topShare(values: ArrayLike<number>, {share = 0.1}: {share?: number} = {}): number {
  if (!(share > 0 && share <= 1)) throw new Error(`topShare: share must be in (0, 1], got ${share}`);
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const count = Math.max(1, Math.round(share * n));
  let top = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    if (i >= n - count) top += sorted[i];
  }
  return total === 0 ? 0 : top / total;
}

export interface GroupValue {
  group: string;
  customers: number;
  total: number;
  mean: number;
  /** The group's share of the overall total. */
  share: number;
}

/** Label of a missing group key. */
export {MISSING};

/**
 * Customers, total, mean and share of the total of `values` by `keys` (aligned by index); missing keys group
 * as "(missing)". Sorted by `order` when given (groups not in it last), otherwise by total, largest first.
 */
export function valueByGroup(
  values: ArrayLike<number>,
  keys: ArrayLike<string | null | undefined>,
  {order}: {order?: readonly string[]} = {}
): GroupValue[] {
  if (values.length !== keys.length) throw new Error(`valueByGroup: ${values.length} values for ${keys.length} keys`);
  const groups = new Map<string, {customers: number; total: number}>();
  let overall = 0;
  for (let i = 0; i < values.length; i++) {
    const key = keys[i] == null || keys[i] === "" ? MISSING : String(keys[i]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = {customers: 0, total: 0}));
    g.customers++;
    g.total += values[i];
    overall += values[i];
  }
  const rows = [...groups].map(([group, {customers, total}]) => ({group, customers, total, mean: total / customers, share: overall ? total / overall : 0}));
  if (order) {
    const rank = (g: string) => (order.includes(g) ? order.indexOf(g) : order.length);
    return rows.sort((a, b) => rank(a.group) - rank(b.group) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  }
  return rows.sort((a, b) => b.total - a.total || (a.group < b.group ? -1 : 1));
}

/**
 * Quantile score 1..k of every value (rfm.ts's tie rule: 1 + floor(k · smaller / n), where `smaller` counts
 * the values strictly below; with `descending`, strictly above, so that the smallest value scores k).
 */
export function rankScores(values: ArrayLike<number>, {k = 5, descending = false}: {k?: number; descending?: boolean} = {}): Int32Array {
  const scores = new Int32Array(values.length);
  if (!values.length) return scores;
  checkBins(k);
  // Against the k − 1 cuts of the values (scoreCuts below): the same score as a search of the sorted values.
  const cuts = scoreCuts(values);
  const row = (descending ? cuts.above : cuts.below)[k - 2];
  for (let i = 0; i < values.length; i++) scores[i] = scoreInRow(row, values[i], descending);
  return scores;
}

/** The score `value` would get among `population` (same rule as rankScores, the value not counted itself). */
export function scoreAgainst(population: ArrayLike<number>, value: number, {k = 5, descending = false}: {k?: number; descending?: boolean} = {}): number {
  if (population.length === 0) return 1;
  return scoreIn(Float64Array.from(population).sort(), value, k, descending);
}

function scoreIn(sorted: Float64Array, v: number, k: number, descending: boolean): number {
  checkBins(k);
  const n = sorted.length;
  const below = lowerBound(sorted, v);
  const above = n - upperBound(sorted, v);
  const smaller = descending ? above : below;
  return Math.min(k, 1 + Math.floor((k * smaller) / n));
}

/**
 * What scoring a value against a population needs, for every number of bins k from 2 to 10, instead of the
 * population itself: with n values sorted, the quantile rule (scoreAgainst, rankScores) gives
 * score = min(k, 1 + ⌊k·s/n⌋), s the count of values below v (above, descending). ⌊k·s/n⌋ ≥ j exactly when
 * s ≥ m = ⌈j·n/k⌉, and s ≥ m exactly when sorted[m − 1] < v (descending: not sorted[n − m] ≤ v). So the
 * k − 1 order statistics per k and direction give the same score as the whole population: 90 numbers.
 */
export interface ScoreCuts {
  n: number;
  /** below[k − 2][j − 1] = sorted[⌈j·n/k⌉ − 1]. */
  below: number[][];
  /** above[k − 2][j − 1] = sorted[n − ⌈j·n/k⌉]. */
  above: number[][];
}

export function scoreCuts(values: ArrayLike<number>): ScoreCuts {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const below: number[][] = [];
  const above: number[][] = [];
  for (let k = 2; k <= 10; k++) {
    const b: number[] = [];
    const a: number[] = [];
    for (let j = 1; j < k; j++) {
      const m = Math.ceil((j * n) / k);
      b.push(n ? sorted[m - 1] : NaN);
      a.push(n ? sorted[n - m] : NaN);
    }
    below.push(b);
    above.push(a);
  }
  return {n, below, above};
}

/** scoreAgainst(population, v, {k, descending}) from the population's cuts. */
export function scoreWithCuts(cuts: ScoreCuts, v: number, {k = 5, descending = false}: {k?: number; descending?: boolean} = {}): number {
  checkBins(k);
  if (cuts.n === 0) return 1;
  return scoreInRow((descending ? cuts.above : cuts.below)[k - 2], v, descending);
}

/** The score of `v` from one row of cuts (k − 1 of them). */
function scoreInRow(row: readonly number[], v: number, descending: boolean): number {
  let score = 1;
  for (const x of row) if (descending ? !(x <= v) : x < v) score++;
  return score;
}

function checkBins(k: number): void {
  if (!(Number.isInteger(k) && k >= 2 && k <= 10)) throw new Error(`scores: k must be an integer from 2 to 10, got ${k}`);
}

/** First index with sorted[i] >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with sorted[i] > v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
