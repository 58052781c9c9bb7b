import * as Plot from "@observablehq/plot";
import type {DailySalesRow, PeriodSalesRow} from "../lib/explore/sales.js";
import type {Grain} from "../lib/explore/brush.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";
import {DAY_MS, utcDate} from "../lib/time.js";

export type SalesMeasure = "revenue" | "transactions";

export const MEAN_7D = "#4269d0";
export const MEAN_28D = "#ff725c";

/** The start of the next period (UTC), from the start of one. */
function periodEnd(date: Date, grain: Grain): Date {
  if (grain === "month") return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  return new Date(date.getTime() + (grain === "week" ? 7 : 1) * DAY_MS);
}

/**
 * Revenue or transactions per day, week or month as bars; at the day grain, with the trailing 7-day and
 * 28-day means as lines. Partial weeks and months at the ends are paler.
 */
export function SalesSeries(
  rows: readonly (DailySalesRow | PeriodSalesRow)[],
  {width, measure = "revenue", grain = "day", height = 230, unit = "transactions", ...options}: {width: number; measure?: SalesMeasure; grain?: Grain; height?: number; unit?: string} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  // Each bar spans its period: the end is computed here rather than by Plot's interval option, which takes
  // twice as long to draw a thousand bars.
  const data = rows.map((d) => {
    const date = utcDate(d.date);
    return {...d, date, end: periodEnd(date, grain), complete: "complete" in d ? d.complete : true};
  });
  const money = measure === "revenue";
  const format = money ? fmt.money : fmt.integer;
  const period = (d: {date: Date}) =>
    grain === "day" ? fmt.dayLabel(d.date) : grain === "week" ? `Week of ${fmt.dayLabel(d.date)}` : fmt.monthLabel(d.date);
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
    y: {grid: true, label: `${money ? "Revenue" : capitalized(unit)} per ${grain}`, tickFormat: money ? fmt.moneyCompact : fmt.compact},
    marks: [
      Plot.rectY(data, {
        x1: "date",
        x2: "end",
        y: measure,
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
