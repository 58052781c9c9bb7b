import * as Plot from "@observablehq/plot";
import type {GroupValue} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";
import {labelMargin} from "../lib/format/labels.js";
import type {Interval} from "../lib/clv/intervals.js";

/**
 * Mean predicted CLV per customer by group (RFM segment, region, province) as horizontal bars, each labelled
 * with the group's share of the total predicted value; the tip adds customers and total. With `intervals` (the
 * bootstrap interval of each group's mean, by group), each bar gets an error bar.
 */
export function ClvBy(
  rows: readonly GroupValue[],
  {width, label = "Group", intervals = null, ...options}: {width: number; label?: string; intervals?: ReadonlyMap<string, Interval> | null} & Plot.PlotOptions
) {
  const order = rows.map((d) => d.group);
  const text = (d: GroupValue) => `${fmt.money(d.mean)} · ${fmt.percent(d.share, 0)} of value`;
  const bars = intervals ? rows.filter((d) => intervals.get(d.group)?.every(Number.isFinite)).map((d) => ({group: d.group, low: intervals.get(d.group)![0], high: intervals.get(d.group)![1]})) : [];
  const end = (d: GroupValue) => Math.max(d.mean, intervals?.get(d.group)?.[1] ?? -Infinity);
  const range = (d: GroupValue) => (intervals?.get(d.group)?.every(Number.isFinite) ? `\nInterval: ${fmt.money(intervals.get(d.group)![0])} – ${fmt.money(intervals.get(d.group)![1])}` : "");
  // Room for the longest group name on the left and the longest value label right of the longest bar.
  const marginLeft = labelMargin(order, {min: 40, max: 170});
  const marginRight = labelMargin(rows.map(text), {min: 60, max: 160, pad: 8});
  return Plot.plot({
    // A card not laid out yet can report a tiny or negative width: never narrower than the margins and a bar.
    width: Math.max(width, marginLeft + marginRight + 100),
    height: Math.max(120, 28 * rows.length + 50),
    marginLeft,
    marginRight,
    x: {label: "Mean predicted CLV per customer →", grid: true, tickFormat: fmt.moneyCompact},
    y: {label: null, domain: order},
    marks: [
      Plot.barX(rows, {y: "group", x: "mean", fill: "var(--theme-foreground-focus)", fillOpacity: 0.85}),
      Plot.ruleY(bars, {y: "group", x1: "low", x2: "high", stroke: "var(--theme-foreground)", strokeWidth: 1.5}),
      Plot.tickX(bars, {y: "group", x: "low", stroke: "var(--theme-foreground)", insetTop: 8, insetBottom: 8}),
      Plot.tickX(bars, {y: "group", x: "high", stroke: "var(--theme-foreground)", insetTop: 8, insetBottom: 8}),
      Plot.text(rows, {y: "group", x: end, text, textAnchor: "start", dx: 4, fill: "var(--theme-foreground-muted)"}),
      Plot.tip(rows, Plot.pointerY({y: "group", x: "mean", title: (d: GroupValue) => `${label}: ${d.group}\nCustomers: ${fmt.integer(d.customers)}\nMean CLV: ${fmt.money(d.mean)}${range(d)}\nTotal CLV: ${fmt.money(d.total)} (${fmt.percent(d.share, 1)})`})),
      Plot.ruleX([0])
    ],
    ...options
  });
}
