/**
 * Time-series transforms on per-period aggregates (Arquero). The aggregation itself is SQL in DuckDB; these
 * run on its small result.
 */
import * as aq from "arquero";

export interface SeriesPoint {
  date: string;
  value: number;
}

export interface SmoothedPoint extends SeriesPoint {
  /** Trailing mean of `value` over the last `window` points, the current one included. */
  mean: number;
}

/**
 * Trailing rolling mean over `window` consecutive points, in date order. The first points use the shorter
 * history they have (a window of 7 at the third point averages three values), so the result has no gaps.
 * The rows must already be one per period with no missing periods (fill empty days with zero in SQL first).
 */
export function rollingMean(rows: readonly SeriesPoint[], {window = 7}: {window?: number} = {}): SmoothedPoint[] {
  if (!Number.isInteger(window) || window < 1) throw new Error(`rollingMean: window must be a positive integer, got ${window}`);
  if (rows.length === 0) return [];
  return aq
    .from(rows as SeriesPoint[])
    .orderby("date")
    .derive({mean: aq.rolling((d: {value: number}) => aq.op.average(d.value), [-(window - 1), 0])})
    .objects() as SmoothedPoint[];
}
