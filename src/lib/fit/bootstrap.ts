/**
 * Nonparametric bootstrap of the fits (Efron & Tibshirani 1993, ch. 6 and 13): resample the customers with
 * replacement, refit, and read percentile intervals off the refitted parameters and of every figure computed
 * from them. Resampling N customers is a multinomial draw of N over the compressed summary rows, each row
 * chosen with probability weight/N, so a refit is a fit of the same rows with new weights: it costs what one
 * fit costs, and starts from the full-data estimate. Seeded (random.ts): a seed gives the same intervals on
 * every run and platform.
 */
import {createRandom, type Random} from "../data/random.js";
import type {TransactionModelSpec} from "../models/spec.js";
import type {GammaGammaParams} from "../models/gammagamma.js";
import {transactionModel, type TransactionModel} from "../models/index.js";
import type {ClvOptions} from "../clv/value.js";
import {RefitFigures} from "../clv/replicates.js";
import {compressSpend, compressSummaries, type CompressedSummaries} from "./compress.js";
import {spendEligible} from "./columns.js";
import {fitTransactionCompressed} from "./transaction.js";
import {fitGammaGammaCompressed, type SpendRows} from "./spend.js";
import type {FitOptions} from "./engine.js";
import {percentileInterval, type Interval} from "./quantiles.js";

export interface BootstrapOptions {
  /** Number of refits (resamples), a whole number from 1 to 100,000. */
  replicates: number;
  /** Coverage of the intervals, in (0, 1) (default 0.9: the 5% and 95% percentiles). */
  level?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
  /** The penalizer of the original fit, used again in each refit. */
  penalizer?: number;
  /** Called after each refit. */
  onProgress?: (done: number, total: number) => void;
  /** Checked before each refit: when it returns true the bootstrap stops and throws BootstrapCancelled. */
  cancelled?: () => boolean;
}

/** Thrown when `cancelled` asked the bootstrap to stop. */
export class BootstrapCancelled extends Error {
  constructor() {
    super("bootstrap cancelled");
    this.name = "BootstrapCancelled";
  }
}

/** The options checked, with defaults. */
export function bootstrapSettings({replicates, level = 0.9, seed = 1}: BootstrapOptions): {replicates: number; level: number; seed: number} {
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > 100_000) throw new Error(`bootstrap replicates must be a whole number from 1 to 100000, got ${replicates}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap level must be between 0 and 1, got ${level}`);
  if (!Number.isFinite(seed)) throw new Error(`bootstrap seed must be a finite number, got ${seed}`);
  return {replicates, level, seed};
}

/**
 * A multinomial resample: `total` draws among rows with probabilities weight/Σweight (inverse CDF by binary
 * search over the cumulative weights), counted into `out`.
 */
export function resampleWeights(cumulative: Float64Array, total: number, random: Random, out: Float64Array): Float64Array {
  out.fill(0);
  const n = cumulative.length;
  const sum = cumulative[n - 1];
  for (let k = 0; k < total; k++) {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    out[lo]++;
  }
  return out;
}

/** Running sums of the weights. */
export function cumulativeOf(weight: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weight.length);
  let s = 0;
  for (let i = 0; i < weight.length; i++) out[i] = s += weight[i];
  return out;
}

/** The refitted parameters and their percentile intervals. */
export interface ParameterBootstrap<P> {
  level: number;
  /** Refits asked for. */
  requested: number;
  /** Parameters of the refits that converged, in order. */
  replicates: P[];
  /** Refits that did not converge (left out of the intervals). */
  failed: number;
  intervals: Record<keyof P & string, Interval>;
}

function intervalsOf<P extends object>(names: readonly string[], replicates: P[], level: number): Record<keyof P & string, Interval> {
  const out: Record<string, Interval> = {};
  for (const name of names) out[name] = percentileInterval(replicates.map((p) => (p as Record<string, number>)[name]), level);
  return out as Record<keyof P & string, Interval>;
}

/** A refit from the full-data estimate, then from the model's own starting points if that fails. */
function refit<T extends {converged: boolean}>(fit: (options: FitOptions) => T, estimate: object, penalizer: number): T {
  const base = {penalizer, standardErrors: false};
  const warm = fit({...base, initial: [estimate as Record<string, number>]});
  return warm.converged ? warm : fit(base);
}

