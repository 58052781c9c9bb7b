import * as Plot from "@observablehq/plot";
import type {M1Row} from "../lib/explore/cohorts.js";
import {fmt} from "./settings.js";

/** M1 retention per cohort as bars, with the customer-weighted mean over the cohorts shown as a rule. */
export function M1Chart(rows: readonly M1Row[], {width, ...options}: {width: number} & Plot.PlotOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const customers = rows.reduce((sum, d) => sum + d.cohort_size, 0);
  const mean = customers ? rows.reduce((sum, d) => sum + d.m1_customers, 0) / customers : NaN;
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 50,
    x: {type: "band", label: null, tickFormat: (c: string) => (c.endsWith("-01") || rows.length <= 12 ? fmt.monthLabel(c) : ""), tickRotate: 0},
    y: {grid: true, label: "M1 retention", tickFormat: (x: number) => fmt.percent(x), zero: true},
    marks: [
      Plot.barY(rows, {
        x: "cohort",
        y: "m1_retention",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.8,
        inset: 1,
        tip: true,
        title: (d: M1Row) => `Cohort ${fmt.monthLabel(d.cohort)}\n${fmt.percent(d.m1_retention)} retained in M1\n${fmt.integer(d.m1_customers)} of ${fmt.integer(d.cohort_size)} customers`
      }),
      ...(Number.isFinite(mean)
        ? [
            Plot.ruleY([mean], {stroke: "#ff725c", strokeWidth: 1.5, strokeDasharray: "4,3", tip: true, title: () => `All cohorts shown: ${fmt.percent(mean)}`})
          ]
        : []),
      Plot.ruleY([0])
    ],
    ...options
  });
}
