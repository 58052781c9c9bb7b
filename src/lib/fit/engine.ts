/**
 * The maximum-likelihood engine every model's fit runs on.
 *
 * - Time (and money, for Gamma-Gamma) is rescaled so that the largest T (the mean spend) is 10 (1), which puts
 *   the scale parameters near 1 and makes one set of starting points work for any unit; parameters are
 *   reported back in the data's units.
 * - Optimisation over log-parameters (Newton with a trust region when the model has an analytic Hessian, else
 *   BFGS; Nelder–Mead fallback: see optimize.ts), from several starting
 *   points tried in turn (the first that converges with a positive-definite Hessian is kept, unless
 *   `allStarts` asks for the best of all). Optional L2 penalty `penalizer · Σ (log θ)²` on the log-parameters
 *   of the rescaled problem, added to the mean negative log-likelihood (it pulls parameters towards 1 and keeps
 *   fits finite when a parameter runs off to 0 or ∞).
 * - Standard errors: inverse of the Hessian of the negative log-likelihood (penalised, when a penalty is used) in
 *   log-parameters (analytic when the model has one, else central differences of the gradient or the value), mapped to the natural parameters by the delta method (se(θ) = θ·se(log θ));
 *   null when the Hessian is not positive definite.
 * - Bounded: each optimiser run stops after `maxIterations`, the whole fit (every start, and the coarse
 *   start's fits before them: fit/transaction.ts) after `timeBudget` seconds, and a run stops as soon as a log-parameter passes the boundary (a parameter running off to 0 or
 *   ∞ is reported at once instead of being followed along its ridge). A fit that stops on its budget says so
 *   in `stoppedEarly` and its message.
 * A fit never returns NaN: a failure is reported as converged: false with a message.
 */
import {invertSymmetricPositiveDefinite, numericalHessian} from "./derivatives.js";
import {minimize, newton, type HessianObjective} from "./optimize.js";
import {now} from "./clock.js";
import type {CompressedSummaries} from "./compress.js";
import type {CustomerIds} from "./columns.js";

export interface FitOptions {
  /** L2 penalty on the log-parameters (of the rescaled problem), added to the mean negative log-likelihood. */
  penalizer?: number;
  /** Starting points as natural-parameter objects in the data's units; defaults are used when omitted. */
  initial?: Record<string, number>[];
  /** Run every starting point and keep the best (default: stop at the first that converges). */
  allStarts?: boolean;
  /** Rescale time (money for Gamma-Gamma) before fitting (default true). */
  rescale?: boolean;
  /** Iterations of each optimiser run (default 500). */
  maxIterations?: number;
  /** Wall-clock budget of the whole fit in seconds, every starting point and the coarse start's fits included (default 20). */
  timeBudget?: number;
  /**
   * The moment (clock.ts now(), ms) by which the fit ends, when an enclosing fit set it: the coarse start's fits
   * and the full fit after them share one budget this way, instead of each having `timeBudget` of its own.
   */
  deadline?: number;
  /** Convergence tolerance on the max-norm gradient of the mean negative log-likelihood (log-parameters). */
  tolerance?: number;
  /** Compute standard errors (default true). */
  standardErrors?: boolean;
  /** Each customer's id from the data, aligned with the summaries: error messages name customers by it. */
  ids?: CustomerIds;
}

export interface FitResult<P> {
  params: P;
  /** Log-likelihood of the data at params, in the data's units (without the penalty). */
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  standardErrors: P | null;
  /** Number of customers used (Gamma-Gamma: customers with frequency > 0). */
  customers: number;
  /** Number of distinct rows after compression. */
  rows: number;
  /** Max-norm gradient of the mean objective in log-parameters at the solution. */
  gradientNorm: number;
  message: string;
  /**
   * False when the data do not pin the parameters down: the fit did not converge, a parameter ran off towards
   * 0 or ∞, a standard error is over 100× its estimate, or the likelihood is flat (Hessian not positive definite).
   */
  identified: boolean;
  /** Plain-language verdict: which parameter, and what it means for the business. */
  identification: string;
  /** Why the fit stopped before converging on its budget ("iterations" or "time"), or null. */
  stoppedEarly: FitStop | null;
}

/** A budget that ended a fit before it converged. */
export type FitStop = "iterations" | "time";

/** Default wall-clock budget of a fit, in seconds. */
export const DEFAULT_TIME_BUDGET = 20;

/** The penalizer suggested when a fit is not identified. */
export const SUGGESTED_PENALIZER = 0.01;

export interface EngineResult {
  theta: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
  gradientNorm: number;
  message: string;
  covariance: Float64Array | null;
  stoppedEarly: FitStop | null;
}

