/**
 * The CLV pages' derived tables (members of the `derived` archive, src/lib/explore/derived.ts): the build's
 * data prepared as the pages prepare it (customers.ts: summaries, profiles, holdout actuals of the unfiltered
 * selection at the page's default calibration end) and fitted with the pages' default models by the code
 * the fit worker runs (fitClv.ts), so a page draws its parameters, KPIs and charts at once and refits in
 * the worker only when an input changes.
 *
 * One Arrow table per default calibration end ("holdout": the Predicted CLV page's, 26 weeks before the last
 * order; "full": the last order, as the what-if and budget pages use): a row per customer with the
 * summaries, the profile, the holdout actuals and the fit's per-customer predictions; the schema metadata
 * (key "clv") holds ClvTablesMetadata (the fit summaries, the settings, the filter choices, the daily
 * counts of the cumulative-transactions chart).
 */
import {Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector} from "apache-arrow";
import {birthsAndRepeats, customerData, type CustomerData} from "./customers.js";
import {clvArrays, expectedInPeriod, fitClv, type FitClvResult, type FittedModels} from "./fitClv.js";
import {PROFILE_ATTRIBUTES, PROFILE_LABELS, PROFILE_NUMBERS, type CustomerProfile} from "./profiles.js";
import {filterChoices} from "../sql/choices.js";
import {selectTransactions} from "../sql/selection.js";
import type {FilterChoiceValues} from "../sql/filters.js";
import {addDays} from "../time.js";
import type {FitResponse, TransactionModelName} from "../../workers/protocol.js";
import type {DerivedContext, DerivedMember} from "../explore/derived.js";
import {dictionaryVector, exactColumn, exactValues} from "../data/arrowColumns.js";
import {clvFirstView} from "./firstView.js";
import {validationView} from "./validationView.js";
import {budgetView} from "./budgetView.js";
import {whatIfView} from "./whatifView.js";
import {viewToJson} from "./viewJson.js";

/** The Predicted CLV page's default holdout, in days before the last order. */
export const DEFAULT_HOLDOUT_DAYS = 182;

/** The pages' default fit settings. */
export const DEFAULT_FIT = Object.freeze({model: "bgnbd" as TransactionModelName, penalizer: 0, horizonMonths: 12, discountRate: 0.01});

/**
 * "holdout": the Predicted CLV page's default calibration end; "full": the last order; "training": the
 * Model validation page's training set, DEFAULT_HOLDOUT_DAYS before the holdout's calibration end, with
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
  const wanted = addDays(end, -DEFAULT_HOLDOUT_DAYS);
  return wanted < first ? first : wanted;
}

/** The last day of a variant's holdout actuals: the last order, or for "training" the holdout's calibration end. */
export function defaultHoldoutEnd(variant: ClvVariant, range: {first: string; last: string}): string {
  return variant === "training" ? defaultCalibrationEnd("holdout", range) : range.last;
}

const PREDICTIONS = [
  ["probabilityAlive", "probability_alive"],
  ["expectedSpend", "expected_spend"],
  ["expectedHoldout", "expected_holdout"],
  ["clv", "clv"],
  ["expectedPurchases", "expected_purchases"]
] as const;

const strings = (values: readonly (string | null | undefined)[]) => vectorFromArray(values.map((v) => v ?? null), new Utf8());
/** Strings with few distinct values (dates, regions, segments) as a dictionary with the narrowest keys. */
const labels = (values: readonly (string | null | undefined)[]) => dictionaryVector(values.map((v) => v ?? null));
const nullableNumbers = (values: readonly (number | null)[]) => vectorFromArray(values, new Float64());

/** The divisors exactColumn tries per column: weeks as days, money as cents, counts as themselves. */
const SCALES: Record<string, readonly number[]> = {
  frequency: [1],
  recency: [7],
  T: [7],
  monetary: [1, 100],
  revenue: [1, 100],
  frequency_holdout: [1],
  spend_holdout: [1, 100],
  duration_holdout: [7]
};

/** An integer column (counts) in the narrowest integer type. */
const counts = (values: ArrayLike<number>) => exactColumn(values, [1]).vector;

