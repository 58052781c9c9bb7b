import * as Plot from "@observablehq/plot";
import type {GroupValue} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";
import {rotatedLabelHeight} from "../lib/format/labels.js";
import type {Interval} from "../lib/clv/intervals.js";

/**
 * Mean predicted CLV per customer by acquisition cohort (columns in time order); with `intervals` (the
 * bootstrap interval of each cohort's mean), each column gets an error bar.
 */
export function ClvByCohort(rows: readonly GroupValue[], {width, intervals = null, ...options}: {width: number; intervals?: ReadonlyMap<string, Interval> | null} & Plot.PlotOptions) {
  const bars = intervals ? rows.filter((d) => intervals.get(d.group)?.every(Number.isFinite)).map((d) => ({group: d.group, low: intervals.get(d.group)![0], high: intervals.get(d.group)![1]})) : [];
  const range = (d: GroupValue) => (intervals?.get(d.group)?.every(Number.isFinite) ? `\nInterval: ${fmt.money(intervals.get(d.group)![0])} – ${fmt.money(intervals.get(d.group)![1])}` : "");
  const cohorts = rows.map((d) => d.group).sort();
  const rotate = cohorts.length > 12;
  // Rotated tick labels take their diagonal's height; the axis title goes below them.
  const tickHeight = rotate ? rotatedLabelHeight(cohorts) : 0;
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 260 + tickHeight,
    marginLeft: 50,
    marginBottom: rotate ? tickHeight + 24 : 45,
    x: {label: "Acquisition cohort (quarter of the first purchase)", domain: cohorts, tickRotate: rotate ? -45 : 0},
    y: {label: "↑ Mean predicted CLV", grid: true, tickFormat: fmt.moneyCompact},
    marks: [
      Plot.barY(rows, {x: "group", y: "mean", fill: "var(--theme-foreground-focus)", fillOpacity: 0.85}),
      Plot.ruleX(bars, {x: "group", y1: "low", y2: "high", stroke: "var(--theme-foreground)", strokeWidth: 1.5}),
      Plot.tickY(bars, {x: "group", y: "low", stroke: "var(--theme-foreground)", insetLeft: 4, insetRight: 4}),
      Plot.tickY(bars, {x: "group", y: "high", stroke: "var(--theme-foreground)", insetLeft: 4, insetRight: 4}),
      Plot.tip(rows, Plot.pointerX({x: "group", y: "mean", title: (d: GroupValue) => `Cohort ${d.group}\nCustomers: ${fmt.integer(d.customers)}\nMean CLV: ${fmt.money(d.mean)}${range(d)}\nTotal CLV: ${fmt.money(d.total)} (${fmt.percent(d.share, 1)})`})),
      Plot.ruleY([0])
    ],
    ...options
  });
}
