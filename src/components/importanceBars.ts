import * as Plot from "@observablehq/plot";
import type {FeatureImportance} from "../lib/clv/importance.js";
import {fmt} from "./settings.js";
import {labelMargin} from "../lib/format/labels.js";

const LABELS: Record<string, string> = {
  recency: "Recency (time from first to last purchase)",
  frequency: "Frequency (repeat purchases)",
  monetary: "Monetary (mean repeat spend)",
  T: "Tenure (time since first purchase)",
  r_score: "R score (1–5)",
  f_score: "F score (1–5)",
  m_score: "M score (1–5)",
  rfm_segment: "RFM segment",
  region: "Region",
  customer_segment: "Customer segment",
  category: "Main category",
  partner_share: "Partner share of spend"
};

/** Permutation importance of the learned model's features: how much worse its predictions get without each. */
export function ImportanceBars(importance: readonly FeatureImportance[], {width, ...options}: {width: number} & Plot.PlotOptions) {
  const data = importance.map((d) => ({...d, label: LABELS[d.feature] ?? d.feature}));
  const marginLeft = labelMargin(data.map((d) => d.label), {max: 270});
  const marginRight = 60;
  return Plot.plot({
    // A card not laid out yet can report a tiny or negative width: never narrower than the margins and a bar
    // (a fixed floor below the margins drew bars of negative width).
    width: Math.max(width, marginLeft + marginRight + 120),
    height: 50 + 32 * data.length,
    marginLeft,
    marginRight,
    x: {label: "Increase in squared error when the feature is scrambled →", grid: true, tickFormat: (x: number) => fmt.percent(x, 0)},
    y: {label: null, domain: data.map((d) => d.label)},
    marks: [
      Plot.barX(data, {y: "label", x: "relative", fill: "var(--theme-foreground-focus)", fillOpacity: 0.85}),
      Plot.text(data, {y: "label", x: "relative", text: (d: FeatureImportance) => fmt.percent(d.relative, 0), textAnchor: "start", dx: 4}),
      Plot.ruleX([0])
    ],
    ...options
  });
}
