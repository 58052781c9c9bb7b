import * as Plot from "@observablehq/plot";
import type {CohortCellRow} from "../lib/explore/cohorts.js";
import {fmt} from "./settings.js";

export type CohortMetric = "retention" | "revenue_retention" | "cumulative_revenue_per_customer";

export const COHORT_METRICS: Record<CohortMetric, string> = {
  retention: "Customer retention",
  revenue_retention: "Revenue retention",
  cumulative_revenue_per_customer: "Cumulative revenue per customer"
};

/**
 * The cohort × months-since-first-purchase matrix as a heatmap of one metric. The colour scale of the
 * retention metrics leaves out month 0 (always 100%) so that later months use the whole ramp; cells of a
 * month the data does not cover to its end are hatched lighter.
 */
export function CohortMatrix(
  rows: readonly CohortCellRow[],
  {width, metric = "retention", ...options}: {width: number; metric?: CohortMetric} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const money = metric === "cumulative_revenue_per_customer";
  const cohorts = [...new Set(rows.map((d) => d.cohort))].sort();
  const months = Math.max(0, ...rows.map((d) => d.months_since_first)) + 1;
  const marginLeft = 70;
  const cell = Math.max(6, Math.min(32, (width - marginLeft - 10) / months));
  const rowHeight = Math.max(12, Math.min(20, cell));
  const scaled = rows.filter((d) => money || d.months_since_first > 0).map((d) => d[metric] ?? NaN).filter(Number.isFinite).sort((a, b) => a - b);
  const top = scaled.length ? scaled[Math.min(scaled.length - 1, Math.floor(scaled.length * 0.98))] : 1;
  const showText = cell >= 26 && rowHeight >= 14;
  return Plot.plot({
    width: Math.min(width, marginLeft + 10 + months * cell),
    height: cohorts.length * rowHeight + 90,
    marginLeft,
    marginRight: 10,
    padding: 0,
    x: {type: "band", domain: Array.from({length: months}, (_, i) => i), label: "Months since first purchase →", axis: "top", ticks: Array.from({length: months}, (_, i) => i).filter((i) => months <= 24 || i % 3 === 0)},
    // A rotated title longer than a few cohorts' rows was clipped ("hort (month of first purchase)"): a short
    // one over the tick labels instead; the page's caption says what a cohort is.
    y: {type: "band", domain: cohorts, label: "Cohort", labelAnchor: "top", labelArrow: "none", tickFormat: (c: string) => fmt.monthLabel(c)},
    color: {
      type: "linear",
      scheme: money ? "greens" : "blues",
      domain: [0, top || 1],
      clamp: true,
      legend: true,
      label: COHORT_METRICS[metric],
      tickFormat: money ? fmt.moneyCompact : (x: number) => fmt.percent(x)
    },
    marks: [
      Plot.cell(rows, {
        x: "months_since_first",
        y: "cohort",
        fill: metric,
        fillOpacity: (d: CohortCellRow) => (d.complete ? 1 : 0.45),
        inset: 0.5,
        tip: true,
        title: (d: CohortCellRow) =>
          `Cohort ${fmt.monthLabel(d.cohort)} (${fmt.integer(d.cohort_size)} customers), month ${d.months_since_first}: ${fmt.monthLabel(d.month)}${d.complete ? "" : " (partial)"}\n` +
          `${fmt.percent(d.retention)} active (${fmt.integer(d.active_customers)})\n` +
          `${fmt.money(d.revenue)} revenue, ${fmt.percent(d.revenue_retention)} of month 0\n` +
          `${fmt.money(d.cumulative_revenue_per_customer)} cumulative per customer`
      }),
      ...(showText
        ? [
            Plot.text(rows, {
              x: "months_since_first",
              y: "cohort",
              text: (d: CohortCellRow) => (money ? fmt.moneyCompact(d[metric]) : fmt.percent(d[metric])).replace(/\.\d%$/, "%"),
              fill: (d: CohortCellRow) => ((d[metric] ?? 0) > (top || 1) * 0.6 ? "white" : "black"),
              fontSize: 9
            })
          ]
        : [])
    ],
    ...options
  });
}
