/**
 * The Model validation page's computation (one definition for the fit worker, the build's first view and the
 * tests): every transaction model and Gamma-Gamma fitted on the calibration summaries predict the holdout;
 * the learned model is trained on an earlier split (features at calibration end − holdout, target the spend
 * in the following holdout-long period) and predicts from the calibration features; the naive baseline
 * extends each customer's past rate.
 */
import {expectedSpendPerPurchase} from "./value.js";
import {attempt, fitModel, fitSpend, repeatCustomers, summarizeFit, summarizeSpend} from "./fitClv.js";
import {expectedInPeriod} from "./value.js";
import type {FitOptions, FitResult} from "../fit/engine.js";
import {featureImportance} from "./importance.js";
import {predictLearned, trainLearnedModel, type FeatureRow} from "./learned.js";
import {TRANSACTION_MODEL_NAMES, transactionModel} from "../models/index.js";
import {naiveBaseline} from "./validate.js";
import {learnedClv} from "./learnedClv.js";
import type {FitSummary, ModelPrediction, SummaryArrays, TransactionModelName, TransactionParams, ValidateRequest, ValidateResponse} from "../../workers/protocol.js";

const count = (n: number) => n.toLocaleString("en");

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const value = f();
  return [value, Math.round(performance.now() - start)];
}

function featureRows(summaries: SummaryArrays): FeatureRow[] {
  return Array.from(summaries.frequency, (frequency, i) => ({
    frequency,
    recency: summaries.recency[i],
    T: summaries.T[i],
    monetary: summaries.monetary[i]
  }));
}

export type ValidateInput = Omit<ValidateRequest, "type" | "id">;
export type ValidateResult = Omit<ValidateResponse, "type" | "id">;

/** The models' holdout predictions, fits, the learned model's feature importance and the time of each step (ms). */
export function validateModels(request: ValidateInput, {progress = () => {}}: {progress?: (message: string) => void} = {}): ValidateResult {
  const {calibration, holdoutWeeks, actualSpend, training, trainingTarget, penalizer = 0} = request;
  const options: FitOptions = {penalizer, ids: calibration.ids};
  const n = count(calibration.frequency.length);
  const fits = Object.fromEntries(
    TRANSACTION_MODEL_NAMES.map((model) => {
      progress(`Fitting ${transactionModel(model).label} on ${n} customers…`);
      return [model, attempt(() => fitModel(model, calibration, options), summarizeFit)];
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
  let learnedSpend: Float64Array;
  let importance;
  if (request.learned) {
    // The CLV page's learned model, trained on the earlier split and scored on the holdout (its features read
    // from the customers' columns, packed or not: learnedFeatureTable).
    const result = learnedClv({...request.learned.training, target: trainingTarget, windowWeeks: holdoutWeeks}, request.learned.calibration, {
      horizonMonths: 1,
      discountRate: 0,
      importanceOn: {target: actualSpend}
    });
    learnedSpend = result.windowSpend;
    importance = result.importance;
    timings.learned = result.ms.training;
    timings.importance = result.ms.importance;
  } else {
    const [learned, learnedMs] = timed(() => trainLearnedModel(featureRows(training), trainingTarget));
    timings.learned = learnedMs;
    progress("Scoring the learned model and its feature importance…");
    const rows = featureRows(calibration);
    learnedSpend = predictLearned(learned, rows);
    const [permuted, importanceMs] = timed(() => featureImportance(learned, rows, actualSpend));
    importance = permuted;
    timings.importance = importanceMs;
  }

  const naive = naiveBaseline(calibration, {holdoutLength: holdoutWeeks});
  return {
    fits: {
      ...(Object.fromEntries(TRANSACTION_MODEL_NAMES.map((model) => [model, fits[model].summary])) as Record<TransactionModelName, ValidateResponse["fits"][TransactionModelName]>),
      gammaGamma: gg.summary
    },
    predictions: {...predictions, learned: {spend: learnedSpend}, naive},
    importance,
    timings
  };
}
