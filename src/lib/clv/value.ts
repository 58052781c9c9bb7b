/**
 * Discounted customer lifetime value over a horizon in months, from a transaction model (BG/NBD or
 * Pareto/NBD) and the Gamma-Gamma spend model — the approach of the lifetimes library's
 * `customer_lifetime_value`:
 *
 *   CLV = Σ_{i=1..H} margin · E[spend] · (E[Y(τ_i)] - E[Y(τ_{i-1})]) / (1 + d)^i,   τ_i = i · (model units per month)
 *
 * where E[Y(τ)] is the conditional expected number of purchases in (T, T+τ] given the customer's history and
 * E[spend] the Gamma-Gamma conditional expected average spend. The models' time unit is explicit: a month is
 * 365.25/12 days, 365.25/7/12 weeks or 1 month.
 */
import * as gammagamma from "../models/gammagamma.js";
import {compressSummaries} from "../fit/compress.js";
import {spendEligible, summaryColumns, type CustomerIds, type SummaryInput} from "../fit/columns.js";
import type {TimeUnit} from "../types.js";
import {transactionModel, type TransactionModel} from "../models/index.js";
import {UNITS_PER_MONTH} from "../time.js";
import type {ClvSettings, FittedModels, SummaryArrays, TransactionModelName, TransactionParams} from "../../workers/protocol.js";

export type {TransactionModel};

export interface ClvOptions {
  /** The fitted transaction model and its parameters (in `timeUnit`). */
  transaction: TransactionModel;
  /** Fitted Gamma-Gamma parameters. */
  spend: gammagamma.GammaGammaParams;
  /** Horizon in whole months (default 12). */
  horizonMonths?: number;
  /** Monthly discount rate d (default 0.01). */
  discountRate?: number;
  /** Profit margin applied to spend (default 1: CLV in revenue). */
  margin?: number;
  /** Time unit of frequency/recency/T and of the model parameters (default "week"). */
  timeUnit?: TimeUnit;
  /** Customer ids aligned with the data, for error messages. */
  ids?: CustomerIds;
}

export interface ClvResult {
  /** Discounted CLV per customer, in the currency of monetary. */
  clv: Float64Array;
  /** Undiscounted expected number of purchases over the horizon. */
  expectedPurchases: Float64Array;
  /** Gamma-Gamma conditional expected average spend. */
  expectedSpend: Float64Array;
  /** P(alive) at the end of the observation period. */
  probabilityAlive: Float64Array;
  /** Null, or why these figures are not available (see TransactionPredictions.problem). */
  problem: string | null;
}

export interface TransactionOptions {
  /** The fitted transaction model and its parameters (in `timeUnit`). */
  transaction: TransactionModel;
  /** Horizon in whole months (default 12). */
  horizonMonths?: number;
  /** Monthly discount rate d (default 0.01). */
  discountRate?: number;
  /** Time unit of frequency/recency/T and of the model parameters (default "week"). */
  timeUnit?: TimeUnit;
  /** Customer ids aligned with the data, for error messages. */
  ids?: CustomerIds;
}

export interface TransactionPredictions {
  /** Undiscounted expected number of purchases over the horizon. */
  expectedPurchases: Float64Array;
  /** Σ_i (E[Y(τ_i)] − E[Y(τ_{i−1})]) / (1 + d)^i: expected purchases over the horizon, discounted. */
  discountedPurchases: Float64Array;
  /** P(alive) at the end of the observation period. */
  probabilityAlive: Float64Array;
  /**
   * Null when every value is a finite number; otherwise why the predictions are not available ("not available,
   * because …"), and the arrays must not be shown: the model's formulas gave no finite value at these parameters
   * (typically a fit that did not converge, whose parameters ran off towards 0 or ∞).
   */
  problem: string | null;
}

