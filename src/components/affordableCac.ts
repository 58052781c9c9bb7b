import * as Plot from "@observablehq/plot";
import type {BudgetGroup, BudgetIntervals} from "../lib/clv/budget.js";
import {formatPayback} from "../lib/clv/budget.js";
import {fmt} from "./settings.js";
import {rotatedLabelHeight, textWidth} from "../lib/format/labels.js";

/**
 * Affordable CAC per group (bars) against the CAC the business pays (a dashed rule): groups whose bar falls
 * short of the rule do not meet the LTV:CAC target at that cost. A group whose CAC differs from `cac` (a
 * CAC per group) is judged against its own. With `intervals`, each bar gets an error bar.
 */
export function AffordableCac(
  groups: readonly BudgetGroup[],
  {width, cac, label = "Group", intervals = null, ...options}: {width: number; cac: number; label?: string; intervals?: ReadonlyMap<string, BudgetIntervals | null> | null} & Plot.PlotOptions
) {
  const data = groups.filter((g) => g.customers > 0);
  const bars = data.flatMap((g) => {
    const iv = intervals?.get(g.group)?.affordableCac;
    return iv && iv.every(Number.isFinite) ? [{group: g.group, low: iv[0], high: iv[1]}] : [];
  });
  const many = data.length > 12;
  // The CAC label sits in the right margin, at the end of its rule, so it never covers the last bars.
  const cacLabel = `CAC ${fmt.money(cac)}`;
  // Rotated tick labels take their diagonal's height; the axis title goes below them.
  const tickHeight = many ? rotatedLabelHeight(data.map((g) => g.group)) : 0;
  return Plot.plot({
    width: Math.max(width, 280),
    height: 280 + tickHeight,
    marginLeft: 55,
    marginRight: textWidth(cacLabel) + 12,
    marginBottom: many ? tickHeight + 24 : 35,
    x: {label, domain: data.map((g) => g.group), tickRotate: many ? -45 : 0},
    y: {label: "↑ Affordable CAC per customer", grid: true, tickFormat: fmt.moneyCompact},
    color: {type: "categorical", domain: ["meets the target", "below the target"], range: ["var(--theme-foreground-focus)", "var(--theme-foreground-faint)"], legend: true},
    marks: [
      Plot.barY(data, {x: "group", y: "affordableCac", fill: (g: BudgetGroup) => ((g.affordableCac ?? 0) >= (g.cac ?? cac) ? "meets the target" : "below the target")}),
      Plot.ruleX(bars, {x: "group", y1: "low", y2: "high", stroke: "var(--theme-foreground)", strokeWidth: 1.5}),
      Plot.tickY(bars, {x: "group", y: "low", stroke: "var(--theme-foreground)", insetLeft: 6, insetRight: 6}),
      Plot.tickY(bars, {x: "group", y: "high", stroke: "var(--theme-foreground)", insetLeft: 6, insetRight: 6}),
      Plot.ruleY([cac], {stroke: "var(--theme-foreground)", strokeDasharray: "5,4"}),
      Plot.text([cac], {y: (d: number) => d, frameAnchor: "right", textAnchor: "start", dx: 6, text: () => cacLabel, fill: "var(--theme-foreground)"}),
      Plot.tip(data, Plot.pointerX({x: "group", y: "affordableCac", title: (g: BudgetGroup) => `${label}: ${g.group}\nCustomers: ${fmt.integer(g.customers)}\nCAC: ${fmt.money(g.cac)}\nAffordable CAC: ${fmt.money(g.affordableCac)}\nPayback: ${formatPayback(g.paybackMonths)}`})),
      Plot.ruleY([0])
    ],
    ...options
  });
}
