/**
 * What a model declares to the rest of the library: its names, its parameters as in the paper, how to fit it
 * (the likelihood over log-parameters, starting points, which parameters carry the time unit) and its
 * predictions. Each model file exports one of these; the registry (index.ts) lists them, and the fitting
 * engine, the CLV computations, the diagnostics, the worker, the pages and the CLI read them from there, so a
 * new model is its own file, one registry line and its tests.
 */

/** Direction in which a parameter runs off when a fit is not identified. */
export type Direction = "0" | "∞";

/** What a parameter running off to 0 or ∞ means for the data, in plain words, per parameter. */
export type ParameterMeanings = Readonly<Record<string, Partial<Record<Direction, string>>>>;

/** Per-customer summary columns (x = frequency, t_x = recency, T), in the parameters' time unit. */
export interface SummaryColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

/** A model's log-likelihood of each customer, from its one-customer form LL(params, x, t_x, T). */
export function perCustomer<P>(logLikelihood: (params: P, x: number, tx: number, T: number) => number, params: P, data: SummaryColumns): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logLikelihood(params, data.frequency[i], data.recency[i], data.T[i]);
  return out;
}

/** Σ w_i · v_i (weights default to 1: one row per customer). */
export function weightedSum(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (weights ? weights[i] : 1) * values[i];
  return s;
}

/** Compressed customer summaries: distinct (x, t_x, T) rows with their weights. */
export interface SummaryRows {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/**
 * Negative mean log-likelihood over the log-parameters; writes its gradient into `grad` when it has one, and its
 * Hessian (row-major) into `hess` when it has one and both are given.
 */
export type LogObjective = (theta: Float64Array, grad?: Float64Array, hess?: Float64Array) => number;

/** A model of how often customers buy and whether they are still customers (BG/NBD, Pareto/NBD, …). */
export interface TransactionModelSpec<P extends object = object> {
  /** Key in the registry and in the worker's messages ("bgnbd"). */
  readonly name: string;
  /** Name shown to people ("BG/NBD"). */
  readonly label: string;
  /** Name on the command line (`clv fit --model bgnbd`). */
  readonly cliName: string;
  /** The paper it follows. */
  readonly citation: string;
  /** Parameter names, in the paper's notation and order. */
  readonly parameters: readonly (keyof P & string)[];
  /** The parameters that carry the time unit (scale parameters of rates): they change when time is rescaled. */
  readonly timeScaled: readonly (keyof P & string)[];
  /** One sentence on what the parameters mean, for the pages (time unit given by the caller). */
  readonly note: string;
  /** The per-customer summary columns the model reads. */
  readonly summaryColumns: readonly string[];
  /** Starting points of the fit in the rescaled problem (the largest T is 10), parameters in order. */
  readonly starts: readonly (readonly number[])[];
  /** Whether `objective` writes an analytic gradient. */
  readonly analyticGradient: boolean;
  /** Whether `objective` also writes an analytic Hessian (the fit then takes Newton steps: optimize.ts). */
  readonly analyticHessian?: boolean;
  /** Plain-language meaning of a parameter running off, for the identification verdict. */
  readonly meanings: ParameterMeanings;
  /** The likelihood of compressed, time-rescaled summaries as an objective over log-parameters. */
  objective(rows: SummaryRows): LogObjective;
  /** P(alive) at T of a customer with x repeat purchases, the last at t_x. */
  probabilityAlive(params: P, x: number, tx: number, T: number): number;
  /** Expected purchases in (T, T + t] given the customer's history. */
  conditionalExpectedPurchases(params: P, t: number, x: number, tx: number, T: number): number;
  /** Expected purchases in (0, t] of a new customer. */
  expectedPurchases(params: P, t: number): number;
  /** P(X(t) = n) for a new customer. */
  probabilityOfPurchases(params: P, t: number, n: number): number;
}

/** Phrases that several models' meanings share. */
export const NO_DROPOUT = "the data show almost no drop-out, so the model cannot tell how fast customers leave";
export const INSTANT_DROPOUT = "the data look as if customers leave right after a purchase, so the model cannot tell drop-out from buying rarely";
/** r and α of the NBD purchase process: the gamma distribution of purchase rates across customers. */
export const PURCHASE_RATES: Partial<Record<Direction, string>> = {
  "∞": "purchase rates look the same for every customer, so the model cannot tell how they vary",
  "0": "a few customers buy far more often than the rest, so the model cannot settle on a typical purchase rate"
};
