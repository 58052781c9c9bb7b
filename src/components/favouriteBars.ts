import * as Plot from "@observablehq/plot";
import type {FavouriteCount} from "../lib/explore/favourites.js";
import {fmt} from "./settings.js";

/** How many customers have each value (offer type, partner …) as their favourite, most common first. */
export function FavouriteBars(
  rows: readonly FavouriteCount[],
  {width, label = "Customers", ...options}: {width: number; label?: string} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  return Plot.plot({
    width: Math.max(width, 150 + 110 + 120), // never narrower than the margins and a bar
    height: rows.length * 22 + 40,
    marginLeft: 150,
    marginRight: 110,
    x: {grid: true, axis: "top", label},
    y: {domain: rows.map((d) => d.favourite), label: null},
    marks: [
      Plot.barX(rows, {
        x: "customers",
        y: "favourite",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.8,
        tip: true,
        title: (d: FavouriteCount) => `${d.favourite}\nfavourite of ${fmt.integer(d.customers)} customers (${fmt.percent(d.share)})`
      }),
      Plot.text(rows, {x: "customers", y: "favourite", text: (d: FavouriteCount) => `${fmt.integer(d.customers)} · ${fmt.percent(d.share)}`, textAnchor: "start", dx: 5, fill: "var(--theme-foreground)"}),
      Plot.ruleX([0])
    ],
    ...options
  });
}
