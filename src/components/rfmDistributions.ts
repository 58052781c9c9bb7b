import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";

export interface CustomerPoint {
  segment: string;
  recency: number;
  frequency: number;
  monetary: number;
}

export interface RfmDistributionsOptions {
  width: number;
  /** A segment drawn in its colour over all customers (grey), or null. */
  selected?: string | null;
  color?: string;
}

/** Integer bin edges spaced evenly on a log scale: 1, 2, 3, …, 9, 12, 15, 18, 23, … up to above max. */
function integerLogEdges(max: number): number[] {
  const edges: number[] = [];
  for (let x = 1; edges.length === 0 || edges[edges.length - 1] <= max; x *= 1.25) {
    const edge = Math.round(x);
    if (edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

/** Edges spaced evenly on a log scale from below min to above max (min > 0). */
function logEdges(min: number, max: number, bins = 30): number[] {
  const lo = Math.floor(Math.log10(min) * 4) / 4;
  const hi = Math.max(lo + 0.25, Math.ceil(Math.log10(max) * 4) / 4);
  const step = (hi - lo) / bins;
  return Array.from({length: bins + 1}, (_, i) => 10 ** (lo + i * step));
}

/** Smallest and largest of many values (spreading a million values into Math.max would overflow the stack). */
function extent(values: number[]): [number, number] {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function histogram(
  data: CustomerPoint[],
  value: (d: CustomerPoint) => number,
  {width, selected, color, thresholds, log, label, money = false}: {width: number; selected: string | null; color: string; thresholds: number[]; log: boolean; label: string; money?: boolean}
) {
  const domain: [number, number] = [thresholds[0], thresholds[thresholds.length - 1]];
  const bin = {x: value, thresholds, domain};
  const highlight = selected ? data.filter((d) => d.segment === selected) : [];
  return Plot.plot({
    width,
    height: 200,
    marginLeft: 50,
    x: {type: log ? "log" : "linear", domain, label, labelAnchor: "center", ...(money ? {tickFormat: fmt.moneyCompact} : log && {tickFormat: "~s"})},
    y: {grid: true, label: "Customers", tickFormat: "~s"},
    marks: [
      Plot.rectY(data, {...Plot.binX({y: "count"}, bin), fill: selected ? "var(--theme-foreground-faintest)" : "var(--theme-foreground-muted)", insetLeft: 0.5, insetRight: 0.5}),
      selected ? Plot.rectY(highlight, {...Plot.binX({y: "count"}, bin), fill: color, insetLeft: 0.5, insetRight: 0.5}) : null,
      Plot.ruleY([0])
    ]
  });
}

/**
 * Histograms of recency (days, linear), frequency and monetary value (log scales: both are skewed), side by
 * side when the width allows. Monetary values of zero or below cannot sit on a log scale and are left out.
 */
export function RfmDistributions(customers: CustomerPoint[], {width, selected = null, color = "var(--theme-foreground-focus)"}: RfmDistributionsOptions): HTMLElement {
  const columns = width >= 760 ? 3 : 1;
  const panel = Math.floor((width - (columns - 1) * 16) / columns);
  const root = document.createElement("div");
  root.className = "rfm-distributions";
  root.style.cssText = `display: grid; grid-template-columns: repeat(${columns}, 1fr); gap: 16px;`;
  const maxRecency = Math.max(1, extent(customers.map((d) => d.recency))[1]);
  const step = Math.max(1, Math.ceil(maxRecency / 40));
  const positive = customers.filter((d) => d.monetary > 0);
  const money = positive.map((d) => d.monetary);
  const options = {width: panel, selected, color};
  root.append(
    histogram(customers, (d) => d.recency, {...options, log: false, label: "Recency: days since the last purchase", thresholds: Array.from({length: Math.ceil((maxRecency + 1) / step) + 1}, (_, i) => i * step)}),
    histogram(customers, (d) => d.frequency, {...options, log: true, label: "Frequency (log scale)", thresholds: integerLogEdges(Math.max(1, extent(customers.map((d) => d.frequency))[1]))}),
    money.length
      ? histogram(positive, (d) => d.monetary, {...options, log: true, money: true, label: fmt.moneyLabel("Monetary value (log scale)"), thresholds: logEdges(...extent(money))})
      : document.createTextNode("")
  );
  return root;
}
