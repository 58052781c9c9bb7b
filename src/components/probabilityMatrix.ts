import * as Plot from "@observablehq/plot";
import type {GridCell} from "../lib/clv/diagnostics.js";
import {fmt} from "./settings.js";

/**
 * A frequency × recency heatmap of a model prediction (lifetimes' frequency/recency matrix): columns are
 * repeat purchases, rows recency bands (most recent at the top), the colour the value of `value`.
 */
export function ProbabilityMatrix(
  cells: readonly GridCell[],
  {width, value, label, scheme = "viridis", ...options}: {width: number; value: "probabilityAlive" | "expectedPurchases"; label: string; scheme?: Plot.ColorScheme} & Plot.PlotOptions
) {
  const bands = [...new Set(cells.map((d) => d.recency))].sort((a, b) => b - a);
  const frequencies = [...new Set(cells.map((d) => d.frequency))].sort((a, b) => a - b);
  const every = frequencies.length > 16 ? 5 : frequencies.length > 8 ? 2 : 1;
  const step = bands.length > 1 ? bands[0] - bands[1] : bands[0] * 2;
  return Plot.plot({
    width: Math.max(width, 280), // a card not laid out yet can report a tiny or negative width
    height: Math.min(420, Math.max(260, width * 0.7)),
    marginLeft: 55,
    x: {label: "Repeat purchases in calibration (frequency) →", type: "band", ticks: frequencies.filter((x) => x % every === 0)},
    y: {label: "↑ Recency (weeks from first to last purchase)", type: "band", domain: bands, tickFormat: (r: number) => Math.round(r - step / 2).toString(), ticks: bands.filter((_, i) => i % Math.ceil(bands.length / 10) === 0)},
    color: {label, legend: true, scheme, ...(value === "probabilityAlive" ? {domain: [0, 1]} : {})},
    marks: [
      Plot.cell(cells, {x: "frequency", y: "recency", fill: value, inset: 0.3, tip: {format: {fill: (v: number) => fmt.decimal(v), x: true, y: (r: number) => `${Math.round(r - step / 2)}–${Math.round(r + step / 2)}`}}})
    ],
    ...options
  });
}
