import * as Plot from "@observablehq/plot";
import type {FavouriteSummaryRow} from "../lib/explore/partners.js";
import {fmt} from "./settings.js";
import {lumpOthers, topFavourites} from "../lib/explore/favourites.js";

/**
 * How favourites differ between groups (regions, segments): one 100% bar per group, split by favourite.
 * Beyond the `top` most common favourites, the rest are one grey "Other" part. `groups` orders the bars
 * (groups it lacks follow in data order).
 */
export function FavouritesChart(
  rows: readonly FavouriteSummaryRow[],
  {width, top = 8, label = "Favourite", groups: order, ...options}: {width: number; top?: number; label?: string; groups?: readonly string[]} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const keep = topFavourites(rows, top);
  const data = lumpOthers(rows, keep).map((d) => ({...d, group: d.segment ?? "(unknown)"}));
  const domain = data.some((d) => !keep.includes(d.favourite)) ? [...keep, "Other"] : keep;
  const range = [...Array.from(Plot.scale({color: {type: "categorical", scheme: "observable10", domain: keep}}).range ?? []).slice(0, keep.length), "#bbb"];
  const present = new Set(data.map((d) => d.group));
  const groups = order ? [...order.filter((g) => present.has(g)), ...[...present].filter((g) => !order.includes(g))] : [...present];
  return Plot.plot({
    width: Math.max(width, 140 + 200), // never narrower than the margins and a bar
    height: groups.length * 28 + 70,
    marginLeft: 140,
    x: {axis: "top", label: "Share of the group's customers", tickFormat: (x: number) => fmt.percent(x), domain: [0, 1]},
    y: {domain: groups, label: null},
    color: {domain, range, legend: true, label},
    marks: [
      Plot.barX(
        data,
        Plot.stackX({
          x: "share",
          y: "group",
          fill: "favourite",
          order: domain,
          inset: 0.5,
          tip: true,
          title: (d: (typeof data)[number]) => `${d.group}: ${d.favourite}\n${fmt.integer(d.customers)} customers, ${fmt.percent(d.share)} of the group`
        })
      ),
      Plot.text(
        data,
        Plot.stackX({
          x: "share",
          y: "group",
          z: "favourite",
          order: domain,
          text: (d: FavouriteSummaryRow) => (d.share >= 0.07 ? fmt.percent(d.share).replace(/\.\d%$/, "%") : ""),
          fill: "white",
          fontSize: 10
        })
      )
    ],
    ...options
  });
}
