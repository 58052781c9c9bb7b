/**
 * Unconstrained minimisation for small problems (a handful of parameters, an expensive objective): BFGS with a
 * strong-Wolfe line search (Nocedal & Wright 2006, algorithms 3.5, 3.6 and 6.1) and PORT's relative-function
 * test, falling back to the Nelder–Mead simplex of neldermead.ts. Gradients, Hessians and the inverse for
 * standard errors are in derivatives.ts.
 *
 * Written here because no maintained optimisation library is available to this project offline (the `fmin`
 * package on npm, 0.0.4, is unmaintained and not installed). Pure TypeScript, no DOM or Node APIs.
 */
import {normInf, numericGradient} from "./derivatives.js";
import {nelderMead} from "./neldermead.js";
import {now} from "./clock.js";

/**
 * Objective: returns f(x); when `grad` is given and the objective has an analytic gradient it also writes
 * ∇f(x) into it. Non-finite values are treated as "outside the domain" by the line search.
 */
export type Objective = (x: Float64Array, grad?: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
  /** Max-norm of the gradient at x (NaN only if the gradient could not be evaluated there). */
  gradientNorm: number;
  evaluations: number;
  method: "bfgs" | "nelder-mead" | "nelder-mead+bfgs" | "newton";
  message: string;
  /** Why the search stopped before converging: its iteration or time budget, or a coordinate past `bound`. */
  stopped?: StopReason;
}

/** Why a search stopped early (see MinimizeOptions.maxIterations, deadline and bound). */
export type StopReason = "iterations" | "time" | "bound";

export interface MinimizeOptions {
  /** The objective writes its gradient when passed `grad`; otherwise central differences are used. */
  analyticGradient?: boolean;
  /** Convergence when max |∇f| <= gradientTolerance. */
  gradientTolerance?: number;
  /** Convergence also when the relative decrease of f over 3 consecutive iterations is below this. */
  valueTolerance?: number;
  /**
   * Relative-function convergence (Dennis, Gay & Welsch 1981, the PORT optimiser behind R's nlminb): stop when
   * the decrease the quasi-Newton model still predicts, ½ gᵀ H g with H the BFGS inverse Hessian, is at most
   * reductionTolerance · |f|, and the last step's actual decrease was small too (below
   * 1e4 · reductionTolerance · |f|), so that an early, poor H cannot stop the search far from the
   * optimum. It ends fits whose gradient cannot reach gradientTolerance because f is a sum of many
   * terms whose rounding (about 1e-16 · |f| per evaluation) hides the last digits. Relative to |f|, as in
   * PORT: a minimum value of 0 (least squares) is left to the gradient test. Default 1e-12.
   */
  reductionTolerance?: number;
  maxIterations?: number;
  /** Relative step of the central-difference gradient. */
  differenceStep?: number;
  /** Run Nelder–Mead then BFGS again when BFGS fails (default true). */
  fallback?: boolean;
  /**
   * Stop (not converged, stopped: "bound") as soon as a coordinate's magnitude exceeds this: in log-parameters
   * a parameter running off to 0 or ∞, where the likelihood keeps creeping up along a ridge and an unbounded
   * search would take thousands of steps to say so. Default Infinity.
   */
  bound?: number;
  /** Stop (not converged, stopped: "time") once now() passes this (milliseconds since the epoch). */
  deadline?: number;
}

/** Index of the first coordinate beyond ±bound, or -1. */
function beyond(x: ArrayLike<number>, bound: number): number {
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > bound) return i;
  return -1;
}

/** Wraps an objective so that it always fills the gradient (analytically or by central differences). */
function gradientOf(f: Objective, analytic: boolean, relStep: number, counter: {n: number}): (x: Float64Array, g: Float64Array) => number {
  if (analytic) {
    return (x, g) => {
      counter.n++;
      return f(x, g);
    };
  }
  const plain = (x: Float64Array) => {
    counter.n++;
    return f(x);
  };
  return (x, g) => numericGradient(plain, x, g, relStep);
}

