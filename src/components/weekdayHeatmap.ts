import * as Plot from "@observablehq/plot";
import type {HeatmapRow} from "../lib/explore/sales.js";
import type {SalesMeasure} from "./salesSeries.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Each day as a cell: ISO week across, weekday down, one row of weeks per ISO year, coloured by the measure. */
export function WeekdayHeatmap(
  rows: readonly HeatmapRow[],
  {width, measure = "revenue", unit = "transactions", ...options}: {width: number; measure?: SalesMeasure; unit?: string} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const money = measure === "revenue";
  const years = new Set(rows.map((d) => d.iso_year)).size || 1;
  const marginLeft = 40;
  const cell = Math.max(8, Math.min(18, (width - marginLeft - 44) / 53));
  return Plot.plot({
    width,
    height: years * (7 * cell + 10) + 70,
    marginLeft,
    marginRight: 44,
    padding: 0,
    x: {type: "band", domain: Array.from({length: 53}, (_, i) => i + 1), ticks: [1, 5, 9, 13, 18, 22, 26, 31, 35, 39, 44, 48, 52], label: "ISO week"},
    y: {type: "band", domain: [1, 2, 3, 4, 5, 6, 7], tickFormat: (d: number) => WEEKDAYS[d - 1], label: null},
    fy: {label: null, tickFormat: (d: number) => String(d)},
    color: {
      type: "linear",
      scheme: "blues",
      legend: true,
      label: money ? "Revenue per day" : `${capitalized(unit)} per day`,
      tickFormat: money ? fmt.moneyCompact : fmt.compact
    },
    marks: [
      Plot.cell(rows, {
        x: "iso_week",
        y: "weekday",
        fy: "iso_year",
        fill: measure,
        inset: 0.5,
        tip: true,
        title: (d: HeatmapRow) => `${fmt.dayLabel(d.date)} (week ${d.iso_week})\n${money ? fmt.money(d.revenue) : fmt.integer(d.transactions)}`
      })
    ],
    ...options
  });
}
