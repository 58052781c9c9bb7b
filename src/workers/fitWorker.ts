/**
 * The fit worker: model fitting off the page's main thread. It receives per-customer summaries as typed
 * arrays (see protocol.ts), fits with src/lib, posts progress messages between steps and then the result,
 * transferring its Float64Array buffers. It keeps the last fit so that CLV can be recomputed for other
 * settings without refitting. Bundled for the browser by the data loader fit.js.ts.
 */
import {expectedSpendPerPurchase, expectedTransactions} from "../lib/clv/value.js";
import {compressSummaries} from "../lib/fit/compress.js";
import {describeExclusions} from "../lib/fit/columns.js";
import {fitTransaction} from "../lib/fit/transaction.js";
import {fitGammaGamma, type GammaGammaFitResult} from "../lib/fit/spend.js";
import {type FitOptions, type FitResult} from "../lib/fit/engine.js";
import {featureImportance} from "../lib/clv/importance.js";
import {predictLearned, trainLearnedModel, type FeatureRow} from "../lib/clv/learned.js";
import {TRANSACTION_MODEL_NAMES, transactionModel, type TransactionModel} from "../lib/models/index.js";
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

function fitModel(model: TransactionModelName, summaries: SummaryArrays, options: FitOptions): FitResult<TransactionParams> {
  return fitTransaction(transactionModel(model), {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T}, options);
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
  const spec = transactionModel(model);
  const perRow = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) perRow[j] = spec.conditionalExpectedPurchases(params, weeks, c.x[j], c.tx[j], c.T[j]);
  return Float64Array.from(c.index, (j) => perRow[j]);
}

/** P(alive), expected purchases and CLV (margin 1) from the last fit: what each fit that succeeded allows. */
function clvArrays(settings: ClvSettings) {
  if (!last) throw new Error("no model has been fitted yet");
  const {model, params, spend, summaries} = last;
  if (!params) return {clv: null, expectedPurchases: null, probabilityAlive: null, expectedSpend: null, unavailable: null};
  const transaction = {model, params} as TransactionModel;
  const purchases = expectedTransactions(
    {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T},
    {transaction, horizonMonths: settings.horizonMonths, discountRate: settings.discountRate, timeUnit: "week", ids: summaries.ids}
  );
  const expectedSpend = spend ? expectedSpendPerPurchase(summaries, spend) : null;
  if (purchases.problem) {
    const alive = purchases.probabilityAlive.every(Number.isFinite) ? purchases.probabilityAlive : null;
    return {clv: null, expectedPurchases: null, probabilityAlive: alive, expectedSpend, unavailable: purchases.problem};
  }
  return {
    unavailable: null,
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
  progress(`Fitting ${transactionModel(model).label} on ${count(summaries.frequency.length)} customers…`);
  const transaction = attempt(() => fitModel(model, summaries, options), summarize);
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
  scope.postMessage({type: "clv", id: request.id, clv: clv.clv, expectedPurchases: clv.expectedPurchases, unavailable: clv.unavailable, ms}, buffers(clv.clv, clv.expectedPurchases));
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
  const fits = Object.fromEntries(
    TRANSACTION_MODEL_NAMES.map((model) => {
      progress(`Fitting ${transactionModel(model).label} on ${n} customers…`);
      return [model, attempt(() => fitModel(model, calibration, options), summarize)];
    })
  ) as Record<TransactionModelName, ReturnType<typeof attempt<FitResult<TransactionParams>, FitSummary<TransactionParams>>>>;
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(calibration))} repeat customers…`);
  const gg = attempt(() => fitSpend(calibration, options), summarizeSpend);
  const timings: Record<string, number> = {gammaGamma: gg.ms};
  for (const model of TRANSACTION_MODEL_NAMES) timings[model] = fits[model].ms;

  // The transaction models predict spend with Gamma-Gamma: each needs its own fit and the spend fit.
  const spendPerPurchase = gg.result ? expectedSpendPerPurchase(calibration, gg.result.params) : null;
  const predictions: Partial<Record<TransactionModelName, ModelPrediction>> = {};
  for (const model of TRANSACTION_MODEL_NAMES) {
    const params = fits[model].result?.params;
    if (!params || !spendPerPurchase) continue;
    const purchases = expectedInPeriod(model, params, calibration, holdoutWeeks);
    predictions[model] = {purchases, spend: purchases.map((p, i) => p * spendPerPurchase[i])};
  }

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
    fits: {
      ...(Object.fromEntries(TRANSACTION_MODEL_NAMES.map((model) => [model, fits[model].summary])) as Record<TransactionModelName, Fitted<FitSummary<TransactionParams>>>),
      gammaGamma: gg.summary
    },
    predictions: {
      ...predictions,
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
