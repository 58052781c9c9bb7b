/**
 * The Model validation page's first view, made at build time (derived.ts): every model fitted and compared at
 * the page's default inputs by validateModels, which trains the learned model. Apart from validationView.ts so
 * that the page, which reads the view and refits in the worker, does not load the random forest.
 */
import {holdoutWeeksFor, type BuiltClv} from "./tables.js";
import type {ValidateInput, ValidateResult} from "./validateModels.js";
import {VALIDATION_DEFAULTS, validationPageFigures, validationRequest, type ValidationView} from "./validationView.js";

/**
 * The first view is made from the holdout and training tables (their default calibration ends are the page's
 * at its default holdout, 26 weeks or what a shorter data set leaves room for: holdoutWeeksFor) in two steps,
 * so that validateModels can run elsewhere (the data page's fit worker: DerivedFit.validate). This one says
 * what to fit and at which holdout; null when the tables do not hold that holdout or the data is too short
 * for any. `narrow` for a request that crosses to a worker (validationRequest: only what the learned features
 * read of each profile).
 */
export function validationViewRequest(holdout: BuiltClv, training: BuiltClv, {narrow = false}: {narrow?: boolean} = {}): {request: ValidateInput; holdoutWeeks: number} | null {
  const holdoutWeeks = holdoutWeeksFor(holdout.metadata.selection, VALIDATION_DEFAULTS.holdoutWeeks);
  if (holdoutWeeks === 0 || Math.abs(holdout.metadata.holdoutWeeks - holdoutWeeks) > 1e-9 || !holdout.data.holdout || !training.data.holdout) return null;
  return {request: validationRequest(holdout.data, training.data, {penalizer: VALIDATION_DEFAULTS.penalizer, narrow}), holdoutWeeks};
}

/**
 * What validationViewOf reads of the two tables: their facts and the holdout actuals, not every customer's
 * profile and summaries (the data page lets those go while the worker validates).
 */
export interface ValidationViewFacts {
  holdout: {metadata: BuiltClv["metadata"]; data: Pick<BuiltClv["data"], "holdout">; customers: number};
  training: {customers: number; calibrationEnd: string};
}

export function validationViewFacts(holdout: BuiltClv, training: BuiltClv): ValidationViewFacts {
  return {
    holdout: {metadata: holdout.metadata, data: {holdout: holdout.data.holdout}, customers: holdout.data.profiles.length},
    training: {customers: training.data.profiles.length, calibrationEnd: training.metadata.calibrationEnd}
  };
}

/** The first view from validateModels' result on validationViewRequest's request. */
export function validationViewOf({holdout, training}: ValidationViewFacts, holdoutWeeks: number, result: ValidateResult): ValidationView {
  const figures = validationPageFigures(holdout.data, result);
  const {predictions: _, ...rest} = result;
  const {daily: __, ...metadata} = holdout.metadata;
  return {
    metadata,
    settings: {...VALIDATION_DEFAULTS, holdoutWeeks},
    customers: holdout.customers,
    trainingCustomers: training.customers,
    trainingEnd: training.calibrationEnd,
    result: rest,
    figures
  };
}
