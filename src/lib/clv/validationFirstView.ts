/**
 * The Model validation page's first view, made at build time (derived.ts): every model fitted and compared at
 * the page's default inputs by validateModels, which trains the learned model. Apart from validationView.ts so
 * that the page, which reads the view and refits in the worker, does not load the random forest.
 */
import {holdoutWeeksFor, type BuiltClv} from "./tables.js";
import {validateModels} from "./validateModels.js";
import {VALIDATION_DEFAULTS, validationPageFigures, validationRequest, type ValidationView} from "./validationView.js";

/**
 * The first view from the holdout and training tables (their default calibration ends are the page's at its
 * default holdout, 26 weeks or what a shorter data set leaves room for: holdoutWeeksFor); null when the
 * tables do not hold that holdout or the data is too short for any.
 */
export function validationView(holdout: BuiltClv, training: BuiltClv): ValidationView | null {
  const holdoutWeeks = holdoutWeeksFor(holdout.metadata.selection, VALIDATION_DEFAULTS.holdoutWeeks);
  if (holdoutWeeks === 0 || Math.abs(holdout.metadata.holdoutWeeks - holdoutWeeks) > 1e-9 || !holdout.data.holdout || !training.data.holdout) return null;
  const result = validateModels(validationRequest(holdout.data, training.data, {penalizer: VALIDATION_DEFAULTS.penalizer, narrow: false}));
  const figures = validationPageFigures(holdout.data, result);
  const {predictions: _, ...rest} = result;
  const {daily: __, ...metadata} = holdout.metadata;
  return {
    metadata,
    settings: {...VALIDATION_DEFAULTS, holdoutWeeks},
    customers: holdout.data.profiles.length,
    trainingCustomers: training.data.profiles.length,
    trainingEnd: training.metadata.calibrationEnd,
    result: rest,
    figures
  };
}