/** When a fit with these options must end (now() ms): the enclosing fit's deadline, else `timeBudget` from now. */
export function fitDeadline({timeBudget = DEFAULT_TIME_BUDGET, deadline}: Pick<FitOptions, "timeBudget" | "deadline">): number {
  if (!(timeBudget > 0)) throw new Error(`timeBudget must be a positive number of seconds, got ${timeBudget}`);
  if (deadline !== undefined && !Number.isFinite(deadline)) throw new Error(`deadline must be a finite time (ms), got ${deadline}`);
  return deadline ?? now() + timeBudget * 1000;
}

/** |log θ| beyond which a parameter is taken to have run off to 0 or ∞ (rescaled problem). */
export const BOUNDARY = Math.log(1e6);

/** The optimiser's bound (MinimizeOptions.bound): a run stops once a log-parameter passes it. */
export const OPTIMISER_BOUND = BOUNDARY + 1;

/** Whether a log-parameter (rescaled problem) is past the boundary: a parameter that ran off to 0 or ∞. */
export function ranOff(theta: ArrayLike<number>): boolean {
  for (let i = 0; i < theta.length; i++) if (Math.abs(theta[i]) > BOUNDARY) return true;
  return false;
}

/**
 * Runs the optimiser from each start; returns the kept solution with its log-parameter covariance. `analytic`:
 * whether `base` writes its gradient (true), its gradient and Hessian ("hessian"), or neither (false). With a
 * Hessian, `newtonSteps` runs Newton's method (optimize.ts) instead of BFGS: for starts near the optimum (a
 * coarse-data estimate, the full-data estimate in a bootstrap refit), where it needs three or four evaluations.
 * From the default starts BFGS stays: where the maximum is at infinity (a parameter running off, fits that are
 * not identified) the two follow different ridges, and BFGS's is the one the identification verdicts document.
 */
export function runFit(
  base: HessianObjective,
  analytic: boolean | "hessian",
  starts: Float64Array[],
  totalWeight: number,
  names: string[],
  {penalizer = 0, allStarts = false, maxIterations = 500, tolerance = 1e-8, standardErrors = true, timeBudget = DEFAULT_TIME_BUDGET, deadline: shared}: FitOptions,
  newtonSteps = false
): EngineResult {
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) throw new Error(`penalizer must be a finite number >= 0, got ${penalizer}`);
  if (!(maxIterations >= 1) || !Number.isInteger(maxIterations)) throw new Error(`maxIterations must be a positive integer, got ${maxIterations}`);
  const deadline = fitDeadline({timeBudget, deadline: shared});
  let outOfTime = false;
  // Starts whose run took a parameter to the boundary, by parameter: when two starts follow the same parameter
  // off to 0 or ∞, the others are not tried (they follow the same ridge; a fit of 1,500 customers whose drop-out
  // rates look alike spent most of its time doing so).
  const runaways = new Map<number, number>();
  const dim = starts[0].length;
  const objective: HessianObjective = (theta, grad, hess) => {
    let v = base(theta, grad, hess);
    if (penalizer > 0) {
      for (let i = 0; i < dim; i++) {
        v += penalizer * theta[i] * theta[i];
        if (grad) grad[i] += 2 * penalizer * theta[i];
        if (grad && hess) hess[i * dim + i] += 2 * penalizer;
      }
    }
    return v;
  };
  let best: EngineResult | null = null;
  const messages: string[] = [];
  for (const start of starts) {
    if (best && now() > deadline) {
      outOfTime = true;
      break;
    }
    const settings = {analyticGradient: analytic !== false, gradientTolerance: tolerance, maxIterations, bound: OPTIMISER_BOUND, deadline};
    const res: ReturnType<typeof newton> = analytic === "hessian" && newtonSteps ? newton(objective, start, settings) : minimize(objective, start, settings);
    if (res.stopped === "time") outOfTime = true;
    if (!Number.isFinite(res.value) || !Array.from(res.x).every(Number.isFinite)) {
      messages.push(`start ${Array.from(start, (v) => Math.exp(v).toPrecision(3)).join(",")}: ${res.message}`);
      continue;
    }
    let covariance: Float64Array | null = null;
    if (standardErrors) {
      const H = res.hessian
        ? Float64Array.from(res.hessian)
        : analytic === "hessian"
        ? hessianAt(objective, res.x)
        : analytic
        ? numericalHessian((t) => objective(t), res.x, {step: 1e-5, gradient: (t, g) => void objective(t, g)})
        : numericalHessian((t) => objective(t), res.x, {step: 1e-4});
      for (let i = 0; i < H.length; i++) H[i] *= totalWeight;
      covariance = invertSymmetricPositiveDefinite(H, dim);
    }
    const ranAway = ranOff(res.x);
    const runaway = Array.from(res.x).findIndex((t) => Math.abs(t) > BOUNDARY);
    if (runaway >= 0) runaways.set(runaway, (runaways.get(runaway) ?? 0) + 1);
    const candidate: EngineResult = {
      theta: res.x,
      value: res.value,
      converged: res.converged && !ranAway,
      iterations: res.iterations,
      gradientNorm: res.gradientNorm,
      message: res.message,
      covariance,
      stoppedEarly: res.stopped === "time" || res.stopped === "iterations" ? res.stopped : null
    };
    if (!candidate.converged) messages.push(ranAway ? "a parameter ran to the boundary" : res.message);
    if (!best || (candidate.converged && !best.converged) || (candidate.converged === best.converged && candidate.value < best.value)) {
      best = candidate;
    }
    if (!allStarts && candidate.converged && (covariance || !standardErrors)) break;
    if (outOfTime || (!allStarts && [...runaways.values()].some((count) => count >= 2))) break;
  }
  if (!best) {
    return {
      theta: starts[0],
      value: Infinity,
      converged: false,
      iterations: 0,
      gradientNorm: Infinity,
      message: `no starting point gave a finite likelihood (${messages.join("; ")})`,
      covariance: null,
      stoppedEarly: null
    };
  }
  const runaway = Array.from(best.theta).findIndex((t) => Math.abs(t) > BOUNDARY);
  if (runaway >= 0) {
    best.converged = false;
    best.covariance = null;
    best.message = `parameter ${names[runaway]} ran to ${best.theta[runaway] > 0 ? "∞" : "0"} (beyond 1e±6 in the rescaled problem): the maximum-likelihood estimate does not exist for these data; a penalizer keeps it finite`;
    return best;
  }
  if (best.converged && standardErrors && !best.covariance) best.message += "; Hessian not positive definite: no standard errors";
  if (!best.converged) {
    if (outOfTime) best.stoppedEarly = "time";
    best.message =
      best.stoppedEarly === "time"
        ? `stopped early: the time budget of ${timeBudget} s ran out before the fit converged (${messages.join("; ")})`
        : best.stoppedEarly === "iterations"
          ? `stopped early: ${maxIterations} iterations without converging (${messages.join("; ")})`
          : `did not converge: ${messages.join("; ")}`;
  }
  return best;
}

