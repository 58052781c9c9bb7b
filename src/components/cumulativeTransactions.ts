import * as Plot from "@observablehq/plot";
import type {CumulativePoint} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";

/** Cumulative repeat purchases over time, actual vs model, with the end of calibration marked. */
export function CumulativeTransactions(
  points: readonly CumulativePoint[],
  {width, calibrationEnd, model = "Model", ...options}: {width: number; calibrationEnd: string; model?: string} & Plot.PlotOptions
) {
  const data = points.flatMap((p) => [
    {date: new Date(p.date), series: "Actual", value: p.actual},
    {date: new Date(p.date), series: model, value: p.expected}
  ]);
  const end = new Date(calibrationEnd);
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: 300,
    marginLeft: 60,
    x: {label: null},
    y: {label: "↑ Cumulative repeat purchases", grid: true, tickFormat: "~s"},
    color: {domain: ["Actual", model], range: ["var(--theme-foreground)", "var(--theme-foreground-focus)"], legend: true},
    marks: [
      Plot.ruleX([end], {stroke: "var(--theme-foreground-muted)", strokeDasharray: "4,3"}),
      Plot.text([end], {x: (d: Date) => d, frameAnchor: "top", text: () => "end of calibration →", textAnchor: "end", dx: -4, dy: 4, fill: "var(--theme-foreground-muted)"}),
      Plot.lineY(data.filter((d) => d.series === "Actual"), {x: "date", y: "value", stroke: "series", strokeWidth: 2}),
      Plot.lineY(data.filter((d) => d.series !== "Actual"), {x: "date", y: "value", stroke: "series", strokeWidth: 2, strokeDasharray: "6,3"}),
      Plot.tip(data, Plot.pointerX({x: "date", y: "value", stroke: "series", title: (d: {date: Date; series: string; value: number}) => `${d.date.toISOString().slice(0, 10)}\n${d.series}: ${fmt.integer(d.value)}`})),
      Plot.ruleY([0])
    ],
    ...options
  });
}
