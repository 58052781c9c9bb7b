/**
 * The fit worker: model fitting off the page's main thread. It receives per-customer summaries as typed
 * arrays (see protocol.ts), fits with src/lib, posts progress messages between steps and then the result,
 * transferring its Float64Array buffers. It keeps the last fit so that CLV can be recomputed for other
 * settings without refitting. Bundled for the browser by the data loader fit.js.ts.
 */
import {customerLifetimeValue} from "../lib/clv/value.js";
import {compressSummaries, fitBgNbd, fitGammaGamma, fitParetoNbd, type FitResult, type GammaGammaFitResult} from "../lib/fit/fit.js";
import {featureImportance} from "../lib/clv/importance.js";
import {predictLearned, trainLearnedModel, type FeatureRow} from "../lib/clv/learned.js";
import * as bgnbd from "../lib/models/bgnbd.js";
import * as paretonbd from "../lib/models/paretonbd.js";
import type {GammaGammaParams} from "../lib/models/gammagamma.js";
import {conditionalExpectedAverageSpend} from "../lib/models/gammagamma.js";
import {naiveBaseline} from "../lib/clv/validate.js";
import type {
  ClvRequest,
  ClvSettings,
  FitRequest,
  FitSummary,
  SpendFitSummary,
  SummaryArrays,
  TransactionModelName,
  TransactionParams,
  ValidateRequest,
  WorkerRequest,
  WorkerResponse
} from "./protocol.js";

interface WorkerScope {
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const count = (n: number) => n.toLocaleString("en");
const NAMES: Record<TransactionModelName, string> = {bgnbd: "BG/NBD", paretonbd: "Pareto/NBD"};

/** The last fit, for "clv" requests. */
let last: {model: TransactionModelName; params: TransactionParams; spend: GammaGammaParams; summaries: SummaryArrays} | null = null;

function summarize<P>(fit: FitResult<P>, ms: number): FitSummary<P> {
  const {params, standardErrors, logLikelihood, converged, iterations, message, customers} = fit;
  return {params, standardErrors, logLikelihood, converged, iterations, message, customers, ms};
}

function summarizeSpend(fit: GammaGammaFitResult, ms: number): SpendFitSummary {
  return {...summarize(fit, ms), correlation: fit.assumption.correlation, warnings: fit.warnings};
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, Math.round(performance.now() - start)];
}

function fitTransaction(model: TransactionModelName, summaries: SummaryArrays): FitResult<TransactionParams> {
  const columns = {frequency: summaries.frequency, recency: summaries.recency, T: summaries.T};
  return model === "bgnbd" ? fitBgNbd(columns) : fitParetoNbd(columns);
}

function repeatCustomers(summaries: SummaryArrays): number {
  let n = 0;
  for (const x of summaries.frequency) if (x > 0) n++;
  return n;
}

/** Expected purchases in (T, T + weeks] per customer, evaluated once per distinct (x, t_x, T). */
function expectedInPeriod(model: TransactionModelName, params: TransactionParams, summaries: SummaryArrays, weeks: number): Float64Array {
  const c = compressSummaries({frequency: summaries.frequency, recency: summaries.recency, T: summaries.T});
  const perRow = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) {
    perRow[j] =
      model === "bgnbd"
        ? bgnbd.conditionalExpectedPurchases(params as bgnbd.BgNbdParams, weeks, c.x[j], c.tx[j], c.T[j])
        : paretonbd.conditionalExpectedPurchases(params as paretonbd.ParetoNbdParams, weeks, c.x[j], c.tx[j], c.T[j]);
  }
  return Float64Array.from(c.index, (j) => perRow[j]);
}

function clvArrays(settings: ClvSettings) {
  if (!last) throw new Error("no model has been fitted yet");
  const {model, params, spend, summaries} = last;
  const transaction = model === "bgnbd" ? {model, params: params as bgnbd.BgNbdParams} : {model, params: params as paretonbd.ParetoNbdParams};
  return customerLifetimeValue(summaries, {
    transaction,
    spend,
    horizonMonths: settings.horizonMonths,
    discountRate: settings.discountRate,
    margin: 1,
    timeUnit: "week"
  });
}

