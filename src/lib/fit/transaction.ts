/**
 * Maximum-likelihood fit of any transaction model the registry lists (models/index.ts), from the model's own
 * declaration (models/spec.ts): its likelihood, parameter names, starting points and the parameters that
 * carry the time unit. Summaries are validated and compressed first (summaries.ts, compress.ts), time is
 * rescaled so that the largest T is 10, and the engine (engine.ts) fits over log-parameters.
 */
import type {TransactionModelSpec} from "../models/spec.js";
import {BG_NBD, type BgNbdParams} from "../models/bgnbd.js";
import {distinctIndex} from "../models/betageometric.js";
import {PARETO_NBD, type ParetoNbdParams} from "../models/paretonbd.js";
import {fitRows, type CompressedSummaries} from "./compress.js";
import {BOUNDARY, OPTIMISER_BOUND, finite, fitDeadline, ranOff, runFit, scaledRows, startsFrom, timeScale, toParams, toStandardErrors, weightedCount, type FitOptions, type FitResult} from "./engine.js";
import {identify} from "./identification.js";
import type {SummaryInput} from "./columns.js";
import {now} from "./clock.js";

/** Fits `model` on per-customer summaries (compressed when that pays: fitRows); parameters come back in the data's time unit. */
export function fitTransaction<P extends object>(model: TransactionModelSpec<P>, data: SummaryInput, options: FitOptions = {}): FitResult<P> {
  return fitTransactionCompressed(model, fitRows(data, {ids: options.ids}), options);
}

/**
 * The same fit on already compressed rows (see compressSummaries). `warm`: the starts are close to the optimum
 * (by default when `options.initial` is given, or when the coarse start is used), so that a model with an
 * analytic Hessian takes Newton steps (engine.ts runFit).
 */
export function fitTransactionCompressed<P extends object>(
  model: TransactionModelSpec<P>,
  c: CompressedSummaries,
  options: FitOptions = {},
  {warm = Boolean(options.initial?.length)}: {warm?: boolean} = {}
): FitResult<P> {
  requireRepeatPurchases(c, model.label);
  // One budget for the coarse start's fits and the full fit (FitOptions.deadline).
  options = {...options, deadline: fitDeadline(options)};
  const names: string[] = [...model.parameters];
  // Models without a time unit (BG/BB counts opportunities) are fitted on the data as they are.
  const scale = model.timeScaled.length > 0 ? timeScale(c.T, options.rescale ?? true) : 1;
  const scales = names.map((name) => ((model.timeScaled as readonly string[]).includes(name) ? scale : 1));
  const objective = model.objective(scaledRows(c, scale));
  const defaults = model.starts.map((start) => start.map((v, i) => v / scales[i]));
  const outcome = options.initial?.length ? null : coarseOutcome(model, c, options);
  const coarse = outcome?.start ?? null;
  const analytic = model.analyticHessian ? "hessian" : model.analyticGradient;
  // From where the coarse fit ran off, a few steps tell whether the full data follow the same ridge (see
  // coarseOutcome): kept when they converge, or when they take a parameter that had run off further out
  // (RIDGE_EVIDENCE in log-parameters, or past the optimiser's bound); otherwise (stopped on the probe's own
  // caps where it began, or heading back in) the fit starts cold as before.
  const ridge = outcome?.ridge && options.deadline! > now() ? startsFrom([outcome.ridge], names, defaults, scales)[0] : null;
  const probe = ridge ? runFit(objective, analytic, [ridge], c.customers, names, ridgeProbe(options), false) : null;
  const res =
    probe && (probe.converged || followedRidge(ridge!, probe.theta))
      ? probe
      : runFit(
          objective,
          analytic,
          startsFrom(coarse ? [coarse, ...defaults.map((start) => Object.fromEntries(names.map((k, i) => [k, start[i]])))] : options.initial, names, defaults, scales),
          c.customers,
          names,
          options,
          warm || coarse !== null
        );
  const params = toParams(names, res.theta, scales);
  // The optimiser's value at theta is the objective's there, unless a penalty was added to it.
  const value = !options.penalizer && Number.isFinite(res.value) ? res.value : objective(res.theta);
  const ll = -value * c.customers + weightedCount(c) * Math.log(scale);
  const converged = res.converged && Number.isFinite(ll);
  return {
    ...identify(model.meanings, names, {...res, converged}, options),
    params: params as P,
    logLikelihood: finite(ll, -Infinity),
    converged,
    iterations: res.iterations,
    standardErrors: toStandardErrors(names, params, res.covariance) as P | null,
    customers: c.customers,
    rows: c.rows,
    gradientNorm: finite(res.gradientNorm, Infinity),
    message: res.message,
    stoppedEarly: res.stoppedEarly
  };
}