/** Bootstrap of a transaction model's fit on compressed summaries (weights are customers per row). */
export function bootstrapTransactionFit<P extends object>(model: TransactionModelSpec<P>, c: CompressedSummaries, estimate: P, options: BootstrapOptions): ParameterBootstrap<P> {
  const {replicates, level, seed} = bootstrapSettings(options);
  const random = createRandom(seed);
  const cumulative = cumulativeOf(c.weight);
  const total = Math.round(cumulative[cumulative.length - 1]);
  const weight = new Float64Array(c.rows);
  const rows: CompressedSummaries = {...c, weight, customers: total};
  const kept: P[] = [];
  for (let b = 0; b < replicates; b++) {
    if (options.cancelled?.()) throw new BootstrapCancelled();
    resampleWeights(cumulative, total, random, weight);
    const res = tryFit(() => refit((o) => fitTransactionCompressed(model, rows, o), estimate, options.penalizer ?? 0));
    if (res?.converged) kept.push(res.params);
    options.onProgress?.(b + 1, replicates);
  }
  return {level, requested: replicates, replicates: kept, failed: replicates - kept.length, intervals: intervalsOf(model.parameters, kept, level)};
}

/** Bootstrap of the Gamma-Gamma fit on compressed (frequency, monetary) rows. */
export function bootstrapSpendFit(c: SpendRows, estimate: GammaGammaParams, options: BootstrapOptions): ParameterBootstrap<GammaGammaParams> {
  const {replicates, level, seed} = bootstrapSettings(options);
  const random = createRandom(seed);
  const cumulative = cumulativeOf(c.weight);
  const total = Math.round(cumulative[cumulative.length - 1]);
  const weight = new Float64Array(c.rows);
  const rows: SpendRows = {...c, weight, customers: total};
  const kept: GammaGammaParams[] = [];
  for (let b = 0; b < replicates; b++) {
    if (options.cancelled?.()) throw new BootstrapCancelled();
    resampleWeights(cumulative, total, random, weight);
    const res = tryFit(() => refit((o) => fitGammaGammaCompressed(rows, o), estimate, options.penalizer ?? 0));
    if (res?.converged) kept.push(res.params);
    options.onProgress?.(b + 1, replicates);
  }
  return {level, requested: replicates, replicates: kept, failed: replicates - kept.length, intervals: intervalsOf(["p", "q", "gamma"], kept, level)};
}

/** A refit that throws (a resample without any repeat customer, say) counts as failed. */
function tryFit<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Per-customer intervals of a figure. */
export interface CustomerIntervals {
  low: Float64Array;
  high: Float64Array;
}

export interface ClvBootstrap {
  level: number;
  requested: number;
  /** Refits where both models converged: the intervals rest on these. */
  succeeded: number;
  failed: number;
  transaction: Record<string, Interval>;
  spend: Record<keyof GammaGammaParams, Interval>;
  /** Intervals of the totals over all customers. */
  totals: {clv: Interval; expectedPurchases: Interval};
  clv: CustomerIntervals;
  expectedPurchases: CustomerIntervals;
  probabilityAlive: CustomerIntervals;
}

export interface ClvBootstrapInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/** One refit of the transaction model and Gamma-Gamma on the same resampled customers. */
export interface ClvReplicate {
  transaction: TransactionModel;
  spend: GammaGammaParams;
}

/**
 * The refits of bootstrapClv one at a time: yields after each refit (the replicate, or null when a refit did
 * not converge), so that a worker can report progress and give way to a cancel message between refits.
 * Customers are resampled jointly for both models.
 */
