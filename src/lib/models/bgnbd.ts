/**
 * BG/NBD model: Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
 * Pareto/NBD model", Marketing Science 24(2), 275–284 (equation numbers below refer to that paper), and
 * Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model" (note).
 *
 * Purchases while active follow a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase the
 * customer drops out with probability p ~ Beta(a, b). A customer is summarised by x (repeat purchases),
 * t_x (time of the last purchase, from the first) and T (time from the first purchase to the end of the
 * observation period), all in the same time unit; α is in that unit.
 */
import {betaGeometricObjective, distinctIndex} from "./betageometric.js";
import {expit, hyp2f1, lbeta, lgamma, log1pExp, oneMinusPowOverExponent} from "./special.js";
import {INSTANT_DROPOUT, NO_DROPOUT, PURCHASE_RATES, perCustomer, weightedSum, type LogObjective, type SummaryColumns, type SummaryRows, type TransactionModelSpec} from "./spec.js";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type {SummaryColumns};

/**
 * Log-likelihood of one customer, eq. (6), in log space:
 * L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)) + δ(x>0) B(a+1, b+x-1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
 * where B(a+1, b+x-1) / B(a, b+x) = a / (b+x-1); the sum is taken with log-sum-exp.
 */
export function logLikelihood({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  const common = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lbeta(a, b + x) - lbeta(a, b);
  const u1 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + u1;
  const u2 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return common + (u1 > u2 ? u1 + log1pExp(u2 - u1) : u2 + log1pExp(u1 - u2));
}

/** Eq. (6) for each customer. */
export function logLikelihoods(params: BgNbdParams, data: SummaryColumns): Float64Array {
  return perCustomer(logLikelihood, params, data);
}

/** Σ w_i · LL_i (weights default to 1: one row per customer). */
export function totalLogLikelihood(params: BgNbdParams, data: SummaryColumns, {weights}: {weights?: ArrayLike<number>} = {}): number {
  return weightedSum(logLikelihoods(params, data), weights);
}

/**
 * [1 - (1-z)^(a-1) ₂F₁(a+b-1-r, a-1; a+b+x-1; z)] / (a-1): the bracket of eq. (7) (x = 0, z = t/(α+t)) and
 * eq. (10) (z = t/(α+T+t)), after the Euler transformation ₂F₁(r+x, b+x; c; z) = (1-z)^(c-r-b-2x) ₂F₁(c-r-x, c-b-x; c; z)
 * with c = a+b+x-1, which keeps the series parameters small for any x. Near a = 1 (removable singularity) it is
 * summed as [1-(1-z)^(a-1)]/(a-1) - (1-z)^(a-1) Σ_{n>=1} (a+b-1-r)_n (a)_{n-1} / ((c)_n n!) z^n.
 */
export function expectationBracket(r: number, a: number, b: number, x: number, z: number): number {
  const c = a + b + x - 1;
  const A = a + b - 1 - r;
  const e = a - 1;
  const w = 1 - z;
  if (Math.abs(e) >= 1e-3) {
    const value = (1 - Math.exp(e * Math.log(w)) * hyp2f1(A, e, c, z)) / e;
    // With a and b large (data where almost nobody drops out push them towards 1e6) the Euler-transformed
    // ₂F₁ overflows while (1-z)^(a-1) underflows: then the untransformed form, whose series converges fast there.
    return Number.isFinite(value) ? value : (1 - untransformedTerm(r + x, b + x, c, z)) / e;
  }
  let term = 1; // (A)_n (a)_{n-1} / ((c)_n n!) z^n, starting at n = 1 below
  let sum = 0;
  for (let n = 1; n < 1_000_000; n++) {
    term *= ((A + n - 1) * (n === 1 ? 1 : a + n - 2) * z) / ((c + n - 1) * n);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return oneMinusPowOverExponent(w, e) - Math.exp(e * Math.log(w)) * sum;
}

/**
 * (1-z)^p ₂F₁(p, q; c; z) for p, q, c > 0 and 0 <= z < 1 by the Gauss series, its terms positive; the sum is
 * rescaled as it grows, so that neither the sum (up to (1-z)^-p) nor the power overflows.
 */
function untransformedTerm(p: number, q: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let n = 0; n < 1_000_000; n++) {
    term *= ((p + n) * (q + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (sum > 1e250) {
      sum *= 1e-250;
      term *= 1e-250;
      logScale += 250 * Math.LN10;
    }
    if (term <= 1e-17 * sum) break;
  }
  return Math.exp(p * Math.log1p(-z) + logScale + Math.log(sum));
}

/**
 * Expected number of repeat purchases of a new customer in (0, t], eq. (7):
 * E[X(t)] = (a+b-1)/(a-1) · [1 - (α/(α+t))^r ₂F₁(r, b; a+b-1; t/(α+t))].
 */
export function expectedPurchases({r, alpha, a, b}: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  return (a + b - 1) * expectationBracket(r, a, b, 0, t / (alpha + t));
}

/**
 * Expected number of purchases in (T, T+t] of a customer with history (x, t_x, T), eq. (10):
 * E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x-1; t/(α+T+t))]
 *                       / [1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)].
 * The denominator is 1 / P(alive).
 */
export function conditionalExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const {r, alpha, a, b} = params;
  const bracket = (a + b + x - 1) * expectationBracket(r, a, b, x, t / (alpha + T + t));
  return bracket * probabilityAlive(params, x, tx, T);
}

/**
 * P(alive | x, t_x, T) (Fader, Hardie & Lee 2008 note, eq. 3):
 * 1 / [1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)], computed as expit of the negated log-odds.
 */
export function probabilityAlive({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return expit(-logOdds);
}

/**
 * P(X(t) = n) for a randomly chosen customer, eq. (8):
 * B(a, b+n)/B(a, b) · NBD(n; t) + δ(n>0) B(a+1, b+n-1)/B(a, b) · [1 - Σ_{j<n} NBD(j; t)],
 * with NBD(j; t) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j.
 */
export function probabilityOfPurchases({r, alpha, a, b}: BgNbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`probabilityOfPurchases: n must be a non-negative integer, got ${n}`);
  if (t <= 0) return n === 0 ? 1 : 0;
  const lp = Math.log(alpha / (alpha + t));
  const lq = Math.log(t / (alpha + t));
  const logNbd = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * lp + j * lq;
  let p = Math.exp(lbeta(a, b + n) - lbeta(a, b) + logNbd(n));
  if (n > 0) {
    let cdf = 0;
    for (let j = 0; j < n; j++) cdf += Math.exp(logNbd(j));
    const tail = Math.max(0, 1 - cdf);
    p += Math.exp(lbeta(a + 1, b + n - 1) - lbeta(a, b)) * tail;
  }
  return Math.min(1, Math.max(0, p));
}

/**
 * Objective for maximum likelihood over log-parameters (log r, log α, log a, log b) on weighted rows:
 * -Σ w·LL / Σ w with its analytic gradient and Hessian, the kernel it shares with the MBG/NBD (betageometric.ts).
 */
export function negLogLikelihoodObjective(rows: SummaryRows): LogObjective {
  return betaGeometricObjective(rows, 0);
}

export {distinctIndex};

/** Starting points of the fits of the NBD-purchase models (r, α, and two drop-out parameters), rescaled problem. */
export const TRANSACTION_STARTS: readonly (readonly number[])[] = [
  [1, 1, 1, 1],
  [0.5, 5, 0.5, 2],
  [2, 0.5, 2, 0.5],
  [0.1, 10, 0.1, 10]
];

/** The BG/NBD as the registry lists it. */
export const BG_NBD: TransactionModelSpec<BgNbdParams> = {
  name: "bgnbd",
  label: "BG/NBD",
  cliName: "bgnbd",
  citation: "Fader, Hardie & Lee (2005), Counting your customers the easy way",
  parameters: ["r", "alpha", "a", "b"],
  timeScaled: ["alpha"],
  note: "r, α: purchase rates across customers; a, b: the chance of dropping out after each purchase.",
  summaryColumns: ["frequency", "recency", "T"],
  starts: TRANSACTION_STARTS,
  analyticGradient: true,
  analyticHessian: true,
  meanings: {
    a: {"0": NO_DROPOUT, "∞": INSTANT_DROPOUT},
    b: {"∞": NO_DROPOUT, "0": INSTANT_DROPOUT},
    r: PURCHASE_RATES,
    alpha: PURCHASE_RATES
  },
  objective: negLogLikelihoodObjective,
  probabilityAlive,
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityOfPurchases
};
