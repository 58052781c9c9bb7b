/**
 * Holdout validation: compare what models predicted for a holdout period with what customers actually did.
 *
 * Everything is per customer and aligned by index: `actual.spend[i]`, `predictions.bgnbd.spend[i]`, … all
 * refer to customer i. Purchases are optional (the learned model predicts spend only); spend is required.
 *
 * Metrics
 * - Total error: Σ predicted − Σ actual, and as a percentage of Σ actual. Aggregate forecasts are what
 *   finance plans with, and probabilistic models are usually judged on them first.
 * - MAE = (1/n) Σ |p_i − a_i| and RMSE = √((1/n) Σ (p_i − a_i)²) of holdout spend per customer.
 * - Capture: the share of actual holdout revenue that comes from the top `share` (default 10%) of customers
 *   ranked by predicted value; the ideal (perfect ranking) capture is reported beside it. Customers with
 *   equal predictions are a tie: when a tie straddles the cut, it contributes the cut's fraction of its
 *   actual revenue (the expectation under random tie-breaking), so a constant forecast captures exactly
 *   `share` of revenue and gains nothing from the order of the rows.
 */
import type {CustomerSummary} from "../types.js";
import {isColumns, type SummaryInput} from "../fit/columns.js";

/** Per-customer holdout values, aligned by index. */
export interface HoldoutValues {
  /** Purchases in the holdout period (optional for predictions). */
  purchases?: ArrayLike<number>;
  /** Spend in the holdout period. */
  spend: ArrayLike<number>;
}

export interface TotalError {
  actual: number;
  predicted: number;
  /** predicted − actual. */
  error: number;
  /** 100 × (predicted − actual) / actual; 0 when both are 0, ±Infinity when only the actual total is 0. */
  percentError: number;
}

/** Totals and their difference: Σ predicted − Σ actual, absolute and in percent of Σ actual. */
export function totalError(actual: ArrayLike<number>, predicted: ArrayLike<number>, {name = "predicted"} = {}): TotalError {
  checkPair(actual, predicted, name);
  const a = sum(actual);
  const p = sum(predicted);
  const error = p - a;
  const percentError = a !== 0 ? (100 * error) / a : error === 0 ? 0 : error > 0 ? Infinity : -Infinity;
  return {actual: a, predicted: p, error, percentError};
}

/** Mean absolute error (1/n) Σ |p_i − a_i|; NaN for no customers. */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>, {name = "predicted"} = {}): number {
  checkPair(actual, predicted, name);
  let s = 0;
  for (let i = 0; i < actual.length; ++i) s += Math.abs(predicted[i] - actual[i]);
  return actual.length ? s / actual.length : NaN;
}

/** Root mean squared error √((1/n) Σ (p_i − a_i)²); NaN for no customers. */
export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>, {name = "predicted"} = {}): number {
  checkPair(actual, predicted, name);
  let s = 0;
  for (let i = 0; i < actual.length; ++i) s += (predicted[i] - actual[i]) ** 2;
  return actual.length ? Math.sqrt(s / actual.length) : NaN;
}

export interface Capture {
  /** Number of customers in the top group: max(1, round(share × n)), or 0 for no customers. */
  count: number;
  /** Share of actual revenue from the top group by predicted value (0 when there is no revenue). */
  capture: number;
  /** The same share under a perfect ranking (by actual value): the best any model could do. */
  ideal: number;
}

/**
 * Share of actual holdout revenue captured by the top `share` of customers by predicted value (see the module
 * comment for ties). Example: actual [10, 0, 5, 85], predicted [3, 2, 1, 0], share 0.25 → the top customer
 * by prediction is the first, capture 10 / 100 = 0.10, ideal 85 / 100 = 0.85.
 */
export function captureShare(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  {share = 0.1, name = "predicted"}: {share?: number; name?: string} = {}
): Capture {
  checkPair(actual, predicted, name);
  if (!(share > 0 && share <= 1)) throw new Error(`captureShare: share must be in (0, 1], got ${share}`);
  const n = actual.length;
  if (n === 0) return {count: 0, capture: 0, ideal: 0};
  const count = Math.max(1, Math.round(share * n));
  const total = sum(actual);
  if (total === 0) return {count, capture: 0, ideal: 0};
  return {count, capture: topSum(actual, predicted, count) / total, ideal: topSum(actual, actual, count) / total};
}

