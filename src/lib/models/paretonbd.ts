/**
 * Pareto/NBD model: Schmittlein, Morrison & Colombo (1987), "Counting your customers: who are they and what
 * will they do next?", Management Science 33(1); likelihood and P(alive) in the form of Fader, Hardie & Lee
 * (2005), "A note on implementing the Pareto/NBD model in MATLAB" (and Fader & Hardie 2005, "A note on deriving
 * the Pareto/NBD model and related expressions", for the expectations).
 *
 * Purchases while alive: Poisson, rate λ ~ Gamma(r, α); lifetime: exponential, rate μ ~ Gamma(s, β).
 * Data per customer: x repeat purchases, t_x time of the last one, T time observed; one time unit throughout.
 */
import {distinctIndex, TRANSACTION_STARTS} from "./bgnbd.js";
import {INSTANT_DROPOUT, NO_DROPOUT, PURCHASE_RATES, perCustomer, weightedSum, type SummaryColumns, type TransactionModelSpec} from "./spec.js";
import {expit, hyp2f1, lgamma, oneMinusPowOverExponent} from "./special.js";

export type {SummaryColumns};

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * log(α^r β^s F(t)) with F(t) = ₂F₁(r+s+x, b'; r+s+x+1; z(t)) / (max(α,β)+t)^(r+s+x), the antiderivative term
 * of the note's A₀ (b' = s+1, z = (α-β)/(α+t) when α >= β; b' = r+x, z = (β-α)/(β+t) when α < β), after the
 * Euler transformation ₂F₁(A, b'; A+1; z) = (1-z)^(1-b') ₂F₁(1, A+1-b'; A+1; z), which avoids overflow for
 * large x. The factor α^r β^s of the likelihood is folded in as r·log(1+t/α) + s·log(1+t/β) (see lead), so
 * that no two large logarithms cancel when s and β (or r and α) both grow large together.
 */
function logF(r: number, alpha: number, s: number, beta: number, x: number, t: number, lead: number, lAlpha: number, lBeta: number): number {
  const A = r + s + x;
  if (alpha >= beta) {
    const z = (alpha - beta) / (alpha + t);
    return -lead - x * lAlpha + Math.log(hyp2f1(1, r + x, A + 1, z));
  }
  const z = (beta - alpha) / (beta + t);
  return -lead + (1 - x) * lAlpha - lBeta + Math.log(hyp2f1(1, s + 1, A + 1, z));
}

/** r·log(1 + t/α) + s·log(1 + t/β) = (r log(α+t) + s log(β+t)) - (r log α + s log β), without cancellation. */
function leadTerm(r: number, alpha: number, s: number, beta: number, t: number): number {
  return r * Math.log1p(t / alpha) + s * Math.log1p(t / beta);
}

/**
 * Whether the ₂F₁ of logF(t) is slow to sum (its terms, of one sign, shrink like z^n · n^(-c+b)): beyond
 * about 2,000 terms. That happens when one of α, β is far larger than the other plus t (z close to 1) and the
 * Euler-transformed ₂F₁ has a + b > 10 (a heavy buyer, r + x > 9, or many alike drop-out rates, s + 1 > 9):
 * exactly where the connection formula in 1 - z would cancel. There J is integrated directly (logJQuadrature).
 */
function slowF(r: number, alpha: number, s: number, beta: number, x: number, t: number): boolean {
  const b = alpha >= beta ? r + x : s + 1;
  if (b <= 9) return false;
  const oneMinusZ = (Math.min(alpha, beta) + t) / (Math.max(alpha, beta) + t);
  return oneMinusZ < 0.02;
}

/**
 * log(α^r β^s J) by composite 20-point Gauss–Legendre on u = log(m + y), m = min(α, β), y ∈ [t_x, T]: there
 * the log of the integrand, L(u) = u - (r+x) log(α-m+e^u) - (s+1) log(β-m+e^u) + r log α + s log β, is concave and analytic within π of the
 * real axis. Panels are as wide as keeps |L'|·h <= 6 (at most 1), and the integration stops once the rest,
 * bounded by e^L(u) · min(remaining width, 1/|L'(u)|) by concavity, is below 1e-17 of the sum. Used where the
 * ₂F₁ series would need thousands of terms (slowF); accurate to about 1e-13 relative.
 */
/** Largest change of L = log(integrand) over one 20-point panel (|L'|·h): e^L is then summed to ~1e-15. */
const PANEL_SPAN = 6;

export function logJQuadrature(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  if (tx >= T) return -Infinity;
  const p = r + x;
  const q = s + 1;
  const m = Math.min(alpha, beta);
  const cA = alpha - m;
  const cB = beta - m;
  const L = (u: number) => {
    const e = Math.exp(u);
    const y = Math.max(0, e - m);
    return u - r * Math.log1p(y / alpha) - x * Math.log(cA + e) - s * Math.log1p(y / beta) - Math.log(cB + e);
  };
  const dL = (u: number) => {
    const e = Math.exp(u);
    return 1 - (p * e) / (cA + e) - (q * e) / (cB + e);
  };
  const u0 = Math.log(m + tx);
  const u1 = Math.log(m + T);
  const {nodes, weights} = gaussLegendre(20);
  const shift = L(u0); // sums are kept relative to e^L(u0)
  let sum = 0;
  let u = u0;
  for (let panel = 0; panel < 100_000 && u < u1; panel++) {
    const slope = Math.abs(dL(u));
    let h = Math.min(1, u1 - u, PANEL_SPAN / Math.max(slope, 1e-300));
    while (h > 1e-12 && Math.abs(dL(u + h)) * h > PANEL_SPAN) h /= 2;
    let part = 0;
    for (let i = 0; i < nodes.length; i++) {
      const v = u + 0.5 * h * (nodes[i] + 1);
      part += weights[i] * Math.exp(L(v) - shift);
    }
    sum += 0.5 * h * part;
    u += h;
    const d = dL(u);
    if (u < u1 && d < 0 && Math.exp(L(u) - shift) * Math.min(u1 - u, 1 / -d) <= 1e-17 * sum) break;
  }
  return shift + Math.log(sum);
}

/**
 * log(α^r β^s J) with J = ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy = [F(t_x) - F(T)] / (r+s+x): the note's A₀
 * term (up to the factor 1/(r+s+x)). -Infinity when t_x = T.
 */
function logJ(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  if (tx >= T) return -Infinity;
  if (slowF(r, alpha, s, beta, x, tx) || slowF(r, alpha, s, beta, x, T)) return logJQuadrature(r, alpha, s, beta, x, tx, T);
  const f1 = logF(r, alpha, s, beta, x, tx, leadTerm(r, alpha, s, beta, tx), Math.log(alpha + tx), Math.log(beta + tx));
  const f2 = logF(r, alpha, s, beta, x, T, leadTerm(r, alpha, s, beta, T), Math.log(alpha + T), Math.log(beta + T));
  return logJFrom(f1, f2, Math.log(r + s + x));
}

/** log J = log(F(t_x) - F(T)) - log(r+s+x) from log F(t_x), log F(T) and log(r+s+x). */
function logJFrom(f1: number, f2: number, logRsx: number): number {
  const d = f2 - f1; // <= 0 up to rounding
  const diff = d < 0 ? (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d))) : -Infinity;
  return f1 + diff - logRsx;
}

