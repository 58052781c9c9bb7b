/**
 * The Model validation page's first view, made at build time (derived.ts): every model fitted and compared at
 * the page's default inputs by validateModels, which trains the learned model. Apart from validationView.ts so
 * that the page, which reads the view and refits in the worker, does not load the random forest.
 */
import type {Table} from "apache-arrow";
import {holdoutWeeksFor, tableFloats, tableMetadata, tableProfileColumn, tableProfileFields, tableSummaries, tableSummaryColumns, type ClvTablesMetadata} from "./tables.js";
import {LEARNED_PROFILE_FIELDS} from "./learnedFeatures.js";
import {packColumns, type WireLearnedCustomers} from "./packedProfiles.js";
import type {ValidateInput, ValidateResult} from "./validateModels.js";
import {VALIDATION_DEFAULTS, validationPageFigures, type HoldoutActuals, type ValidationView} from "./validationView.js";

/**
 * What validationViewOf reads besides the validation: the two tables' facts and the holdout actuals, not
 * every customer's profile and summaries.
 */
export interface ValidationViewFacts {
  holdout: {metadata: ClvTablesMetadata; actual: HoldoutActuals; customers: number};
  training: {customers: number; calibrationEnd: string};
}

/**
 * A CLV table's summaries (with the ids when `ids`, for the fits) and its customers as the learned model reads
 * them (the same summaries without the ids, and the profile fields it uses packed as columns).
 */
function tableCustomers(table: Table, metadata: ClvTablesMetadata, {ids}: {ids: boolean}): {summaries: ValidateInput["calibration"]; learned: WireLearnedCustomers} {
  const summaries = ids ? tableSummaries(table, metadata.scales) : tableSummaryColumns(table, metadata.scales);
  const {frequency, recency, T, monetary} = summaries;
  const held = new Set(tableProfileFields(metadata));
  const columns = Object.fromEntries(LEARNED_PROFILE_FIELDS.filter((name) => held.has(name)).map((name) => [name, tableProfileColumn(table, metadata, name)]));
  return {summaries, learned: {calibrationEnd: metadata.calibrationEnd, summaries: {frequency, recency, T, monetary}, profiles: packColumns(columns, table.numRows)}};
}

/**
 * The first view is made from the holdout and training tables (their default calibration ends are the page's
 * at its default holdout, 26 weeks or what a shorter data set leaves room for: holdoutWeeksFor) in two steps,
 * so that validateModels can run elsewhere (the data page's fit worker: DerivedFit.validate). This one says
 * what to fit and at which holdout, read from the tables' columns: the page's validationRequest of their
 * customers (clvFromTable), with no object per customer, and the learned customers' profiles packed as they
 * cross to the worker (packedProfiles.ts). The request's arrays are its own (the worker may take them: each read is
 * a new array, tableFloats); the facts hold what the view needs besides. Null when the tables do not hold that holdout or the data is too
 * short for any.
 */
export function validationViewRequest(holdout: Table, training: Table): {request: ValidateInput; holdoutWeeks: number; facts: ValidationViewFacts} | null {
  const [calibrationMeta, trainingMeta] = [tableMetadata(holdout), tableMetadata(training)];
  const holdoutWeeks = holdoutWeeksFor(calibrationMeta.selection, VALIDATION_DEFAULTS.holdoutWeeks);
  if (holdoutWeeks === 0 || Math.abs(calibrationMeta.holdoutWeeks - holdoutWeeks) > 1e-9 || !(calibrationMeta.holdoutWeeks > 0) || !(trainingMeta.holdoutWeeks > 0)) return null;
  const calibration = tableCustomers(holdout, calibrationMeta, {ids: true});
  const earlier = tableCustomers(training, trainingMeta, {ids: false});
  const request: ValidateInput = {
    calibration: calibration.summaries,
    holdoutWeeks: calibrationMeta.holdoutWeeks,
    actualSpend: tableFloats(holdout, calibrationMeta, "spend_holdout"),
    training: earlier.summaries,
    trainingTarget: tableFloats(training, trainingMeta, "spend_holdout"),
    penalizer: VALIDATION_DEFAULTS.penalizer,
    learned: {training: earlier.learned, calibration: calibration.learned}
  };
  const facts: ValidationViewFacts = {
    holdout: {
      metadata: calibrationMeta,
      actual: {purchases: tableFloats(holdout, calibrationMeta, "frequency_holdout"), spend: tableFloats(holdout, calibrationMeta, "spend_holdout")},
      customers: holdout.numRows
    },
    training: {customers: training.numRows, calibrationEnd: trainingMeta.calibrationEnd}
  };
  return {request, holdoutWeeks, facts};
}

/** The first view from validateModels' result on validationViewRequest's request. */
export function validationViewOf({holdout, training}: ValidationViewFacts, holdoutWeeks: number, result: ValidateResult): ValidationView {
  const figures = validationPageFigures(holdout.actual, result);
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
