/**
 * The Acquisition budget page's figures (one definition for the page over every customer and for the first
 * view made at build time) and its first view: the figures at the page's default inputs, from the "full" CLV
 * table (fitted at the last order with the default model, horizon and discount), so the page opens on a small
 * JSON and loads the per-customer table only for another input, a filter or the bootstrap intervals.
 */
import type {BuiltClv, ClvTablesMetadata} from "./derived.js";
import {acquisitionCohort, budgetColumns, budgetGroups, checkPredicted, type BudgetGroup} from "./budget.js";
import {groupCodes, type GroupCodes} from "./groups.js";
import {costMargins, profileSegments, type CustomerProfile} from "./profiles.js";
import {nextDay, perDistinctDate} from "../time.js";
import {DEFAULT_SEGMENTATION_SETTING, segmentationScheme, type Segmentation} from "../rfm/segmentation.js";

/** The page's grouping keys per customer and their codes (the bootstrap sums by them). */
export interface BudgetGroupings {
  segmentKey: "customer_segment" | "rfm_segment";
  keys: {cohort: string[]; region: (string | null)[] | null; segment: (string | null)[]; channel: string[] | null};
  groupings: Record<string, GroupCodes>;
}

/** Cohort, region, segment (the data's customer segment, else the RFM segment at `asOf`) and channel of each customer. */
export function budgetGroupings(profiles: readonly CustomerProfile[], {columns, asOf, segmentation}: {columns: readonly string[]; asOf: string; segmentation: Segmentation}): BudgetGroupings {
  const segmentKey = columns.includes("customer_segment") ? "customer_segment" : "rfm_segment";
  const rfm = segmentKey === "rfm_segment" ? profileSegments(profiles, {analysisDate: nextDay(asOf), scheme: segmentationScheme(segmentation), k: segmentation.bins}) : null;
  const cohortOf = perDistinctDate((day) => acquisitionCohort(day, {unit: "quarter"}));
  const keys = {
    cohort: profiles.map((p) => cohortOf(p.first_purchase)),
    region: columns.includes("region") ? profiles.map((p) => p.region ?? null) : null,
    segment: profiles.map((p, i) => (rfm ? rfm[i] : p.customer_segment ?? null)),
    channel: columns.includes("channel") ? profiles.map((p) => p.channel ?? "(no channel)") : null
  };
  const groupings = Object.fromEntries(Object.entries(keys).filter(([, k]) => k).map(([name, k]) => [name, groupCodes(k!)]));
  return {segmentKey, keys, groupings};
}

/** The page's inputs that its figures depend on. */
export interface BudgetInputs {
  cac: number;
  cacBy: string;
  /** CAC by group label of the `cacBy` grouping (the CAC table's entries). */
  cacTable: Record<string, number>;
  cacOwn: boolean;
  costToServe: number;
  target: number;
  marginSource: "none" | "cost" | "rate";
  marginRate: number;
  horizon: number;
}

/** What the page draws: the KPIs and formulas (all), the tables and charts by group. */
export interface BudgetCharts {
  all: BudgetGroup;
  byCohort: BudgetGroup[];
  byRegion: BudgetGroup[] | null;
  bySegment: BudgetGroup[];
  byChannel: BudgetGroup[] | null;
  meanRevenue: number;
  meanOrders: number;
  meanGross: number;
  ownCacCustomers: number;
  /** True when every customer has a predicted CLV (the bootstrap needs it). */
  hasPredicted: boolean;
}

export interface BudgetPageFigures extends BudgetCharts {
  /** Each customer's margin rate (the bootstrap's margins). */
  margins: Float64Array;
}

export interface BudgetPageInput {
  profiles: readonly CustomerProfile[];
  columns: readonly string[];
  groupings: BudgetGroupings;
  /** The last order: the budget's as-of date. */
  asOf: string;
  /** Each customer's discounted revenue over the horizon (margin 1), and the expected orders the cost to serve applies to; null when unavailable. */
  predictedRevenue: ArrayLike<number> | null;
  expectedOrders: ArrayLike<number> | null;
  inputs: BudgetInputs;
}

/**
 * The budget page's figures for its inputs, over every customer: column-wise (budgetColumns, then budgetGroups by
 * the groupings' codes), with no object per customer.
 */
