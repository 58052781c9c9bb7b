import * as Plot from "@observablehq/plot";
import type {YearOverYearRow} from "../lib/explore/sales.js";
import type {SalesMeasure} from "./salesSeries.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Monthly revenue (or transactions), one line per year over January–December; partial months as hollow dots. */
export function YearOverYear(
  rows: readonly YearOverYearRow[],
  {width, measure = "revenue", unit = "transactions", ...options}: {width: number; measure?: SalesMeasure; unit?: string} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const money = measure === "revenue";
  const data = rows.map((d) => {
    const length = new Date(Date.UTC(d.year, d.period, 0)).getUTCDate();
    return {...d, year: String(d.year), partial: d.days < length};
  });
  const change = (d: (typeof data)[number]) => {
    const previous = money ? d.previous_revenue : d.previous_transactions;
    if (previous == null || previous === 0 || d.partial || (d.previous_days ?? 0) < d.days) return "";
    return `\n${fmt.percent(d[measure] / previous - 1)} vs a year earlier`;
  };
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 56,
    x: {type: "point", domain: MONTHS.map((_, i) => i + 1), tickFormat: (m: number) => MONTHS[m - 1], label: null, inset: 10},
    y: {grid: true, zero: true, label: money ? "Revenue per month" : `${capitalized(unit)} per month`, tickFormat: money ? fmt.moneyCompact : fmt.compact},
    color: {type: "ordinal", scheme: "observable10", legend: true},
    marks: [
      Plot.lineY(data, {x: "period", y: measure, stroke: "year", strokeWidth: 2}),
      Plot.dot(data.filter((d) => !d.partial), {x: "period", y: measure, fill: "year", r: 3}),
      Plot.dot(data.filter((d) => d.partial), {x: "period", y: measure, stroke: "year", fill: "var(--theme-background)", strokeWidth: 1.5, r: 3.5}),
      Plot.tip(
        data,
        Plot.pointer({
          x: "period",
          y: measure,
          stroke: "year",
          title: (d: (typeof data)[number]) =>
            `${fmt.monthLabel(d.date)}${d.partial ? ` (${d.days} days in the data)` : ""}\n${money ? fmt.money(d.revenue) : fmt.integer(d.transactions)}${change(d)}`
        })
      )
    ],
    ...options
  });
}
