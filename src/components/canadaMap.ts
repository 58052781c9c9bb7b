import * as Plot from "@observablehq/plot";
import {feature} from "topojson-client";
import type {GeometryCollection, Topology} from "topojson-specification";
import type {ProvinceRow} from "../lib/explore/regions.js";
import {provinceName, provincesOnMap} from "../lib/explore/geo.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";
import type {AreaMeasure} from "./areaBars.js";

export type ProvincesTopology = Topology<{provinces: GeometryCollection<{id: string; name: string}>}>;

/**
 * Canada's provinces and territories coloured by revenue (or transactions), with a legend and a tip per
 * province. The boundaries are planar SVG coordinates (src/data/canada-provinces.json.ts), drawn with an
 * identity projection fitted to the width. Names are matched leniently (src/lib/geo.ts: "ON", "Sask.",
 * "Saskachewan"); provinces the data does not name are grey, and UnmatchedProvinces lists the data's names
 * that are on no province. With `onSelect`, a click on a province calls it with the data's names for it
 * (`names`: every province value of the data, so that a province the filters leave out can be picked too;
 * "ON" and "Ontario" both, when the data spells it both ways): cross-filtering.
 */
export function CanadaMap(
  topo: ProvincesTopology,
  rows: readonly ProvinceRow[],
  {
    width,
    measure = "revenue",
    unit = "transactions",
    names = rows.map((d) => d.province).filter((name): name is string => name != null),
    onSelect,
    ...options
  }: {width: number; measure?: AreaMeasure; unit?: string; names?: readonly string[]; onSelect?: (values: string[]) => void} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const provinces = feature(topo, topo.objects.provinces);
  const {byName} = provincesOnMap(rows, {names: mapNames(topo)});
  const money = measure === "revenue";
  const [x0, y0, x1, y1] = topo.bbox ?? [0, 0, 1, 1];
  const height = Math.round(width * ((y1 - y0) / (x1 - x0)));
  const title = (f: (typeof provinces.features)[number]) => {
    const d = byName.get(f.properties.name);
    if (!d) return `${f.properties.name}\nno sales`;
    return `${f.properties.name}\n${fmt.money(d.revenue)} revenue (${fmt.percent(d.revenue_share)})\n${fmt.integer(d.transactions)} ${unit} (${fmt.percent(d.transaction_share)})\n${fmt.integer(d.customers)} customers`;
  };
  // Legend ticks at 1, 3 and 10 times the powers of ten the values span (a log scale's own ticks crowd).
  const values = rows.map((d) => d[measure]).filter((v) => v > 0);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const ticks: number[] = [];
  for (let p = 10 ** Math.floor(Math.log10(lo || 1)); p <= hi; p *= 10) ticks.push(p, 3 * p);
  return Plot.plot({
    width,
    height,
    projection: {type: "identity", domain: provinces},
    color: {
      type: "log",
      // A blue ramp that starts visibly blue, so the smallest territory stands apart from the grey of "no sales".
      range: ["#c6dbef", "#08306b"],
      interpolate: "hcl",
      legend: true,
      label: money ? "Revenue" : capitalized(unit),
      tickFormat: money ? fmt.moneyCompact : fmt.compact,
      ticks: ticks.filter((t) => t >= lo && t <= hi),
      unknown: "var(--theme-foreground-faintest)"
    },
    marks: [
      Plot.geo(provinces, {
        fill: (f: (typeof provinces.features)[number]) => byName.get(f.properties.name)?.[measure],
        stroke: "var(--theme-background)",
        strokeWidth: 1,
        tip: true,
        title,
        render: onSelect
          ? function (index, scales, values, dimensions, context, next) {
              const g = next!(index, scales, values, dimensions, context)!;
              g.querySelectorAll("path").forEach((path, j) => {
                const name = provinces.features[index[j]].properties.name;
                const spellings = names.filter((value) => provinceName(value) === name);
                path.setAttribute("data-province", name);
                if (!spellings.length) return; // not in the data: nothing to filter on
                path.style.cursor = "pointer";
                path.addEventListener("click", () => onSelect(spellings));
                // A click filters: it must not pin the tip (Plot pins it on pointerdown), or the pinned tip would take the click.
                path.addEventListener("pointerdown", (event) => event.stopPropagation());
              });
              return g;
            }
          : undefined
      })
    ],
    ...options
  });
}

/** The province names the map draws. */
export function mapNames(topo: ProvincesTopology): string[] {
  return topo.objects.provinces.geometries.map((g) => (g.properties as {name?: string} | undefined)?.name).filter((name): name is string => !!name);
}

/** "Not on the map: X (n orders, $y); …" for the data's province names that match no province, or null. */
export function UnmatchedProvinces(topo: ProvincesTopology, rows: readonly ProvinceRow[], {unit = "transactions"}: {unit?: string} = {}): HTMLElement | null {
  const {unmatched} = provincesOnMap(rows, {names: mapNames(topo)});
  if (!unmatched.length) return null;
  const element = document.createElement("p");
  element.className = "unmatched-provinces";
  element.textContent = `Not on the map: ${unmatched
    .map((d) => `${d.province ?? "(no province)"} (${fmt.integer(d.transactions)} ${d.transactions === 1 ? unit.replace(/s$/, "") : unit}, ${fmt.money(d.revenue)})`)
    .join("; ")}.`;
  return element;
}
