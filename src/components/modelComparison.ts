import * as Plot from "@observablehq/plot";
import type {ComparisonRow} from "../lib/clv/validate.js";
import {fmt} from "./settings.js";

const PANELS = [
  {key: "rmse", title: "Spend RMSE per customer (lower is better)", value: (d: ComparisonRow) => d.rmse, format: fmt.money, axis: fmt.moneyCompact},
  {key: "mae", title: "Spend MAE per customer (lower is better)", value: (d: ComparisonRow) => d.mae, format: fmt.money, axis: fmt.moneyCompact},
  {key: "capture", title: "Holdout revenue from the top 10% predicted (higher is better)", value: (d: ComparisonRow) => d.capture, format: (x: number) => fmt.percent(x, 0), axis: (x: number) => fmt.percent(x, 0)},
  {key: "total", title: "Total spend error (closer to 0 is better)", value: (d: ComparisonRow) => d.spend.percentError / 100, format: (x: number) => `${x > 0 ? "+" : ""}${fmt.percent(x, 1)}`, axis: (x: number) => fmt.percent(x, 0)}
] as const;

/**
 * The models side by side on four holdout metrics, one small bar chart each; the winner's bars are in the
 * focus colour, and the capture panel marks the ideal (a perfect ranking).
 */
export function ModelComparison(rows: readonly ComparisonRow[], {width, winner}: {width: number; winner: string}): HTMLElement {
  const root = document.createElement("div");
  Object.assign(root.style, {display: "grid", gridTemplateColumns: width > 700 ? "1fr 1fr" : "1fr", gap: "0.5rem 1.5rem"});
  const panelWidth = Math.max(280, width > 700 ? Math.floor((width - 24) / 2) : width);
  const names = rows.map((d) => d.name);
  for (const panel of PANELS) {
    const data = rows.map((d) => ({name: d.name, value: panel.value(d), winner: d.name === winner}));
    const figure = document.createElement("div");
    const title = document.createElement("h3");
    title.textContent = panel.title;
    title.style.margin = "0.5rem 0 0";
    figure.append(
      title,
      Plot.plot({
        width: panelWidth,
        height: 40 + 30 * rows.length,
        marginLeft: 150,
        marginRight: 70,
        x: {label: null, grid: true, tickFormat: panel.axis, ticks: 4, ...(panel.key === "capture" ? {domain: [0, 1]} : {})},
        y: {label: null, domain: names},
        marks: [
          Plot.barX(data, {y: "name", x: "value", fill: (d: {winner: boolean}) => (d.winner ? "var(--theme-foreground-focus)" : "var(--theme-foreground-faint)")}),
          Plot.text(data, {y: "name", x: "value", text: (d: {value: number}) => panel.format(d.value), textAnchor: "start", dx: 4, fill: "var(--theme-foreground)"}),
          ...(panel.key === "capture" ? [Plot.ruleX([rows[0]?.idealCapture ?? 0], {stroke: "var(--theme-foreground-muted)", strokeDasharray: "4,3"})] : []),
          Plot.ruleX([0])
        ]
      })
    );
    root.append(figure);
  }
  return root;
}
