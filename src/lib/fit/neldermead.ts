/**
 * Nelder–Mead simplex minimiser, derivative free, with the adaptive coefficients of Gao & Han (2012),
 * "Implementing the Nelder-Mead simplex algorithm with adaptive parameters" (reflection 1, expansion 1 + 2/n,
 * contraction 3/4 − 1/(2n), shrink 1 − 1/n): the fallback of optimize.ts when BFGS fails.
 */
import {normInf, numericGradient} from "./derivatives.js";
import type {MinimizeResult} from "./optimize.js";
import {now} from "./clock.js";

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the spread of f over the simplex is below valueTolerance * (1 + |f_best|). */
  valueTolerance?: number;
  /** Initial simplex edge (absolute). */
  initialStep?: number;
  /** Stop (stopped: "bound") when the best point has a coordinate beyond ±bound. */
  bound?: number;
  /** Stop (stopped: "time") once now() (clock.ts) passes this. */
  deadline?: number;
}

export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const {maxIterations = 200 * n, valueTolerance = 1e-10, initialStep = 0.5, bound = Infinity, deadline = Infinity} = options;
  let stopped: MinimizeResult["stopped"];
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const value = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] += initialStep;
    pts.push(p);
    vals.push(value(p));
  }
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, coef: number) => {
    const t = new Float64Array(n);
    for (let j = 0; j < n; j++) t[j] = centroid[j] + coef * (from[j] - centroid[j]);
    return t;
  };
  let iter = 0;
  let converged = false;
  for (; iter < maxIterations; iter++) {
    const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const sp = order.map((i) => pts[i]);
    const sv = order.map((i) => vals[i]);
    for (let i = 0; i <= n; i++) {
      pts[i] = sp[i];
      vals[i] = sv[i];
    }
    if (Number.isFinite(vals[n]) && vals[n] - vals[0] <= valueTolerance * (1 + Math.abs(vals[0]))) {
      converged = true;
      break;
    }
    if (pts[0].some((v) => Math.abs(v) > bound)) {
      stopped = "bound";
      break;
    }
    if (now() > deadline) {
      stopped = "time";
      break;
    }
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
    const xr = trial(pts[n], -alpha);
    const fr = value(xr);
    if (fr < vals[0]) {
      const xe = trial(pts[n], -alpha * beta);
      const fe = value(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
    } else if (fr < vals[n - 1]) {
      pts[n] = xr;
      vals[n] = fr;
    } else {
      const outside = fr < vals[n];
      const xc = outside ? trial(pts[n], -alpha * gamma) : trial(pts[n], gamma);
      const fc = value(xc);
      if (fc <= (outside ? fr : vals[n])) {
        pts[n] = xc;
        vals[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          for (let j = 0; j < n; j++) pts[i][j] = pts[0][j] + delta * (pts[i][j] - pts[0][j]);
          vals[i] = value(pts[i]);
        }
      }
    }
  }
  let bestI = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[bestI]) bestI = i;
  const x = pts[bestI];
  const g = new Float64Array(n);
  if (Number.isFinite(vals[bestI])) numericGradient(f, Float64Array.from(x), g);
  return {
    x,
    value: vals[bestI],
    converged,
    iterations: iter,
    gradientNorm: Number.isFinite(vals[bestI]) ? normInf(g) : NaN,
    evaluations,
    method: "nelder-mead",
    message: converged
      ? "simplex spread below tolerance"
      : stopped === "bound"
        ? `stopped: a coordinate ran beyond ±${bound.toPrecision(3)}`
        : stopped === "time"
          ? "stopped: time budget reached"
          : "stopped: maximum number of iterations reached",
    stopped: converged ? undefined : (stopped ?? "iterations")
  };
}