export function* clvReplicates(
  data: Pick<ClvBootstrapInput, "frequency" | "recency" | "T" | "monetary">,
  estimate: {transaction: TransactionModel; spend: GammaGammaParams},
  options: BootstrapOptions
): Generator<ClvReplicate | null, void, void> {
  const {replicates, seed} = bootstrapSettings(options);
  const model = transactionModel(estimate.transaction.model);
  const n = data.frequency.length;
  const c = compressSummaries({frequency: data.frequency, recency: data.recency, T: data.T});
  const eligible = spendEligible({frequency: data.frequency, monetary: data.monetary});
  const s = compressSpend({frequency: data.frequency, monetary: data.monetary}, eligible.mask);
  const random = createRandom(seed);
  const counts = new Float64Array(n);
  const tRows: CompressedSummaries = {...c, weight: new Float64Array(c.rows)};
  const sRows: SpendRows = {...s, weight: new Float64Array(s.rows)};
  const penalizer = options.penalizer ?? 0;
  for (let b = 0; b < replicates; b++) {
    if (options.cancelled?.()) throw new BootstrapCancelled();
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.min(n - 1, Math.floor(random() * n))]++;
    tRows.weight.fill(0);
    sRows.weight.fill(0);
    let spenders = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      tRows.weight[c.index[i]] += counts[i];
      if (s.index[i] >= 0) {
        sRows.weight[s.index[i]] += counts[i];
        spenders += counts[i];
      }
    }
    sRows.customers = spenders;
    const t = spenders > 0 ? tryFit(() => refit((o) => fitTransactionCompressed(model, tRows, o), estimate.transaction.params, penalizer)) : null;
    const g = t?.converged ? tryFit(() => refit((o) => fitGammaGammaCompressed(sRows, o), estimate.spend, penalizer)) : null;
    options.onProgress?.(b + 1, replicates);
    yield t?.converged && g?.converged ? {transaction: {model: estimate.transaction.model, params: t.params} as TransactionModel, spend: g.params} : null;
  }
}

/** All the refits of clvReplicates: those where both models converged, and how many were asked for. */
export function bootstrapClvFits(
  data: Pick<ClvBootstrapInput, "frequency" | "recency" | "T" | "monetary">,
  estimate: {transaction: TransactionModel; spend: GammaGammaParams},
  options: BootstrapOptions
): {fits: ClvReplicate[]; requested: number} {
  const fits: ClvReplicate[] = [];
  for (const fit of clvReplicates(data, estimate, options)) if (fit) fits.push(fit);
  return {fits, requested: options.replicates};
}

/**
 * Bootstrap of the CLV predictions: customers are resampled jointly for the transaction model and Gamma-Gamma
 * (the same customers enter both refits), and for each refit every customer's CLV, expected purchases and
 * P(alive) over the horizon are recomputed per distinct row (clv/replicates.ts RefitFigures, which the CLV
 * page's worker uses too). Memory: each distinct row's value in every refit, up to `maxValues` values
 * (RefitFigures); beyond that this throws, saying so.
 */
export function bootstrapClv(
  data: ClvBootstrapInput,
  estimate: {transaction: TransactionModel; spend: GammaGammaParams},
  clv: Omit<ClvOptions, "transaction" | "spend">,
  options: BootstrapOptions & {maxValues?: number}
): ClvBootstrap {
  const {level} = bootstrapSettings(options);
  const model = transactionModel(estimate.transaction.model);
  const n = data.frequency.length;
  const margin = clv.margin ?? 1;
  if (!Number.isFinite(margin)) throw new Error(`margin must be a finite number, got ${margin}`);
  const {fits, requested: replicates} = bootstrapClvFits(data, estimate, options);
  const recompute = new RefitFigures(data, {horizonMonths: clv.horizonMonths ?? 12, discountRate: clv.discountRate ?? 0.01, timeUnit: clv.timeUnit ?? "week"}, {
    margins: new Float64Array(n).fill(margin),
    perCustomer: fits.length,
    maxValues: options.maxValues
  });
  if (recompute.perCustomerProblem) throw new Error(recompute.perCustomerProblem);
  const kept: ClvReplicate[] = [];
  const totalClv: number[] = [];
  const totalPurchases: number[] = [];
  for (const fit of fits) {
    const figure = recompute.add(fit);
    if (!figure) continue;
    kept.push(fit);
    totalClv.push(figure.total);
    totalPurchases.push(figure.purchases);
  }
  const empty = () => ({low: new Float64Array(n).fill(NaN), high: new Float64Array(n).fill(NaN)});
  const perCustomer = recompute.customerIntervals(level) ?? {clv: empty(), expectedPurchases: empty(), probabilityAlive: empty()};
  return {
    level,
    requested: replicates,
    succeeded: kept.length,
    failed: replicates - kept.length,
    transaction: intervalsOf(model.parameters, kept.map((f) => f.transaction.params), level),
    spend: intervalsOf(["p", "q", "gamma"], kept.map((f) => f.spend), level),
    totals: {clv: percentileInterval(totalClv, level), expectedPurchases: percentileInterval(totalPurchases, level)},
    clv: perCustomer.clv,
    expectedPurchases: perCustomer.expectedPurchases,
    probabilityAlive: perCustomer.probabilityAlive ?? empty()
  };
}
