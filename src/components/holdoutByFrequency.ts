import * as Plot from "@observablehq/plot";
import type {HoldoutBucket} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";

/** Mean purchases in the holdout by calibration frequency: actual vs the model's conditional expectation. */
export function HoldoutByFrequency(buckets: readonly HoldoutBucket[], {width, model = "Model", ...options}: {width: number; model?: string} & Plot.PlotOptions) {
  const data = buckets.flatMap((b) => [
    {label: b.label, series: "Actual", value: b.actual, customers: b.customers},
    {label: b.label, series: model, value: b.expected, customers: b.customers}
  ]);
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 260,
    marginLeft: 50,
    x: {label: "Repeat purchases in calibration →", domain: buckets.map((b) => b.label), padding: 0.5},
    y: {label: "↑ Mean purchases in the holdout", grid: true},
    color: {domain: ["Actual", model], range: ["var(--theme-foreground)", "var(--theme-foreground-focus)"], legend: true},
    marks: [
      Plot.line(data, {x: "label", y: "value", stroke: "series", strokeWidth: 2, marker: "circle-stroke"}),
      Plot.tip(data, Plot.pointer({x: "label", y: "value", stroke: "series", title: (d: (typeof data)[number]) => `${d.series}, frequency ${d.label}\nMean holdout purchases: ${fmt.decimal(d.value)}\nCustomers: ${fmt.integer(d.customers)}`})),
      Plot.ruleY([0])
    ],
    ...options
  });
}
