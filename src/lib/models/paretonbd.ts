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
import {digamma, expit, hyp2f1, lgamma, oneMinusPowOverExponent, trigamma} from "./special.js";

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
  return jQuadrature(r, alpha, s, beta, x, tx, T, null);
}

/**
 * logJQuadrature, and with `jet` also its gradient and Hessian in θ = log(r, α, s, β): at each node y the
 * integrand's log has the jet of powerTermJet (k = 1), so ∇ log J = Σ eᵢ ∇ℓᵢ / Σ eᵢ and ∇² log J =
 * Σ eᵢ (∇²ℓᵢ + ∇ℓᵢ∇ℓᵢᵀ) / Σ eᵢ - ∇ log J ∇ log Jᵀ, eᵢ the nodes' terms of the sum (the derivative of the exact
 * integral is the integral of the derivative at fixed y; the same nodes integrate both).
 */
function jQuadrature(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number, jet: Float64Array | null): number {
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
  const logAlpha = jet ? Math.log(alpha) : 0;
  const logBeta = jet ? Math.log(beta) : 0;
  const shift = L(u0); // sums are kept relative to e^L(u0)
  if (jet) jet.fill(0);
  let sum = 0;
  let u = u0;
  for (let panel = 0; panel < 100_000 && u < u1; panel++) {
    const slope = Math.abs(dL(u));
    let h = Math.min(1, u1 - u, PANEL_SPAN / Math.max(slope, 1e-300));
    while (h > 1e-12 && Math.abs(dL(u + h)) * h > PANEL_SPAN) h /= 2;
    let part = 0;
    for (let i = 0; i < nodes.length; i++) {
      const v = u + 0.5 * h * (nodes[i] + 1);
      const term = weights[i] * Math.exp(L(v) - shift);
      part += term;
      if (jet) {
        powerTermJet(r, alpha, s, beta, x, 1, Math.max(0, Math.exp(v) - m), nodeJet, 0, logAlpha, logBeta);
        const e = 0.5 * h * term;
        for (let a = 0; a < 4; a++) {
          const ga = nodeJet[G + a];
          jet[G + a] += e * ga;
          for (let b = 0; b < 4; b++) jet[H + 4 * a + b] += e * (nodeJet[H + 4 * a + b] + ga * nodeJet[G + b]);
        }
      }
    }
    sum += 0.5 * h * part;
    u += h;
    const d = dL(u);
    if (u < u1 && d < 0 && Math.exp(L(u) - shift) * Math.min(u1 - u, 1 / -d) <= 1e-17 * sum) break;
  }
  const value = shift + Math.log(sum);
  if (jet) {
    jet[0] = value;
    for (let a = 0; a < 4; a++) jet[G + a] /= sum;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) jet[H + 4 * a + b] = jet[H + 4 * a + b] / sum - jet[G + a] * jet[G + b];
  }
  return value;
}

const nodeJet = new Float64Array(21);

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

/** Distinct (x, t) pairs beyond which the objective stops sharing per-pair terms and works row by row. */
const MAX_PAIRS = 65_536;

/**
 * Objective for maximum likelihood over θ = (log r, log α, log s, log β) on weighted rows: -Σ w·LL / Σ w, with
 * its analytic gradient and Hessian when asked for them (the jets below). The costly parts of a row's
 * likelihood depend on two of its three numbers only: log F(t) (a ₂F₁) and the first term's log
 * (α+t)^-(r+x) (β+t)^-s on (x, t), for t = t_x and t = T; log Γ(r+x) - log Γ(r) on x. When the rows share
 * few (x, t) pairs (summaries on a grid of days: up to `maxPairs` pairs, default MAX_PAIRS) those are computed once per pair and x;
 * with continuous times (about one pair per row) per row, without the cost of finding pairs that do not repeat.
 * The value alone (no `grad`) is computed as logLikelihood does (₂F₁ by special.ts); with derivatives by the
 * differentiated series (logHypJet), or J's quadrature where z > SERIES_Z, so that the fit takes Newton steps
 * (a million customers on continuous times: from the extrapolated coarse start (fit/transaction.ts coarseStart) one
 * evaluated Newton step and a last one on the model's word, two evaluations).
 */
