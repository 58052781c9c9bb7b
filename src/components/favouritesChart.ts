import * as Plot from "@observablehq/plot";
import type {FavouriteSummaryRow} from "../lib/explore/partners.js";
import {fmt} from "./settings.js";
import {lumpOthers, topFavourites} from "../lib/explore/favourites.js";

/**
 * How favourites differ between groups (regions, segments): one 100% bar per group, split by favourite.
 * Beyond the `top` most common favourites, the rest are one grey "Other" part. `groups` orders the bars
 * (groups it lacks follow in data order). With `onSelect`, a click along a group's bar calls it with the
 * group (not for "(unknown)"): cross-filtering.
 */
export function FavouritesChart(
  rows: readonly FavouriteSummaryRow[],
  {
    width,
    top = 8,
    label = "Favourite",
    groups: order,
    onSelect,
    ...options
  }: {width: number; top?: number; label?: string; groups?: readonly string[]; onSelect?: (group: string) => void} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const keep = topFavourites(rows, top);
  const data = lumpOthers(rows, keep).map((d) => ({...d, group: d.segment ?? "(unknown)"}));
  const domain = data.some((d) => !keep.includes(d.favourite)) ? [...keep, "Other"] : keep;
  const range = [...Array.from(Plot.scale({color: {type: "categorical", scheme: "observable10", domain: keep}}).range ?? []).slice(0, keep.length), "#bbb"];
  const present = new Set(data.map((d) => d.group));
  const groups = order ? [...order.filter((g) => present.has(g)), ...[...present].filter((g) => !order.includes(g))] : [...present];
  // The groups a click can filter on: "(unknown)" stands for missing values, which no list filter selects.
  const named = groups.filter((g) => data.some((d) => d.group === g && d.segment != null));
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
      ),
      // Invisible full-width rows on top: the click targets (the tips still follow the pointer).
      onSelect ? Plot.barX(named, {x1: 0, x2: 1, y: (g: string) => g, fill: "transparent", render: clickableGroups(named, onSelect)}) : null
    ],
    ...options
  });
}

function clickableGroups(groups: readonly string[], onSelect: (group: string) => void): Plot.RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context)!;
    g.querySelectorAll("rect").forEach((rect, j) => {
      const group = groups[index[j]];
      rect.setAttribute("data-group", group);
      rect.style.cursor = "pointer";
      rect.addEventListener("click", () => onSelect(group));
      // A click filters: it must not pin the tip (Plot pins it on pointerdown), or the pinned tip would take the click.
      rect.addEventListener("pointerdown", (event) => event.stopPropagation());
    });
    return g;
  };
}
