/**
 * Maximum-likelihood fit of any transaction model the registry lists (models/index.ts), from the model's own
 * declaration (models/spec.ts): its likelihood, parameter names, starting points and the parameters that
 * carry the time unit. Summaries are validated and compressed first (summaries.ts, compress.ts), time is
 * rescaled so that the largest T is 10, and the engine (engine.ts) fits over log-parameters.
 */
import type {TransactionModelSpec} from "../models/spec.js";
import {BG_NBD, type BgNbdParams} from "../models/bgnbd.js";
import {PARETO_NBD, type ParetoNbdParams} from "../models/paretonbd.js";
import {compressSummaries, type CompressedSummaries} from "./compress.js";
import {finite, runFit, scaledRows, startsFrom, timeScale, toParams, toStandardErrors, weightedCount, type FitOptions, type FitResult} from "./engine.js";
import {identify} from "./identification.js";
import type {SummaryInput} from "./columns.js";

/** Fits `model` on per-customer summaries; parameters come back in the data's time unit. */
export function fitTransaction<P extends object>(model: TransactionModelSpec<P>, data: SummaryInput, options: FitOptions = {}): FitResult<P> {
  return fitTransactionCompressed(model, compressSummaries(data, {ids: options.ids}), options);
}

/** The same fit on already compressed rows (see compressSummaries). */
export function fitTransactionCompressed<P extends object>(model: TransactionModelSpec<P>, c: CompressedSummaries, options: FitOptions = {}): FitResult<P> {
  requireRepeatPurchases(c, model.label);
  const names: string[] = [...model.parameters];
  // Models without a time unit (BG/BB counts opportunities) are fitted on the data as they are.
  const scale = model.timeScaled.length > 0 ? timeScale(c.T, options.rescale ?? true) : 1;
  const scales = names.map((name) => ((model.timeScaled as readonly string[]).includes(name) ? scale : 1));
  const objective = model.objective(scaledRows(c, scale));
  const defaults = model.starts.map((start) => start.map((v, i) => v / scales[i]));
  const res = runFit(objective, model.analyticGradient, startsFrom(options.initial, names, defaults, scales), c.customers, names, options);
  const params = toParams(names, res.theta, scales);
  const ll = -objective(res.theta) * c.customers + weightedCount(c) * Math.log(scale);
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
