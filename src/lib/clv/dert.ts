/**
 * Lifetime value over the whole remaining relationship: discounted expected residual transactions (DERT),
 * Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base analysis", Journal of
 * Marketing Research 42(4), 415–430: with continuous compounding at rate δ per time unit,
 *
 *   DERT(δ | x, t_x, T) = ∫_0^∞ e^{−δt} dE[Y(t) | x, t_x, T] = δ ∫_0^∞ e^{−δt} E[Y(t) | x, t_x, T] dt,
 *
 * the number of future purchases counted at their present value; multiplied by the margin on the expected spend
 * per purchase it is the customer's residual lifetime value, with no horizon to choose.
 *
 * - Pareto/NBD, FHL (2005) eq. (2): DERT = P(alive) · (r+x)/(α+T) · (β+T) · I(s, δ(β+T)), where
 *   I(s, z) = ∫_0^∞ e^{−zt} (1+t)^{−s} dt = z^{s−1} e^z Γ(1−s, z) = E[(β+T)/(μ+δ)]/(β+T) with μ ~ Gamma(s, β+T):
 *   the expected discounted lifetime of a customer alive at T, times the expected purchase rate.
 * - BG/NBD and MBG/NBD (and any model in the registry): the integral above on the model's own conditional
 *   expectation (eq. 10 of the BG/NBD paper), by quadrature.
 *
 * Both integrals are taken over v = log(1 + t/τ), which spreads the short and the long time scales evenly, with
 * composite Gauss–Legendre rules; the Pareto/NBD closed form and the generic integral agree to 1e-8 (tests).
 */
import {transactionModel, type TransactionModel} from "../models/index.js";
import {gaussLegendre} from "../models/paretonbd.js";
import type {ParetoNbdParams} from "../models/paretonbd.js";
import {UNITS_PER_MONTH} from "../time.js";
import type {TimeUnit} from "../types.js";

const PANELS = 32;
const NODES = 8;
/** e^{-50}: the integrands are cut where the discount factor (or the decay) is below this. */
const CUTOFF = 50;

/** ∫_0^V f(v) dv by PANELS composite Gauss–Legendre panels of NODES points. */
function integrate(f: (v: number) => number, V: number): number {
  const {nodes, weights} = gaussLegendre(NODES);
  const h = V / PANELS;
  let sum = 0;
  for (let p = 0; p < PANELS; p++) {
    const mid = (p + 0.5) * h;
    for (let i = 0; i < NODES; i++) sum += weights[i] * f(mid + 0.5 * h * nodes[i]);
  }
  return 0.5 * h * sum;
}

/** I(s, z) = ∫_0^∞ e^{−zt} (1+t)^{−s} dt for s > 0, z > 0 (over v = log(1+t): ∫ exp((1−s)v − z(e^v − 1)) dv). */
export function discountedLifetimeIntegral(s: number, z: number): number {
  if (!(s > 0) || !(z > 0) || !Number.isFinite(s + z)) throw new Error(`discountedLifetimeIntegral: s and z must be positive, got ${s}, ${z}`);
  // Beyond V the integrand is below e^{-CUTOFF} relative to its size near 0 (z(e^V − 1) >= CUTOFF + |1−s| V).
  let V = Math.log1p(CUTOFF / z);
  while (z * Math.expm1(V) - (1 - s) * V < CUTOFF) V += 1;
  return integrate((v) => Math.exp((1 - s) * v - z * Math.expm1(v)), V);
}

/** Pareto/NBD DERT, FHL (2005) eq. (2), δ the continuously compounded discount rate per time unit. */
export function paretoNbdDert(params: ParetoNbdParams, probabilityAlive: number, delta: number, x: number, T: number): number {
  const {r, alpha, s, beta} = params;
  return (probabilityAlive * (r + x) * (beta + T) * discountedLifetimeIntegral(s, delta * (beta + T))) / (alpha + T);
}

/**
 * DERT by quadrature of δ ∫ e^{−δt} E[Y(t)] dt for any model: E[Y(t)] is the model's conditional expectation,
 * over v = log(1 + t/τ) with τ a time scale of the customer (T), up to where the discount is e^{−50}.
 */
export function dertByQuadrature(expected: (t: number) => number, delta: number, tau = 1): number {
  const V = Math.log1p(CUTOFF / (delta * tau));
  return integrate((v) => {
    const t = tau * Math.expm1(v);
    return delta * Math.exp(-delta * t) * expected(t) * tau * Math.exp(v);
  }, V);
}

/** The continuous discount rate per time unit equivalent to a monthly rate d: log(1+d) / (units per month). */
export function continuousRate(monthlyRate: number, timeUnit: TimeUnit = "week"): number {
  if (!(monthlyRate > 0) || !Number.isFinite(monthlyRate)) throw new Error(`DERT needs a positive discount rate, got ${monthlyRate}`);
  const units = UNITS_PER_MONTH[timeUnit];
  if (units === undefined) throw new Error(`unknown time unit ${String(timeUnit)} (day, week or month)`);
  return Math.log1p(monthlyRate) / units;
}

/**
 * DERT of one customer under a fitted model, δ per time unit of the model: the closed form for Pareto/NBD, the
 * quadrature for the others.
 */
export function dert(transaction: TransactionModel, delta: number, x: number, tx: number, T: number): number {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new Error(`DERT needs a positive discount rate, got ${delta}`);
  const model = transactionModel(transaction.model);
  const params = transaction.params;
  if (transaction.model === "paretonbd") return paretoNbdDert(transaction.params, model.probabilityAlive(params, x, tx, T), delta, x, T);
  const scale = Math.max(T, 1);
  return dertByQuadrature((t) => model.conditionalExpectedPurchases(params, t, x, tx, T), delta, scale);
}

/** DERT for each customer of summary columns, computed once per distinct (x, t_x, T). */
export function dertOfCustomers(transaction: TransactionModel, delta: number, data: {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>}): Float64Array {
  const cache = new Map<string, number>();
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) {
    const x = data.frequency[i];
    const tx = x === 0 ? 0 : data.recency[i];
    const key = `${x},${tx},${data.T[i]}`;
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = dert(transaction, delta, x, tx, data.T[i])));
    out[i] = v;
  }
  return out;
}