/** "not available, because …" when some of `arrays` hold a value that is not a finite number; else null. */
export function predictionProblem(transaction: TransactionModel, customers: number, ...arrays: ArrayLike<number>[]): string | null {
  let bad = 0;
  const seen = new Uint8Array(customers);
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]) && !seen[i]) {
        seen[i] = 1;
        bad++;
      }
    }
  }
  if (bad === 0) return null;
  const model = transactionModel(transaction.model);
  const params = transaction.params as unknown as Record<string, number>;
  const shown = model.parameters.map((k) => `${k} = ${Number(params[k]).toPrecision(3)}`).join(", ");
  return (
    `not available, because the ${model.label} predictions give no finite value for ${bad.toLocaleString("en-US")} of ` +
    `${customers.toLocaleString("en-US")} customers at the fitted parameters (${shown}): the fit did not settle on usable ` +
    `parameters; a penalizer keeps them finite`
  );
}

/**
 * The transaction model's part of CLV, which needs no spend model: per customer, P(alive) and the expected
 * purchases over the horizon, undiscounted and discounted. Computed once per distinct (frequency, recency, T).
 */
export function expectedTransactions(data: SummaryInput, options: TransactionOptions): TransactionPredictions {
  const {transaction, horizonMonths = 12, discountRate = 0.01, timeUnit = "week", ids} = options;
  if (!Number.isInteger(horizonMonths) || horizonMonths < 0) throw new Error(`horizonMonths must be a non-negative integer, got ${horizonMonths}`);
  if (!(discountRate > -1) || !Number.isFinite(discountRate)) throw new Error(`discountRate must be a finite number > -1, got ${discountRate}`);
  const unitsPerMonth = UNITS_PER_MONTH[timeUnit];
  if (unitsPerMonth === undefined) throw new Error(`unknown time unit ${String(timeUnit)} (day, week or month)`);
  const model = checkTransactionParams(transaction);
  const c = compressSummaries(data, {ids});
  const params = transaction.params;
  const predict = (t: number, x: number, tx: number, T: number) => model.conditionalExpectedPurchases(params, t, x, tx, T);
  const alive = (x: number, tx: number, T: number) => model.probabilityAlive(params, x, tx, T);

  // Per distinct row: discounted and undiscounted expected purchases over the horizon, and P(alive).
  const discounted = new Float64Array(c.rows);
  const total = new Float64Array(c.rows);
  const pAlive = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) {
    let previous = 0;
    let acc = 0;
    for (let i = 1; i <= horizonMonths; i++) {
      const current = predict(i * unitsPerMonth, c.x[j], c.tx[j], c.T[j]);
      acc += (current - previous) / Math.pow(1 + discountRate, i);
      previous = current;
    }
    discounted[j] = acc;
    total[j] = previous;
    pAlive[j] = alive(c.x[j], c.tx[j], c.T[j]);
  }
  const expectedPurchases = Float64Array.from(c.index, (j) => total[j]);
  const discountedPurchases = Float64Array.from(c.index, (j) => discounted[j]);
  const probabilityAlive = Float64Array.from(c.index, (j) => pAlive[j]);
  return {
    expectedPurchases,
    discountedPurchases,
    probabilityAlive,
    problem: predictionProblem(transaction, c.index.length, expectedPurchases, discountedPurchases, probabilityAlive)
  };
}

/**
 * Gamma-Gamma's expected spend per purchase for each customer: the conditional expectation for the customers
 * it is defined for (spendEligible), the population mean p·γ/(q−1) for the others (lifetimes' value for x = 0).
 */
export function expectedSpendPerPurchase(data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>}, spend: gammagamma.GammaGammaParams): Float64Array {
  checkSpendParams(spend);
  const {mask} = spendEligible(data);
  const mean = gammagamma.conditionalExpectedAverageSpend(spend, 0, 0);
  return Float64Array.from(mask, (ok, k) => (ok ? gammagamma.conditionalExpectedAverageSpend(spend, data.frequency[k], data.monetary[k]) : mean));
}

