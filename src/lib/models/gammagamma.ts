/**
 * Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
 * base analysis", Journal of Marketing Research 42(4), 415–430 (after Colombo & Jiang 1999), and Fader &
 * Hardie (2013), "The Gamma-Gamma model of monetary value" (note), eq. 1–5.
 *
 * Each transaction value z ~ Gamma(p, ν), with the customer's ν ~ Gamma(q, γ). A customer is summarised by
 * x (number of repeat transactions, > 0) and m̄ (their mean value). Assumes spend is independent of frequency:
 * check it with `frequencyMonetaryCorrelation`.
 */
import {digamma, lgamma} from "./special.js";
import {distinctIndex} from "./bgnbd.js";
import {weightedSum, type ParameterMeanings} from "./spec.js";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/**
 * Log density of the mean spend m̄ of x transactions (the note, eq. 4):
 * f(m̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) m̄^(px-1) / (γ + x m̄)^(px+q).
 */
export function logLikelihood({p, q, gamma}: GammaGammaParams, x: number, mbar: number): number {
  const px = p * x;
  return (
    lgamma(px + q) - lgamma(px) - lgamma(q) + q * Math.log(gamma) + px * Math.log(x) + (px - 1) * Math.log(mbar) - (px + q) * Math.log(gamma + x * mbar)
  );
}

/** Per-customer log-likelihoods for customers with frequency > 0 (0 is returned for frequency 0: not modelled). */
export function logLikelihoods(params: GammaGammaParams, data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>}): Float64Array {
  const n = data.frequency.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = data.frequency[i] > 0 ? logLikelihood(params, data.frequency[i], data.monetary[i]) : 0;
  return out;
}

export function totalLogLikelihood(
  params: GammaGammaParams,
  data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>},
  {weights}: {weights?: ArrayLike<number>} = {}
): number {
  return weightedSum(logLikelihoods(params, data), weights);
}

/**
 * E[Z | x, m̄] = p(γ + x m̄) / (px + q - 1) (the note, eq. 5): a weighted mean of the population mean pγ/(q-1)
 * and the customer's m̄. For x = 0 this is the population mean, which exists only when q > 1 (an Error
 * otherwise).
 */
export function conditionalExpectedAverageSpend({p, q, gamma}: GammaGammaParams, x: number, mbar: number): number {
  const denom = p * x + q - 1;
  if (!(denom > 0)) {
    throw new Error(`Gamma-Gamma: expected spend is infinite for frequency ${x} with q = ${q} (needs p·x + q > 1)`);
  }
  return (p * (gamma + (x > 0 ? x * mbar : 0))) / denom;
}

/**
 * Pearson correlation of frequency and monetary value among customers with frequency > 0 (the model assumes
 * none); NaN when fewer than two such customers or no variation.
 */
export function frequencyMonetaryCorrelation(data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>}): {correlation: number; customers: number} {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.frequency[i] > 0) {
      n++;
      sx += data.frequency[i];
      sy += data.monetary[i];
    }
  }
  if (n < 2) return {correlation: NaN, customers: n};
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.frequency[i] > 0) {
      const dx = data.frequency[i] - mx;
      const dy = data.monetary[i] - my;
      cxy += dx * dy;
      cxx += dx * dx;
      cyy += dy * dy;
    }
  }
  return {correlation: cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN, customers: n};
}

/**
 * Objective over (log p, log q, log γ) on weighted rows with x > 0: -Σ w·LL / Σ w with its analytic gradient.
 * Per-x terms are computed once per distinct x; log m̄ and log x are precomputed.
 */
export function negLogLikelihoodObjective(rows: {x: Float64Array; monetary: Float64Array; weight: Float64Array}): (theta: Float64Array, grad?: Float64Array) => number {
  const n = rows.x.length;
  const {xValues, xIndex} = distinctIndex(rows.x);
  const k = xValues.length;
  const logM = new Float64Array(n);
  const logX = new Float64Array(k);
  for (let j = 0; j < k; j++) logX[j] = Math.log(xValues[j]);
  let totalWeight = 0;
  let sumWLogM = 0;
  for (let i = 0; i < n; i++) {
    logM[i] = Math.log(rows.monetary[i]);
    totalWeight += rows.weight[i];
    sumWLogM += rows.weight[i] * logM[i];
  }
  const cX = new Float64Array(k);
  const dP = new Float64Array(k);
  const dQ = new Float64Array(k);
  const {x: X, monetary: M, weight: W} = rows;
  return (theta, grad) => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const g = Math.exp(theta[2]);
    if (!(p > 0 && q > 0 && g > 0) || !Number.isFinite(p + q + g)) return NaN;
    const lgQ = lgamma(q);
    const psiQ = digamma(q);
    const logG = Math.log(g);
    for (let j = 0; j < k; j++) {
      const x = xValues[j];
      const px = p * x;
      cX[j] = lgamma(px + q) - lgamma(px) - lgQ + q * logG + px * logX[j];
      if (grad) {
        const psiPQ = digamma(px + q);
        dP[j] = x * (psiPQ - digamma(px) + logX[j]);
        dQ[j] = psiPQ - psiQ + logG;
      }
    }
    let ll = -sumWLogM;
    let gP = 0;
    let gQ = 0;
    let gG = 0;
    for (let i = 0; i < n; i++) {
      const j = xIndex[i];
      const w = W[i];
      const x = X[i];
      const px = p * x;
      const denom = g + x * M[i];
      const lDen = Math.log(denom);
      ll += w * (cX[j] + px * logM[i] - (px + q) * lDen);
      if (grad) {
        gP += w * (dP[j] + x * (logM[i] - lDen));
        gQ += w * (dQ[j] - lDen);
        gG += w * (q / g - (px + q) / denom);
      }
    }
    if (grad) {
      grad[0] = (-gP * p) / totalWeight;
      grad[1] = (-gQ * q) / totalWeight;
      grad[2] = (-gG * g) / totalWeight;
    }
    return -ll / totalWeight;
  };
}

/** Parameter names in the paper's order. */
export const PARAMETERS = ["p", "q", "gamma"] as const;

/** Starting points of the fit, with spend rescaled to a mean of 1 (γ in those units). */
export const STARTS: readonly (readonly number[])[] = [
  [1, 1, 1],
  [5, 3, 10],
  [0.5, 5, 5]
];

const SAME_SPEND = "spend per purchase looks the same for every customer, so the model cannot tell how it varies";

/** What a parameter running off to 0 or ∞ means, for the identification verdict. */
export const MEANINGS: ParameterMeanings = {
  q: {"∞": SAME_SPEND},
  gamma: {"∞": SAME_SPEND},
  p: {
    "∞": "each customer spends almost the same on every purchase, so the model cannot tell how spend varies",
    "0": "spend per purchase varies without bound, so the model cannot settle on a typical spend"
  }
};
