/**
 * Gamma-Gamma maximum likelihood (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves") on the
 * customers the model is defined for, with its assumption check.
 */
import * as gammagamma from "../models/gammagamma.js";
import type {GammaGammaParams} from "../models/gammagamma.js";
import {compressSpend} from "./compress.js";
import {finite, runFit, startsFrom, toParams, toStandardErrors, type FitOptions, type FitResult} from "./engine.js";
import {identify} from "./identification.js";
import {describeExclusions, spendColumns, spendEligible, type SpendExclusions} from "./columns.js";

export interface GammaGammaFitResult extends FitResult<GammaGammaParams> {
  /**
   * The model's assumption: frequency and monetary value uncorrelated among repeat customers (correlation null
   * when it cannot be computed: fewer than two repeat customers or no variation).
   */
  assumption: {correlation: number | null; customers: number};
  warnings: string[];
  /** Customers left out of the fit, by reason (see spendEligible). */
  excluded: SpendExclusions;
}

/** Compressed (frequency, monetary) rows of the customers Gamma-Gamma is fitted on, with weights. */
export interface SpendRows {
  x: Float64Array;
  monetary: Float64Array;
  weight: Float64Array;
  customers: number;
  rows: number;
}

/** The maximum-likelihood fit on compressed rows (money rescaled so that the weighted mean spend is 1). */
function fitSpendRows(c: SpendRows, options: FitOptions) {
  const names = [...gammagamma.PARAMETERS];
  let scale = 1;
  if (options.rescale ?? true) {
    let s = 0;
    for (let j = 0; j < c.rows; j++) s += c.weight[j] * c.monetary[j];
    scale = c.customers / s;
  }
  const scales = [1, 1, scale];
  const rows = {x: c.x, monetary: c.monetary.map((m) => m * scale), weight: c.weight};
  const objective = gammagamma.negLogLikelihoodObjective(rows);
  const defaults = gammagamma.STARTS.map((start) => start.map((v, i) => v / scales[i]));
  const starts = startsFrom(options.initial, names, defaults, scales);
  const res = runFit(objective, true, starts, c.customers, names, options);
  const params = toParams(names, res.theta, scales) as unknown as GammaGammaParams;
  const ll = -objective(res.theta) * c.customers + c.customers * Math.log(scale);
  return {params, ll, res, names};
}

/**
 * Gamma-Gamma on already compressed rows (see compressSpend), without the assumption check: what a bootstrap
 * refit on reweighted rows needs. `customers` must be Σ weight.
 */
export function fitGammaGammaCompressed(c: SpendRows, options: FitOptions = {}): {params: GammaGammaParams; logLikelihood: number; converged: boolean; iterations: number} {
  const {params, ll, res} = fitSpendRows(c, options);
  return {params, logLikelihood: finite(ll, -Infinity), converged: res.converged && Number.isFinite(ll), iterations: res.iterations};
}

/**
 * Gamma-Gamma maximum likelihood on the customers it is defined for (see spendEligible: repeat customers with a
 * positive finite mean spend; the others are counted in `excluded`), from (frequency, monetary). Also reports
 * the model's assumption check (Pearson correlation of frequency and monetary among those customers) and a
 * warning when its absolute value exceeds 0.3.
 */
export function fitGammaGamma(data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>}, options: FitOptions = {}): GammaGammaFitResult {
  const cols = spendColumns(data, options.ids);
  const eligible = spendEligible(cols);
  if (eligible.customers === 0) {
    throw new Error(`Gamma-Gamma needs repeat customers (frequency > 0) with a positive mean spend; there are none (left out: ${describeExclusions(eligible.excluded)})`);
  }
  const c = compressSpend(cols, eligible.mask);
  const {params, ll, res, names} = fitSpendRows(c, options);
  const selected = {
    frequency: cols.frequency.filter((_, i) => eligible.mask[i] === 1),
    monetary: cols.monetary.filter((_, i) => eligible.mask[i] === 1)
  };
  const check = gammagamma.frequencyMonetaryCorrelation(selected);
  const assumption = {correlation: Number.isFinite(check.correlation) ? check.correlation : null, customers: check.customers};
  const warnings: string[] = [];
  if (assumption.correlation !== null && Math.abs(assumption.correlation) > 0.3) {
    warnings.push(`frequency and monetary value are correlated (r = ${assumption.correlation.toFixed(2)}): the Gamma-Gamma independence assumption is doubtful`);
  }
  if (assumption.correlation === null) warnings.push("too few repeat customers (or no variation) to check the independence assumption");
  const converged = res.converged && Number.isFinite(ll);
  return {
    params,
    logLikelihood: finite(ll, -Infinity),
    converged,
    iterations: res.iterations,
    standardErrors: toStandardErrors(names, params as unknown as Record<string, number>, res.covariance) as GammaGammaParams | null,
    customers: c.customers,
    rows: c.rows,
    gradientNorm: finite(res.gradientNorm, Infinity),
    message: res.message,
    stoppedEarly: res.stoppedEarly,
    ...identify(gammagamma.MEANINGS, names, {...res, converged}, options),
    assumption,
    warnings,
    excluded: eligible.excluded
  };
}
