import * as Plot from "@observablehq/plot";
import type {GroupValue} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";
import {labelMargin} from "../lib/format/labels.js";

/**
 * Mean predicted CLV per customer by group (RFM segment, region, province) as horizontal bars, each labelled
 * with the group's share of the total predicted value; the tip adds customers and total.
 */
export function ClvBy(rows: readonly GroupValue[], {width, label = "Group", ...options}: {width: number; label?: string} & Plot.PlotOptions) {
  const order = rows.map((d) => d.group);
  const text = (d: GroupValue) => `${fmt.money(d.mean)} · ${fmt.percent(d.share, 0)} of value`;
  // Room for the longest group name on the left and the longest value label right of the longest bar.
  const marginLeft = labelMargin(order, {min: 40, max: 170});
  const marginRight = labelMargin(rows.map(text), {min: 60, max: 160, pad: 8});
  return Plot.plot({
    // A card not laid out yet can report a tiny or negative width: never narrower than the margins and a bar.
    width: Math.max(width, marginLeft + marginRight + 100),
    height: Math.max(120, 28 * rows.length + 50),
    marginLeft,
    marginRight,
    x: {label: "Mean predicted CLV per customer →", grid: true, tickFormat: fmt.moneyCompact},
    y: {label: null, domain: order},
    marks: [
      Plot.barX(rows, {y: "group", x: "mean", fill: "var(--theme-foreground-focus)", fillOpacity: 0.85}),
      Plot.text(rows, {y: "group", x: "mean", text, textAnchor: "start", dx: 4, fill: "var(--theme-foreground-muted)"}),
      Plot.tip(rows, Plot.pointerY({y: "group", x: "mean", title: (d: GroupValue) => `${label}: ${d.group}\nCustomers: ${fmt.integer(d.customers)}\nMean CLV: ${fmt.money(d.mean)}\nTotal CLV: ${fmt.money(d.total)} (${fmt.percent(d.share, 1)})`})),
      Plot.ruleX([0])
    ],
    ...options
  });
}