/** Minimises f from x0 with BFGS, falling back to Nelder–Mead (then BFGS again) when BFGS fails. */
export function minimize(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const {fallback = true} = options;
  const first = bfgs(f, x0, options);
  // A search stopped by its budget or by a runaway coordinate is not retried: the fallback would spend the
  // same budget again, or follow the same ridge.
  if (first.converged || !fallback || first.stopped) return first;
  const nm = nelderMead((x) => f(x), Number.isFinite(first.value) ? first.x : x0, {
    maxIterations: 400 * x0.length,
    valueTolerance: 1e-12,
    bound: options.bound,
    deadline: options.deadline
  });
  if (nm.stopped === "time" || nm.stopped === "bound") return {...nm, iterations: nm.iterations + first.iterations, evaluations: nm.evaluations + first.evaluations};
  const start = nm.value < first.value || !Number.isFinite(first.value) ? nm.x : first.x;
  const second = bfgs(f, start, options);
  second.iterations += first.iterations + nm.iterations;
  second.evaluations += first.evaluations + nm.evaluations;
  second.method = "nelder-mead+bfgs";
  if (!second.converged && nm.value < second.value) {
    return {...nm, iterations: second.iterations, evaluations: second.evaluations, method: "nelder-mead"};
  }
  return second;
}

/** BFGS with a strong-Wolfe line search (c1 = 1e-4, c2 = 0.9). */
export function bfgs(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const {
    analyticGradient = false,
    gradientTolerance = 1e-8,
    valueTolerance = 1e-14,
    reductionTolerance = 1e-12,
    maxIterations = 500,
    differenceStep = 1e-6,
    bound = Infinity,
    deadline = Infinity
  } = options;
  const n = x0.length;
  const counter = {n: 0};
  const fg = gradientOf(f, analyticGradient, differenceStep, counter);
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let fx = fg(x, g);
  const result = (converged: boolean, iterations: number, message: string, stopped?: StopReason): MinimizeResult => ({
    x,
    value: fx,
    converged,
    iterations,
    gradientNorm: normInf(g),
    evaluations: counter.n,
    method: "bfgs",
    message,
    ...(stopped ? {stopped} : {})
  });
  if (!Number.isFinite(fx) || !Number.isFinite(normInf(g))) return result(false, 0, "objective or gradient not finite at the start");
  if (normInf(g) <= gradientTolerance) return result(true, 0, "gradient below tolerance");

  const H = new Float64Array(n * n); // inverse Hessian approximation, row-major
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const p = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const Hy = new Float64Array(n);
  let smallDecreases = 0;
  let lastDecrease = Infinity; // |f| change of the last step, once H has had n updates
  let firstStep = true;

  for (let iter = 1; iter <= maxIterations; iter++) {
    const out = beyond(x, bound);
    if (out >= 0) return result(false, iter - 1, `stopped: coordinate ${out} ran beyond ±${bound.toPrecision(3)}`, "bound");
    if (now() > deadline) return result(false, iter - 1, "stopped: time budget reached", "time");
    // Search direction p = -H g; reset H if it is not a descent direction.
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    // Relative-function convergence: ½ gᵀHg = -slope / 2 is the decrease the model still predicts.
    const scaleF = Math.abs(fx);
    if (lastDecrease <= 1e4 * reductionTolerance * scaleF && slope <= 0 && -0.5 * slope <= reductionTolerance * scaleF) {
      return result(true, iter - 1, "predicted decrease below tolerance");
    }
    if (!(slope < 0)) {
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = 1;
      for (let i = 0; i < n; i++) p[i] = -g[i];
      slope = -dot(g, g);
    }
    // First step: limit the move to a unit max-norm (the scale of log-parameters).
    let alpha0 = 1;
    if (firstStep) alpha0 = Math.min(1, 1 / normInf(p));
    const ls = wolfeLineSearch(fg, x, fx, g, p, slope, alpha0, xNew, gNew);
    if (!ls.ok) {
      const gn = normInf(g);
      return result(gn <= Math.sqrt(gradientTolerance) && smallDecreases > 0, iter, `line search failed (gradient norm ${gn.toExponential(2)})`);
    }
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const fOld = fx;
    x.set(xNew);
    g.set(gNew);
    fx = ls.value;
    if (normInf(g) <= gradientTolerance) return result(true, iter, "gradient below tolerance");
    if (Math.abs(fOld - fx) <= valueTolerance * Math.max(1, Math.abs(fx))) {
      if (++smallDecreases >= 3) return result(true, iter, "relative decrease below tolerance");
    } else smallDecreases = 0;
    const sy = dot(s, y);
    if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstStep) {
        // Nocedal & Wright (6.20): scale the initial inverse Hessian.
        const scale = sy / dot(y, y);
        for (let i = 0; i < n * n; i++) H[i] *= scale;
      }
      // H ← (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
    }
    firstStep = false;
    lastDecrease = iter >= n ? Math.abs(fOld - fx) : Infinity;
  }
  return result(false, maxIterations, "stopped: maximum number of iterations reached", "iterations");
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

