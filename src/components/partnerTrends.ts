import * as Plot from "@observablehq/plot";
import type {PartnerMonthRow} from "../lib/explore/partners.js";
import {fmt} from "./settings.js";
import {utcDate} from "../lib/time.js";

/**
 * Small multiples: each top partner's monthly revenue in its own panel (by rank, left to right), on a
 * shared scale, with the other partners' lines faint behind for comparison.
 */
export function PartnerTrends(rows: readonly PartnerMonthRow[], {width, ...options}: {width: number} & Plot.PlotOptions): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const data = rows.map((d) => ({...d, date: utcDate(d.date)}));
  const partners = [...new Map(data.map((d) => [d.partner, d.rank])).entries()].sort((a, b) => a[1] - b[1]).map(([p]) => p);
  const columns = Math.max(1, Math.min(partners.length, Math.floor(width / 220)));
  const panel = new Map(partners.map((p, i) => [p, i]));
  const fx = (d: {partner: string}) => panel.get(d.partner)! % columns;
  const fy = (d: {partner: string}) => Math.floor(panel.get(d.partner)! / columns);
  const rowsOfPanels = Math.ceil(partners.length / columns);
  // The other partners behind each panel: every line once per panel.
  const background = partners.flatMap((p) => data.filter((d) => d.partner !== p).map((d) => ({...d, panel: p})));
  return Plot.plot({
    width,
    height: rowsOfPanels * 130 + 40,
    marginLeft: 50,
    marginTop: 20,
    fx: {axis: null, padding: 0.08},
    fy: {axis: null, padding: 0.15},
    x: {type: "utc", label: null, ticks: 3},
    y: {grid: true, label: "Revenue per month", tickFormat: fmt.moneyCompact, ticks: 3},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      Plot.lineY(background, {
        x: "date",
        y: "revenue",
        z: "partner",
        fx: (d) => fx({partner: d.panel}),
        fy: (d) => fy({partner: d.panel}),
        stroke: "var(--theme-foreground-faintest)",
        strokeWidth: 1
      }),
      Plot.lineY(data, {x: "date", y: "revenue", fx, fy, stroke: "var(--theme-foreground-focus)", strokeWidth: 1.75}),
      Plot.text(data, Plot.selectFirst({fx, fy, text: (d: PartnerMonthRow) => `${d.rank}. ${d.partner}`, frameAnchor: "top-left", dx: 6, dy: 6, fontWeight: "bold"})),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "date",
          y: "revenue",
          fx,
          fy,
          title: (d: PartnerMonthRow & {date: Date}) => `${d.partner}, ${fmt.monthLabel(d.date)}\n${fmt.money(d.revenue)} revenue`
        })
      )
    ],
    ...options
  });
}
