import * as Plot from "@observablehq/plot";
import type {CountBucket} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";

/** Customers by repeat purchases in calibration: observed (data) beside expected (model), grouped bars. */
export function RepeatDistribution(buckets: readonly CountBucket[], {width, model = "Model", ...options}: {width: number; model?: string} & Plot.PlotOptions) {
  const data = buckets.flatMap((b) => [
    {label: b.label, series: "Observed", customers: b.observed},
    {label: b.label, series: model, customers: b.expected}
  ]);
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 260,
    marginLeft: 55,
    fx: {label: "Repeat purchases in calibration", domain: buckets.map((b) => b.label)},
    x: {axis: null, domain: ["Observed", model]},
    y: {label: "↑ Customers", grid: true, tickFormat: "~s"},
    color: {domain: ["Observed", model], range: ["var(--theme-foreground-faint)", "var(--theme-foreground-focus)"], legend: true},
    marks: [
      Plot.barY(data, {fx: "label", x: "series", y: "customers", fill: "series", tip: {format: {y: (v: number) => fmt.integer(v), fx: true, x: false}}}),
      Plot.ruleY([0])
    ],
    ...options
  });
}
