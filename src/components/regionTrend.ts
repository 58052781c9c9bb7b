import * as Plot from "@observablehq/plot";
import type {AreaMonthRow} from "../lib/explore/regions.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";
import {utcDate} from "../lib/time.js";

export type TrendMeasure = "revenue" | "transactions" | "revenue_share";

/** Regions (or provinces) month by month as stacked areas: revenue, transactions, or each one's share of the month's revenue. */
export function RegionTrend(
  rows: readonly AreaMonthRow[],
  {width, measure = "revenue", unit = "transactions", ...options}: {width: number; measure?: TrendMeasure; unit?: string} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const data = rows.map((d) => ({...d, date: utcDate(d.date), area: d.area ?? "(unknown)"}));
  // Largest areas at the bottom of the stack, and first in the legend.
  const totals = new Map<string, number>();
  for (const d of data) totals.set(d.area, (totals.get(d.area) ?? 0) + d.revenue);
  const order = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const tickFormat = measure === "revenue" ? fmt.moneyCompact : measure === "transactions" ? fmt.compact : (x: number) => fmt.percent(x);
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 56,
    x: {type: "utc", label: null},
    y: {grid: true, label: measure === "revenue" ? "Revenue per month" : measure === "transactions" ? `${capitalized(unit)} per month` : "Share of the month's revenue", tickFormat},
    color: {domain: order, scheme: "observable10", legend: true},
    marks: [
      Plot.areaY(data, {
        x: "date",
        y: measure,
        fill: "area",
        order,
        fillOpacity: 0.85,
        tip: true,
        title: (d: (typeof data)[number]) =>
          `${d.area}, ${fmt.monthLabel(d.date)}\n${fmt.money(d.revenue)} revenue (${fmt.percent(d.revenue_share)} of the month)\n${fmt.integer(d.transactions)} ${unit}`
      }),
      Plot.ruleY([0])
    ],
    ...options
  });
}