/** Σ actual over the `count` largest predictions, ties at the cut shared pro rata. */
function topSum(actual: ArrayLike<number>, predicted: ArrayLike<number>, count: number): number {
  const order = Array.from({length: actual.length}, (_, i) => i).sort((i, j) => predicted[j] - predicted[i]);
  let taken = 0;
  let result = 0;
  for (let start = 0; start < order.length && taken < count; ) {
    let end = start + 1;
    while (end < order.length && predicted[order[end]] === predicted[order[start]]) ++end;
    let group = 0;
    for (let k = start; k < end; ++k) group += actual[order[k]];
    const size = end - start;
    const take = Math.min(size, count - taken);
    result += (group * take) / size;
    taken += take;
    start = end;
  }
  return result;
}

export interface NaiveBaselineOptions {
  /** Length of the holdout period, in the summary's time unit (the unit of T). */
  holdoutLength: number;
  /**
   * Smallest exposure used as the denominator: rates are frequency / max(T, minExposure). The default 0 keeps
   * the pure rule (a customer with T = 0 has rate 0); a floor such as one unit tames customers seen briefly.
   */
  minExposure?: number;
}

/**
 * The naive "past rate continues" forecast: each customer keeps buying and spending at the rate seen in the
 * calibration period, measured from their first purchase.
 *
 *   purchases_i = frequency_i / T_i × holdoutLength
 *   spend_i     = frequency_i × monetary_i / T_i × holdoutLength
 *
 * frequency × monetary is the calibration spend on repeat purchase days (what a `CustomerSummary` carries;
 * the first purchase is the acquisition and is left out, as in the BG/NBD holdout counts), and T is the time
 * from first purchase to the end of calibration. Example: frequency 4, monetary 25, T 40 weeks, holdout 26
 * weeks → purchases 4/40 × 26 = 2.6, spend 100/40 × 26 = 65.
 */
export function naiveBaseline(summary: readonly NaiveSummary[] | NaiveColumns, {holdoutLength, minExposure = 0}: NaiveBaselineOptions): {purchases: Float64Array; spend: Float64Array} {
  // Rows, or columns (the summaries as the fit reads them, with no object per customer).
  let frequency: (i: number) => number, monetary: (i: number) => number, T: (i: number) => number, n: number;
  if (Array.isArray(summary)) {
    const rows = summary as readonly NaiveSummary[];
    [n, frequency, monetary, T] = [rows.length, (i) => rows[i].frequency, (i) => rows[i].monetary, (i) => rows[i].T];
  } else if (summary && isColumns(summary as SummaryInput) && (["monetary", "T"] as const).every((key) => (summary as NaiveColumns)[key]?.length === (summary as NaiveColumns).frequency.length)) {
    const columns = summary as NaiveColumns;
    [n, frequency, monetary, T] = [columns.frequency.length, (i) => columns.frequency[i], (i) => columns.monetary[i], (i) => columns.T[i]];
  } else {
    throw new Error(`naiveBaseline: summary must be an array or columns frequency, monetary and T of one length, got ${typeof summary}`);
  }
  if (!(Number.isFinite(holdoutLength) && holdoutLength > 0)) {
    throw new Error(`naiveBaseline: holdoutLength must be a positive number, got ${holdoutLength}`);
  }
  if (!(Number.isFinite(minExposure) && minExposure >= 0)) {
    throw new Error(`naiveBaseline: minExposure must be a non-negative number, got ${minExposure}`);
  }
  const purchases = new Float64Array(n);
  const spend = new Float64Array(n);
  const check = (i: number, key: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`naiveBaseline: summary[${i}].${key} is ${v}, not a non-negative number`);
    return v;
  };
  for (let i = 0; i < n; i++) {
    const f = check(i, "frequency", frequency(i)), m = check(i, "monetary", monetary(i)), t = check(i, "T", T(i));
    const exposure = Math.max(t, minExposure);
    if (exposure === 0) continue;
    purchases[i] = (f / exposure) * holdoutLength;
    spend[i] = ((f * m) / exposure) * holdoutLength;
  }
  return {purchases, spend};
}

type NaiveSummary = Pick<CustomerSummary, "frequency" | "monetary" | "T">;
type NaiveColumns = {[K in keyof NaiveSummary]: ArrayLike<number>};

/** One model's line in a comparison. */
export interface ComparisonRow {
  name: string;
  /** Total holdout purchases, predicted vs actual; null when the model or the actuals have no purchases. */
  purchases: TotalError | null;
  /** Total holdout spend, predicted vs actual. */
  spend: TotalError;
  /** Per-customer errors of holdout spend. */
  mae: number;
  rmse: number;
  /** Capture of actual revenue by the model's top `topShare` customers. */
  capture: number;
  /** Capture under a perfect ranking (the same for every model). */
  idealCapture: number;
}

