/**
 * The CLV pages' fit, as one function: the transaction model and Gamma-Gamma fitted on per-customer
 * summaries (each on its own, so one failing fit keeps the other's results), then P(alive), expected
 * purchases and spend, CLV at margin 1 and the expected holdout purchases. The fit worker runs it in the
 * page; the build-time loader runs the same code in Node, so the pages can draw the build's fit at once.
 */
import {clvArrays, expectedInPeriod} from "./value.js";
import {transactionModel} from "../models/index.js";
import {describeExclusions} from "../fit/columns.js";
import {fitTransaction} from "../fit/transaction.js";
import {fitGammaGamma, type GammaGammaFitResult} from "../fit/spend.js";
import type {FitOptions, FitResult} from "../fit/engine.js";
import type {ClvSettings, FitResponse, FittedModels, FitSummary, Fitted, SpendFitSummary, SummaryArrays, TransactionModelName, TransactionParams} from "../../workers/protocol.js";

export type {FittedModels};

export interface FitClvOptions extends ClvSettings {
  model: TransactionModelName;
  holdoutWeeks?: number;
  penalizer?: number;
  /** Called between the steps with what comes next. */
  progress?: (message: string) => void;
}

export type FitClvResult = Omit<FitResponse, "type" | "id">;

const count = (n: number) => n.toLocaleString("en");

export function summarizeFit<P>(fit: FitResult<P>, ms: number): FitSummary<P> {
  const {params, standardErrors, logLikelihood, converged, identified, identification, iterations, message, customers} = fit;
  return {params, standardErrors, logLikelihood: converged ? logLikelihood : null, converged, identified, identification, iterations, message, customers, ms};
}

export function summarizeSpend(fit: GammaGammaFitResult, ms: number): SpendFitSummary {
  return {...summarizeFit(fit, ms), correlation: fit.assumption.correlation, warnings: fit.warnings, excluded: fit.excluded, excludedText: describeExclusions(fit.excluded)};
}

/** Runs one fit on its own: its summary, or its error message (one failing fit never hides the others). */
export function attempt<R, S>(f: () => R, summary: (result: R, ms: number) => S): {result: R | null; summary: Fitted<S>; ms: number} {
  const start = performance.now();
  try {
    const result = f();
    const ms = Math.round(performance.now() - start);
    return {result, summary: summary(result, ms), ms};
  } catch (error) {
    return {result: null, summary: {error: error instanceof Error ? error.message : String(error)}, ms: Math.round(performance.now() - start)};
  }
}

export function fitModel(model: TransactionModelName, summaries: SummaryArrays, options: FitOptions): FitResult<TransactionParams> {
  return fitTransaction(transactionModel(model), {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T}, options);
}

export function fitSpend(summaries: SummaryArrays, options: FitOptions): GammaGammaFitResult {
  return fitGammaGamma({frequency: summaries.frequency, monetary: summaries.monetary}, options);
}

export function repeatCustomers(summaries: SummaryArrays): number {
  let n = 0;
  for (const x of summaries.frequency) if (x > 0) n++;
  return n;
}

/** Fits both models on the summaries and predicts each customer: the worker's "fit" answer. */
export function fitClv(summaries: SummaryArrays, {model, holdoutWeeks = 0, penalizer = 0, progress = () => {}, ...settings}: FitClvOptions): {result: FitClvResult; fitted: FittedModels} {
  const options: FitOptions = {penalizer, ids: summaries.ids};
  const started = performance.now();
  progress(`Fitting ${transactionModel(model).label} on ${count(summaries.frequency.length)} customers…`);
  const transaction = attempt(() => fitModel(model, summaries, options), summarizeFit);
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(summaries))} repeat customers…`);
  const spend = attempt(() => fitSpend(summaries, options), summarizeSpend);
  const fitted: FittedModels = {model, params: transaction.result?.params ?? null, spend: spend.result?.params ?? null, summaries};
  progress(`Predicting the value of ${count(summaries.frequency.length)} customers…`);
  const clv = clvArrays(fitted, settings);
  const expectedHoldout = !transaction.result ? null : holdoutWeeks > 0 ? expectedInPeriod(model, transaction.result.params, summaries, holdoutWeeks) : new Float64Array(0);
  return {
    result: {model, transaction: transaction.summary, spend: spend.summary, ...clv, expectedHoldout, ms: Math.round(performance.now() - started)},
    fitted
  };
}