export function budgetPageFigures({profiles, columns, groupings: {groupings}, asOf, predictedRevenue, expectedOrders, inputs}: BudgetPageInput): BudgetPageFigures {
  const {cac, cacBy, cacTable, cacOwn, costToServe, target, marginSource, marginRate, horizon} = inputs;
  const n = profiles.length;
  const hasCost = columns.includes("cost");
  const ownCac = cacOwn && columns.includes("acquisition_cost");
  // Each customer's margin rate: 1 (the classic formula: revenue), from the cost column, or one rate.
  const margins = marginSource === "cost" && hasCost ? costMargins(profiles, {fallback: marginRate}) : new Float64Array(n).fill(marginSource === "rate" ? marginRate : 1);
  // The cost of goods that goes with the margin rate (taken off the revenue with the cost column).
  const cost = (i: number) => profiles[i].revenue * (1 - margins[i]);
  // The CAC entered for each group of the `cacBy` grouping (undefined: none).
  const grouping = cacBy !== "none" ? groupings[cacBy] : undefined;
  const groupCac: unknown[] | null = grouping ? grouping.labels.map((label) => cacTable[label]) : null;
  const figures = budgetColumns(
    {
      length: n,
      revenue: (i) => profiles[i].revenue,
      orders: (i) => profiles[i].orders,
      cost,
      firstPurchase: (i) => profiles[i].first_purchase,
      lastPurchase: (i) => profiles[i].last_purchase,
      // The customer's own acquisition cost (when asked for and recorded), else the CAC entered for the
      // customer's group, else (none) the one CAC.
      cac: (i) => (ownCac && Number.isFinite(profiles[i].acquisition_cost) ? profiles[i].acquisition_cost : groupCac?.[grouping!.codes[i]]),
      name: (i) => `customer ${JSON.stringify(profiles[i].customer_id)}`
    },
    // The cost of goods counts whenever one is chosen (the cost column or one margin rate): gross margin,
    // contribution, historical CLV and LTV all take it off, as the formula line says.
    {costToServe, cac, target, asOf, useCost: marginSource !== "none"},
    "budgetPageFigures"
  );
  // Predicted CLV on the budget's terms: discounted future revenue × margin less the cost of serving the expected
  // orders. Null when a fit failed: the budget's historical figures need no model and are kept.
  let predicted: Float64Array | null = null;
  if (predictedRevenue && expectedOrders) {
    predicted = new Float64Array(n);
    for (let i = 0; i < n; i++) predicted[i] = checkPredicted(margins[i] * predictedRevenue[i] - costToServe * expectedOrders[i], profiles[i].customer_id);
  }
  let orders = 0;
  let gross = 0;
  let ownCacCustomers = 0;
  for (let i = 0; i < n; i++) {
    const p = profiles[i];
    orders += p.orders;
    gross += p.revenue - cost(i);
    if (ownCac && Number.isFinite(p.acquisition_cost)) ownCacCustomers++;
  }
  const options = {predicted, horizonMonths: horizon};
  const [all] = budgetGroups(figures, null, options);
  return {
    margins,
    all,
    byCohort: budgetGroups(figures, groupings.cohort, options),
    byRegion: columns.includes("region") ? budgetGroups(figures, groupings.region, options) : null,
    bySegment: budgetGroups(figures, groupings.segment, options),
    byChannel: columns.includes("channel") ? budgetGroups(figures, groupings.channel, options) : null,
    meanRevenue: all.revenue / all.customers,
    meanOrders: orders / all.customers,
    meanGross: gross / all.customers,
    ownCacCustomers,
    hasPredicted: predicted !== null
  };
}

/** The page's default inputs (as its input widgets start), for data with these columns. */
export function budgetDefaults(columns: readonly string[]): BudgetInputs & {model: string; penalizer: number; discountRate: number; segmentation: Segmentation} {
  return {
    cac: 40,
    cacBy: "none",
    cacTable: {},
    cacOwn: columns.includes("acquisition_cost"),
    costToServe: 3,
    target: 3,
    marginSource: "none",
    marginRate: 0.3,
    horizon: 12,
    model: "bgnbd",
    penalizer: 0,
    discountRate: 0.01,
    segmentation: {...DEFAULT_SEGMENTATION_SETTING}
  };
}

/** The small member the page opens on. */
export interface BudgetView {
  /** The "full" table's metadata, without the Predicted CLV page's daily counts. */
  metadata: Omit<ClvTablesMetadata, "daily">;
  settings: ReturnType<typeof budgetDefaults>;
  customers: number;
  segmentKey: BudgetGroupings["segmentKey"];
  figures: BudgetCharts;
}

/**
 * The first view of the "full" CLV table, or null when the page cannot open on one: the table's fit settings
 * are not the page's defaults, or a fit failed (the page then shows why from the full table).
 */
export function budgetView(built: BuiltClv): BudgetView | null {
  const {metadata, data, fitted} = built;
  const settings = budgetDefaults(metadata.columns);
  const fit = metadata.fit;
  if ("error" in fit.transaction || "error" in fit.spend || !fitted.params || !fitted.spend) return null;
  if (metadata.settings.model !== settings.model || metadata.settings.penalizer !== settings.penalizer) return null;
  if (metadata.settings.horizonMonths !== settings.horizon || metadata.settings.discountRate !== settings.discountRate) return null;
  if (!built.fit.clv || !built.fit.expectedPurchases) return null;
  const groupings = budgetGroupings(data.profiles, {columns: metadata.columns, asOf: metadata.selection.last, segmentation: settings.segmentation});
  const {margins: _, ...figures} = budgetPageFigures({
    profiles: data.profiles,
    columns: metadata.columns,
    groupings,
    asOf: metadata.selection.last,
    predictedRevenue: built.fit.clv,
    expectedOrders: built.fit.expectedPurchases,
    inputs: settings
  });
  const {daily: __, ...rest} = metadata;
  return {metadata: rest, settings, customers: data.profiles.length, segmentKey: groupings.segmentKey, figures};
}