/** The CLV tables of the unfiltered data: the data as the page prepares it, the default fit, as Arrow. */
export async function clvTable({db, columns, table = "transactions", fit: fitHook}: DerivedContext, variant: ClvVariant): Promise<Table> {
  const view = "derived_clv_selection";
  const selection = await selectTransactions(db, {filters: {}, columns, name: view, dates: false, table});
  try {
    if (!selection.first || !selection.last) throw new Error("no transactions: the CLV pages have nothing to fit");
    const range = {first: selection.first, last: selection.last};
    const calibrationEnd = defaultCalibrationEnd(variant, range);
    const holdoutEnd = defaultHoldoutEnd(variant, range);
    const data = await customerData(db, {view, columns, calibrationEnd, first: range.first, last: holdoutEnd});
    const settings = {...DEFAULT_FIT, holdoutWeeks: data.holdoutWeeks};
    // The data page fits in the fit worker (DerivedContext.fit); Node fits here.
    const result = fitHook ? await fitHook(data.summaries, settings) : fitClv(data.summaries, settings).result;
    const daily = await birthsAndRepeats(db, {view, calibrationEnd});
    const scales: Record<string, number> = {};
    const exact = (name: string, values: ArrayLike<number>) => {
      const {vector, scale} = exactColumn(values, SCALES[name] ?? []);
      if (scale !== null) scales[name] = scale;
      return vector;
    };
    const vectors: Record<string, Vector> = {
      customer_id: strings(data.summaries.ids ?? []),
      frequency: exact("frequency", data.summaries.frequency),
      recency: exact("recency", data.summaries.recency),
      T: exact("T", data.summaries.T),
      monetary: exact("monetary", data.summaries.monetary),
      revenue: exact("revenue", data.profiles.map((p) => p.revenue)),
      orders: counts(data.profiles.map((p) => p.orders)),
      cost: nullableNumbers(data.profiles.map((p) => p.cost)),
      purchase_days: counts(data.profiles.map((p) => p.purchase_days)),
      first_purchase: labels(data.profiles.map((p) => p.first_purchase)),
      last_purchase: labels(data.profiles.map((p) => p.last_purchase))
    };
    for (const name of PROFILE_ATTRIBUTES) if (columns.includes(name)) vectors[name] = labels(data.profiles.map((p) => p[name]));
    for (const [name, column] of Object.entries(PROFILE_NUMBERS)) {
      if (columns.includes(column)) vectors[name] = nullableNumbers(data.profiles.map((p) => p[name as keyof typeof PROFILE_NUMBERS] ?? null));
    }
    for (const [name, column] of Object.entries(PROFILE_LABELS)) {
      if (columns.includes(column)) vectors[name] = labels(data.profiles.map((p) => p[name as keyof typeof PROFILE_LABELS] ?? null));
    }
    if (data.holdout) {
      vectors.frequency_holdout = exact("frequency_holdout", data.holdout.map((h) => h.frequency_holdout));
      vectors.spend_holdout = exact("spend_holdout", data.holdout.map((h) => h.spend_holdout));
      vectors.duration_holdout = exact("duration_holdout", data.holdout.map((h) => h.duration_holdout));
    }
    // The predictions are not stored: the reader recomputes them from the parameters (see predictions above).
    const predictions: string[] = [];
    for (const [key, name] of PREDICTIONS) {
      const values = result[key];
      if (values && values.length === data.summaries.frequency.length) predictions.push(name);
    }
    const {clv: _c, expectedPurchases: _e, probabilityAlive: _p, expectedSpend: _s, expectedHoldout: _h, ...fit} = result;
    const metadata: ClvTablesMetadata = {
      variant,
      columns,
      choices: await filterChoices(db, columns, table),
      selection: {transactions: selection.transactions, customers: selection.customers, ...range},
      calibrationEnd,
      holdoutEnd,
      holdoutWeeks: data.holdoutWeeks,
      settings: DEFAULT_FIT,
      fit,
      predictions,
      scales,
      daily
    };
    const out = new Table(vectors);
    out.schema.metadata.set("clv", JSON.stringify(metadata));
    return out;
  } finally {
    await db.query(`DROP VIEW IF EXISTS ${view}`);
  }
}