interface LineSearchResult {
  ok: boolean;
  value: number;
}

/**
 * Strong-Wolfe line search (Nocedal & Wright algorithms 3.5 and 3.6) with cubic interpolation in the zoom
 * phase, safeguarded by bisection. Non-finite trial values count as "too far" and shrink the step.
 * Writes the accepted point into xNew and its gradient into gNew.
 */
function wolfeLineSearch(
  fg: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  p: Float64Array,
  slope0: number,
  alphaInit: number,
  xNew: Float64Array,
  gNew: Float64Array
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  const evalAt = (alpha: number): {f: number; d: number} => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + alpha * p[i];
    const f = fg(xNew, gNew);
    return {f, d: Number.isFinite(f) ? dot(gNew, p) : NaN};
  };
  let alphaPrev = 0;
  let fPrev = f0;
  let dPrev = slope0;
  let alpha = alphaInit;
  let best = {alpha: 0, f: f0};
  for (let i = 0; i < 40; i++) {
    const {f, d} = evalAt(alpha);
    if (!Number.isFinite(f) || !Number.isFinite(d)) {
      // Outside the domain: shrink towards the last good point.
      alpha = alphaPrev + 0.25 * (alpha - alphaPrev);
      continue;
    }
    if (f < best.f) best = {alpha, f};
    if (f > f0 + c1 * alpha * slope0 || (i > 0 && f >= fPrev)) {
      return zoom(alphaPrev, fPrev, dPrev, alpha, f, d);
    }
    if (Math.abs(d) <= -c2 * slope0) return {ok: true, value: f};
    if (d >= 0) return zoom(alpha, f, d, alphaPrev, fPrev, dPrev);
    alphaPrev = alpha;
    fPrev = f;
    dPrev = d;
    alpha *= 2;
  }
  return fallbackTo(best);

  function zoom(aLo: number, fLo: number, dLo: number, aHi: number, fHi: number, dHi: number): LineSearchResult {
    // Trials whose value equals f0 to double precision: at the optimum the objective is flat along p, and
    // bisecting the interval further only costs likelihood evaluations. Three in a row end the search.
    let flat = 0;
    for (let k = 0; k < 40; k++) {
      let a = cubicMin(aLo, fLo, dLo, aHi, fHi, dHi);
      const lo = Math.min(aLo, aHi);
      const hi = Math.max(aLo, aHi);
      const margin = 0.1 * (hi - lo);
      if (!(a > lo + margin && a < hi - margin)) a = 0.5 * (aLo + aHi);
      const {f, d} = evalAt(a);
      if (!Number.isFinite(f) || !Number.isFinite(d)) {
        aHi = a;
        fHi = Infinity;
        dHi = NaN;
        continue;
      }
      if (f < best.f) best = {alpha: a, f};
      flat = Math.abs(f - f0) <= 1e-14 * Math.max(1, Math.abs(f0)) ? flat + 1 : 0;
      if (flat >= 3) break;
      if (f > f0 + c1 * a * slope0 || f >= fLo) {
        aHi = a;
        fHi = f;
        dHi = d;
      } else {
        if (Math.abs(d) <= -c2 * slope0) return {ok: true, value: f};
        if (d * (aHi - aLo) >= 0) {
          aHi = aLo;
          fHi = fLo;
          dHi = dLo;
        }
        aLo = a;
        fLo = f;
        dLo = d;
      }
      if (Math.abs(aHi - aLo) < 1e-16 * Math.max(1, Math.abs(aLo))) break;
    }
    return fallbackTo(best);
  }

  function fallbackTo(b: {alpha: number; f: number}): LineSearchResult {
    // Accept the best sufficient-decrease point found, if any.
    if (b.alpha > 0 && b.f < f0) {
      const {f} = evalAt(b.alpha);
      return {ok: true, value: f};
    }
    return {ok: false, value: f0};
  }
}

/** Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db); NaN when it does not exist. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db)) return NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

/** An objective that also writes its Hessian (n×n, row-major) when passed both `grad` and `hess`. */
export type HessianObjective = (x: Float64Array, grad?: Float64Array, hess?: Float64Array) => number;

/**
 * Newton's method with a trust region (Nocedal & Wright 2006, algorithm 4.1; the step solves
 * (H + λI) p = -g with the smallest λ >= 0 that makes H + λI positive definite and |p| <= Δ, found by
 * bisection on λ: the "nearly exact" step of section 4.3 without the hard case's refinement, which the
 * fallback covers). For objectives with an exact Hessian: near the optimum each step squares the error, so a
 * fit from a good start takes three or four evaluations. Converged when max |∇f| <= gradientTolerance, or
 * when the full Newton step predicts a decrease of at most reductionTolerance · |f| (PORT's relative-function
 * test, exact here because the model is the true second-order expansion): that last step is still taken, on
 * the model's word (no further evaluation: the value is the model's, gradient and Hessian those at its start).
 * The Hessian at the returned point is returned with it (for standard errors). Falls back to minimize()
 * (BFGS, then Nelder–Mead) from the best point when the trust region collapses without convergence.
 */
export function newton(f: HessianObjective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult & {hessian?: Float64Array} {
  const {gradientTolerance = 1e-8, reductionTolerance = 1e-12, maxIterations = 500, bound = Infinity, deadline = Infinity, fallback = true} = options;
  const n = x0.length;
  let evaluations = 0;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const HNew = new Float64Array(n * n);
  const p = new Float64Array(n);
  const L = new Float64Array(n * n);
  const eval3 = (at: Float64Array, gg: Float64Array, hh: Float64Array) => {
    evaluations++;
    return f(at, gg, hh);
  };
  let fx = eval3(x, g, H);
  const result = (converged: boolean, iterations: number, message: string, stopped?: StopReason) => ({
    x,
    value: fx,
    converged,
    iterations,
    gradientNorm: normInf(g),
    evaluations,
    method: "newton" as const,
    message,
    hessian: H,
    ...(stopped ? {stopped} : {})
  });
  if (!Number.isFinite(fx) || !Number.isFinite(normInf(g)) || !H.every(Number.isFinite)) return result(false, 0, "objective, gradient or Hessian not finite at the start");
  if (normInf(g) <= gradientTolerance) return result(true, 0, "gradient below tolerance");
  let radius = 1; // in log-parameters
  const maxRadius = 10;
  for (let iter = 1; iter <= maxIterations; iter++) {
    const out = beyond(x, bound);
    if (out >= 0) return result(false, iter - 1, `stopped: coordinate ${out} ran beyond ±${bound.toPrecision(3)}`, "bound");
    if (now() > deadline) return result(false, iter - 1, "stopped: time budget reached", "time");
    const lambda = trustRegionStep(H, g, radius, n, p, L);
    let pHp = 0;
    let gp = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += H[i * n + j] * p[j];
      pHp += p[i] * v;
      gp += g[i] * p[i];
      norm += p[i] * p[i];
    }
    norm = Math.sqrt(norm);
    const predicted = -(gp + 0.5 * pHp);
    const last = lambda === 0 && predicted <= reductionTolerance * Math.abs(fx);
    if (last && predicted >= 0) {
      // The full Newton step predicts a decrease of at most reductionTolerance · |f|: the quadratic model is exact
      // to third order in a step this short, so the step is taken on the model's word, without a further
      // evaluation (on a million customers, a pass over the data that would change no reported digit). The
      // gradient and Hessian reported are those at the point the step starts from.
      for (let i = 0; i < n; i++) x[i] += p[i];
      fx -= predicted;
      return result(true, iter, "predicted decrease below tolerance (last Newton step taken without re-evaluation)");
    }
    for (let i = 0; i < n; i++) xNew[i] = x[i] + p[i];
    const fNew = eval3(xNew, gNew, HNew);
    const ok = Number.isFinite(fNew) && Number.isFinite(normInf(gNew)) && HNew.every(Number.isFinite);
    const rho = ok ? (fx - fNew) / predicted : -Infinity;
    if (ok && (fNew < fx || (last && fNew <= fx + 1e-15 * Math.abs(fx)))) {
      x.set(xNew);
      g.set(gNew);
      H.set(HNew);
      fx = fNew;
      if (last) return result(true, iter, "predicted decrease below tolerance");
      if (normInf(g) <= gradientTolerance) return result(true, iter, "gradient below tolerance");
    } else if (last) {
      // The full Newton step predicts no decrease worth having and rounding hides the one it has.
      return result(true, iter - 1, "predicted decrease below tolerance");
    }
    if (!(rho >= 0.25)) radius = 0.25 * Math.min(radius, norm);
    else if (rho > 0.75 && norm >= 0.99 * radius) radius = Math.min(2 * radius, maxRadius);
    if (radius < 1e-10) {
      // The trust region collapsed: the quadratic model is no guide here (rounding, or a ridge).
      if (!fallback) return result(false, iter, "Newton steps made no progress");
      const rest = minimize((at, gg) => f(at, gg), x, {...options, analyticGradient: true});
      return {...rest, iterations: rest.iterations + iter, evaluations: rest.evaluations + evaluations};
    }
  }
  return result(false, maxIterations, "stopped: maximum number of iterations reached", "iterations");
}

