import * as Plot from "@observablehq/plot";
import type {TopPartnerRow} from "../lib/explore/partners.js";
import {fmt} from "./settings.js";

/** The top partners by revenue as ranked horizontal bars labelled with revenue and share of all sales. */
export function PartnerBars(rows: readonly TopPartnerRow[], {width, ...options}: {width: number} & Plot.PlotOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const data = rows.map((d) => ({...d, label: `${d.rank}. ${d.partner}`}));
  return Plot.plot({
    width: Math.max(width, 170 + 120 + 120), // never narrower than the margins and a bar
    height: data.length * 24 + 40,
    marginLeft: 170,
    marginRight: 120,
    x: {grid: true, axis: "top", label: "Revenue", tickFormat: fmt.moneyCompact},
    y: {domain: data.map((d) => d.label), label: null},
    marks: [
      Plot.barX(data, {
        x: "revenue",
        y: "label",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.8,
        tip: true,
        title: (d: TopPartnerRow) =>
          `${d.partner} (#${d.rank})\n${fmt.money(d.revenue)} revenue (${fmt.percent(d.revenue_share)} of all sales)\n${fmt.integer(d.transactions)} transactions\n${fmt.integer(d.customers)} customers`
      }),
      Plot.text(data, {x: "revenue", y: "label", text: (d: TopPartnerRow) => `${fmt.money(d.revenue)} · ${fmt.percent(d.revenue_share)}`, textAnchor: "start", dx: 5, fill: "var(--theme-foreground)"}),
      Plot.ruleX([0])
    ],
    ...options
  });
}
