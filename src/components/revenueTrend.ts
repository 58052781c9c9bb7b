import * as Plot from "@observablehq/plot";
import type {SmoothedPoint} from "../lib/explore/timeseries.js";
import {fmt} from "./settings.js";

/** Daily revenue as thin bars with its trailing rolling mean as a line. */
export function RevenueTrend(
  rows: SmoothedPoint[],
  {width, window, ...options}: {width: number; window: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  const data = rows.map((d) => ({...d, date: new Date(d.date)}));
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 60,
    x: {label: null},
    y: {grid: true, label: "Revenue per day", tickFormat: fmt.moneyCompact},
    marks: [
      // No inset: the interval option's default half-pixel insets on each side leave a day narrower than a
      // pixel (four years in 900 pixels) with no width at all.
      Plot.rectY(data, {x: "date", y: "value", interval: "day", insetLeft: 0, insetRight: 0, fill: "var(--theme-foreground-faint)"}),
      Plot.lineY(data, {x: "date", y: "mean", stroke: "var(--theme-foreground-focus)", strokeWidth: 2}),
      Plot.ruleY([0]),
      Plot.tip(data, Plot.pointerX({x: "date", y: "mean", title: (d) => `${d.date.toISOString().slice(0, 10)}\nrevenue ${fmt.money(d.value)}\n${window}-day mean ${fmt.money(d.mean)}`}))
    ],
    ...options
  }) as SVGSVGElement | HTMLElement;
}
