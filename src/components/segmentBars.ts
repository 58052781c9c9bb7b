import * as Plot from "@observablehq/plot";
import type {SegmentColors} from "./segmentColors.js";
import {fmt} from "./settings.js";

export interface SegmentRow {
  segment: string;
  customers: number;
  share: number;
  revenue: number;
  revenue_share: number;
}

export interface SegmentBarsOptions extends Plot.PlotOptions {
  width: number;
  colors: SegmentColors;
  /** The highlighted segment, or null. */
  selected?: string | null;
  /** Called with a segment's name when its row is clicked. */
  onSelect?: (segment: string) => void;
}

const MEASURES = ["Share of customers", "Share of revenue"];
const percent = (x: number) => fmt.percent(x, x < 0.1 ? 1 : 0);

/**
 * Each segment's share of customers beside its share of revenue, one row per segment in rule order.
 * Clicking a row (anywhere along it) calls onSelect with the segment.
 */
export function SegmentBars(summary: SegmentRow[], {width, colors, selected = null, onSelect, ...options}: SegmentBarsOptions): SVGSVGElement | HTMLElement {
  const data = summary.flatMap((d) => [
    {...d, measure: MEASURES[0], value: d.share, label: percent(d.share)},
    {...d, measure: MEASURES[1], value: d.revenue_share, label: percent(d.revenue_share)}
  ]);
  const max = Math.max(0.05, ...data.map((d) => d.value));
  const faded = (d: {segment: string}) => (selected && d.segment !== selected ? 0.25 : 1);
  const clickable: Plot.RenderFunction = function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context)!;
    g.querySelectorAll("rect").forEach((rect, j) => {
      const d = data[index[j]];
      rect.setAttribute("data-segment", d.segment);
      rect.setAttribute("data-measure", d.measure);
      rect.style.cursor = "pointer";
      rect.addEventListener("click", () => onSelect?.(d.segment));
    });
    return g;
  };
  return Plot.plot({
    width,
    height: 40 + 30 * summary.length,
    marginLeft: 140,
    marginRight: 10,
    fx: {domain: MEASURES, label: null, padding: 0.12},
    x: {domain: [0, max * 1.25], axis: null},
    y: {domain: summary.map((d) => d.segment), label: null, tickSize: 0},
    color: colors,
    marks: [
      Plot.barX(data, {fx: "measure", y: "segment", x: "value", fill: "segment", fillOpacity: faded, insetTop: 3, insetBottom: 3}),
      Plot.text(data, {fx: "measure", y: "segment", x: "value", text: "label", textAnchor: "start", dx: 4, fill: "currentColor", fillOpacity: faded}),
      Plot.ruleX([0]),
      // Invisible full-width rows on top: the click targets, with a native tooltip.
      Plot.barX(data, {
        fx: "measure",
        y: "segment",
        x1: 0,
        x2: max * 1.25,
        fill: "transparent",
        stroke: (d) => (d.segment === selected ? "currentColor" : "none"),
        strokeOpacity: 0.35,
        title: (d) => `${d.segment}\n${fmt.integer(d.customers)} customers (${percent(d.share)})\nrevenue ${fmt.money(d.revenue)} (${percent(d.revenue_share)})\nClick to ${d.segment === selected ? "clear the selection" : "select"}`,
        render: clickable
      })
    ],
    ...options
  }) as SVGSVGElement | HTMLElement;
}