export function negLogLikelihoodObjective(
  rows: {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array},
  {maxPairs = MAX_PAIRS}: {maxPairs?: number} = {}
): (theta: Float64Array, grad?: Float64Array, hess?: Float64Array) => number {
  const n = rows.x.length;
  const {xValues, xIndex} = distinctIndex(rows.x);
  const k = xValues.length;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += rows.weight[i];
  // Distinct (x, t) pairs over t ∈ {t_x, T}; pairX/pairT hold each pair's values. Abandoned (pairs = null)
  // past MAX_PAIRS.
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
  let txPair: Int32Array | null = new Int32Array(n);
  let TPair: Int32Array | null = new Int32Array(n);
  // Continuous times (a million customers: about one pair per row): when an evenly spread sample of some 4,096
  // rows has 99% distinct (x, T) pairs, the rows hold far more than maxPairs pairs (drawn from maxPairs pairs, a
  // sample that size would repeat some 3%), and hashing them (some 50 ms on a million rows) is skipped.
  if (n > 4 * maxPairs && n >= 65_536) {
    const seen = new Set<string>();
    const stride = Math.floor(n / 4096); // >= 16
    let sampled = 0;
    for (let i = 0; i < n; i += stride, sampled++) seen.add(`${rows.x[i]},${rows.T[i]}`);
    if (seen.size >= 0.99 * sampled) txPair = TPair = null;
  }
  for (let i = 0; txPair && TPair && i < n; i++) {
    txPair[i] = rows.tx[i] < rows.T[i] ? pair(rows.x[i], rows.tx[i]) : -1; // no J term when t_x = T
    TPair[i] = pair(rows.x[i], rows.T[i]);
    if (pairX.length > maxPairs) {
      txPair = TPair = null;
      break;
    }
  }
  pairOf.clear();
  const m = txPair ? pairX.length : 0;
  const logFp = new Float64Array(m); // log F(t) for the pair's x
  const firstP = new Float64Array(m); // log(α^r β^s (α+t)^-(r+x) (β+t)^-s)
  const cX = new Float64Array(k); // log Γ(r+x) - log Γ(r)
  const dX = new Float64Array(k); // its derivative in log r
  const ddX = new Float64Array(k); // and second derivative
  const logRsx = new Float64Array(k); // log(r+s+x)
  const {weight: W, x: X, tx: TX, T: TT} = rows;
  // Jets: per pair (F; the first term at T) when pairs are shared, and scratch for one row.
  const pairJets = txPair ? new Float64Array(m * JET) : null;
  const firstJets = txPair ? new Float64Array(m * JET) : null;
  const quadPair = new Uint8Array(m); // the pair's F is not summed here (J by quadrature)
  const first = new Float64Array(JET);
  const l2 = new Float64Array(JET);
  const l3 = new Float64Array(JET);
  const rowJet = new Float64Array(JET);
  const total = new Float64Array(JET);
  const jets = [first, l2, l3];
  const zeroJets = new Float64Array(k * JET); // F(0) per x, per row mode: ℓ2 with its scale terms (see below)
  const zeroF = new Float64Array(k); // log F(0) per x
  const zeroDone = new Uint8Array(k);
  const series = seriesTables(k);
  // The x index of each pair (the series tables are per x).
  const pairJ = new Int32Array(m);
  if (m > 0) {
    const jOf = new Map<number, number>();
    for (let j = 0; j < k; j++) jOf.set(xValues[j], j);
    for (let p = 0; p < m; p++) pairJ[p] = jOf.get(pairX[p])!;
  }

  /** Value only: the same arithmetic as logLikelihood. */
  const value = (r: number, alpha: number, s: number, beta: number): number => {
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
      if (!txPair || !TPair) {
        ll += W[i] * (cX[j] + logBracket(r, alpha, s, beta, X[i], TX[i], TT[i]));
        continue;
      }
      const u1 = firstP[TPair[i]];
      const pt = txPair[i];
      let bracket = u1;
      if (pt >= 0) {
        const a = logFp[pt];
        const b = logFp[TPair[i]];
        const lj = Number.isNaN(a) || Number.isNaN(b) ? logJQuadrature(r, alpha, s, beta, xValues[j], TX[i], TT[i]) : logJFrom(a, b, logRsx[j]);
        if (lj !== -Infinity) bracket = logSumExp(u1, logS + lj);
      }
      ll += W[i] * (cX[j] + bracket);
    }
    return ll;
  };

  /** Whether J of a row with this x and t_x is integrated (z at t_x beyond SERIES_Z, or slowF). */
  const quadrature = (r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): boolean => {
    const z = alpha >= beta ? (alpha - beta) / (alpha + tx) : (beta - alpha) / (beta + tx);
    return z > SERIES_Z || slowF(r, alpha, s, beta, x, tx) || slowF(r, alpha, s, beta, x, T);
  };

  /** The jet of log F(t) (see logF) into out. */
  const logFJet = (r: number, alpha: number, s: number, beta: number, j: number, t: number, out: Float64Array, off: number, logAlpha: number, logBeta: number): void => {
    const x = xValues[j];
    if (alpha >= beta) powerTermJet(r, alpha, s, beta, x, 0, t, out, off, logAlpha, logBeta);
    else powerTermJet(r, alpha, s, beta, x - 1, 1, t, out, off, logAlpha, logBeta);
    logHypJet(r, alpha, s, beta, x, t, out, off, series, j);
  };

  /** Value, gradient and Hessian of Σ w·LL into `total`. */
  const jetsOf = (r: number, alpha: number, s: number, beta: number): void => {
    total.fill(0);
    zeroDone.fill(0);
    series.len.fill(0);
    const logAlpha = Math.log(alpha);
    const logBeta = Math.log(beta);
    if (pairJets && firstJets) {
      for (let p = 0; p < m; p++) {
        const x = pairX[p];
        const t = pairT[p];
        const z = alpha >= beta ? (alpha - beta) / (alpha + t) : (beta - alpha) / (beta + t);
        quadPair[p] = z > SERIES_Z || slowF(r, alpha, s, beta, x, t) ? 1 : 0;
        if (!quadPair[p]) logFJet(r, alpha, s, beta, pairJ[p], t, pairJets, p * JET, logAlpha, logBeta);
        powerTermJet(r, alpha, s, beta, x, 0, t, firstJets, p * JET, logAlpha, logBeta);
      }
    }
    const logS = Math.log(s);
    for (let i = 0; i < n; i++) {
      const j = xIndex[i];
      const x = X[i];
      const tx = TX[i];
      const T = TT[i];
      let logRatioT = 0; // log(α+T) - log(β+T)
      if (firstJets && TPair) copyJet(firstJets, TPair[i] * JET, first);
      else logRatioT = powerTermJet(r, alpha, s, beta, x, 0, T, first, 0, logAlpha, logBeta);
      let jet = first;
      if (tx < T) {
        const quad = txPair && TPair ? quadPair[txPair[i]] || quadPair[TPair[i]] : quadrature(r, alpha, s, beta, x, tx, T);
        if (quad) {
          jQuadrature(r, alpha, s, beta, x, tx, T, l2);
          l2[0] += logS;
          l2[G + 2] += 1;
          logSumJets(jets, 2, 1, logSumExp(first[0], l2[0]), rowJet);
          jet = rowJet;
        } else {
          const A = r + s + x;
          const gr = r / A;
          const gs = s / A;
          // ℓ2 (log F(t_x) and the scale terms) in l2, or at zeroJets[j * JET] for t_x = 0; log F(T) into l3;
          // their values log F kept in f1v, f2v.
          let b2 = l2;
          let b2Off = 0;
          let f1v: number;
          if (pairJets && txPair && TPair) {
            copyJet(pairJets, txPair[i] * JET, l2);
            copyJet(pairJets, TPair[i] * JET, l3);
            f1v = l2[0];
            addScaleTerms(l2, logS - logRsx[j], gr, gs);
          } else {
            if (tx === 0) {
              // Customers without repeat purchases share F(0), and ℓ2, per x.
              if (!zeroDone[j]) {
                logFJet(r, alpha, s, beta, j, 0, zeroJets, j * JET, logAlpha, logBeta);
                zeroF[j] = zeroJets[j * JET];
                addScaleTerms(zeroJets.subarray(j * JET, (j + 1) * JET), logS - logRsx[j], gr, gs);
                zeroDone[j] = 1;
              }
              b2 = zeroJets;
              b2Off = j * JET;
              f1v = zeroF[j];
            } else {
              logFJet(r, alpha, s, beta, j, tx, l2, 0, logAlpha, logBeta);
              f1v = l2[0];
              addScaleTerms(l2, logS - logRsx[j], gr, gs);
            }
            // F(T)'s power term is the first term's (α >= β), or differs from it by log(α+T) - log(β+T).
            copyJet(first, 0, l3);
            if (alpha < beta) {
              const pA = alpha / (alpha + T);
              const pB = beta / (beta + T);
              l3[0] += logRatioT;
              l3[G + 1] += pA;
              l3[G + 3] -= pB;
              l3[H + 5] += pA * (1 - pA);
              l3[H + 15] -= pB * (1 - pB);
            }
            logHypJet(r, alpha, s, beta, x, T, l3, 0, series, j);
          }
          const f2v = l3[0];
          // ℓ2 - ℓ3 = log s - log(r+s+x) + log F(t_x) - (same at T): B = e^ℓ1 + e^ℓ2 - e^ℓ3.
          addScaleTerms(l3, logS - logRsx[j], gr, gs);
          // B / e^ℓ1 = 1 + e^(ℓ2-ℓ1) - e^(ℓ3-ℓ1) >= 1: e^(ℓ2-ℓ1) is of order one where ℓ2 and ℓ3 are close (t_x near T),
          // so the difference costs no accuracy there; far apart, the subtracted term is small.
          const d2 = b2[b2Off] - first[0];
          const e2 = d2 < 600 ? Math.exp(d2) : Infinity;
          const e3 = Math.exp(l3[0] - first[0]);
          const S = 1 + e2 - e3;
          if (S > 0 && S < Infinity) {
            // The row's jet, added to the total at once (upper triangle of the Hessian; mirrored after the rows).
            const w = W[i];
            total[G] += w * dX[j];
            total[H] += w * ddX[j];
            addCombinedJets(first, b2, b2Off, l3, 1 / S, e2 / S, -e3 / S, cX[j] + (first[0] + Math.log(S)), w, total);
            continue;
          } else {
            if (b2 !== l2) copyJet(b2, b2Off, l2);
            const lj = logJFrom(f1v, f2v, logRsx[j]);
            if (lj !== -Infinity) {
              logSumJets(jets, 3, -1, logSumExp(first[0], logS + lj), rowJet);
              jet = rowJet;
            }
          }
        }
      }
      const w = W[i];
      total[0] += w * (cX[j] + jet[0]);
      total[G] += w * dX[j];
      total[H] += w * ddX[j];
      for (let a = G; a < JET; a++) total[a] += w * jet[a];
    }
    // addCombinedJets adds to the Hessian's upper triangle only; every other path adds symmetric jets.
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) total[H + 4 * b + a] = total[H + 4 * a + b];
  };

  return (theta, grad, hess) => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const s = Math.exp(theta[2]);
    const beta = Math.exp(theta[3]);
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0) || !Number.isFinite(r + alpha + s + beta)) {
      if (grad) grad.fill(NaN);
      return NaN;
    }
    const lgR = lgamma(r);
    const psiR = grad ? digamma(r) : 0;
    const psi1R = hess ? trigamma(r) : 0;
    for (let j = 0; j < k; j++) {
      cX[j] = lgamma(r + xValues[j]) - lgR;
      logRsx[j] = Math.log(r + s + xValues[j]);
      if (grad) {
        const d = r * (digamma(r + xValues[j]) - psiR);
        dX[j] = d;
        ddX[j] = hess ? d + r * r * (trigamma(r + xValues[j]) - psi1R) : 0;
      }
    }
    if (!grad) return -value(r, alpha, s, beta) / totalWeight;
    jetsOf(r, alpha, s, beta);
    for (let a = 0; a < 4; a++) grad[a] = -total[G + a] / totalWeight;
    if (hess) for (let a = 0; a < 16; a++) hess[a] = -total[H + a] / totalWeight;
    return -total[0] / totalWeight;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Analytic gradient and Hessian over the log-parameters θ = (log r, log α, log s, log β).
