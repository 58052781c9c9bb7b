import * as Plot from "@observablehq/plot";
import {fmt} from "./settings.js";

/**
 * P(alive) of one customer as the weeks since their last purchase grow (everything else kept), with the
 * current value marked: how fast a silent customer is written off.
 */
export function AliveCurve(
  points: readonly {weeks: number; probabilityAlive: number}[],
  {width, current, ...options}: {width: number; current: {weeks: number; probabilityAlive: number}} & Plot.PlotOptions
) {
  return Plot.plot({
    width: Math.max(width, 280),
    height: 240,
    marginLeft: 50,
    x: {label: "Weeks since the last purchase →"},
    y: {label: "↑ P(alive)", domain: [0, 1], grid: true, tickFormat: (x: number) => fmt.percent(x, 0)},
    marks: [
      Plot.areaY(points, {x: "weeks", y: "probabilityAlive", fill: "var(--theme-foreground-focus)", fillOpacity: 0.1}),
      Plot.lineY(points, {x: "weeks", y: "probabilityAlive", stroke: "var(--theme-foreground-focus)", strokeWidth: 2}),
      Plot.dot([current], {x: "weeks", y: "probabilityAlive", r: 5, fill: "var(--theme-foreground-focus)", stroke: "var(--theme-background)"}),
      Plot.text([current], {x: "weeks", y: "probabilityAlive", text: (d: {probabilityAlive: number}) => `this customer: ${fmt.percent(d.probabilityAlive, 0)}`, dy: -12, textAnchor: "start", dx: 4}),
      Plot.ruleY([0])
    ],
    ...options
  });
}