/** The analytic Hessian of `f` at x. */
function hessianAt(f: HessianObjective, x: Float64Array): Float64Array {
  const H = new Float64Array(x.length * x.length);
  f(x, new Float64Array(x.length), H);
  return H;
}

export function startsFrom(initial: Record<string, number>[] | undefined, names: string[], defaults: number[][], scales: number[]): Float64Array[] {
  const list = initial?.length ? initial.map((p) => names.map((k) => p[k])) : defaults;
  return list.map((values) =>
    Float64Array.from(values, (v, i) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new Error(`starting value for ${names[i]} must be a positive finite number, got ${v}`);
      return Math.log(v * scales[i]);
    })
  );
}

export function finite(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}

export function toParams(names: string[], theta: Float64Array, scales: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((k, i) => (out[k] = Math.exp(theta[i]) / scales[i]));
  return out;
}

export function toStandardErrors(names: string[], params: Record<string, number>, covariance: Float64Array | null): Record<string, number> | null {
  if (!covariance) return null;
  const n = names.length;
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const v = covariance[i * n + i];
    if (!(v >= 0) || !Number.isFinite(v)) return null;
    out[names[i]] = params[names[i]] * Math.sqrt(v);
  }
  return out;
}

export function timeScale(T: Float64Array, rescale: boolean): number {
  if (!rescale) return 1;
  let max = 0;
  for (let i = 0; i < T.length; i++) if (T[i] > max) max = T[i];
  return max > 0 ? 10 / max : 1;
}

export function scaledRows(c: CompressedSummaries, scale: number) {
  const tx = new Float64Array(c.rows);
  const T = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) {
    tx[j] = c.tx[j] * scale;
    T[j] = c.T[j] * scale;
  }
  return {x: c.x, tx, T, weight: c.weight};
}

/** Σ w·x: the log-likelihood of the time-rescaled data differs from the original by Σ w·x·log(scale). */
export function weightedCount(c: {x: Float64Array; weight: Float64Array}): number {
  let s = 0;
  for (let j = 0; j < c.x.length; j++) s += c.weight[j] * c.x[j];
  return s;
}
