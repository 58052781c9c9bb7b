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
import {Table, Float64, makeVector, tableToIPC, type Vector} from "apache-arrow";
import {birthsAndRepeats, customerColumns, profileColumn} from "./customers.js";
import {fitClv} from "./fitClv.js";
import {PROFILE_ATTRIBUTES, PROFILE_LABELS, PROFILE_NUMBERS} from "./profiles.js";
import {filterChoices} from "../sql/choices.js";
import {selectTransactions} from "../sql/selection.js";
import type {DerivedContext, DerivedMember} from "../explore/derived.js";
import {dictionaryVector, exactColumn, nullableFloat64, utf8Vector} from "../data/arrowColumns.js";
import {DEFAULT_FIT, PREDICTIONS, clvFromTable, tableSummaries, defaultCalibrationEnd, defaultHoldoutEnd, type BuiltClv, type ClvTablesMetadata, type ClvVariant} from "./tables.js";
import {clvFirstView} from "./firstView.js";
import {validationViewOf, validationViewRequest} from "./validationFirstView.js";
import {validateModels} from "./validateModels.js";
import {budgetView} from "./budgetView.js";
import {whatIfView} from "./whatifView.js";
import {viewToJson} from "./viewJson.js";

export * from "./tables.js";

// The columns below come from customerColumns (profileColumn, the ids): plain arrays of values or null (never
// undefined), or typed arrays of numbers; read as they are, with no copy of 2M values.
// Ids as Utf8 (utf8Vector); strings with few distinct values (dates, regions, segments) as a dictionary with
// the narrowest keys (dictionaryVector).
/** Numbers that may be null as Float64 (a typed array has none). */
const nullableNumbers = (values: ArrayLike<number | null>) => (ArrayBuffer.isView(values) ? makeVector(Float64Array.from(values as ArrayLike<number>)) : nullableFloat64(values));

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

/**
 * A CLV table before its fit: the customers' columns (summaries, profile, holdout actuals) and the metadata
 * but the fit's. Made with the engine (clvData); fitted without it (fitted), so that every variant's SQL can
 * run before the engine is let go (DerivedMember.prepare) and the fits and views do not share the page's
 * memory with it.
 */
interface ClvData {
  table: Table;
  metadata: Omit<ClvTablesMetadata, "fit" | "predictions" | "scales"> & {scales: Record<string, number>};
}

/** The customers of the unfiltered data as the page prepares them, at the variant's default calibration end, as Arrow. */
async function clvData({db, columns, table = "transactions", released}: DerivedContext, variant: ClvVariant): Promise<ClvData> {
  if (released) throw new Error(`the CLV customers (${variant}) were not read before the engine was let go: the member that reads them needs a prepare that does`);
  const view = "derived_clv_selection";
  const selection = await selectTransactions(db, {filters: {}, columns, name: view, dates: false, table});
  try {
    if (!selection.first || !selection.last) throw new Error("no transactions: the CLV pages have nothing to fit");
    const range = {first: selection.first, last: selection.last};
    const calibrationEnd = defaultCalibrationEnd(variant, range);
    const holdoutEnd = defaultHoldoutEnd(variant, range);
    // The profiles as the query's columns: no object per customer is made here (clvFromTable makes them
    // for the views that read them).
    const data = await customerColumns(db, {view, columns, calibrationEnd, first: range.first, last: holdoutEnd});
    const n = data.summaries.frequency.length;
    const profile = (name: string): ArrayLike<unknown> => profileColumn(data.profileColumns, name) ?? new Array(n).fill(null);
    const daily = await birthsAndRepeats(db, {view, calibrationEnd});
    const scales: Record<string, number> = {};
    const exact = (name: string, values: ArrayLike<number>) => {
      const {vector, scale} = exactColumn(values, SCALES[name] ?? []);
      if (scale !== null) scales[name] = scale;
      return vector;
    };
    const vectors: Record<string, Vector> = {
      customer_id: utf8Vector(data.summaries.ids ?? []),
      frequency: exact("frequency", data.summaries.frequency),
      recency: exact("recency", data.summaries.recency),
      T: exact("T", data.summaries.T),
      monetary: exact("monetary", data.summaries.monetary),
      revenue: exact("revenue", profile("revenue") as ArrayLike<number>),
      orders: counts(profile("orders") as ArrayLike<number>),
      cost: nullableNumbers(profile("cost") as ArrayLike<number | null>),
      purchase_days: counts(profile("purchase_days") as ArrayLike<number>),
      first_purchase: dictionaryVector(profile("first_purchase") as (string | null)[]),
      last_purchase: dictionaryVector(profile("last_purchase") as (string | null)[])
    };
    for (const name of PROFILE_ATTRIBUTES) if (columns.includes(name)) vectors[name] = dictionaryVector(profile(name) as (string | null)[]);
    for (const [name, column] of Object.entries(PROFILE_NUMBERS)) {
      if (columns.includes(column)) vectors[name] = nullableNumbers(profile(name) as ArrayLike<number | null>);
    }
    for (const [name, column] of Object.entries(PROFILE_LABELS)) {
      if (columns.includes(column)) vectors[name] = dictionaryVector(profile(name) as (string | null)[]);
    }
    if (data.holdout) {
      vectors.frequency_holdout = exact("frequency_holdout", data.holdout.frequency_holdout);
      vectors.spend_holdout = exact("spend_holdout", data.holdout.spend_holdout);
      vectors.duration_holdout = exact("duration_holdout", data.holdout.duration_holdout);
    }
    const metadata = {
      variant,
      columns,
      choices: await filterChoices(db, columns, table),
      selection: {transactions: selection.transactions, customers: selection.customers, ...range},
      calibrationEnd,
      holdoutEnd,
      holdoutWeeks: data.holdoutWeeks,
      settings: DEFAULT_FIT,
      scales,
      daily
    };
    return {table: new Table(vectors), metadata};
  } finally {
    await db.query(`DROP VIEW IF EXISTS ${view}`);
  }
}

