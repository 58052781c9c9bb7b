/**
 * The CLV tables read back (the pages' side of derived.ts): the metadata a CLV table carries, the defaults it
 * was made with, and clvFromTable, which turns a table into what a page draws. The pages import this and
 * not derived.ts, which makes the tables and with them every page's first view (the validation view trains
 * the learned model): none of that code is loaded by a page that only reads.
 */
import type {Table} from "apache-arrow";
import type {CustomerData, birthsAndRepeats} from "./customers.js";
import type {FitClvResult, FittedModels} from "./fitClv.js";
import {clvArrays, expectedInPeriod} from "./value.js";
import {PROFILE_ATTRIBUTES, PROFILE_LABELS, PROFILE_NUMBERS, type CustomerProfile} from "./profiles.js";
import type {FilterChoiceValues} from "../sql/filters.js";
import {addDays, daysBetween} from "../time.js";
import type {FitResponse, TransactionModelName} from "../../workers/protocol.js";
import {exactValues, utf8Ids, vectorValues} from "../data/arrowValues.js";
import {holdoutRows} from "../fit/summary.js";

/** The CLV pages' default holdout, in weeks before the last order (shortened on a short data set: holdoutWeeksFor). */
export const DEFAULT_HOLDOUT_WEEKS = 26;
/** The default holdout in days, for a data set long enough for it. */
export const DEFAULT_HOLDOUT_DAYS = 7 * DEFAULT_HOLDOUT_WEEKS;

/**
 * The holdout, in whole weeks, that a selection's span of dates leaves room for: `wanted` weeks, or, when the
 * span is shorter than three of them, a third of the span (the Model validation page lays out the training
 * history, the training target and the holdout, each as long as the holdout); 0 when the span is under three
 * weeks (no holdout: the calibration runs to the last order).
 */
export function holdoutWeeksFor({first, last}: {first: string; last: string}, wanted: number = DEFAULT_HOLDOUT_WEEKS): number {
  const spanDays = daysBetween(first, last);
  const room = Number.isFinite(spanDays) ? Math.floor(spanDays / 21) : 0;
  return Math.max(0, Math.min(Math.floor(wanted), room));
}

/** A sentence for a page when holdoutWeeksFor shortened the holdout that was asked for (null when it did not). */
export function holdoutShortened(range: {first: string; last: string}, wanted: number): string | null {
  const weeks = holdoutWeeksFor(range, wanted);
  if (weeks >= wanted) return null;
  const span = `The data covers only ${Math.round(daysBetween(range.first, range.last) / 7)} weeks (${range.first} to ${range.last})`;
  return weeks === 0
    ? `${span}: too short to hold back a week and still keep history before it, so nothing is held back.`
    : `${span}: a holdout of ${wanted} weeks would leave no history to fit on, so the last ${weeks} week${weeks === 1 ? " is" : "s are"} held back (a third of the span).`;
}

/** The pages' default fit settings. */
export const DEFAULT_FIT = Object.freeze({model: "bgnbd" as TransactionModelName, penalizer: 0, horizonMonths: 12, discountRate: 0.01});

/**
 * "holdout": the Predicted CLV page's default calibration end; "full": the last order; "training": the
 * Model validation page's training set, one holdout (holdoutWeeksFor) before the holdout's calibration end, with
 * the holdout's calibration end as its last day (the learned model's target is the spend in between).
 */
export type ClvVariant = "holdout" | "full" | "training";

export interface ClvTablesMetadata {
  variant: ClvVariant;
  columns: string[];
  choices: FilterChoiceValues;
  /** The unfiltered selection (dates: false). */
  selection: {transactions: number; customers: number; first: string; last: string};
  calibrationEnd: string;
  /** The last day of the holdout actuals: the selection's last order, or for "training" the holdout's calibration end (absent in tables kept by older versions). */
  holdoutEnd?: string;
  holdoutWeeks: number;
  settings: typeof DEFAULT_FIT;
  /** The fit without its per-customer arrays (those are columns). */
  fit: Omit<FitClvResult, "clv" | "expectedPurchases" | "probabilityAlive" | "expectedSpend" | "expectedHoldout">;
  /**
   * Which per-customer prediction columns the fit gave (a failed fit leaves some out). Tables made by this
   * version leave them out of the Arrow columns: clvFromTable recomputes them from the parameters and the
   * summaries with the same code (clvArrays, expectedInPeriod), bit for bit, so they cost no bytes.
   */
  predictions: string[];
  /** Columns stored as integers k, read as k / scale (exactColumn); absent in tables kept by older versions. */
  scales?: Record<string, number>;
  daily: Awaited<ReturnType<typeof birthsAndRepeats>>;
}

/** The default calibration end of a variant, for a selection's first and last order. */
export function defaultCalibrationEnd(variant: ClvVariant, {first, last}: {first: string; last: string}): string {
  if (variant === "full") return last;
  const end = variant === "training" ? defaultHoldoutEnd(variant, {first, last}) : last;
  return addDays(end, -7 * holdoutWeeksFor({first, last}));
}

/** The last day of a variant's holdout actuals: the last order, or for "training" the holdout's calibration end. */
export function defaultHoldoutEnd(variant: ClvVariant, range: {first: string; last: string}): string {
  return variant === "training" ? defaultCalibrationEnd("holdout", range) : range.last;
}

/** The fit's per-customer predictions: FitResponse's name and the table's column. */
export const PREDICTIONS = [
  ["probabilityAlive", "probability_alive"],
  ["expectedSpend", "expected_spend"],
  ["expectedHoldout", "expected_holdout"],
  ["clv", "clv"],
  ["expectedPurchases", "expected_purchases"]
] as const;