/** Distinct rows from which a fit starts from the estimate on coarsened data (see coarseStart). */
export const COARSE_START_ROWS = 200_000;
/**
 * The grid of the coarsened data: this many steps up to the longest T. Models with an analytic Hessian take
 * Newton steps on the full data, which from the coarser grid's start (within some 10⁻³ of the estimate in
 * log-parameters) converge in two passes over the data; a model fitted by BFGS (no Hessian: none of the
 * transaction models today, but a new one may be) needs the finer grid's start (10⁻⁴).
 */
const COARSE_GRID = {newton: 100, bfgs: 250};

/**
 * A starting point for a fit on many distinct rows (continuous recency and T: up to one row per customer): the
 * estimate on the same customers with t_x and T rounded to 1/100 (1/250 for models without a Hessian: see
 * COARSE_GRID) of the longest T, which has many times fewer rows (a million customers: some 3·10⁴, 10⁵) and
 * lands within rounding of the estimate, so that the full fit needs a few iterations instead of some twenty.
 * Models with a Hessian first fit the grid of half as many steps (a quarter of the rows) from their own starts,
 * then the full grid from that estimate, and extrapolate the two (Richardson): rounding to a grid of step h
 * moves the estimate by c·h² + O(h⁴) in log-parameters (rounding to the nearest step is unbiased to first
 * order), so θ(h) + (θ(h) - θ(2h))/3 is some ten times closer than θ(h): on a million continuous
 * Pareto/NBD customers 10⁻³ instead of 9·10⁻³, close enough that Newton's first step on the full data lands
 * where the next one predicts no decrease worth a pass (two passes instead of three).
 * Null below COARSE_START_ROWS (small fits, CDNOW among them, run as before), for models without a time unit,
 * and when the coarse fit does not converge.
 */
export function coarseStart<P extends object>(model: TransactionModelSpec<P>, c: CompressedSummaries, options: FitOptions, minRows = COARSE_START_ROWS): Record<string, number> | null {
  return coarseOutcome(model, c, options, minRows)?.start ?? null;
}

/** The coarse fits' outcome: a start near the estimate, or where they ran off (coarseOutcome). */
interface CoarseOutcome {
  start: Record<string, number> | null;
  ridge: Record<string, number> | null;
}

/**
 * What the coarse fits found: the start (coarseStart), or, when the coarser grid's fit ended with a parameter
 * run off to 0 or ∞ (from the model's starts: runFit stops after two of them run off along the same
 * parameter), the point where it left (`ridge`, in the data's units). The coarsened likelihood differs from
 * the full one by the rounding of t_x and T, so where the one has no maximum the other mostly follows the
 * same ridge: the full fit is first tried from there (ridgeProbe). The verdict may then name the parameter of
 * that ridge rather than of the one BFGS follows from the default starts: either says the data do not pin the
 * model down. Null when no coarse fit ran (see coarseStart).
 */
export function coarseOutcome<P extends object>(model: TransactionModelSpec<P>, c: CompressedSummaries, options: FitOptions, minRows = COARSE_START_ROWS): CoarseOutcome | null {
  if (c.rows < minRows || model.timeScaled.length === 0) return null;
  let maxT = 0;
  for (let j = 0; j < c.rows; j++) if (c.T[j] > maxT) maxT = c.T[j];
  if (!(maxT > 0)) return null;
  // Started from the model's own points (an `initial` also keeps this fit from coarsening again), with Newton
  // steps where the model has a Hessian (some 10⁵ coarse rows on continuous times).
  const unit = (k: string) => timeUnit(model, k, maxT, options);
  const starts = model.starts.map((start) => Object.fromEntries(model.parameters.map((k, i) => [k, start[i] / unit(k)])));
  if (!model.analyticHessian) return coarseFit(model, c, options, maxT, COARSE_GRID.bfgs, starts);
  const grid = COARSE_GRID.newton;
  const half = coarseFit(model, c, options, maxT, grid / 2, starts);
  // Where the coarser grid finds no maximum from the model's starts the finer one is not tried: it follows the
  // same ridge (on 400,000 customers who all buy at one rate, seconds of the fit's budget).
  if (!half.start) return half;
  const fine = coarseFit(model, c, options, maxT, grid, [half.start]);
  if (!fine.start) return {start: null, ridge: null};
  const out: Record<string, number> = {};
  for (const k of model.parameters) {
    const a = Math.log(half.start[k]);
    const b = Math.log(fine.start[k]);
    out[k] = Math.exp(b + (b - a) / 3);
  }
  return {start: Object.values(out).every((v) => v > 0 && Number.isFinite(v)) ? out : fine.start, ridge: null};
}