/**
 * The table fitted with the default model (DerivedContext.fit: the data page's worker; else fitClv here), on
 * the summaries read back from its columns (exactColumn keeps the values the query gave, bit for bit): the
 * fit's summary and which predictions it gave go into the metadata; the predictions themselves are not
 * stored (the reader recomputes them from the parameters, see clvFromTable).
 */
async function fitted({fit: fitHook}: DerivedContext, {table, metadata}: ClvData): Promise<Table> {
  const summaries = tableSummaries(table, metadata.scales);
  const n = table.numRows;
  const settings = {...DEFAULT_FIT, holdoutWeeks: metadata.holdoutWeeks};
  const result = fitHook ? await fitHook(summaries, settings) : fitClv(summaries, settings).result;
  const predictions: string[] = [];
  for (const [key, name] of PREDICTIONS) {
    const values = result[key];
    if (values && values.length === n) predictions.push(name);
  }
  const {clv: _c, expectedPurchases: _e, probabilityAlive: _p, expectedSpend: _s, expectedHoldout: _h, ...fit} = result;
  const {scales, daily, ...facts} = metadata;
  const full: ClvTablesMetadata = {...facts, fit, predictions, scales, daily};
  table.schema.metadata.set("clv", JSON.stringify(full));
  return table;
}

/** The CLV tables of the unfiltered data: the data as the page prepares it, the default fit, as Arrow. */
export async function clvTable(context: DerivedContext, variant: ClvVariant): Promise<Table> {
  return fitted(context, await clvData(context, variant));
}

/** Each variant's data read once per context, by a member's prepare (before the engine is let go) or its make. */
const read = new WeakMap<DerivedContext, Map<ClvVariant, Promise<ClvData>>>();
function clvDataOnce(context: DerivedContext, variant: ClvVariant): Promise<ClvData> {
  let data = read.get(context);
  if (!data) read.set(context, (data = new Map()));
  let out = data.get(variant);
  if (!out) data.set(variant, (out = clvData(context, variant)));
  return out;
}

/** Each variant's table made once per context (the table and its first view are two members of one fit). */
const made = new WeakMap<DerivedContext, Map<ClvVariant, Promise<Table>>>();
function clvTableOnce(context: DerivedContext, variant: ClvVariant): Promise<Table> {
  let tables = made.get(context);
  if (!tables) made.set(context, (tables = new Map()));
  let table = tables.get(variant);
  if (!table) {
    tables.set(variant, (table = clvDataOnce(context, variant).then((data) => fitted(context, data))));
    // Fitted, the variant's data is the table's: it is not read again.
    void table.then(() => read.get(context)?.delete(variant), () => undefined);
  }
  return table;
}