//
// A "jet" is a Float64Array of 21 numbers: a value, its gradient (4) and its Hessian (4×4, row-major) in θ.
// Every log-term of the likelihood is a jet; a row's log-likelihood combines them by log-sum-exp, whose
// derivatives are weighted sums: ∇ log Σ e^ℓk = Σ wk ∇ℓk and ∇² log Σ e^ℓk = Σ wk (∇²ℓk + ∇ℓk ∇ℓkᵀ) - ∇∇ᵀ, with
// wk = e^ℓk / Σ e^ℓ (signed where a term is subtracted).
// ---------------------------------------------------------------------------------------------------------

/** Length of a jet: value, gradient (4), Hessian (16). */
const JET = 21;
const G = 1; // offset of the gradient
const H = 5; // offset of the Hessian

/**
 * The jet of -r·log(1+y/α) - x·log(α+y) - s·log(1+y/β) - k·log(β+y) at fixed y (k = 0 or 1); with x → x-1 and
 * k = 1 it is the non-series part of the α < β branch of log F, with k = 0 the first term of the likelihood
 * and the α >= β branch; with k = 1 the log of the integrand of J. With pA = α/(α+y), pB = β/(β+y):
 * ∂/∂log α of log(1+y/α) is -(1-pA), of log(α+y) is pA, and ∂pA/∂log α = pA(1-pA) (likewise for β).
 * log(α+y) is taken as log α + log(1+y/α) (logAlpha = log α, logBeta = log β: two logarithms fewer per call);
 * returns log(α+y) - log(β+y).
 */