export interface Comparison {
  rows: ComparisonRow[];
  winner: {name: string; reason: string};
}

/**
 * Scores every model against the actual holdout values and picks a winner.
 *
 * Winner rule: the lowest per-customer spend RMSE (the metric the learned model is trained for and the one
 * that punishes big misses on valuable customers). RMSEs within 0.1% of the best count as tied; among tied
 * models the higher capture wins, then the smaller absolute total-spend percent error, then the name in
 * alphabetical order. `reason` says which step decided. Rows are returned in the order the models were given.
 */
export function compareModels(
  actual: HoldoutValues,
  predictions: Readonly<Record<string, HoldoutValues>>,
  {topShare = 0.1}: {topShare?: number} = {}
): Comparison {
  if (actual == null || actual.spend == null) throw new Error("compareModels: actual.spend is required");
  checkFinite(actual.spend, "actual.spend");
  if (actual.purchases) {
    checkFinite(actual.purchases, "actual.purchases");
    if (actual.purchases.length !== actual.spend.length) {
      throw new Error(`compareModels: actual.purchases has length ${actual.purchases.length}, actual.spend ${actual.spend.length}`);
    }
  }
  const names = Object.keys(predictions ?? {});
  if (names.length === 0) throw new Error("compareModels: no predictions to compare");
  const rows = names.map((name): ComparisonRow => {
    const p = predictions[name];
    if (p == null || p.spend == null) throw new Error(`compareModels: model ${JSON.stringify(name)} has no spend predictions`);
    const cap = captureShare(actual.spend, p.spend, {share: topShare, name});
    return {
      name,
      purchases: p.purchases && actual.purchases ? totalError(actual.purchases, p.purchases, {name: `${name} purchases`}) : null,
      spend: totalError(actual.spend, p.spend, {name}),
      mae: meanAbsoluteError(actual.spend, p.spend, {name}),
      rmse: rootMeanSquaredError(actual.spend, p.spend, {name}),
      capture: cap.capture,
      idealCapture: cap.ideal
    };
  });
  return {rows, winner: pickWinner(rows)};
}

const RMSE_TIE = 1e-3;

function pickWinner(rows: readonly ComparisonRow[]): {name: string; reason: string} {
  const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));
  const best = Math.min(...rows.map((r) => r.rmse));
  if (rows.length === 1) return {name: rows[0].name, reason: `only model (spend RMSE ${fmt(best)})`};
  const tied = rows.filter((r) => r.rmse <= best * (1 + RMSE_TIE));
  const others = rows.filter((r) => !tied.includes(r));
  if (tied.length === 1) {
    const next = others.reduce((a, b) => (b.rmse < a.rmse ? b : a));
    return {name: tied[0].name, reason: `lowest holdout-spend RMSE (${fmt(tied[0].rmse)} vs ${fmt(next.rmse)} for ${next.name})`};
  }
  const names = tied.map((r) => r.name).join(", ");
  const bestCapture = Math.max(...tied.map((r) => r.capture));
  const byCapture = tied.filter((r) => r.capture === bestCapture);
  if (byCapture.length === 1) {
    return {name: byCapture[0].name, reason: `spend RMSE tied (${names}); highest top-customer capture (${fmt(bestCapture)})`};
  }
  const absPct = (r: ComparisonRow) => Math.abs(r.spend.percentError);
  const bestPct = Math.min(...byCapture.map(absPct));
  const byTotal = byCapture.filter((r) => absPct(r) === bestPct);
  if (byTotal.length === 1) {
    return {name: byTotal[0].name, reason: `spend RMSE and capture tied (${names}); smallest total spend error (${fmt(bestPct)}%)`};
  }
  const first = [...byTotal].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
  return {name: first.name, reason: `tied on spend RMSE, capture and total error (${byTotal.map((r) => r.name).join(", ")}); first by name`};
}

function checkPair(actual: ArrayLike<number>, predicted: ArrayLike<number>, name: string): void {
  if (actual == null || predicted == null) throw new Error(`validate: ${name}: actual and predicted values are required`);
  if (actual.length !== predicted.length) {
    throw new Error(`validate: ${name} has ${predicted.length} values for ${actual.length} customers`);
  }
  checkFinite(actual, "actual");
  checkFinite(predicted, name);
}

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; ++i) {
    if (!Number.isFinite(values[i])) throw new Error(`validate: ${name}[${i}] is ${values[i]}, not a finite number`);
  }
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; ++i) s += values[i];
  return s;
}