/**
 * The trust-region step: p = -(H + λI)⁻¹ g with λ = 0 when H is positive definite and the Newton step fits in
 * the radius, otherwise the λ > 0 (bisection on log λ) where |p| ≈ radius. Writes p; returns λ.
 */
function trustRegionStep(H: Float64Array, g: Float64Array, radius: number, n: number, p: Float64Array, L: Float64Array): number {
  const solve = (lambda: number): number => {
    // Cholesky of H + λI into L, then p = -L⁻ᵀ L⁻¹ g; returns |p|, or NaN when not positive definite.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = H[i * n + j] + (i === j ? lambda : 0);
        for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
        if (i === j) {
          if (!(s > 0)) return NaN;
          L[i * n + i] = Math.sqrt(s);
        } else L[i * n + j] = s / L[j * n + j];
      }
    }
    for (let i = 0; i < n; i++) {
      let s = -g[i];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * p[k];
      p[i] = s / L[i * n + i];
    }
    let norm = 0;
    for (let i = n - 1; i >= 0; i--) {
      let s = p[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * p[k];
      p[i] = s / L[i * n + i];
      norm += p[i] * p[i];
    }
    return Math.sqrt(norm);
  };
  const newtonNorm = solve(0);
  if (newtonNorm <= radius) return 0;
  // Bracket: lo gives a step longer than the radius (or an indefinite matrix), hi one within it.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(H[i * n + i]));
  let hi = Math.max(scale, 1e-8);
  while (!(solve(hi) <= radius)) hi *= 4;
  let lo = 0;
  for (let it = 0; it < 60 && hi - lo > 1e-12 * hi; it++) {
    const mid = lo === 0 ? hi / 1024 : Math.sqrt(lo * hi);
    const norm = solve(mid);
    if (norm <= radius) hi = mid;
    else lo = mid;
    if (norm <= radius && norm >= 0.9 * radius) break;
  }
  solve(hi);
  return hi;
}