function powerTermJet(r: number, alpha: number, s: number, beta: number, x: number, k: number, y: number, out: Float64Array, off: number, logAlpha: number, logBeta: number): number {
  const pA = alpha / (alpha + y);
  const pB = beta / (beta + y);
  const l1a = Math.log1p(y / alpha);
  const l1b = Math.log1p(y / beta);
  const lA = logAlpha + l1a; // log(α+y)
  const lB = logBeta + l1b; // log(β+y)
  out[off] = -r * l1a - x * lA - s * l1b - k * lB;
  out[off + G] = -r * l1a;
  out[off + G + 1] = r * (1 - pA) - x * pA;
  out[off + G + 2] = -s * l1b;
  out[off + G + 3] = s * (1 - pB) - k * pB;
  const o = off + H;
  out[o] = -r * l1a; // ρρ
  out[o + 1] = out[o + 4] = r * (1 - pA); // ρa
  out[o + 2] = out[o + 8] = 0;
  out[o + 3] = out[o + 12] = 0;
  out[o + 5] = -(r + x) * pA * (1 - pA); // aa
  out[o + 6] = out[o + 9] = 0;
  out[o + 7] = out[o + 13] = 0;
  out[o + 10] = -s * l1b; // σσ
  out[o + 11] = out[o + 14] = s * (1 - pB); // σb
  out[o + 15] = -(s + k) * pB * (1 - pB); // bb
  return lA - lB;
}