/** The rescaling of parameter k in a fit whose longest T is maxT (engine.ts timeScale). */
function timeUnit<P extends object>(model: TransactionModelSpec<P>, k: string, maxT: number, {rescale = true}: FitOptions): number {
  return rescale && (model.timeScaled as readonly string[]).includes(k) ? 10 / maxT : 1;
}

/**
 * The estimate on c's rows rounded to `grid` steps up to maxT (coarseRows) as `start` (null when it does not
 * converge), and where it left when a parameter ran off (`ridge`). The coarse fits share the enclosing fit's
 * deadline (FitOptions.deadline).
 */
function coarseFit<P extends object>(
  model: TransactionModelSpec<P>,
  c: CompressedSummaries,
  options: FitOptions,
  maxT: number,
  grid: number,
  starts: Record<string, number>[]
): CoarseOutcome {
  const binned = coarseRows(c, maxT / grid, grid);
  if (!binned) return {start: null, ridge: null};
  const {x, tx, T, weight} = binned;
  const rows = x.length;
  const coarse: CompressedSummaries = {x, tx, T, weight, index: new Int32Array(0), customers: c.customers, rows};
  const fit = fitTransactionCompressed(model, coarse, {...options, initial: starts, standardErrors: false, allStarts: false}, {warm: true});
  if (fit.converged) return {start: fit.params as Record<string, number>, ridge: null};
  const params = fit.params as Record<string, number>;
  const unit = (k: string) => timeUnit(model, k, maxT, options);
  const theta = model.parameters.map((k) => Math.log(params[k] * unit(k)));
  if (!ranOff(theta) || !theta.every(Number.isFinite)) return {start: null, ridge: null};
  // Just past the boundary, inside the optimiser's bound (engine.ts: BOUNDARY + 1), so that the full fit
  // takes its own steps from there: out along the ridge, or back in should the full data have a maximum.
  const limit = RIDGE_START;
  return {start: null, ridge: Object.fromEntries(model.parameters.map((k, i) => [k, Math.exp(Math.max(-limit, Math.min(limit, theta[i]))) / unit(k)]))};
}

/**
 * The full fit's first try from the coarse fit's ridge: at most RIDGE_PROBE_ITERATIONS BFGS iterations (and
 * Nelder–Mead's when BFGS fails, optimize.ts) in a quarter of the time left, so that when it neither converges
 * nor runs off the cold fit after it keeps most of the budget.
 */
function ridgeProbe(options: FitOptions): FitOptions {
  const deadline = fitDeadline(options);
  return {...options, maxIterations: Math.min(options.maxIterations ?? RIDGE_PROBE_ITERATIONS, RIDGE_PROBE_ITERATIONS), deadline: now() + (deadline - now()) / 4};
}

/** |log θ| (rescaled problem) of ridgeProbe's start at most: half-way between the boundary and the optimiser's bound. */
const RIDGE_START = BOUNDARY + 0.5;

/** Whether the probe from `start` took a parameter that had run off further out along its ridge (see fitTransactionCompressed). */
function followedRidge(start: Float64Array, theta: Float64Array): boolean {
  return theta.some(
    (t, k) => Math.abs(t) > OPTIMISER_BOUND || (Math.abs(start[k]) > BOUNDARY && Math.sign(t) === Math.sign(start[k]) && Math.abs(t) >= Math.abs(start[k]) + RIDGE_EVIDENCE)
  );
}

/** How much further out (log-parameters) ridgeProbe must take a parameter that had run off for its verdict to stand. */
const RIDGE_EVIDENCE = 0.1;

/** Iterations of ridgeProbe. */
const RIDGE_PROBE_ITERATIONS = 50;

/** Cells of the coarse grid counted in one array (8 bytes each) before coarseRows falls back to hashing the cells. */
const DENSE_CELLS = 1 << 22;

