/**
 * The fit worker: model fitting off the page's main thread. It receives per-customer summaries as typed
 * arrays (see protocol.ts), fits with src/lib, posts progress messages between steps and then the result,
 * transferring its Float64Array buffers. It keeps the last fit so that CLV can be recomputed for other
 * settings without refitting. Bundled for the browser by the data loader fit.js.ts.
 */
import {expectedSpendPerPurchase, expectedTransactions} from "../lib/clv/value.js";
import {compressSummaries, describeExclusions, fitBgNbd, fitGammaGamma, fitParetoNbd, type FitOptions, type FitResult, type GammaGammaFitResult} from "../lib/fit/fit.js";
import {featureImportance} from "../lib/clv/importance.js";
import {predictLearned, trainLearnedModel, type FeatureRow} from "../lib/clv/learned.js";
import * as bgnbd from "../lib/models/bgnbd.js";
import * as paretonbd from "../lib/models/paretonbd.js";
import type {GammaGammaParams} from "../lib/models/gammagamma.js";
import {naiveBaseline} from "../lib/clv/validate.js";
import {
  type ClvRequest,
  type ClvSettings,
  type FitRequest,
  type FitSummary,
  type Fitted,
  type ModelPrediction,
  type SpendFitSummary,
  type SummaryArrays,
  type TransactionModelName,
  type TransactionParams,
  type ValidateRequest,
  type WorkerRequest,
  type WorkerResponse
} from "./protocol.js";

interface WorkerScope {
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const count = (n: number) => n.toLocaleString("en");
const NAMES: Record<TransactionModelName, string> = {bgnbd: "BG/NBD", paretonbd: "Pareto/NBD"};

/** The last fit, for "clv" requests (null parameters: that fit failed). */
let last: {model: TransactionModelName; params: TransactionParams | null; spend: GammaGammaParams | null; summaries: SummaryArrays} | null = null;

function summarize<P>(fit: FitResult<P>, ms: number): FitSummary<P> {
  const {params, standardErrors, logLikelihood, converged, identified, identification, iterations, message, customers} = fit;
  return {params, standardErrors, logLikelihood: converged ? logLikelihood : null, converged, identified, identification, iterations, message, customers, ms};
}

function summarizeSpend(fit: GammaGammaFitResult, ms: number): SpendFitSummary {
  return {...summarize(fit, ms), correlation: fit.assumption.correlation, warnings: fit.warnings, excluded: fit.excluded, excludedText: describeExclusions(fit.excluded)};
}

/** Runs one fit on its own: its summary, or its error message (one failing fit never hides the others). */
function attempt<R, S>(f: () => R, summary: (result: R, ms: number) => S): {result: R | null; summary: Fitted<S>; ms: number} {
  const start = performance.now();
  try {
    const result = f();
    const ms = Math.round(performance.now() - start);
    return {result, summary: summary(result, ms), ms};
  } catch (error) {
    return {result: null, summary: {error: error instanceof Error ? error.message : String(error)}, ms: Math.round(performance.now() - start)};
  }
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, Math.round(performance.now() - start)];
}

function fitTransaction(model: TransactionModelName, summaries: SummaryArrays, options: FitOptions): FitResult<TransactionParams> {
  const columns = {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T};
  return model === "bgnbd" ? fitBgNbd(columns, options) : fitParetoNbd(columns, options);
}

function fitSpend(summaries: SummaryArrays, options: FitOptions): GammaGammaFitResult {
  return fitGammaGamma({frequency: summaries.frequency, monetary: summaries.monetary}, options);
}

function repeatCustomers(summaries: SummaryArrays): number {
  let n = 0;
  for (const x of summaries.frequency) if (x > 0) n++;
  return n;
}

/** Expected purchases in (T, T + weeks] per customer, evaluated once per distinct (x, t_x, T). */
function expectedInPeriod(model: TransactionModelName, params: TransactionParams, summaries: SummaryArrays, weeks: number): Float64Array {
  const c = compressSummaries({frequency: summaries.frequency, recency: summaries.recency, T: summaries.T}, {ids: summaries.ids});
  const perRow = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) {
    perRow[j] =
      model === "bgnbd"
        ? bgnbd.conditionalExpectedPurchases(params as bgnbd.BgNbdParams, weeks, c.x[j], c.tx[j], c.T[j])
        : paretonbd.conditionalExpectedPurchases(params as paretonbd.ParetoNbdParams, weeks, c.x[j], c.tx[j], c.T[j]);
  }
  return Float64Array.from(c.index, (j) => perRow[j]);
}

/** P(alive), expected purchases and CLV (margin 1) from the last fit: what each fit that succeeded allows. */
function clvArrays(settings: ClvSettings) {
  if (!last) throw new Error("no model has been fitted yet");
  const {model, params, spend, summaries} = last;
  if (!params) return {clv: null, expectedPurchases: null, probabilityAlive: null, expectedSpend: null};
  const transaction = model === "bgnbd" ? {model, params: params as bgnbd.BgNbdParams} : {model, params: params as paretonbd.ParetoNbdParams};
  const purchases = expectedTransactions(
    {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T},
    {transaction, horizonMonths: settings.horizonMonths, discountRate: settings.discountRate, timeUnit: "week", ids: summaries.ids}
  );
  const expectedSpend = spend ? expectedSpendPerPurchase(summaries, spend) : null;
  return {
    clv: expectedSpend ? expectedSpend.map((s, i) => s * purchases.discountedPurchases[i]) : null,
    expectedPurchases: purchases.expectedPurchases,
    probabilityAlive: purchases.probabilityAlive,
    expectedSpend
  };
}

