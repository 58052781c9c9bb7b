import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";

export interface TransitionRow {
  from_segment: string;
  to_segment: string;
  customers: number;
  share: number;
}

export interface SegmentMovementOptions extends Plot.PlotOptions {
  width: number;
  /** Segment names in rule order. */
  order: readonly string[];
  /** Name of the row of customers who had not bought by the earlier date. */
  missing?: string;
  /** Labels of the two dates, e.g. "2024-12-31" and "2025-07-01". */
  before: string;
  after: string;
  /** The highlighted segment's row and column stay bright; the other cells fade. */
  selected?: string | null;
}

/**
 * A transition matrix: rows are the segments at the earlier date, columns the segments at the later one;
 * fill = share of the row's customers, text = customers.
 */
export function SegmentMovement(rows: TransitionRow[], {width, order, missing = "(new)", before, after, selected = null, ...options}: SegmentMovementOptions): SVGSVGElement | HTMLElement {
  const present = (names: Set<string>) => [...order, missing].filter((s) => names.has(s));
  const from = present(new Set(rows.map((d) => d.from_segment)));
  const to = present(new Set(rows.map((d) => d.to_segment)));
  const lit = (d: TransitionRow) => !selected || d.from_segment === selected || d.to_segment === selected;
  const cell = Math.max(34, Math.min(70, (width - 150) / Math.max(1, to.length)));
  return Plot.plot({
    width: Math.min(width, 150 + cell * to.length + 10),
    height: 110 + 30 * from.length,
    marginLeft: 140,
    marginTop: 20,
    marginBottom: 95,
    x: {domain: to, label: `Segment on ${after} →`, labelAnchor: "center", labelArrow: "none", tickRotate: -35, tickSize: 0},
    // Above the segment names rather than rotated beside them, where a few rows left it clipped.
    y: {domain: from, label: `Segment on ${before} ↓`, labelAnchor: "top", labelArrow: "none", tickSize: 0},
    color: {type: "linear", domain: [0, 1], scheme: "Purples", legend: true, label: "Share of the earlier segment's customers", tickFormat: "%"},
    marks: [
      Plot.cell(rows, {
        x: "to_segment",
        y: "from_segment",
        fill: "share",
        fillOpacity: (d: TransitionRow) => (lit(d) ? 1 : 0.15),
        inset: 1,
        title: (d: TransitionRow) => `${d.from_segment} → ${d.to_segment}\n${fmt.integer(d.customers)} customers, ${fmt.percent(d.share, 0)} of ${d.from_segment}`
      }),
      Plot.text(rows, {
        x: "to_segment",
        y: "from_segment",
        text: (d: TransitionRow) => fmt.integer(d.customers),
        fontSize: 10,
        fill: (d: TransitionRow) => (lit(d) && d.share > 0.5 ? "white" : "currentColor"),
        fillOpacity: (d: TransitionRow) => (lit(d) ? 1 : 0.35)
      })
    ],
    ...options
  }) as SVGSVGElement | HTMLElement;
}