/** log(e^u + e^v), stable. */
function logSumExp(u: number, v: number): number {
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

/**
 * Log-likelihood of one customer (the note, eq. 1–3):
 * L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s + s · J ], J as above (the two-branch ₂F₁ form).
 */
export function logLikelihood({r, alpha, s, beta}: ParetoNbdParams, x: number, tx: number, T: number): number {
  return lgamma(r + x) - lgamma(r) + logBracket(r, alpha, s, beta, x, tx, T);
}

function logBracket(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  const u1 = -leadTerm(r, alpha, s, beta, T) - x * Math.log(alpha + T); // log(α^r β^s (α+T)^-(r+x) (β+T)^-s)
  const lj = logJ(r, alpha, s, beta, x, tx, T);
  if (lj === -Infinity) return u1;
  return logSumExp(u1, Math.log(s) + lj);
}

export function logLikelihoods(params: ParetoNbdParams, data: SummaryColumns): Float64Array {
  return perCustomer(logLikelihood, params, data);
}

export function totalLogLikelihood(params: ParetoNbdParams, data: SummaryColumns, {weights}: {weights?: ArrayLike<number>} = {}): number {
  return weightedSum(logLikelihoods(params, data), weights);
}

/**
 * P(alive | x, t_x, T) = 1 / [1 + s · J · (α+T)^(r+x) (β+T)^s] (the note, eq. 4, with A₀ = J·(r+s+x)).
 */
export function probabilityAlive({r, alpha, s, beta}: ParetoNbdParams, x: number, tx: number, T: number): number {
  const lj = logJ(r, alpha, s, beta, x, tx, T);
  if (lj === -Infinity) return 1;
  const logOdds = Math.log(s) + lj + leadTerm(r, alpha, s, beta, T) + x * Math.log(alpha + T);
  return expit(-logOdds);
}

/**
 * Expected purchases of a new customer in (0, t] (Schmittlein et al. 1987, eq. 17):
 * E[X(t)] = rβ / (α(s-1)) · [1 - (β/(β+t))^(s-1)], continuous at s = 1 (rβ/α · log(1 + t/β)).
 */
export function expectedPurchases({r, alpha, s, beta}: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  return ((r * beta) / alpha) * oneMinusPowOverExponent(beta / (beta + t), s - 1);
}

/**
 * Expected purchases in (T, T+t] given (x, t_x, T) (Schmittlein et al. 1987, eq. 22; Fader & Hardie 2005 note):
 * (r+x)(β+T) / ((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] · P(alive | x, t_x, T).
 */
export function conditionalExpectedPurchases(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const {r, alpha, s, beta} = params;
  const alive = ((r + x) * (beta + T)) / (alpha + T) * oneMinusPowOverExponent((beta + T) / (beta + T + t), s - 1);
  return alive * probabilityAlive(params, x, tx, T);
}

/**
 * P(X(t) = n) for a randomly chosen customer, by numerical integration (no closed form is used here):
 * conditioning on the death time τ ~ Exp(μ) and integrating μ ~ Gamma(s, β) and λ ~ Gamma(r, α),
 * P(X(t)=n) = NBD(n; t) (β/(β+t))^s + ∫₀ᵗ NBD(n; τ) (s/β) (β/(β+τ))^(s+1) dτ,
 * with NBD(n; τ) = Γ(r+n)/(Γ(r) n!) (α/(α+τ))^r (τ/(α+τ))^n. The integral uses composite 20-point
 * Gauss–Legendre on u = log(1 + τ/m), m = min(α, β), in panels of width <= 0.25 (relative error ~1e-12).
 */
export function probabilityOfPurchases({r, alpha, s, beta}: ParetoNbdParams, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`probabilityOfPurchases: n must be a non-negative integer, got ${n}`);
  if (t <= 0) return n === 0 ? 1 : 0;
  const c = lgamma(r + n) - lgamma(r) - lgamma(n + 1);
  const logNbd = (tau: number) => c + r * Math.log(alpha / (alpha + tau)) + (n === 0 ? 0 : n * Math.log(tau / (alpha + tau)));
  const first = Math.exp(logNbd(t) + s * Math.log(beta / (beta + t)));
  const m = Math.min(alpha, beta);
  const uMax = Math.log1p(t / m);
  const panels = Math.max(1, Math.ceil(uMax / 0.25));
  const {nodes, weights} = gaussLegendre(20);
  let integral = 0;
  const h = uMax / panels;
  for (let k = 0; k < panels; k++) {
    const mid = (k + 0.5) * h;
    for (let i = 0; i < nodes.length; i++) {
      const u = mid + 0.5 * h * nodes[i];
      const tau = m * Math.expm1(u);
      const dtau = m * Math.exp(u); // dτ/du
      const f = Math.exp(logNbd(tau) + Math.log(s / beta) + (s + 1) * Math.log(beta / (beta + tau)));
      integral += 0.5 * h * weights[i] * f * dtau;
    }
  }
  return Math.min(1, Math.max(0, first + integral));
}