/**
 * z beyond which the jets do not sum the Gauss series (up to some 200 terms at 0.8) but integrate J with its
 * derivatives (jQuadrature): one of α, β several times the other. That costs some 5× a value-only row.
 */
const SERIES_Z = 0.8;

/**
 * The z-free factors of the terms of logHypJet's series, per frequency x (b and c depend on x and the
 * parameters only, z on t): for n = 1, 2, … the stride holds (b)ₙ/(c)ₙ, n·(b)ₙ/(c)ₙ, n(n-1)·(b)ₙ/(c)ₙ,
 * Σⱼ<ₙ 1/(b+j), Σⱼ<ₙ 1/(c+j), (Σ 1/(b+j))² - Σ 1/(b+j)², (Σ 1/(c+j))² + Σ 1/(c+j)², Σ 1/(b+j)², Σ 1/(c+j)².
 * Computed once per x and evaluation (len reset to 0 when the parameters change) and extended as far as the
 * slowest row of that x needs, so that a row's series costs multiplications and additions only, with the
 * same floating-point operations in the same order as summing the terms row by row (the same bits).
 */
interface SeriesTables {
  len: Int32Array;
  data: Float64Array[];
}

const SERIES_STRIDE = 9;

function seriesTables(k: number): SeriesTables {
  return {len: new Int32Array(k), data: Array.from({length: k}, () => new Float64Array(32 * SERIES_STRIDE))};
}

