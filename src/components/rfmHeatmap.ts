import * as Plot from "@observablehq/plot";
import type {GridCell} from "../lib/rfm/page.js";
import {fmt} from "./settings.js";

/** A log legend labels only the ticks that lead with 1, 2 or 5 (in money), so that they do not crowd. */
const logTick = (x: number) => ([1, 2, 5].includes(Math.round(x / 10 ** Math.floor(Math.log10(x)))) ? fmt.moneyCompact(x) : "");

export interface RfmHeatmapOptions extends Plot.PlotOptions {
  width: number;
  /** Number of score bins: the grid is k × k. */
  k: number;
  /** With a selected segment, the numbers count its customers and cells without any are faded. */
  selected?: string | null;
  /** Called with a cell's main segment (GridCell.segment) when the cell is clicked. */
  onSelect?: (segment: string) => void;
}

/** Recency score (rows, best on top) × frequency score (columns): fill = mean monetary value, text = customers. */
export function RfmHeatmap(cells: GridCell[], {width, k, selected = null, onSelect, ...options}: RfmHeatmapOptions): SVGSVGElement | HTMLElement {
  const scores = Array.from({length: k}, (_, i) => i + 1);
  const size = Math.max(22, Math.min(64, (width - 90) / k));
  const count = (d: GridCell) => (selected ? d.selected : d.customers);
  // Dark text on light cells, white on dark ones: where the cell sits on the (log) colour ramp.
  const logs = cells.filter((d) => d.monetary > 0).map((d) => Math.log(d.monetary));
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  const ink = (d: GridCell) => (selected && !d.selected ? "currentColor" : hi > lo && (Math.log(d.monetary) - lo) / (hi - lo) > 0.55 ? "white" : "black");
  return Plot.plot({
    width: Math.min(width, 90 + size * k + 20),
    height: 60 + size * k + 40,
    marginLeft: 60,
    marginBottom: 40,
    marginTop: 50,
    x: {domain: scores, label: "Frequency score →", labelAnchor: "center", labelArrow: "none", tickSize: 0},
    y: {domain: scores.slice().reverse(), label: "↑ Recency score", labelArrow: "none", tickSize: 0},
    color: {type: "log", scheme: "YlGnBu", legend: true, label: "Mean monetary value", tickFormat: logTick},
    marks: [
      Plot.cell(cells, {
        x: "f_score",
        y: "r_score",
        fill: "monetary",
        fillOpacity: (d: GridCell) => (selected && !d.selected ? 0.2 : 1),
        inset: 1,
        title: (d: GridCell) =>
          `R ${d.r_score} · F ${d.f_score}\n${fmt.integer(d.customers)} customers, mean monetary ${fmt.money(d.monetary)}` +
          (selected ? `\n${fmt.integer(d.selected)} of them in ${selected}` : "") +
          (onSelect && d.segment ? `\nMostly ${d.segment}: click to ${d.segment === selected ? "clear the selection" : "select it"}` : ""),
        render: onSelect
          ? function (index, scales, values, dimensions, context, next) {
              const g = next!(index, scales, values, dimensions, context)!;
              g.querySelectorAll("rect").forEach((rect, j) => {
                const segment = cells[index[j]].segment;
                if (!segment) return;
                rect.setAttribute("data-segment", segment);
                rect.style.cursor = "pointer";
                rect.addEventListener("click", () => onSelect(segment));
              });
              return g;
            }
          : undefined
      }),
      Plot.text(cells, {
        x: "f_score",
        y: "r_score",
        text: (d: GridCell) => (count(d) ? fmt.integer(count(d)) : ""),
        fontSize: size < 34 ? 9 : 11,
        fontWeight: 600,
        fill: ink,
        dy: size >= 44 ? -5 : 0,
        pointerEvents: onSelect ? "none" : undefined // clicks go through the numbers to the cell
      }),
      size >= 44 ? Plot.text(cells, {x: "f_score", y: "r_score", text: (d: GridCell) => fmt.money(d.monetary), dy: 9, fontSize: 9, fill: ink, fillOpacity: 0.8, pointerEvents: onSelect ? "none" : undefined}) : null
    ],
    ...options
  }) as SVGSVGElement | HTMLElement;
}
