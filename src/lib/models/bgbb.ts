/**
 * BG/BB model for discrete-time opportunities: Fader, Hardie & Shang (2010), "Customer-base analysis in a
 * discrete-time noncontractual setting", Marketing Science 29(6), 1086–1108 (equation numbers below refer to
 * that paper).
 *
 * At each of n transaction opportunities (a yearly appeal, an event) an active customer transacts with
 * probability p ~ Beta(α, β); before each opportunity after the first transaction the customer may drop out,
 * for good, with probability θ ~ Beta(γ, δ). A customer is summarised by x (repeat transactions: opportunities
 * with a transaction), t_x (the opportunity of the last one, 0 when x = 0) and n (the opportunities observed),
 * all whole numbers with x <= t_x <= n; the summary columns frequency, recency and T carry x, t_x and n. No
 * parameter carries a time unit.
 *
 * B(γ, δ+t)/B(γ, δ) is the chance of being alive at opportunity t; consecutive ones differ by the factor
 * (δ+t)/(γ+δ+t), which is how the sums over opportunities below are computed.
 */
import {digamma, hyp2f1, lbeta, lgamma} from "./special.js";
import {perCustomer, weightedSum, type SummaryColumns, type SummaryRows, type TransactionModelSpec} from "./spec.js";

export interface BgBbParams {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

/** Throws unless (x, t_x, n) is a discrete summary: whole numbers with x <= t_x <= n and t_x >= 1 when x >= 1. */
export function checkOpportunities(x: number, tx: number, n: number): void {
  const whole = (v: number) => Number.isInteger(v) && v >= 0;
  if (!whole(x) || !whole(tx) || !whole(n) || x > n || tx > n || (x > 0 && tx < x) || (x === 0 && tx !== 0)) {
    throw new Error(
      `BG/BB counts opportunities: frequency, recency and T must be whole numbers with frequency <= recency <= T (recency 0 when frequency is 0), got ${x}, ${tx}, ${n}`
    );
  }
}

/**
 * The terms of the likelihood, eq. (5), in logs: the customer alive through all n opportunities,
 * B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ), and dead after opportunity t_x+i, i = 0 … n−t_x−1,
 * B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ).
 */
function logTerms({alpha, beta, gamma, delta}: BgBbParams, x: number, tx: number, n: number): number[] {
  const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
  const out = [lbeta(alpha + x, beta + n - x) + lbeta(gamma, delta + n) + base];
  for (let i = 0; i < n - tx; i++) out.push(lbeta(alpha + x, beta + tx - x + i) + lbeta(gamma + 1, delta + tx + i) + base);
  return out;
}

function logSum(values: number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  if (m === -Infinity) return m;
  let s = 0;
  for (const v of values) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** Log-likelihood of one customer, eq. (5). */
export function logLikelihood(params: BgBbParams, x: number, tx: number, n: number): number {
  checkOpportunities(x, tx, n);
  return logSum(logTerms(params, x, tx, n));
}

export function logLikelihoods(params: BgBbParams, data: SummaryColumns): Float64Array {
  return perCustomer(logLikelihood, params, data);
}

/** Σ w_i · LL_i (weights default to 1: one row per customer). */
export function totalLogLikelihood(params: BgBbParams, data: SummaryColumns, {weights}: {weights?: ArrayLike<number>} = {}): number {
  return weightedSum(logLikelihoods(params, data), weights);
}

/** Σ_{t=from}^{to} B(γ, δ+t)/B(γ, δ): expected opportunities alive among from … to (to may be Infinity only with a discount). */
function aliveSum(gamma: number, delta: number, from: number, to: number, discount = 1): number {
  // Term at t = from, then the ratio (δ+t)/(γ+δ+t) · discount per step.
  let term = Math.exp(lbeta(gamma, delta + from) - lbeta(gamma, delta));
  let sum = 0;
  for (let t = from; t <= to; t++) {
    sum += term;
    term *= ((delta + t) / (gamma + delta + t)) * discount;
  }
  return sum;
}

/**
 * P(alive at opportunity n+1 | x, t_x, n), eq. (11): B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L(x, t_x, n).
 */
export function probabilityAlive(params: BgBbParams, x: number, tx: number, n: number): number {
  const {alpha, beta, gamma, delta} = params;
  const ll = logLikelihood(params, x, tx, n);
  const v = Math.exp(lbeta(alpha + x, beta + n - x) - lbeta(alpha, beta) + lbeta(gamma, delta + n + 1) - lbeta(gamma, delta) - ll);
  return Math.min(1, Math.max(0, v));
}

/**
 * Expected transactions in the first n opportunities of a new customer, eq. (8):
 * α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)/Γ(γ+δ+n) · Γ(1+δ+n)/Γ(1+δ)], summed as α/(α+β) · Σ_{t=1}^{n} B(γ, δ+t)/B(γ, δ)
 * (the same number, and finite at γ = 1). `n` is rounded down to a whole number of opportunities.
 */
export function expectedPurchases({alpha, beta, gamma, delta}: BgBbParams, n: number): number {
  const m = Math.floor(n);
  if (m <= 0) return 0;
  return (alpha / (alpha + beta)) * aliveSum(gamma, delta, 1, m);
}

/**
 * Expected transactions in the next n* opportunities (n+1 … n+n*) given (x, t_x, n), eq. (13):
 * B(α+x+1, β+n−x)/B(α,β) · Σ_{t=n+1}^{n+n*} B(γ, δ+t)/B(γ,δ) / L(x, t_x, n).
 */
export function conditionalExpectedPurchases(params: BgBbParams, nStar: number, x: number, tx: number, n: number): number {
  const m = Math.floor(nStar);
  if (m <= 0) return 0;
  const {alpha, beta, gamma, delta} = params;
  const ll = logLikelihood(params, x, tx, n);
  return Math.exp(lbeta(alpha + x + 1, beta + n - x) - lbeta(alpha, beta) - ll) * aliveSum(gamma, delta, n + 1, n + m);
}

/**
 * P(X(n) = x) for a new customer, eq. (7):
 * C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ).
 */
export function probabilityOfPurchases({alpha, beta, gamma, delta}: BgBbParams, n: number, x: number): number {
  if (!Number.isInteger(x) || x < 0) throw new Error(`probabilityOfPurchases: x must be a non-negative integer, got ${x}`);
  const m = Math.floor(n);
  if (x > m) return 0;
  const lchoose = (a: number, b: number) => lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
  const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
  let p = Math.exp(lchoose(m, x) + lbeta(alpha + x, beta + m - x) + lbeta(gamma, delta + m) + base);
  for (let i = x; i < m; i++) p += Math.exp(lchoose(i, x) + lbeta(alpha + x, beta + i - x) + lbeta(gamma + 1, delta + i) + base);
  return Math.min(1, Math.max(0, p));
}

/**
 * Discounted expected residual transactions, eq. (14), with discount rate d per opportunity:
 * B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ)(1+d)) · ₂F₁(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L(x, t_x, n).
 * Multiply by the value of a transaction for the customer's residual lifetime value.
 */
export function discountedExpectedResidualTransactions(params: BgBbParams, d: number, x: number, tx: number, n: number): number {
  if (!(d > 0) || !Number.isFinite(d)) throw new Error(`discount rate must be a positive number, got ${d}`);
  const {alpha, beta, gamma, delta} = params;
  const ll = logLikelihood(params, x, tx, n);
  const lead = lbeta(alpha + x + 1, beta + n - x) - lbeta(alpha, beta) + lbeta(gamma, delta + n + 1) - lbeta(gamma, delta) - Math.log1p(d) - ll;
  return Math.exp(lead) * hyp2f1(1, delta + n + 1, gamma + delta + n + 1, 1 / (1 + d));
}

/**
 * -Σ w·LL / Σ w over (log α, log β, log γ, log δ), with its analytic gradient: each term of eq. (5) is a product of
 * beta functions, whose log-derivatives are digamma differences; a row's gradient is the terms' gradients
 * weighted by their shares of the row's likelihood.
 */
export function negLogLikelihoodObjective(rows: SummaryRows): (theta: Float64Array, grad?: Float64Array) => number {
  const n = rows.x.length;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    checkOpportunities(rows.x[i], rows.tx[i], rows.T[i]);
    totalWeight += rows.weight[i];
  }
  const terms: number[] = [];
  const dA: number[] = [];
  const dB: number[] = [];
  const dG: number[] = [];
  const dD: number[] = [];
  return (theta, grad) => {
    const alpha = Math.exp(theta[0]);
    const beta = Math.exp(theta[1]);
    const gamma = Math.exp(theta[2]);
    const delta = Math.exp(theta[3]);
    if (!(alpha > 0 && beta > 0 && gamma > 0 && delta > 0) || !Number.isFinite(alpha + beta + gamma + delta)) return NaN;
    const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
    const psiA = grad ? digamma(alpha) : 0;
    const psiB = grad ? digamma(beta) : 0;
    const psiAB = grad ? digamma(alpha + beta) : 0;
    const psiG = grad ? digamma(gamma) : 0;
    const psiD = grad ? digamma(delta) : 0;
    const psiGD = grad ? digamma(gamma + delta) : 0;
    let ll = 0;
    let gA = 0;
    let gB = 0;
    let gG = 0;
    let gD = 0;
    for (let r = 0; r < n; r++) {
      const x = rows.x[r];
      const tx = rows.tx[r];
      const T = rows.T[r];
      const w = rows.weight[r];
      if (w === 0) continue;
      terms.length = dA.length = dB.length = dG.length = dD.length = 0;
      // (m, g, k): B(α+x, β+m) · B(γ+g, δ+k)
      const add = (m: number, g: number, k: number) => {
        terms.push(lbeta(alpha + x, beta + m) + lbeta(gamma + g, delta + k) + base);
        if (grad) {
          const psiABm = digamma(alpha + beta + x + m);
          const psiGDk = digamma(gamma + delta + g + k);
          dA.push(digamma(alpha + x) - psiABm - psiA + psiAB);
          dB.push(digamma(beta + m) - psiABm - psiB + psiAB);
          dG.push(digamma(gamma + g) - psiGDk - psiG + psiGD);
          dD.push(digamma(delta + k) - psiGDk - psiD + psiGD);
        }
      };
      add(T - x, 0, T);
      for (let i = 0; i < T - tx; i++) add(tx - x + i, 1, tx + i);
      const lse = logSum(terms);
      ll += w * lse;
      if (grad) {
        for (let j = 0; j < terms.length; j++) {
          const share = Math.exp(terms[j] - lse);
          gA += w * share * dA[j];
          gB += w * share * dB[j];
          gG += w * share * dG[j];
          gD += w * share * dD[j];
        }
      }
    }
    if (grad) {
      grad[0] = (-gA * alpha) / totalWeight;
      grad[1] = (-gB * beta) / totalWeight;
      grad[2] = (-gG * gamma) / totalWeight;
      grad[3] = (-gD * delta) / totalWeight;
    }
    return -ll / totalWeight;
  };
}

const SAME_CHANCE = "the chance of a transaction at an opportunity looks the same for every customer, so the model cannot tell how it varies";
const NO_DROPOUT_DISCRETE = "the data show almost no drop-out between opportunities, so the model cannot tell how fast customers leave";

/** The BG/BB as the registry lists it (among the discrete-time models: see index.ts). */
export const BG_BB: TransactionModelSpec<BgBbParams> = {
  name: "bgbb",
  label: "BG/BB",
  cliName: "bgbb",
  citation: "Fader, Hardie & Shang (2010), Customer-base analysis in a discrete-time noncontractual setting",
  parameters: ["alpha", "beta", "gamma", "delta"],
  timeScaled: [],
  note: "α, β: the chance of a transaction at each opportunity across customers; γ, δ: the chance of dropping out before each opportunity.",
  summaryColumns: ["frequency", "recency", "T"],
  starts: [
    [1, 1, 1, 1],
    [1, 1, 0.5, 3],
    [0.5, 0.5, 0.5, 0.5],
    [3, 1, 2, 5]
  ],
  analyticGradient: true,
  meanings: {
    alpha: {"∞": SAME_CHANCE},
    beta: {"∞": SAME_CHANCE},
    gamma: {"0": NO_DROPOUT_DISCRETE},
    delta: {"∞": NO_DROPOUT_DISCRETE}
  },
  objective: negLogLikelihoodObjective,
  probabilityAlive,
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityOfPurchases
};