/** Extends x index j's table (see SeriesTables) through term n at least; returns the table. */
function extendSeries(tables: SeriesTables, j: number, b: number, c: number, n: number): Float64Array {
  let tab = tables.data[j];
  const len = tables.len[j];
  const upTo = Math.max(n, 2 * len, 16);
  if (upTo * SERIES_STRIDE > tab.length) {
    const grown = new Float64Array(Math.max(upTo, 2 * (tab.length / SERIES_STRIDE)) * SERIES_STRIDE);
    grown.set(tab.subarray(0, len * SERIES_STRIDE));
    tables.data[j] = tab = grown;
  }
  let coef = 1, pb = 0, pc = 0, qb = 0, qc = 0;
  if (len > 0) {
    const q = (len - 1) * SERIES_STRIDE;
    coef = tab[q];
    pb = tab[q + 3];
    pc = tab[q + 4];
    qb = tab[q + 7];
    qc = tab[q + 8];
  }
  for (let i = len + 1; i <= upTo; i++) {
    const ib = 1 / (b + i - 1);
    const ic = 1 / (c + i - 1);
    pb += ib;
    pc += ic;
    qb += ib * ib;
    qc += ic * ic;
    coef *= (b + i - 1) * ic;
    const q = (i - 1) * SERIES_STRIDE;
    tab[q] = coef;
    tab[q + 1] = i * coef;
    tab[q + 2] = i * (i - 1) * coef;
    tab[q + 3] = pb;
    tab[q + 4] = pc;
    tab[q + 5] = pb * pb - qb;
    tab[q + 6] = pc * pc + qc;
    tab[q + 7] = qb;
    tab[q + 8] = qc;
  }
  tables.len[j] = upTo;
  return tab;
}

/**
 * Adds to `out` the jet of log ₂F₁(1, b; c; z) = log Σₙ (b)ₙ/(c)ₙ zⁿ, c > b > 0, 0 <= z <= SERIES_Z, where b, c
 * and z depend on θ: b = r+x (α >= β) or s+1 (α < β), c = r+s+x+1, z = (α-β)/(α+t) or (β-α)/(β+t).
 * The series is differentiated term by term: the log of the n-th term has ∂/∂b = Σⱼ<ₙ 1/(b+j), ∂/∂c =
 * -Σⱼ<ₙ 1/(c+j), ∂/∂z = n/z, and second derivatives -Σ 1/(b+j)², +Σ 1/(c+j)², -n/z² (no cross terms); every
 * accumulated sum has terms of one sign, so the series stops when the last terms of the value and of the three
 * pure second derivatives are below 1e-17 of their sums. Then the chain rule through (b, c, z)(θ).
 */