function buffers(...arrays: (Float64Array | null)[]): ArrayBuffer[] {
  return arrays.filter((a): a is Float64Array => a !== null).map((a) => a.buffer as ArrayBuffer);
}

function fit(request: FitRequest): void {
  const {id, model, summaries, holdoutWeeks = 0, penalizer = 0} = request;
  const options: FitOptions = {penalizer, ids: summaries.ids};
  const started = performance.now();
  const progress = (message: string) => scope.postMessage({type: "progress", id, message});
  progress(`Fitting ${NAMES[model]} on ${count(summaries.frequency.length)} customers…`);
  const transaction = attempt(() => fitTransaction(model, summaries, options), summarize);
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(summaries))} repeat customers…`);
  const spend = attempt(() => fitSpend(summaries, options), summarizeSpend);
  last = {model, params: transaction.result?.params ?? null, spend: spend.result?.params ?? null, summaries};
  progress(`Predicting the value of ${count(summaries.frequency.length)} customers…`);
  const clv = clvArrays(request);
  const expectedHoldout = !transaction.result ? null : holdoutWeeks > 0 ? expectedInPeriod(model, transaction.result.params, summaries, holdoutWeeks) : new Float64Array(0);
  scope.postMessage(
    {
      type: "fit",
      id,
      model,
      transaction: transaction.summary,
      spend: spend.summary,
      ...clv,
      expectedHoldout,
      ms: Math.round(performance.now() - started)
    },
    buffers(clv.clv, clv.expectedPurchases, clv.probabilityAlive, clv.expectedSpend, expectedHoldout)
  );
}

function recomputeClv(request: ClvRequest): void {
  const [clv, ms] = timed(() => clvArrays(request));
  scope.postMessage({type: "clv", id: request.id, clv: clv.clv, expectedPurchases: clv.expectedPurchases, ms}, buffers(clv.clv, clv.expectedPurchases));
}

function featureRows(summaries: SummaryArrays): FeatureRow[] {
  return Array.from(summaries.frequency, (frequency, i) => ({
    frequency,
    recency: summaries.recency[i],
    T: summaries.T[i],
    monetary: summaries.monetary[i]
  }));
}

function validate(request: ValidateRequest): void {
  const {id, calibration, holdoutWeeks, actualSpend, training, trainingTarget, penalizer = 0} = request;
  const options: FitOptions = {penalizer, ids: calibration.ids};
  const progress = (message: string) => scope.postMessage({type: "progress", id, message});
  const n = count(calibration.frequency.length);
  progress(`Fitting BG/NBD on ${n} customers…`);
  const bg = attempt(() => fitBgNbd(calibration, options), summarize);
  progress(`Fitting Pareto/NBD on ${n} customers…`);
  const pareto = attempt(() => fitParetoNbd(calibration, options), summarize);
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(calibration))} repeat customers…`);
  const gg = attempt(() => fitSpend(calibration, options), summarizeSpend);
  const timings: Record<string, number> = {bgnbd: bg.ms, paretonbd: pareto.ms, gammaGamma: gg.ms};

  // BG/NBD and Pareto/NBD predict spend with Gamma-Gamma: each needs its own fit and the spend fit.
  const spendPerPurchase = gg.result ? expectedSpendPerPurchase(calibration, gg.result.params) : null;
  const transactionPrediction = (model: TransactionModelName, params: TransactionParams | undefined): ModelPrediction | undefined => {
    if (!params || !spendPerPurchase) return undefined;
    const purchases = expectedInPeriod(model, params, calibration, holdoutWeeks);
    return {purchases, spend: purchases.map((p, i) => p * spendPerPurchase[i])};
  };
  const bgPrediction = transactionPrediction("bgnbd", bg.result?.params);
  const paretoPrediction = transactionPrediction("paretonbd", pareto.result?.params);

  progress(`Training the learned model on ${count(training.frequency.length)} customers of the earlier split…`);
  const [learned, learnedMs] = timed(() => trainLearnedModel(featureRows(training), trainingTarget));
  timings.learned = learnedMs;
  progress("Scoring the learned model and its feature importance…");
  const rows = featureRows(calibration);
  const learnedSpend = predictLearned(learned, rows);
  const [importance, importanceMs] = timed(() => featureImportance(learned, rows, actualSpend));
  timings.importance = importanceMs;

  const naive = naiveBaseline(
    rows.map(({frequency, monetary, T}) => ({frequency, monetary, T})),
    {holdoutLength: holdoutWeeks}
  );
  scope.postMessage({
    type: "validate",
    id,
    fits: {bgnbd: bg.summary as Fitted<FitSummary<bgnbd.BgNbdParams>>, paretonbd: pareto.summary as Fitted<FitSummary<paretonbd.ParetoNbdParams>>, gammaGamma: gg.summary},
    predictions: {
      ...(bgPrediction && {bgnbd: bgPrediction}),
      ...(paretoPrediction && {paretonbd: paretoPrediction}),
      learned: {spend: learnedSpend},
      naive
    },
    importance,
    timings
  });
}

scope.onmessage = (event) => {
  const request = event.data;
  try {
    if (request.type === "fit") fit(request);
    else if (request.type === "clv") recomputeClv(request);
    else if (request.type === "validate") validate(request);
    else throw new Error(`unknown request ${JSON.stringify((request as {type: unknown}).type)}`);
  } catch (error) {
    scope.postMessage({type: "error", id: request.id, message: error instanceof Error ? error.message : String(error)});
  }
};
