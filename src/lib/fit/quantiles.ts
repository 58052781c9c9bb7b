/**
 * Percentile intervals of refitted figures: no fitting code here, so the pages that only summarise the
 * bootstrap's replicates (the CLV pages' intervals, the budget's) load without the optimiser (fit/bootstrap.ts).
 */

/** A [low, high] interval. */
export type Interval = [number, number];

/**
 * The central `level` percentile interval of `values`: the (1-level)/2 and (1+level)/2 quantiles, linear
 * interpolation between order statistics (Hyndman & Fan 1996, type 7). Non-finite values are ignored; [NaN, NaN]
 * when none is left.
 */
export function percentileInterval(values: ArrayLike<number>, level: number): Interval {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort();
  return [quantileSorted(sorted, (1 - level) / 2), quantileSorted(sorted, (1 + level) / 2)];
}

/** The p-quantile of ascending `sorted` values (type 7); NaN when there are none. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
