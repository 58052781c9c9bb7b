import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";

/**
 * The distribution of predicted CLV per customer: a histogram up to the `cap` quantile (default 0.99), so the
 * long tail does not squash the bars; the caption should say where the cut is.
 */
export function ClvHistogram(values: ArrayLike<number>, {width, cap = 0.99, ...options}: {width: number; cap?: number} & Plot.PlotOptions) {
  const sorted = Float64Array.from(values).sort();
  const max = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(cap * sorted.length))] : 0;
  const shown = Array.from(sorted).filter((v) => v <= max);
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 260,
    marginLeft: 50,
    x: {label: "Predicted CLV per customer →", tickFormat: fmt.moneyCompact},
    y: {label: "↑ Customers", grid: true},
    marks: [
      Plot.rectY(shown, {...Plot.binX({y: "count"}, {x: (d: number) => d, thresholds: 40}), fill: "var(--theme-foreground-focus)", fillOpacity: 0.8, inset: 0.5, tip: true}),
      Plot.ruleY([0])
    ],
    ...options
  });
}