/**
 * Forgets a variant's table once the last member that reads it is made. A later member would make it again:
 * with the engine let go (makeDerived's release) it cannot, and clvData says so.
 */
function release(context: DerivedContext, variant: ClvVariant): void {
  made.get(context)?.delete(variant);
}

const VARIANT_LABELS: Record<ClvVariant, string> = {full: "full data", holdout: "holdout", training: "training split"};

/** A member's engine work (DerivedMember.prepare): the customers of the variant and of the `also` variants it reads (each read once per context). */
const reading = (variant: ClvVariant, ...also: ClvVariant[]): NonNullable<DerivedMember["prepare"]> => ({
  label: `CLV customers (${VARIANT_LABELS[variant]})`,
  run: async (context) => {
    for (const each of [...also, variant]) await clvDataOnce(context, each);
  }
});

/** A member's bytes made from the variant's table, the table released after it when `last`. */
function fromTable(variant: ClvVariant, bytes: (table: Table) => Uint8Array, last = false): DerivedMember["make"] {
  return async (context) => {
    const out = bytes(await clvTableOnce(context, variant));
    if (last) release(context, variant);
    return out;
  };
}

/**
 * The table as the pages read it (clvFromTable), once per table: the budget and what-if views read the full
 * data's, the first view the holdout's (the validation reads the holdout and training tables' columns
 * instead). Made again per member, each would build a profile per customer and recompute every prediction
 * anew (2.16M customers at 5M orders).
 */
const builtOf = new WeakMap<Table, BuiltClv>();
function built(table: Table): BuiltClv {
  let out = builtOf.get(table);
  if (!out) builtOf.set(table, (out = clvFromTable(table)));
  return out;
}

const json = (value: unknown) => new TextEncoder().encode(viewToJson(value));

/**
 * The CLV pages' members of the derived archive: per variant the per-customer table (read by a page only when
 * it needs every customer), and the small JSON each page opens on: the Predicted CLV page's first view
 * (firstView.ts), the Acquisition budget page's (budgetView.ts), the What-if page's (whatifView.ts) and the
 * Model validation page's (validationView.ts), the last three written with viewToJson (Infinity and NaN kept).
 * Each member's prepare reads its variant's customers (as Arrow columns, a few bytes per customer), so that
 * every query runs before the engine is let go (makeDerived's release); the makes then fit and draw without
 * it, in the order that lets each variant's table, and the objects built from it, go as soon as its last
 * member is made: the full data's first (budget, what-if), then the holdout's and the training split's
 * (validation, which reads their columns, with no object per customer).
 */
export const CLV_MEMBERS: DerivedMember[] = [
  {name: "clv-budget-view.json", prepare: reading("full"), make: fromTable("full", (table) => json(budgetView(built(table))))},
  {name: "clv-whatif-view.json", prepare: reading("full"), make: fromTable("full", (table) => json(whatIfView(built(table))))},
  {name: "clv-full.arrow", prepare: reading("full"), make: fromTable("full", (table) => tableToIPC(table, "file"), true)},
  {name: "clv-holdout-view.json", prepare: reading("holdout"), make: fromTable("holdout", (table) => new TextEncoder().encode(JSON.stringify(clvFirstView(built(table)))))},
  {
    name: "clv-validation-view.json",
    prepare: reading("training", "holdout"),
    make: async (context) => {
      const tables = await Promise.all([clvTableOnce(context, "holdout"), clvTableOnce(context, "training")]);
      // The request and the view's facts are read from the tables' columns (validationViewRequest): the
      // profiles built from them for the members before (built) go, and none is built for every customer here.
      for (const table of tables) builtOf.delete(table);
      const asked = validationViewRequest(tables[0], tables[1]);
      if (!asked) return json(null);
      // The data page validates in the fit worker (DerivedFit.validate, which takes the request's arrays); Node here.
      const validate = context.fit?.validate;
      const result = validate ? await validate(asked.request) : validateModels(asked.request);
      return json(result && validationViewOf(asked.facts, asked.holdoutWeeks, result));
    }
  },
  {name: "clv-holdout.arrow", prepare: reading("holdout"), make: fromTable("holdout", (table) => tableToIPC(table, "file"), true)},
  {name: "clv-training.arrow", prepare: reading("training"), make: fromTable("training", (table) => tableToIPC(table, "file"), true)}
];
