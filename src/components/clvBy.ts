import * as Plot from "@observablehq/plot";
import type {GroupValue} from "../lib/clv/diagnostics.js";
import {DEFAULT_FORMATS as fmt} from "../lib/format/number.js";

/**
 * Mean predicted CLV per customer by group (RFM segment, region, province) as horizontal bars, each labelled
 * with the group's share of the total predicted value; the tip adds customers and total.
 */
export function ClvBy(rows: readonly GroupValue[], {width, label = "Group", ...options}: {width: number; label?: string} & Plot.PlotOptions) {
  const order = rows.map((d) => d.group);
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: Math.max(120, 28 * rows.length + 50),
    marginLeft: Math.min(170, 12 + 7 * Math.max(...order.map((g) => g.length), 4)),
    marginRight: 90,
    x: {label: "Mean predicted CLV per customer →", grid: true, tickFormat: fmt.moneyCompact},
    y: {label: null, domain: order},
    marks: [
      Plot.barX(rows, {y: "group", x: "mean", fill: "var(--theme-foreground-focus)", fillOpacity: 0.85}),
      Plot.text(rows, {y: "group", x: "mean", text: (d: GroupValue) => `${fmt.money(d.mean)} · ${fmt.percent(d.share, 0)} of value`, textAnchor: "start", dx: 4, fill: "var(--theme-foreground-muted)"}),
      Plot.tip(rows, Plot.pointerY({y: "group", x: "mean", title: (d: GroupValue) => `${label}: ${d.group}\nCustomers: ${fmt.integer(d.customers)}\nMean CLV: ${fmt.money(d.mean)}\nTotal CLV: ${fmt.money(d.total)} (${fmt.percent(d.share, 1)})`})),
      Plot.ruleX([0])
    ],
    ...options
  });
}
