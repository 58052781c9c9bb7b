/**
 * Time-series transforms on per-period aggregates. The aggregation itself is SQL in DuckDB; these run on its
 * small result (a point per day), in plain TypeScript: the home page draws with them, and a table library
 * would be one more module to load before its first chart.
 */

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
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return sorted.map((point, i) => {
    // Summed afresh over each window (at most `window` values), so no rounding error accumulates along the series.
    let sum = 0;
    const from = Math.max(0, i - window + 1);
    for (let j = from; j <= i; j++) sum += sorted[j].value;
    return {...point, mean: sum / (i - from + 1)};
  });
}
