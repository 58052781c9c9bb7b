import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";

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

/**
 * Smallest and largest of many values (spreading a million values into Math.max would overflow the stack),
 * remembered per column and test: a redraw of the same customers (a filter cleared, a resize) reads none again.
 */
function extent(values: ArrayLike<number>, keep: (v: number) => boolean = anyValue): [number, number] {
  let byTest = extents.get(values as object);
  if (!byTest) extents.set(values as object, (byTest = new Map()));
  let found = byTest.get(keep);
  if (!found) byTest.set(keep, (found = extentOf(values, keep)));
  return found;
}
const extents = new WeakMap<object, Map<(v: number) => boolean, [number, number]>>();
const anyValue = () => true;
const positive = (v: number) => v > 0;

function extentOf(values: ArrayLike<number>, keep: (v: number) => boolean): [number, number] {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!keep(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

interface Bin {
  x1: number;
  x2: number;
  count: number;
}

/**
 * Counts per bin [t[i], t[i + 1]) (the last bin closed, as d3.bin), of every value and of the selected
 * segment's; values outside the thresholds or failing `keep` are left out. One typed pass, no row objects.
 */
function binCounts(values: ArrayLike<number>, thresholds: number[], segments: ArrayLike<string>, selected: string | null, keep: (v: number) => boolean): [Bin[], Bin[]] {
  const m = thresholds.length - 1;
  const all = new Float64Array(m), chosen = new Float64Array(m);
  const lo = thresholds[0], hi = thresholds[m];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= lo && v <= hi) || !keep(v)) continue;
    let a = 0, b = m; // the last threshold <= v
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (thresholds[mid] <= v) a = mid;
      else b = mid;
    }
    all[a]++;
    if (selected !== null && segments[i] === selected) chosen[a]++;
  }
  const bins = (counts: Float64Array) => Array.from(counts, (count, i) => ({x1: thresholds[i], x2: thresholds[i + 1], count}));
  return [bins(all), bins(chosen)];
}

/**
 * binCounts, remembered per column (and per segment column when a segment is selected): a redraw of the same
 * customers (a resize, bins set back to a remembered segmentation) counts nothing again.
 */
const binMemo = new WeakMap<object, WeakMap<object, Map<string, [Bin[], Bin[]]>>>();
const NO_SEGMENTS = {};
function binCountsOnce(values: ArrayLike<number>, thresholds: number[], segments: ArrayLike<string>, selected: string | null, keep: (v: number) => boolean): [Bin[], Bin[]] {
  let bySegments = binMemo.get(values as object);
  if (!bySegments) binMemo.set(values as object, (bySegments = new WeakMap()));
  const segmentKey = (selected === null ? NO_SEGMENTS : segments) as object;
  let byKey = bySegments.get(segmentKey);
  if (!byKey) bySegments.set(segmentKey, (byKey = new Map()));
  const key = `${selected}|${keep}|${thresholds.join(",")}`;
  let counts = byKey.get(key);
  if (!counts) {
    if (byKey.size > 8) byKey.clear();
    byKey.set(key, (counts = binCounts(values, thresholds, segments, selected, keep)));
  }
  return counts;
}

function histogram(
  values: ArrayLike<number>,
  segments: ArrayLike<string>,
  {width, selected, color, thresholds, log, label, money = false, keep = () => true}: {width: number; selected: string | null; color: string; thresholds: number[]; log: boolean; label: string; money?: boolean; keep?: (v: number) => boolean}
) {
  const domain: [number, number] = [thresholds[0], thresholds[thresholds.length - 1]];
  const [all, highlight] = binCountsOnce(values, thresholds, segments, selected, keep);
  const bar = {x1: "x1", x2: "x2", y: "count", insetLeft: 0.5, insetRight: 0.5};
  return Plot.plot({
    width,
    height: 200,
    marginLeft: 50,
    x: {type: log ? "log" : "linear", domain, label, labelAnchor: "center", ...(money ? {tickFormat: fmt.moneyCompact} : log && {tickFormat: "~s"})},
    y: {grid: true, label: "Customers", tickFormat: "~s"},
    marks: [
      Plot.rectY(all.filter((d) => d.count > 0), {...bar, fill: selected ? "var(--theme-foreground-faintest)" : "var(--theme-foreground-muted)"}),
      selected ? Plot.rectY(highlight.filter((d) => d.count > 0), {...bar, fill: color}) : null,
      Plot.ruleY([0])
    ]
  });
}

/** The columns the histograms read: one value per customer (an Arquero table's columns, or arrays). */
export interface CustomerColumns {
  segment: ArrayLike<string>;
  recency: ArrayLike<number>;
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/**
 * Histograms of recency (days, linear), frequency and monetary value (log scales: both are skewed), side by
 * side when the width allows. Monetary values of zero or below cannot sit on a log scale and are left out.
 * Bins are counted over the columns in one pass each, so a million customers draw as fast as a thousand.
 */
export function RfmDistributions(customers: CustomerColumns, {width, selected = null, color = "var(--theme-foreground-focus)"}: RfmDistributionsOptions): HTMLElement {
  const columns = width >= 760 ? 3 : 1;
  const panel = Math.floor((width - (columns - 1) * 16) / columns);
  const root = document.createElement("div");
  root.className = "rfm-distributions";
  root.style.cssText = `display: grid; grid-template-columns: repeat(${columns}, 1fr); gap: 16px;`;
  const maxRecency = Math.max(1, extent(customers.recency)[1]);
  const step = Math.max(1, Math.ceil(maxRecency / 40));
  const money = extent(customers.monetary, positive);
  const options = {width: panel, selected, color};
  root.append(
    histogram(customers.recency, customers.segment, {...options, log: false, label: "Recency: days since the last purchase", thresholds: Array.from({length: Math.ceil((maxRecency + 1) / step) + 1}, (_, i) => i * step)}),
    histogram(customers.frequency, customers.segment, {...options, log: true, label: "Frequency (log scale)", thresholds: integerLogEdges(Math.max(1, extent(customers.frequency)[1]))}),
    Number.isFinite(money[0])
      ? histogram(customers.monetary, customers.segment, {...options, log: true, money: true, keep: positive, label: fmt.moneyLabel("Monetary value (log scale)"), thresholds: logEdges(...money)})
      : document.createTextNode("")
  );
  return root;
}