/**
 * The rows of c with t_x and T rounded to multiples of `step` (T at least one step; `grid` steps up to the
 * longest T), grouped: for each x a triangle of (t_x, T) cells (t_x <= T). The weights are summed in one array
 * indexed by cell when it is small enough ((largest x + 1) × cells <= DENSE_CELLS: no hashing, so a million rows
 * cost one pass), otherwise grouped by a hash of the cell numbers. Null when the cells cannot be numbered
 * exactly.
 */
export function coarseRows(c: CompressedSummaries, step: number, grid: number): {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array} | null {
  const cells = ((grid + 1) * (grid + 2)) / 2; // (t_x, T) with t_x <= T on the grid
  let maxX = 0;
  for (let j = 0; j < c.rows; j++) if (c.x[j] > maxX) maxX = c.x[j];
  // The cell of row j within its x's triangle; times are at most the longest T, so the grid indices are small
  // integers and rounding is done in integer arithmetic (twice as fast as Math.round on a million rows).
  const inverse = 1 / step;
  const {T: times, tx: recencies} = c;
  const cellOf = (j: number): number => {
    const iT = Math.max((times[j] * inverse + 0.5) | 0, 1);
    return ((iT * (iT + 1)) >> 1) + Math.min((recencies[j] * inverse + 0.5) | 0, iT);
  };
  let keys: Float64Array;
  let weights: Float64Array;
  if ((maxX + 1) * cells <= DENSE_CELLS) {
    const dense = new Float64Array((maxX + 1) * cells);
    const {x: X, weight: W} = c;
    for (let j = 0; j < c.rows; j++) dense[(X[j] * cells + cellOf(j)) | 0] += W[j];
    let m = 0;
    for (let q = 0; q < dense.length; q++) if (dense[q] > 0) m++;
    keys = new Float64Array(m);
    weights = new Float64Array(m);
    m = 0;
    for (let q = 0; q < dense.length; q++) {
      if (dense[q] > 0) {
        keys[m] = q;
        weights[m++] = dense[q];
      }
    }
  } else {
    if (!Number.isSafeInteger((maxX + 1) * cells)) return null;
    const cell = new Float64Array(c.rows);
    for (let j = 0; j < c.rows; j++) cell[j] = c.x[j] * cells + cellOf(j);
    const {xValues: found, xIndex: group} = distinctIndex(cell); // a hash of doubles: some 10× faster than a Map here
    keys = found;
    weights = new Float64Array(found.length);
    for (let j = 0; j < c.rows; j++) weights[group[j]] += c.weight[j];
  }
  const m = keys.length;
  const x = new Float64Array(m);
  const tx = new Float64Array(m);
  const T = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    const key = keys[q];
    const xq = Math.floor(key / cells);
    const inCell = key - xq * cells;
    let iT = Math.floor((Math.sqrt(8 * inCell + 1) - 1) / 2);
    // Guard the square root's rounding: iT is the largest with iT(iT+1)/2 <= inCell.
    if ((iT * (iT + 1)) / 2 > inCell) iT--;
    else if (((iT + 1) * (iT + 2)) / 2 <= inCell) iT++;
    x[q] = xq;
    T[q] = iT * step;
    tx[q] = (inCell - (iT * (iT + 1)) / 2) * step;
  }
  return {x, tx, T, weight: weights};
}

/** Without any repeat purchase the likelihood has no maximum (the purchase rate goes to 0): refuse. */
function requireRepeatPurchases(c: CompressedSummaries, model: string): void {
  for (let j = 0; j < c.rows; j++) if (c.x[j] > 0) return;
  throw new Error(`${model}: no customer has a repeat purchase (all frequencies are 0), so the model cannot be fitted`);
}

/** BG/NBD maximum likelihood (Fader, Hardie & Lee 2005). */
export const fitBgNbd = (data: SummaryInput, options?: FitOptions): FitResult<BgNbdParams> => fitTransaction(BG_NBD, data, options);
export const fitBgNbdCompressed = (c: CompressedSummaries, options?: FitOptions): FitResult<BgNbdParams> => fitTransactionCompressed(BG_NBD, c, options);
/** Pareto/NBD maximum likelihood (Schmittlein, Morrison & Colombo 1987). */
export const fitParetoNbd = (data: SummaryInput, options?: FitOptions): FitResult<ParetoNbdParams> => fitTransaction(PARETO_NBD, data, options);
export const fitParetoNbdCompressed = (c: CompressedSummaries, options?: FitOptions): FitResult<ParetoNbdParams> => fitTransactionCompressed(PARETO_NBD, c, options);