/** What a page draws first, read back from a CLV table (in the page: FileAttachment(…).arrow()). */
export interface BuiltClv {
  metadata: ClvTablesMetadata;
  data: CustomerData;
  /** The default fit as the worker answers it. */
  fit: FitResponse;
  /** The fit as the worker needs it to compute CLV for other settings without refitting. */
  fitted: FittedModels;
}

/** A CLV table's column, or why it is missing. */
function tableColumn(table: Table, name: string) {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the CLV table has no column ${name}`);
  return vector;
}

/** A CLV table's four summary columns as the fit reads them: read back exactly (exactValues, with the table's scales). */
export function tableSummaryColumns(table: Table, scales: Record<string, number> | undefined) {
  const floats = (name: string) => exactValues(tableColumn(table, name), scales?.[name]);
  return {frequency: floats("frequency"), recency: floats("recency"), T: floats("T"), monetary: floats("monetary")};
}

/**
 * A CLV table's summaries as the fit reads them: the four columns (tableSummaryColumns) and the ids as their
 * UTF-8 bytes (utf8Ids: a fit names a customer only in a message; 2M ids cross to its worker as two arrays).
 */
export function tableSummaries(table: Table, scales: Record<string, number> | undefined) {
  return {...tableSummaryColumns(table, scales), ids: utf8Ids(tableColumn(table, "customer_id"))};
}

/** A CLV table's ids as strings (the profiles and the holdout rows name customers by them). */
function tableIds(table: Table): string[] {
  return vectorValues(tableColumn(table, "customer_id")) as string[];
}

/** A CLV table's metadata (what clvFromTable reads first). */
export function tableMetadata(table: Table): ClvTablesMetadata {
  const metadata = JSON.parse(table.schema.metadata.get("clv") ?? "null") as ClvTablesMetadata | null;
  if (!metadata) throw new Error("the CLV table has no metadata");
  return metadata;
}

/** A CLV table's numeric column read back exactly (exactValues, with the table's scale): a new array at each call, the caller's own. */
export function tableFloats(table: Table, metadata: ClvTablesMetadata, name: string): Float64Array {
  return exactValues(tableColumn(table, name), metadata.scales?.[name]);
}

/** The profile fields a CLV table holds (after customer_id), in the profiles' order. */
export function tableProfileFields(metadata: ClvTablesMetadata): string[] {
  const computed = Object.entries({...PROFILE_NUMBERS, ...PROFILE_LABELS}).filter(([, column]) => metadata.columns.includes(column)).map(([name]) => name);
  return ["revenue", "orders", "cost", "purchase_days", "first_purchase", "last_purchase", ...PROFILE_ATTRIBUTES.filter((a) => metadata.columns.includes(a)), ...computed];
}

/** One profile field of every customer of a CLV table, as the profile holds it (a label column: one string per label). */
export function tableProfileColumn(table: Table, metadata: ClvTablesMetadata, name: string): ArrayLike<unknown> {
  // A column stored as integers k (exactColumn: revenue in cents when every customer's is whole cents) is read as k / scale.
  return metadata.scales?.[name] ? tableFloats(table, metadata, name) : vectorValues(tableColumn(table, name));
}

export function clvFromTable(table: Table): BuiltClv {
  const metadata = tableMetadata(table);
  const floats = (name: string) => tableFloats(table, metadata, name);
  const n = table.numRows;
  const ids = tableIds(table);
  const summaries = {...tableSummaryColumns(table, metadata.scales), ids};
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const name of tableProfileFields(metadata)) columns[name] = tableProfileColumn(table, metadata, name);
  const profiles: CustomerProfile[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const profile: Record<string, unknown> = {customer_id: ids[i]};
    for (const name in columns) profile[name] = columns[name][i];
    profiles[i] = profile as unknown as CustomerProfile;
  }
  const hasHoldout = metadata.holdoutWeeks > 0;
  const holdout = hasHoldout
    ? holdoutRows({customer_id: ids, frequency_holdout: floats("frequency_holdout"), spend_holdout: floats("spend_holdout"), duration_holdout: floats("duration_holdout")})
    : null;
  const {calibrationEnd, selection, holdoutWeeks} = metadata;
  const params = "error" in metadata.fit.transaction ? null : metadata.fit.transaction.params;
  const spend = "error" in metadata.fit.spend ? null : metadata.fit.spend.params;
  const fitted: FittedModels = {model: metadata.fit.model, params, spend, summaries};
  // Tables of this version hold no prediction columns: the same functions fitClv ran give the same values.
  const stored = metadata.predictions.some((name) => table.getChild(name));
  const recomputed = stored ? null : {...clvArrays(fitted, metadata.settings), expectedHoldout: params && holdoutWeeks > 0 ? expectedInPeriod(metadata.fit.model, params, summaries, holdoutWeeks) : null};
  const prediction = (name: string) => {
    if (!metadata.predictions.includes(name)) return null;
    if (!recomputed) return floats(name);
    const key = PREDICTIONS.find(([, column]) => column === name)![0];
    return (recomputed[key] as Float64Array | null) ?? null;
  };
  const data: CustomerData = {view: "clv_selection", calibrationEnd, first: selection.first, last: metadata.holdoutEnd ?? selection.last, holdoutWeeks, summaries, profiles, holdout};
  const fit: FitResponse = {
    type: "fit",
    id: 0,
    ...metadata.fit,
    probabilityAlive: prediction("probability_alive"),
    expectedSpend: prediction("expected_spend"),
    expectedHoldout: prediction("expected_holdout") ?? (metadata.fit.transaction && !("error" in metadata.fit.transaction) ? new Float64Array(0) : null),
    clv: prediction("clv"),
    expectedPurchases: prediction("expected_purchases")
  };
  return {metadata, data, fit, fitted};
}