function logHypJet(r: number, alpha: number, s: number, beta: number, x: number, t: number, out: Float64Array, off: number, tables: SeriesTables, j: number): void {
  const aGeB = alpha >= beta;
  const b = aGeB ? r + x : s + 1;
  const c = r + s + x + 1;
  const z = aGeB ? (alpha - beta) / (alpha + t) : (beta - alpha) / (beta + t);
  let h = 1, hb = 0, hc = 0, hz = 0, hbb = 0, hcc = 0, hbc = 0, hbz = 0, hcz = 0, hzz = 0;
  let tab = tables.data[j];
  let len = tables.len[j];
  let zn1 = 1; // z^(n-1)
  let zn2 = 0; // z^(n-2)
  for (let n = 1, q = 0; n < 100_000; n++, q += SERIES_STRIDE) {
    if (n > len) {
      tab = extendSeries(tables, j, b, c, n);
      len = tables.len[j];
    }
    const coef = tab[q];
    const pb = tab[q + 3];
    const pc = tab[q + 4];
    const zn = zn1 * z; // zⁿ
    const tn = coef * zn;
    const tz = tab[q + 1] * zn1; // ∂tₙ/∂z
    const tb = tn * pb;
    h += tn;
    hb += tb;
    hc -= tn * pc;
    hz += tz;
    const dbb = tn * tab[q + 5];
    const dcc = tn * tab[q + 6];
    const dzz = tab[q + 2] * zn2;
    hbb += dbb;
    hcc += dcc;
    hbc -= tb * pc;
    hbz += tz * pb;
    hcz -= tz * pc;
    hzz += dzz;
    if (n >= 2 && tn <= 1e-17 * h && dbb <= 1e-17 * hbb && dcc <= 1e-17 * hcc && dzz <= 1e-17 * hzz) break;
    zn2 = zn1;
    zn1 = zn;
  }
  // Derivatives of log H in (b, c, z).
  const gb = hb / h, gc = hc / h, gz = hz / h;
  const gbb = hbb / h - gb * gb, gcc = hcc / h - gc * gc, gzz = hzz / h - gz * gz;
  const gbc = hbc / h - gb * gc, gbz = hbz / h - gb * gz, gcz = hcz / h - gc * gz;
  // First and second derivatives of b, c, z in θ (index 0 = log r, 1 = log α, 2 = log s, 3 = log β).
  // b depends on one log-parameter (log r when α >= β, else log s), with ∂b = ∂²b = that parameter; c = r+s+x+1
  // on log r and log s likewise; z on log α and log β only.
  const ib = aGeB ? 0 : 2; // the index b depends on
  const vb = aGeB ? r : s;
  let zA: number, zB: number, zAA: number, zAB: number, zBB: number; // ∂z/∂log α, ∂z/∂log β and second derivatives
  if (aGeB) {
    const pA = alpha / (alpha + t);
    const q = beta / (alpha + t);
    zA = pA * (1 - z);
    zB = -q;
    zAA = pA * (1 - z) * (1 - 2 * pA);
    zAB = pA * q;
    zBB = -q;
  } else {
    const pB = beta / (beta + t);
    const q = alpha / (beta + t);
    zB = pB * (1 - z);
    zA = -q;
    zBB = pB * (1 - z) * (1 - 2 * pB);
    zAB = pB * q;
    zAA = -q;
  }
  out[off] += Math.log(h);
  // Gradient: gb ∂b + gc ∂c + gz ∂z.
  out[off + G + ib] += gb * vb;
  out[off + G] += gc * r;
  out[off + G + 2] += gc * s;
  out[off + G + 1] += gz * zA;
  out[off + G + 3] += gz * zB;
  // Hessian: Σ g_uv ∂u ∂vᵀ + Σ g_u ∂²u, u, v ∈ {b, c, z}; ∂b, ∂c live on (log r, log s), ∂z on (log α, log β).
  const cr = r;
  const cs = s;
  const br = aGeB ? r : 0;
  const bs = aGeB ? 0 : s;
  // (log r, log s) block: b and c.
  const hrr = gbb * br * br + gcc * cr * cr + 2 * gbc * br * cr + (aGeB ? gb * r : 0) + gc * r;
  const hss = gbb * bs * bs + gcc * cs * cs + 2 * gbc * bs * cs + (aGeB ? 0 : gb * s) + gc * s;
  const hrs = gbb * br * bs + gcc * cr * cs + gbc * (br * cs + cr * bs);
  // (log α, log β) block: z.
  const haa = gzz * zA * zA + gz * zAA;
  const hbeta = gzz * zB * zB + gz * zBB;
  const hab = gzz * zA * zB + gz * zAB;
  // Cross blocks: (b, c) with z.
  const xr = gbz * br + gcz * cr; // multiplies ∂z
  const xs = gbz * bs + gcz * cs;
  const o = off + H;
  out[o] += hrr;
  out[o + 10] += hss;
  out[o + 2] += hrs;
  out[o + 8] += hrs;
  out[o + 5] += haa;
  out[o + 15] += hbeta;
  out[o + 7] += hab;
  out[o + 13] += hab;
  out[o + 1] += xr * zA;
  out[o + 4] += xr * zA;
  out[o + 3] += xr * zB;
  out[o + 12] += xr * zB;
  out[o + 9] += xs * zA;
  out[o + 6] += xs * zA;
  out[o + 11] += xs * zB;
  out[o + 14] += xs * zB;
}

