/**
 * Bootstrap intervals of the figures the CLV pages show (issue 16): each refit of the transaction model and
 * Gamma-Gamma (fit/bootstrap.ts clvReplicates) predicts the customers again (per distinct row, clv/replicates.ts
 * RefitFigures), and the page's figures are recomputed from those predictions: total and mean CLV, active customers, the top 10%'s share, and the sum
 * of CLV and of expected purchases in every group of a grouping (segment, region, cohort). Only these sums
 * cross from the worker, one small record per refit, so the level of the intervals can change on the page
 * without any refit, and a group mean's interval is the interval of the group's mean over refits (not an
 * average of per-customer intervals, which would be too wide).
 *
 * Intervals are percentile intervals (fit/quantiles.ts percentileInterval); refits whose predictions are not
 * finite are left out and counted.
 */
import type {ClvReplicate} from "../fit/bootstrap.js";
import {percentileInterval, type Interval} from "../fit/quantiles.js";
import {groupCodes, RefitFigures, type GroupCodes, type ReplicateFigure} from "./replicates.js";
import {whatIf, type WhatIfCustomer, type WhatIfOptions, type WhatIfResult} from "./whatif.js";
import type {ClvSettings, SummaryArrays} from "../../workers/protocol.js";

export type {Interval};

export {groupCodes, type GroupCodes, type ReplicateFigure};

export interface FigureOptions {
  /** Each customer's margin rate (1 for revenue). */
  margins: ArrayLike<number>;
  groupings?: readonly GroupCodes[];
}

/**
 * The figures of one refit; null when its predictions are not finite (the refit is then left out). One call
 * compresses the customers again: for many refits, use RefitFigures (clv/replicates.ts) once.
 */
export function replicateFigure(summaries: SummaryArrays, fit: ClvReplicate, settings: ClvSettings, options: FigureOptions): ReplicateFigure | null {
  return new RefitFigures(summaries, settings, options).add(fit);
}

/** The intervals of the headline figures over the refits. */
export interface KpiIntervals {
  level: number;
  /** Refits the intervals rest on. */
  replicates: number;
  total: Interval;
  /** Mean CLV per customer. */
  average: Interval;
  active: Interval;
  activeShare: Interval;
  topShare: Interval;
  purchases: Interval;
}

export function kpiIntervals(figures: readonly ReplicateFigure[], customers: number, level: number): KpiIntervals {
  checkLevel(level);
  const of = (f: (r: ReplicateFigure) => number) => percentileInterval(figures.map(f), level);
  const per = ([low, high]: Interval): Interval => (customers > 0 ? [low / customers, high / customers] : [NaN, NaN]);
  const total = of((r) => r.total);
  const active = of((r) => r.active);
  return {level, replicates: figures.length, total, average: per(total), active, activeShare: per(active), topShare: of((r) => r.topShare), purchases: of((r) => r.purchases)};
}

/** The interval of each group's mean CLV per customer, keyed by the group's label. */
export function groupMeanIntervals(figures: readonly ReplicateFigure[], grouping: GroupCodes, index: number, level: number): Map<string, Interval> {
  checkLevel(level);
  const counts = new Float64Array(grouping.labels.length);
  for (const k of grouping.codes) counts[k]++;
  const out = new Map<string, Interval>();
  grouping.labels.forEach((label, k) => {
    const [low, high] = percentileInterval(figures.map((r) => r.groups[index].clv[k]), level);
    out.set(label, [low / counts[k], high / counts[k]]);
  });
  return out;
}

/**
 * Each group's predicted contribution summed over its customers, per refit: Σ CLV − costToServe × Σ expected
 * purchases (the budget page's predicted CLV, before acquisition cost), keyed by the group's label.
 */
export function groupContributions(figures: readonly ReplicateFigure[], grouping: GroupCodes, index: number, {costToServe = 0}: {costToServe?: number} = {}): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  grouping.labels.forEach((label, k) => {
    out.set(label, Float64Array.from(figures, (r) => r.groups[index].clv[k] - costToServe * r.groups[index].purchases[k]));
  });
  return out;
}

/** An interval as text: "[1,200 – 1,540]" with `format` for each end; "" when it is not finite. */
export function formatInterval([low, high]: Interval, format: (x: number) => string): string {
  return Number.isFinite(low) && Number.isFinite(high) ? `[${format(low)} – ${format(high)}]` : "";
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`interval level must be between 0 and 1, got ${level}`);
}

/** Fewest refits with finite figures an interval is read from. */
export const MIN_REFITS = 2;

/** An interval, or why there is none ("not available: …"). */
export type IntervalOr = {interval: Interval; problem: null} | {interval: null; problem: string};

function intervalOf(values: readonly number[], requested: number, level: number, what: string): IntervalOr {
  const finite = values.filter(Number.isFinite);
  if (finite.length < MIN_REFITS) {
    return {interval: null, problem: `not available: ${finite.length} of ${requested} refits gave a finite ${what} (at least ${MIN_REFITS} are needed)`};
  }
  return {interval: percentileInterval(finite, level), problem: null};
}

/** The what-if page's figures for one customer, each with its interval over the refits. */
export interface WhatIfIntervals {
  level: number;
  probabilityAlive: IntervalOr;
  expectedPurchases: IntervalOr;
  clv: IntervalOr;
}

/**
 * The what-if page's intervals: the entered customer predicted with each refit's parameters (whatif.ts whatIf),
 * and the percentile interval of each figure over the refits whose figure is finite. `requested` is the number
 * of refits asked for (those that did not converge are not in `fits`).
 */
export function whatIfIntervals(customer: WhatIfCustomer, fits: readonly ClvReplicate[], options: Omit<WhatIfOptions, "transaction" | "spend">, level: number, requested = fits.length): WhatIfIntervals {
  checkLevel(level);
  const results = fits.map((fit) => whatIf(customer, {...options, transaction: fit.transaction, spend: fit.spend}));
  const values = (f: (r: WhatIfResult) => number | null) => results.map((r) => f(r) ?? NaN);
  return {
    level,
    probabilityAlive: intervalOf(values((r) => r.probabilityAlive), requested, level, "P(alive)"),
    expectedPurchases: intervalOf(values((r) => r.expectedPurchases), requested, level, "expected purchases"),
    clv: intervalOf(values((r) => r.clv), requested, level, "CLV")
  };
}

/** Intervals of the predicted holdout totals (the figures of a bootstrap with a holdout). */
export function holdoutIntervals(figures: readonly ReplicateFigure[], requested: number, level: number): {purchases: IntervalOr; spend: IntervalOr} {
  checkLevel(level);
  return {
    purchases: intervalOf(figures.map((f) => f.holdout?.purchases ?? NaN), requested, level, "holdout purchases"),
    spend: intervalOf(figures.map((f) => f.holdout?.spend ?? NaN), requested, level, "holdout spend")
  };
}
