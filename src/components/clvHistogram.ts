import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";
import type {HistogramBin} from "../lib/clv/firstView.js";

/**
 * The distribution of predicted CLV per customer, from its bars (clvHistogramBins: the values up to the 99th
 * percentile, so the long tail does not squash the bars; the caption should say where the cut is). The bars
 * are computed once, at build time for the page's first view or in the page over every customer.
 */
export function ClvHistogram(bins: readonly HistogramBin[], {width, ...options}: {width: number} & Plot.PlotOptions) {
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 260,
    marginLeft: 50,
    x: {label: "Predicted CLV per customer →", tickFormat: fmt.moneyCompact},
    y: {label: "↑ Customers", grid: true},
    marks: [
      Plot.rectY(bins, {x1: "x1", x2: "x2", y: "count", fill: "var(--theme-foreground-focus)", fillOpacity: 0.8, inset: 0.5, tip: true}),
      Plot.ruleY([0])
    ],
    ...options
  });
}
