/**
 * MBG/NBD model: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
 * customer base analysis", International Journal of Research in Marketing 24(3), 201–209 (equation numbers
 * below refer to that paper), as implemented in lifetimes' ModifiedBetaGeoFitter and BTYDplus.
 *
 * As the BG/NBD (bgnbd.ts), purchases while active follow a Poisson process with rate λ ~ Gamma(r, α) and the
 * customer drops out with probability p ~ Beta(a, b) after each repeat purchase, and also at time 0, right
 * after the first purchase: so a customer without repeat purchases may be gone (P(alive) < 1). Conditional on
 * not dropping out at time 0, p is Beta(a, b+1) and the customer follows a BG/NBD with (r, α, a, b+1): the
 * identities the tests check. x = repeat purchases, t_x = time of the last, T = time observed, α in that unit.
 */
import {expectationBracket, TRANSACTION_STARTS} from "./bgnbd.js";
import {betaGeometricObjective} from "./betageometric.js";
import {expit, lbeta, lgamma, log1pExp} from "./special.js";
import {INSTANT_DROPOUT, NO_DROPOUT, PURCHASE_RATES, perCustomer, weightedSum, type LogObjective, type SummaryColumns, type SummaryRows, type TransactionModelSpec} from "./spec.js";

export interface MbgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Log-likelihood of one customer, eq. (4):
 * L = Γ(r+x) α^r / Γ(r) · B(a, b+x+1)/B(a, b) · [(α+T)^-(r+x) + a/(b+x) · (α+t_x)^-(r+x)],
 * for every x including 0 (then t_x = 0: the second term is the customer gone at time 0); log-sum-exp.
 */
export function logLikelihood({r, alpha, a, b}: MbgNbdParams, x: number, tx: number, T: number): number {
  const common = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lbeta(a, b + x + 1) - lbeta(a, b);
  const u1 = -(r + x) * Math.log(alpha + T);
  const u2 = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + (x === 0 ? 0 : tx));
  return common + (u1 > u2 ? u1 + log1pExp(u2 - u1) : u2 + log1pExp(u1 - u2));
}

/** Eq. (4) for each customer. */
export function logLikelihoods(params: MbgNbdParams, data: SummaryColumns): Float64Array {
  return perCustomer(logLikelihood, params, data);
}

/** Σ w_i · LL_i (weights default to 1). */
export function totalLogLikelihood(params: MbgNbdParams, data: SummaryColumns, {weights}: {weights?: ArrayLike<number>} = {}): number {
  return weightedSum(logLikelihoods(params, data), weights);
}

/**
 * P(alive | x, t_x, T), eq. (5): 1 / [1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)] (no exception at x = 0), as the expit
 * of the negated log-odds.
 */
export function probabilityAlive({r, alpha, a, b}: MbgNbdParams, x: number, tx: number, T: number): number {
  const t = x === 0 ? 0 : tx;
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * Math.log1p((T - t) / (alpha + t));
  return expit(-logOdds);
}

/**
 * Expected repeat purchases of a new customer in (0, t], eq. (6):
 * E[X(t)] = b/(a-1) · [1 - (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))], summed as the BG/NBD bracket with b+1 (which
 * stays finite at a = 1).
 */
export function expectedPurchases({r, alpha, a, b}: MbgNbdParams, t: number): number {
  if (t <= 0) return 0;
  return b * expectationBracket(r, a, b + 1, 0, t / (alpha + t));
}

/**
 * Expected purchases in (T, T+t] given (x, t_x, T), eq. (7):
 * (a+b+x)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive | x, t_x, T).
 */
export function conditionalExpectedPurchases(params: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const {r, alpha, a, b} = params;
  return (a + b + x) * expectationBracket(r, a, b + 1, x, t / (alpha + T + t)) * probabilityAlive(params, x, tx, T);
}

/**
 * P(X(t) = n) for a new customer: the customer still active after n purchases (probability (1-p)^(n+1)) made
 * exactly n, or dropped out at the n-th opportunity (p (1-p)^n) having made at least n:
 * B(a, b+n+1)/B(a, b) · NBD(n; t) + B(a+1, b+n)/B(a, b) · [1 - Σ_{j<n} NBD(j; t)].
 */
export function probabilityOfPurchases({r, alpha, a, b}: MbgNbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`probabilityOfPurchases: n must be a non-negative integer, got ${n}`);
  if (t <= 0) return n === 0 ? 1 : 0;
  const lp = Math.log(alpha / (alpha + t));
  const lq = Math.log(t / (alpha + t));
  const logNbd = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * lp + j * lq;
  let cdf = 0;
  for (let j = 0; j < n; j++) cdf += Math.exp(logNbd(j));
  const p = Math.exp(lbeta(a, b + n + 1) - lbeta(a, b) + logNbd(n)) + Math.exp(lbeta(a + 1, b + n) - lbeta(a, b)) * Math.max(0, 1 - cdf);
  return Math.min(1, Math.max(0, p));
}

/**
 * -Σ w·LL / Σ w over (log r, log α, log a, log b) with its analytic gradient and Hessian: the kernel it shares
 * with the BG/NBD (betageometric.ts), with b+x+1 in place of b+x and the second term at x = 0 too.
 */
export function negLogLikelihoodObjective(rows: SummaryRows): LogObjective {
  return betaGeometricObjective(rows, 1);
}

/** The MBG/NBD as the registry lists it. */
export const MBG_NBD: TransactionModelSpec<MbgNbdParams> = {
  name: "mbgnbd",
  label: "MBG/NBD",
  cliName: "mbgnbd",
  citation: "Batislam, Denizel & Filiztekin (2007), Empirical validation and comparison of models for customer base analysis",
  parameters: ["r", "alpha", "a", "b"],
  timeScaled: ["alpha"],
  note: "r, α: purchase rates across customers; a, b: the chance of dropping out at the first purchase and after each repeat purchase.",
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
