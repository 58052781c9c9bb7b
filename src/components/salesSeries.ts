import * as Plot from "@observablehq/plot";
import type {DailySalesRow, PeriodSalesRow} from "../lib/explore/sales.js";
import type {Grain} from "./dates.js";
import {compact, currency, currencyCompact, dayLabel, integer, monthLabel, utcDate} from "./format.js";

export type SalesMeasure = "revenue" | "transactions";

export const MEAN_7D = "#4269d0";
export const MEAN_28D = "#ff725c";

const INTERVAL = {day: "day", week: "monday", month: "month"} as const;

/**
 * Revenue or transactions per day, week or month as bars; at the day grain, with the trailing 7-day and
 * 28-day means as lines. Partial weeks and months at the ends are paler.
 */
export function SalesSeries(
  rows: readonly (DailySalesRow | PeriodSalesRow)[],
  {width, measure = "revenue", grain = "day", height = 230, ...options}: {width: number; measure?: SalesMeasure; grain?: Grain; height?: number} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const data = rows.map((d) => ({...d, date: utcDate(d.date), complete: "complete" in d ? d.complete : true}));
  const money = measure === "revenue";
  const format = money ? currency : integer;
  const period = (d: {date: Date}) =>
    grain === "day" ? dayLabel(d.date) : grain === "week" ? `Week of ${dayLabel(d.date)}` : monthLabel(d.date);
  const title = (d: (typeof data)[number] & Partial<DailySalesRow>) =>
    [
      period(d),
      `${money ? "Revenue" : "Transactions"} ${format(d[measure])}`,
      ...(grain === "day"
        ? [`7-day mean ${format(d[`${measure}_7d`])}`, `28-day mean ${format(d[`${measure}_28d`])}`]
        : d.complete ? [] : ["(partial period)"])
    ].join("\n");
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    x: {type: "utc", label: null},
    y: {grid: true, label: `${money ? "Revenue" : "Transactions"} per ${grain}`, tickFormat: money ? currencyCompact : compact},
    marks: [
      Plot.rectY(data, {
        x: "date",
        y: measure,
        interval: INTERVAL[grain],
        inset: grain === "day" ? 0 : 0.5,
        fill: "var(--theme-foreground-muted)",
        fillOpacity: (d) => (d.complete ? (grain === "day" ? 0.35 : 0.6) : 0.25)
      }),
      ...(grain === "day"
        ? [
            Plot.lineY(data, {x: "date", y: `${measure}_7d`, stroke: MEAN_7D, strokeWidth: 1.25}),
            Plot.lineY(data, {x: "date", y: `${measure}_28d`, stroke: MEAN_28D, strokeWidth: 2})
          ]
        : []),
      Plot.ruleY([0]),
      Plot.tip(data, Plot.pointerX({x: "date", y: measure, title}))
    ],
    ...options
  });
}
