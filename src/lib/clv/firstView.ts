/**
 * What the Predicted CLV page draws first, computed once from a CLV table (derived.ts) with the page's default
 * inputs, so the page opens on a small file (the `clv-holdout-view.json` member) instead of the per-customer
 * table: the fit's parameters and status (the table's metadata), the KPIs, the histogram's bins, CLV by
 * segment, region, province and cohort, the first customers of the table (highest CLV first) and the model
 * checks. The page loads the per-customer table only when an input, a filter or an action needs it, and then
 * computes the same figures with the same function (clvPageFigures) over every customer.
 */
import type {CustomerData} from "./customers.js";
import type {BuiltClv, ClvTablesMetadata} from "./derived.js";
import {clvKpis, customerRows, marginClv, marginRates, type ClvKpis, type CustomerRow} from "./kpis.js";
import {holdoutByFrequency, repeatDistribution, valueByGroup, type CountBucket, type GroupValue, type HoldoutBucket} from "./diagnostics.js";
import {profileSegments} from "./profiles.js";
import {acquisitionCohort} from "./budget.js";
import {nextDay} from "../time.js";
import {DEFAULT_SEGMENTATION_SETTING, segmentationScheme, type Segmentation} from "../rfm/segmentation.js";
import {segmentNames} from "../rfm/rules.js";
import type {TransactionModel} from "../models/index.js";

/** Customers in the first view's table: the page's table shows these before the rest is loaded. */
export const FIRST_VIEW_ROWS = 1000;

/** One bar of the CLV histogram: customers with x1 ≤ CLV < x2 (the last bar includes x2). */
export interface HistogramBin {
  x1: number;
  x2: number;
  count: number;
}

/** A step of about (stop − start) ÷ count rounded to 1, 2 or 5 × a power of ten (as d3.ticks chooses). */
function niceStep(start: number, stop: number, count: number): number {
  const raw = (stop - start) / count;
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
}

/**
 * The CLV histogram's bars: the values up to the `cap` quantile (the long tail beyond is left out and the
 * caption says so), in about `thresholds` bars of a round width. Empty bars are kept so the axis is continuous.
 */
export function clvHistogramBins(values: ArrayLike<number>, {cap = 0.99, thresholds = 40}: {cap?: number; thresholds?: number} = {}): HistogramBin[] {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return [];
  const max = sorted[Math.min(sorted.length - 1, Math.floor(cap * sorted.length))];
  const min = sorted[0];
  const step = niceStep(min, max, thresholds);
  const start = Math.floor(min / step) * step;
  const bars = Math.floor((max - start) / step) + 1; // the largest value shown falls in the last bar
  const bins: HistogramBin[] = Array.from({length: bars}, (_, i) => ({x1: start + i * step, x2: start + (i + 1) * step, count: 0}));
  for (const v of sorted) {
    if (v > max) break;
    bins[Math.min(bars - 1, Math.floor((v - start) / step))].count++;
  }
  return bins;
}

export interface ClvPageInput {
  data: Pick<CustomerData, "profiles" | "summaries">;
  calibrationEnd: string;
  columns: readonly string[];
  /** The fit's per-customer predictions (null where a fit failed); clv before margin. */
  probabilityAlive: ArrayLike<number> | null;
  expectedPurchases: ArrayLike<number> | null;
  expectedSpend: ArrayLike<number> | null;
  clv: ArrayLike<number> | null;
  margin: {fromCost: boolean; rate: number};
  segmentation: Segmentation;
  /** Why a prediction is missing, for the table's rows. */
  note: string;
  /** Only the first `rows` rows of the customer table (the first view's); every customer when absent. */
  rows?: number;
}

/** What the Predicted CLV page draws: the KPI cards, the histogram and the bars by group. */
export interface ClvCharts {
  kpis: ClvKpis;
  histogram: HistogramBin[] | null;
  bySegment: GroupValue[] | null;
  byRegion: GroupValue[] | null;
  byProvince: GroupValue[] | null;
  byCohort: GroupValue[] | null;
}

/** The page's per-customer figures and what it draws from them. */
export interface ClvPageFigures extends ClvCharts {
  margins: Float64Array;
  /** CLV after margin, per customer (null without both fits). */
  clv: Float64Array | null;
  segments: string[];
  cohorts: string[];
  /** Every customer (or the first ClvPageInput.rows), highest CLV first. */
  rows: CustomerRow[];
}