/**
 * Per-customer discounted CLV (input: {frequency, recency, T, monetary} rows or columns; monetary is the mean
 * spend of the repeat purchases). Customers Gamma-Gamma is not defined for (see spendEligible: one-time buyers,
 * a zero, negative or missing mean spend) get the population mean spend p·γ/(q−1), as lifetimes does for x = 0,
 * so every customer has a CLV. Throws on invalid input or options.
 */
export function customerLifetimeValue(data: SummaryInput, options: ClvOptions): ClvResult {
  const {spend, margin = 1, ids} = options;
  if (!Number.isFinite(margin)) throw new Error(`margin must be a finite number, got ${margin}`);
  checkTransactionParams(options.transaction);
  checkSpendParams(spend);
  const cols = summaryColumns(data, {monetary: true, ids});
  const predictions = expectedTransactions({frequency: cols.frequency, recency: cols.recency, T: cols.T}, options);
  const expectedSpend = expectedSpendPerPurchase({frequency: cols.frequency, monetary: cols.monetary as Float64Array}, spend);
  return {
    clv: expectedSpend.map((s, k) => margin * s * predictions.discountedPurchases[k]),
    expectedPurchases: predictions.expectedPurchases,
    expectedSpend,
    probabilityAlive: predictions.probabilityAlive,
    problem: predictions.problem
  };
}

/** The registry's model of `transaction`, after checking that its parameters are positive and finite. */
function checkTransactionParams(transaction: TransactionModel) {
  const model = transactionModel(transaction?.model);
  const p = transaction.params as unknown as Record<string, number> | undefined;
  if (!p) throw new Error(`${model.label}: parameters are missing`);
  for (const k of model.parameters) {
    if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new Error(`${transaction.model} parameter ${k} must be a positive finite number, got ${p[k]}`);
  }
  return model;
}

function checkSpendParams(spend: gammagamma.GammaGammaParams): void {
  for (const k of ["p", "q", "gamma"] as const) {
    if (!(spend?.[k] > 0) || !Number.isFinite(spend[k])) throw new Error(`Gamma-Gamma parameter ${k} must be a positive finite number, got ${spend?.[k]}`);
  }
}

/** Expected purchases in (T, T + weeks] per customer, evaluated once per distinct (x, t_x, T). */
export function expectedInPeriod(model: TransactionModelName, params: TransactionParams, summaries: SummaryArrays, weeks: number): Float64Array {
  const c = compressSummaries({frequency: summaries.frequency, recency: summaries.recency, T: summaries.T}, {ids: summaries.ids});
  const spec = transactionModel(model);
  const perRow = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) perRow[j] = spec.conditionalExpectedPurchases(params, weeks, c.x[j], c.tx[j], c.T[j]);
  return Float64Array.from(c.index, (j) => perRow[j]);
}

/** P(alive), expected purchases and CLV (margin 1) from a fit: what each fit that succeeded allows. */
export function clvArrays({model, params, spend, summaries}: FittedModels, settings: ClvSettings) {
  if (!params) return {clv: null, expectedPurchases: null, probabilityAlive: null, expectedSpend: null, unavailable: null};
  const transaction = {model, params} as TransactionModel;
  const purchases = expectedTransactions(
    {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T},
    {transaction, horizonMonths: settings.horizonMonths, discountRate: settings.discountRate, timeUnit: "week", ids: summaries.ids}
  );
  const expectedSpend = spend ? expectedSpendPerPurchase(summaries, spend) : null;
  // Predictions that are not finite never reach a page: the page says why instead (issue 15).
  if (purchases.problem) {
    const alive = purchases.probabilityAlive.every(Number.isFinite) ? purchases.probabilityAlive : null;
    return {clv: null, expectedPurchases: null, probabilityAlive: alive, expectedSpend, unavailable: purchases.problem};
  }
  return {
    unavailable: null,
    clv: expectedSpend ? expectedSpend.map((s, i) => s * purchases.discountedPurchases[i]) : null,
    expectedPurchases: purchases.expectedPurchases,
    probabilityAlive: purchases.probabilityAlive,
    expectedSpend
  };
}
