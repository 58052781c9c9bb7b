/**
 * A horizontal brush (d3-brush) over a Plot chart with a time x axis: the selection shows the current date
 * filter, and brushing a span reports it, snapped to whole days, weeks or months, as a new date filter.
 * Clicking the chart outside the selection clears the dates.
 */
import type * as Plot from "@observablehq/plot";
import {brushX} from "d3-brush";
import {select} from "d3-selection";
import {brushRange, rangeSpan, type DateRange, type Grain} from "../lib/explore/brush.js";

export interface DateBrushOptions {
  /** The current date filter, drawn as the selection. */
  range: DateRange;
  /** The data's first and last day (YYYY-MM-DD): a brushed span is clipped to them. */
  first: string;
  last: string;
  grain?: Grain;
  /** Called once the user releases the brush, with the new filter ({from: null, to: null} when cleared). */
  onBrush(range: DateRange): void;
}

export function DateBrush<T extends (SVGSVGElement | HTMLElement) & Plot.Plot>(chart: T, {range, first, last, grain = "day", onBrush}: DateBrushOptions): T {
  const x = chart.scale("x");
  const y = chart.scale("y");
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector<SVGSVGElement>("svg[class^=plot]");
  if (!x?.invert || !x.range || !y?.range || !svg) throw new Error("DateBrush needs a plot with a continuous x scale and a y scale");
  const [x0, x1] = x.range as [number, number];
  const [y0, y1] = [Math.min(...(y.range as number[])), Math.max(...(y.range as number[]))];
  const pixels = (span: [Date, Date]): [number, number] => [
    Math.max(x0, Math.min(x1, x.apply(span[0]))),
    Math.max(x0, Math.min(x1, x.apply(span[1])))
  ];
  const brush = brushX().extent([[x0, y0], [x1, y1]]);
  const layer = select(svg).append("g").attr("class", "date-brush").attr("aria-label", "date brush");
  layer.call(brush);
  const initial = rangeSpan(range, {first, last});
  if (initial) brush.move(layer, pixels(initial));
  brush.on("end", (event) => {
    if (!event.sourceEvent) return; // moved by code
    if (!event.selection) return onBrush({from: null, to: null});
    const [a, b] = event.selection;
    const next = brushRange(x.invert!(a), x.invert!(b), {grain, first, last});
    if (!next) return onBrush({from: null, to: null});
    const span = rangeSpan(next, {first, last});
    if (span) brush.move(layer, pixels(span)); // show the snapped span while the page updates
    onBrush(next);
  });
  return chart;
}
