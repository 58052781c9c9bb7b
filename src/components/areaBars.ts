import * as Plot from "@observablehq/plot";
import type {AreaTotals} from "../lib/explore/regions.js";
import {fmt} from "./settings.js";
import {capitalized} from "../lib/format/text.js";
import {labelMargin} from "../lib/format/labels.js";

export type AreaMeasure = "revenue" | "transactions";

/**
 * Sales by province or region as horizontal bars, largest first, each labelled with its value and share
 * of the (filtered) total. Rows without a value for the column show as "(unknown)". With `onSelect`, a
 * click anywhere along a row calls it with the row's area (null for "(unknown)"): cross-filtering.
 */
export function AreaBars(
  rows: readonly (AreaTotals & Record<string, unknown>)[],
  {
    width,
    column,
    measure = "revenue",
    unit = "transactions",
    onSelect,
    ...options
  }: {width: number; column: "region" | "province"; measure?: AreaMeasure; unit?: string; onSelect?: (area: string | null) => void} & Plot.PlotOptions
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const money = measure === "revenue";
  const data = rows
    .map((d) => ({
      ...d,
      key: d[column] as string | null,
      area: (d[column] as string | null) ?? "(unknown)",
      value: d[measure],
      share: money ? d.revenue_share : d.transaction_share
    }))
    .sort((a, b) => b.value - a.value || a.area.localeCompare(b.area));
  const format = money ? fmt.money : fmt.integer;
  const label = (d: (typeof data)[number]) => `${format(d.value)} · ${fmt.percent(d.share)}`;
  // Room for the longest name ("Northwest Territories", "Newfoundland and Labrador") and the widest value label.
  const marginLeft = labelMargin(data.map((d) => d.area), {min: 60, max: 220});
  const marginRight = labelMargin(data.map(label), {min: 100, max: 200, pad: 10});
  return Plot.plot({
    width: Math.max(width, marginLeft + marginRight + 120), // never narrower than the margins and a bar
    height: data.length * 26 + 40,
    marginLeft,
    marginRight,
    x: {grid: true, label: money ? "Revenue" : capitalized(unit), tickFormat: money ? fmt.moneyCompact : fmt.compact, axis: "top"},
    y: {domain: data.map((d) => d.area), label: null},
    marks: [
      Plot.barX(data, {
        x: "value",
        y: "area",
        fill: "var(--theme-foreground-focus)",
        fillOpacity: 0.8,
        tip: true,
        title: (d: (typeof data)[number]) =>
          `${d.area}\n${fmt.money(d.revenue)} revenue (${fmt.percent(d.revenue_share)})\n${fmt.integer(d.transactions)} ${unit} (${fmt.percent(d.transaction_share)})\n${fmt.integer(d.customers)} customers`
      }),
      Plot.text(data, {x: "value", y: "area", text: label, textAnchor: "start", dx: 5, fill: "var(--theme-foreground)"}),
      Plot.ruleX([0]),
      // Invisible full-width rows on top: the click targets (the tips still follow the pointer).
      onSelect
        ? Plot.barX(data, {
            x1: 0,
            x2: Math.max(0, ...data.map((d) => d.value)),
            y: "area",
            fill: "transparent",
            render: clickable(data, onSelect)
          })
        : null
    ],
    ...options
  });
}

function clickable<T extends {key: string | null; area: string}>(data: readonly T[], onSelect: (area: string | null) => void): Plot.RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context)!;
    g.querySelectorAll("rect").forEach((rect, j) => {
      const d = data[index[j]];
      rect.setAttribute("data-area", d.area);
      if (d.key == null) return; // "(unknown)": no list filter selects missing values
      rect.style.cursor = "pointer";
      rect.addEventListener("click", () => onSelect(d.key));
      // A click filters: it must not pin the tip (Plot pins it on pointerdown), or the pinned tip would take the click.
      rect.addEventListener("pointerdown", (event) => event.stopPropagation());
    });
    return g;
  };
}