/** dst[0..JET) = src[off..off+JET). */
function copyJet(src: Float64Array, off: number, dst: Float64Array): void {
  for (let a = 0; a < JET; a++) dst[a] = src[off + a];
}

/** Adds the jet of log s - log(r+s+x) (value v; gr = r/(r+s+x), gs = s/(r+s+x)) to a jet. */
function addScaleTerms(dst: Float64Array, v: number, gr: number, gs: number): void {
  dst[0] += v;
  dst[G] -= gr;
  dst[G + 2] += 1 - gs;
  dst[H] -= gr - gr * gr;
  dst[H + 10] -= gs - gs * gs;
  dst[H + 2] += gr * gs;
  dst[H + 8] += gr * gs;
}

/**
 * total += w · (the jet of log(w1 e^a + w2 e^b + w3 e^c)) given the weights wk = ±e^ℓk / total and log total,
 * b read at offset bOff; the Hessian on and above the diagonal only (the caller mirrors it once).
 */
function addCombinedJets(a: Float64Array, b: Float64Array, bOff: number, c: Float64Array, w1: number, w2: number, w3: number, logTotal: number, w: number, total: Float64Array): void {
  total[0] += w * logTotal;
  const bG = bOff + G;
  const bH = bOff + H;
  const g0 = w1 * a[G] + w2 * b[bG] + w3 * c[G];
  const g1 = w1 * a[G + 1] + w2 * b[bG + 1] + w3 * c[G + 1];
  const g2 = w1 * a[G + 2] + w2 * b[bG + 2] + w3 * c[G + 2];
  const g3 = w1 * a[G + 3] + w2 * b[bG + 3] + w3 * c[G + 3];
  combined[0] = g0;
  combined[1] = g1;
  combined[2] = g2;
  combined[3] = g3;
  total[G] += w * g0;
  total[G + 1] += w * g1;
  total[G + 2] += w * g2;
  total[G + 3] += w * g3;
  for (let i = 0; i < 4; i++) {
    const ai = a[G + i];
    const bi = b[bG + i];
    const ci = c[G + i];
    const oi = combined[i];
    for (let j = i; j < 4; j++) {
      const q = 4 * i + j;
      total[H + q] += w * (w1 * (a[H + q] + ai * a[G + j]) + w2 * (b[bH + q] + bi * b[bG + j]) + w3 * (c[H + q] + ci * c[G + j]) - oi * combined[j]);
    }
  }
}

const combined = new Float64Array(4);

/** out = the jet of log(Σk sign_k e^(jet_k)) for two or three jets (sign -1 only for the last). */
function logSumJets(jets: Float64Array[], count: number, lastSign: number, logTotal: number, out: Float64Array): void {
  out.fill(0);
  out[0] = logTotal;
  for (let k = 0; k < count; k++) {
    const jet = jets[k];
    const w = (k === count - 1 ? lastSign : 1) * Math.exp(jet[0] - logTotal);
    for (let i = 0; i < 4; i++) {
      const gi = jet[G + i];
      out[G + i] += w * gi;
      for (let j = 0; j < 4; j++) out[H + 4 * i + j] += w * (jet[H + 4 * i + j] + gi * jet[G + j]);
    }
  }
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) out[H + 4 * i + j] -= out[G + i] * out[G + j];
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
  analyticGradient: true,
  analyticHessian: true,
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
