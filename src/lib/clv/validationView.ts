/**
 * The Model validation page's first view: its figures at the default inputs (the 26-week holdout, no
 * filters, penalizer 0), made at build time by the functions the page runs (validateModels,
 * validationPageFigures) on the request the page would send (validationRequest; the build reads it from the
 * tables' columns: validationFirstView.ts), so the page opens on a small JSON instead of loading the
 * calibration and training tables and fitting every model in the worker. The page loads the tables only for
 * the bootstrap intervals or another input, and fits again in the worker only when an input changes.
 */
import type {CustomerData} from "./customers.js";
import type {ClvTablesMetadata} from "./tables.js";
import type {CustomerHoldout} from "../fit/summary.js";
import {learnedCustomers} from "./learnedFeatures.js";
import {compareModels, type Comparison} from "./validate.js";
import {compareFits, type FitComparison} from "../fit/criteria.js";
import {LEARNED_MODEL, TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS, clvModelLabel, modelLabel} from "../models/index.js";
import type {ValidateInput, ValidateResult} from "./validateModels.js";
import type {TransactionModelName} from "../../workers/protocol.js";

/**
 * The worker's request for a calibration split and its earlier training split. Only what the learned features
 * read of each profile crosses (learnedCustomers), and the training split's summaries without the ids (the
 * fits read the calibration's only).
 */
export function validationRequest(
  calibration: Pick<CustomerData, "calibrationEnd" | "summaries" | "profiles" | "holdout" | "holdoutWeeks">,
  training: Pick<CustomerData, "calibrationEnd" | "summaries" | "profiles" | "holdout">,
  {penalizer = 0}: {penalizer?: number} = {}
): ValidateInput {
  const {frequency, recency, T, monetary} = training.summaries;
  return {
    calibration: calibration.summaries,
    holdoutWeeks: calibration.holdoutWeeks,
    actualSpend: holdoutSpend(calibration.holdout),
    training: {frequency, recency, T, monetary},
    trainingTarget: holdoutSpend(training.holdout),
    penalizer: Math.max(0, penalizer || 0),
    learned: {training: learnedCustomers(training), calibration: learnedCustomers(calibration)}
  };
}

/** Holdout totals: purchases (null for a model without a purchase count) and spend. */
export interface HoldoutTotals {
  purchases: number | null;
  spend: number;
}

/** What the page draws from a validation: the comparison, the fit criteria and the holdout totals. */
export interface ValidationFigures {
  /** Row names of the comparison, by model key. */
  names: Record<string, string>;
  comparison: Comparison;
  fitComparison: FitComparison;
  holdoutActual: {purchases: number; spend: number};
  /** Each transaction model's predicted holdout totals (null when it could not predict). */
  holdoutPredicted: Partial<Record<TransactionModelName, HoldoutTotals | null>>;
}

const sum = (values: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
};

/** The calibration customers' holdout actuals, a value per customer: what validationPageFigures compares the predictions with. */
export interface HoldoutActuals {
  purchases: ArrayLike<number>;
  spend: ArrayLike<number>;
}

/** Each customer's holdout spend, of customerData's holdout rows (none without a holdout). */
const holdoutSpend = (holdout: readonly Pick<CustomerHoldout, "spend_holdout">[] | null) => Float64Array.from(holdout ?? [], (d) => d.spend_holdout);

/** The holdout actuals of customerData's holdout rows (none without a holdout). */
export function holdoutActuals(holdout: readonly Pick<CustomerHoldout, "frequency_holdout" | "spend_holdout">[] | null): {purchases: Float64Array; spend: Float64Array} {
  return {purchases: Float64Array.from(holdout ?? [], (d) => d.frequency_holdout), spend: holdoutSpend(holdout)};
}

/** The page's figures of a validation of the calibration customers (one definition for the page and the first view). */
export function validationPageFigures({purchases, spend: actualSpend}: HoldoutActuals, result: Pick<ValidateResult, "fits" | "predictions">): ValidationFigures {
  const names: Record<string, string> = {...Object.fromEntries(TRANSACTION_MODEL_NAMES.map((name) => [name, modelLabel(name)])), learned: clvModelLabel(LEARNED_MODEL), naive: "Naive (past rate)"};
  const predictions = Object.fromEntries(Object.entries(result.predictions).map(([key, p]) => [names[key], p!]));
  const comparison = compareModels({purchases, spend: actualSpend}, predictions);
  const fitted = TRANSACTION_MODEL_NAMES.filter((name) => !("error" in result.fits[name]));
  const fitComparison = compareFits(
    fitted.map((name) => {
      const fit = result.fits[name] as Exclude<ValidateResult["fits"][TransactionModelName], {error: string}>;
      return {name: modelLabel(name), logLikelihood: fit.logLikelihood, parameters: TRANSACTION_MODELS[name].parameters.length, customers: fit.customers, holdoutPurchases: result.predictions[name]?.purchases};
    }),
    {actualPurchases: purchases}
  );
  const holdoutPredicted = Object.fromEntries(
    TRANSACTION_MODEL_NAMES.map((name) => {
      const p = result.predictions[name];
      return [name, p ? {purchases: p.purchases ? sum(p.purchases) : null, spend: sum(p.spend)} : null];
    })
  );
  return {names, comparison, fitComparison, holdoutActual: {purchases: sum(purchases), spend: sum(actualSpend)}, holdoutPredicted};
}

/** The page's default inputs, which the first view is computed for. */
export const VALIDATION_DEFAULTS = Object.freeze({holdoutWeeks: 26, penalizer: 0});

/** The small member the page opens on. */
export interface ValidationView {
  /** The calibration table's metadata (the holdout variant: selection, choices, columns, calibration end), without the CLV page's daily counts. */
  metadata: Omit<ClvTablesMetadata, "daily">;
  /** The inputs the view answers: the default penalizer, and the default holdout or the shorter one the data leaves room for. */
  settings: {holdoutWeeks: number; penalizer: number};
  customers: number;
  trainingCustomers: number;
  trainingEnd: string;
  /** The validation without its per-customer predictions. */
  result: Omit<ValidateResult, "predictions">;
  figures: ValidationFigures;
}