/** The Predicted CLV page's figures for its inputs: one definition for the first view and the full table. */
export function clvPageFigures(input: ClvPageInput): ClvPageFigures {
  const {data, calibrationEnd, columns, probabilityAlive, segmentation} = input;
  const margins = marginRates(data.profiles, input.margin);
  const clv = marginClv(input.clv, margins);
  const scheme = segmentationScheme(segmentation);
  const segments = profileSegments(data.profiles, {analysisDate: nextDay(calibrationEnd), scheme, k: segmentation.bins});
  const cohorts = data.profiles.map((p) => acquisitionCohort(p.first_purchase, {unit: "quarter"}));
  return {
    margins,
    clv,
    segments,
    cohorts,
    kpis: clvKpis({customers: data.profiles.length, probabilityAlive, clv}),
    histogram: clv ? clvHistogramBins(clv) : null,
    bySegment: clv ? valueByGroup(clv, segments, {order: segmentNames(scheme)}) : null,
    byRegion: clv && columns.includes("region") ? valueByGroup(clv, data.profiles.map((p) => p.region)) : null,
    byProvince: clv && columns.includes("province") ? valueByGroup(clv, data.profiles.map((p) => p.province)) : null,
    byCohort: clv ? valueByGroup(clv, cohorts) : null,
    rows: customerRows(
      {profiles: data.profiles, summaries: data.summaries, segments, probabilityAlive, expectedPurchases: input.expectedPurchases, expectedSpend: input.expectedSpend, clv, note: input.note},
      {limit: input.rows}
    )
  };
}

/** The model checks' inputs that need every customer (the grid and the cumulative chart need only these and the parameters). */
export interface ClvChecks {
  maxFrequency: number;
  maxT: number;
  repeats: CountBucket[] | null;
  holdoutRows: HoldoutBucket[] | null;
}

/** The model checks of a fit over the customers (as the page draws them). */
export function clvChecks(transaction: TransactionModel | null, data: Pick<CustomerData, "summaries" | "holdout">, expectedHoldout: ArrayLike<number> | null): ClvChecks {
  const sortedFrequency = Float64Array.from(data.summaries.frequency).sort();
  const maxFrequency = Math.max(1, Math.min(30, sortedFrequency[Math.floor(0.99 * (sortedFrequency.length - 1))] ?? 1));
  const maxT = data.summaries.T.reduce((a, b) => Math.max(a, b), 0);
  const repeats = transaction ? repeatDistribution(transaction, data.summaries) : null;
  const holdoutRows =
    transaction && data.holdout && expectedHoldout ? holdoutByFrequency({frequency: data.summaries.frequency, actual: data.holdout.map((d) => d.frequency_holdout), expected: expectedHoldout}) : null;
  return {maxFrequency, maxT, repeats, holdoutRows};
}

/** The page's default inputs, which the first view is computed for. */
export interface ClvViewSettings {
  horizonMonths: number;
  discountRate: number;
  model: string;
  penalizer: number;
  margin: {fromCost: boolean; rate: number};
  segmentation: Segmentation;
}

/** The small member the page opens on: the table's metadata and the figures at the page's default inputs. */
export interface ClvFirstView extends ClvCharts {
  metadata: ClvTablesMetadata;
  settings: ClvViewSettings;
  customers: number;
  /** The first FIRST_VIEW_ROWS rows of the customer table. */
  top: CustomerRow[];
  checks: ClvChecks;
}

/** The page's default margin: each customer's cost column when the data has one, else 30% of spend. */
export function defaultClvMargin(columns: readonly string[]): {fromCost: boolean; rate: number} {
  return {fromCost: columns.includes("cost"), rate: 0.3};
}

/**
 * The first view of a CLV table, or null when the page cannot open on one: a fit that failed or gave no
 * CLV (the page then shows why from the full table).
 */
export function clvFirstView(built: BuiltClv, {rows = FIRST_VIEW_ROWS}: {rows?: number} = {}): ClvFirstView | null {
  const {metadata, data, fit} = built;
  if (!fit.clv || !fit.probabilityAlive || !fit.expectedPurchases || !fit.expectedSpend || "error" in fit.transaction || "error" in fit.spend) return null;
  const settings: ClvViewSettings = {
    horizonMonths: metadata.settings.horizonMonths,
    discountRate: metadata.settings.discountRate,
    model: metadata.settings.model,
    penalizer: metadata.settings.penalizer,
    margin: defaultClvMargin(metadata.columns),
    segmentation: {...DEFAULT_SEGMENTATION_SETTING}
  };
  const figures = clvPageFigures({
    data,
    calibrationEnd: metadata.calibrationEnd,
    columns: metadata.columns,
    probabilityAlive: fit.probabilityAlive,
    expectedPurchases: fit.expectedPurchases,
    expectedSpend: fit.expectedSpend,
    clv: fit.clv,
    margin: settings.margin,
    segmentation: settings.segmentation,
    note: "",
    rows
  });
  const transaction = {model: fit.model, params: fit.transaction.params} as TransactionModel;
  return {
    metadata,
    settings,
    customers: data.profiles.length,
    kpis: figures.kpis,
    histogram: figures.histogram,
    bySegment: figures.bySegment,
    byRegion: figures.byRegion,
    byProvince: figures.byProvince,
    byCohort: figures.byCohort,
    top: figures.rows,
    checks: clvChecks(transaction, data, fit.expectedHoldout)
  };
}