function fit(request: FitRequest): void {
  const {id, model, summaries, holdoutWeeks = 0} = request;
  const started = performance.now();
  const progress = (message: string) => scope.postMessage({type: "progress", id, message});
  progress(`Fitting ${NAMES[model]} on ${count(summaries.frequency.length)} customers…`);
  const [transaction, transactionMs] = timed(() => fitTransaction(model, summaries));
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(summaries))} repeat customers…`);
  const [spend, spendMs] = timed(() => fitGammaGamma({frequency: summaries.frequency, monetary: summaries.monetary}));
  last = {model, params: transaction.params, spend: spend.params, summaries};
  progress(`Predicting the value of ${count(summaries.frequency.length)} customers…`);
  const clv = clvArrays(request);
  const expectedHoldout = holdoutWeeks > 0 ? expectedInPeriod(model, transaction.params, summaries, holdoutWeeks) : new Float64Array(0);
  const buffers = [clv.clv, clv.expectedPurchases, clv.probabilityAlive, clv.expectedSpend, expectedHoldout].map((a) => a.buffer);
  scope.postMessage(
    {
      type: "fit",
      id,
      model,
      transaction: summarize(transaction, transactionMs),
      spend: summarizeSpend(spend, spendMs),
      clv: clv.clv,
      expectedPurchases: clv.expectedPurchases,
      probabilityAlive: clv.probabilityAlive,
      expectedSpend: clv.expectedSpend,
      expectedHoldout,
      ms: Math.round(performance.now() - started)
    },
    buffers
  );
}

function recomputeClv(request: ClvRequest): void {
  const [clv, ms] = timed(() => clvArrays(request));
  scope.postMessage({type: "clv", id: request.id, clv: clv.clv, expectedPurchases: clv.expectedPurchases, ms}, [clv.clv.buffer, clv.expectedPurchases.buffer]);
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
  const {id, calibration, holdoutWeeks, actualSpend, training, trainingTarget} = request;
  const progress = (message: string) => scope.postMessage({type: "progress", id, message});
  const n = count(calibration.frequency.length);
  const timings: Record<string, number> = {};

  progress(`Fitting BG/NBD on ${n} customers…`);
  const [bg, bgMs] = timed(() => fitBgNbd(calibration));
  timings.bgnbd = bgMs;
  progress(`Fitting Pareto/NBD on ${n} customers…`);
  const [pareto, paretoMs] = timed(() => fitParetoNbd(calibration));
  timings.paretonbd = paretoMs;
  progress(`Fitting Gamma-Gamma spend on ${count(repeatCustomers(calibration))} repeat customers…`);
  const [gg, ggMs] = timed(() => fitGammaGamma({frequency: calibration.frequency, monetary: calibration.monetary}));
  timings.gammaGamma = ggMs;

  const spendPerPurchase = Float64Array.from(calibration.frequency, (x, i) =>
    conditionalExpectedAverageSpend(gg.params, x, x > 0 ? calibration.monetary[i] : 0)
  );
  const transactionPrediction = (model: TransactionModelName, params: TransactionParams) => {
    const purchases = expectedInPeriod(model, params, calibration, holdoutWeeks);
    return {purchases, spend: purchases.map((p, i) => p * spendPerPurchase[i])};
  };
  const bgPrediction = transactionPrediction("bgnbd", bg.params);
  const paretoPrediction = transactionPrediction("paretonbd", pareto.params);

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
    fits: {bgnbd: summarize(bg, bgMs), paretonbd: summarize(pareto, paretoMs), gammaGamma: summarizeSpend(gg, ggMs)},
    predictions: {bgnbd: bgPrediction, paretonbd: paretoPrediction, learned: {spend: learnedSpend}, naive},
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