/** What a page draws first, read back from a CLV table (in the page: FileAttachment(…).arrow()). */
export interface BuiltClv {
  metadata: ClvTablesMetadata;
  data: CustomerData;
  /** The default fit as the worker answers it. */
  fit: FitResponse;
  /** The fit as the worker needs it to compute CLV for other settings without refitting. */
  fitted: FittedModels;
}

export function clvFromTable(table: Table): BuiltClv {
  const metadata = JSON.parse(table.schema.metadata.get("clv") ?? "null") as ClvTablesMetadata | null;
  if (!metadata) throw new Error("the CLV table has no metadata");
  const vector = (name: string) => {
    const v = table.getChild(name);
    if (!v) throw new Error(`the CLV table has no column ${name}`);
    return v;
  };
  const floats = (name: string) => exactValues(vector(name), metadata.scales?.[name]);
  const values = (name: string) => Array.from(vector(name) as Iterable<unknown>);
  const n = table.numRows;
  const ids = values("customer_id") as string[];
  const summaries = {frequency: floats("frequency"), recency: floats("recency"), T: floats("T"), monetary: floats("monetary"), ids};
  const columns: Record<string, unknown[]> = {};
  const computed = Object.entries({...PROFILE_NUMBERS, ...PROFILE_LABELS}).filter(([, column]) => metadata.columns.includes(column)).map(([name]) => name);
  for (const name of ["revenue", "orders", "cost", "purchase_days", "first_purchase", "last_purchase", ...PROFILE_ATTRIBUTES.filter((a) => metadata.columns.includes(a)), ...computed]) {
    columns[name] = values(name);
  }
  const profiles: CustomerProfile[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const profile: Record<string, unknown> = {customer_id: ids[i]};
    for (const name in columns) profile[name] = columns[name][i];
    profiles[i] = profile as unknown as CustomerProfile;
  }
  const hasHoldout = metadata.holdoutWeeks > 0;
  const holdout = hasHoldout
    ? (() => {
        const f = floats("frequency_holdout"), s = floats("spend_holdout"), d = floats("duration_holdout");
        return ids.map((customer_id, i) => ({customer_id, frequency_holdout: f[i], spend_holdout: s[i], duration_holdout: d[i]}));
      })()
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

/** Each variant's table made once per context (the table and its first view are two members of one fit). */
const made = new WeakMap<DerivedContext, Map<ClvVariant, Promise<Table>>>();
function clvTableOnce(context: DerivedContext, variant: ClvVariant): Promise<Table> {
  let tables = made.get(context);
  if (!tables) made.set(context, (tables = new Map()));
  let table = tables.get(variant);
  if (!table) tables.set(variant, (table = clvTable(context, variant)));
  return table;
}

/**
 * The CLV pages' members of the derived archive: per variant the per-customer table (read by a page only when
 * it needs every customer), and the small JSON each page opens on: the Predicted CLV page's first view
 * (firstView.ts), the Acquisition budget page's (budgetView.ts), the What-if page's (whatifView.ts) and the
 * Model validation page's (validationView.ts), the last three written with viewToJson (Infinity and NaN kept).
 */
export const CLV_MEMBERS: DerivedMember[] = [
  {name: "clv-holdout-view.json", make: async (context) => new TextEncoder().encode(JSON.stringify(clvFirstView(clvFromTable(await clvTableOnce(context, "holdout")))))},
  {name: "clv-budget-view.json", make: async (context) => new TextEncoder().encode(viewToJson(budgetView(clvFromTable(await clvTableOnce(context, "full")))))},
  {name: "clv-whatif-view.json", make: async (context) => new TextEncoder().encode(viewToJson(whatIfView(clvFromTable(await clvTableOnce(context, "full")))))},
  {
    name: "clv-validation-view.json",
    make: async (context) => {
      const [holdout, training] = await Promise.all([clvTableOnce(context, "holdout"), clvTableOnce(context, "training")]);
      return new TextEncoder().encode(viewToJson(validationView(clvFromTable(holdout), clvFromTable(training))));
    }
  },
  {name: "clv-holdout.arrow", make: async (context) => tableToIPC(await clvTableOnce(context, "holdout"), "file")},
  {name: "clv-full.arrow", make: async (context) => tableToIPC(await clvTableOnce(context, "full"), "file")},
  {name: "clv-training.arrow", make: async (context) => tableToIPC(await clvTableOnce(context, "training"), "file")}
];