const glCache = new Map<number, {nodes: Float64Array; weights: Float64Array}>();

/** Gauss–Legendre nodes and weights on [-1, 1] by Newton iteration on P_n (Abramowitz & Stegun 25.4.29). */
export function gaussLegendre(n: number): {nodes: Float64Array; weights: Float64Array} {
  const cached = glCache.get(n);
  if (cached) return cached;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  const out = {nodes, weights};
  glCache.set(n, out);
  return out;
}

/**
 * Objective for maximum likelihood over (log r, log α, log s, log β) on weighted rows: -Σ w·LL / Σ w.
 * Value only (the optimiser differentiates numerically). The costly parts of a row's likelihood depend on two
 * of its three numbers only: log F(t) (a ₂F₁) and the first term's log (α+t)^-(r+x) (β+t)^-s on (x, t), for
 * t = t_x and t = T; log Γ(r+x) - log Γ(r) on x. They are computed once per distinct (x, t) pair and x, so a
 * million customers (some 10⁵ distinct rows) cost some 10⁴ ₂F₁ evaluations, and each row adds only the
 * combination of its terms (the same arithmetic as logLikelihood).
 */
export function negLogLikelihoodObjective(
  rows: {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array}
): (theta: Float64Array) => number {
  const n = rows.x.length;
  const {xValues, xIndex} = distinctIndex(rows.x);
  const k = xValues.length;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += rows.weight[i];
  // Distinct (x, t) pairs over t ∈ {t_x, T}; pairX/pairT hold each pair's values.
  const pairOf = new Map<number, Map<number, number>>();
  const pairX: number[] = [];
  const pairT: number[] = [];
  const pair = (x: number, t: number): number => {
    let inner = pairOf.get(x);
    if (!inner) pairOf.set(x, (inner = new Map()));
    let p = inner.get(t);
    if (p === undefined) {
      p = pairX.length;
      inner.set(t, p);
      pairX.push(x);
      pairT.push(t);
    }
    return p;
  };
  const txPair = new Int32Array(n);
  const TPair = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    txPair[i] = rows.tx[i] < rows.T[i] ? pair(rows.x[i], rows.tx[i]) : -1; // no J term when t_x = T
    TPair[i] = pair(rows.x[i], rows.T[i]);
  }
  const m = pairX.length;
  const logFp = new Float64Array(m); // log F(t) for the pair's x
  const firstP = new Float64Array(m); // log(α^r β^s (α+t)^-(r+x) (β+t)^-s)
  const cX = new Float64Array(k); // log Γ(r+x) - log Γ(r)
  const logRsx = new Float64Array(k); // log(r+s+x)
  const {weight: W} = rows;
  return (theta) => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const s = Math.exp(theta[2]);
    const beta = Math.exp(theta[3]);
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0) || !Number.isFinite(r + alpha + s + beta)) return NaN;
    const lgR = lgamma(r);
    for (let j = 0; j < k; j++) {
      cX[j] = lgamma(r + xValues[j]) - lgR;
      logRsx[j] = Math.log(r + s + xValues[j]);
    }
    for (let p = 0; p < m; p++) {
      const x = pairX[p];
      const t = pairT[p];
      const lA = Math.log(alpha + t);
      const lB = Math.log(beta + t);
      const lead = leadTerm(r, alpha, s, beta, t);
      logFp[p] = slowF(r, alpha, s, beta, x, t) ? NaN : logF(r, alpha, s, beta, x, t, lead, lA, lB); // NaN: J by quadrature
      firstP[p] = -lead - x * lA;
    }
    const logS = Math.log(s);
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const j = xIndex[i];
      const u1 = firstP[TPair[i]];
      const pt = txPair[i];
      let bracket = u1;
      if (pt >= 0) {
        const f1 = logFp[pt];
        const f2 = logFp[TPair[i]];
        const lj = Number.isNaN(f1) || Number.isNaN(f2) ? logJQuadrature(r, alpha, s, beta, xValues[j], rows.tx[i], rows.T[i]) : logJFrom(f1, f2, logRsx[j]);
        if (lj !== -Infinity) bracket = logSumExp(u1, logS + lj);
      }
      ll += W[i] * (cX[j] + bracket);
    }
    return -ll / totalWeight;
  };
}

/** The Pareto/NBD as the registry lists it. */
export const PARETO_NBD: TransactionModelSpec<ParetoNbdParams> = {
  name: "paretonbd",
  label: "Pareto/NBD",
  cliName: "pareto-nbd",
  citation: "Schmittlein, Morrison & Colombo (1987), Counting your customers: who are they and what will they do next?",
  parameters: ["r", "alpha", "s", "beta"],
  timeScaled: ["alpha", "beta"],
  note: "r, α: purchase rates across customers; s, β: dropout rates across customers.",
  summaryColumns: ["frequency", "recency", "T"],
  starts: TRANSACTION_STARTS,
  analyticGradient: false,
  meanings: {
    s: {"0": NO_DROPOUT, "∞": "drop-out rates look the same for every customer, so the model cannot tell how they vary"},
    beta: {"∞": NO_DROPOUT, "0": INSTANT_DROPOUT},
    r: PURCHASE_RATES,
    alpha: PURCHASE_RATES
  },
  objective: negLogLikelihoodObjective,
  probabilityAlive,
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityOfPurchases
};
