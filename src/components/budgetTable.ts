/** Budget figures by group (src/lib/clv/budget.ts budgetByGroup) as a sortable table with a CSV download. */
import * as Inputs from "npm:@observablehq/inputs";
import {formatPayback, type BudgetGroup, type BudgetIntervals} from "../lib/clv/budget.js";
import {DownloadButton, WithDownload} from "./download.js";
import {fmt} from "./settings.js";

const COLUMNS = ["group", "customers", "revenue", "cac", "meanHistoricalClv", "meanPredictedClv", "ltv", "ltvToCac", "affordableCac", "paybackMonths"] as const;
/** The figures that get an interval: shown as a column of text beside each, and as low/high in the CSV. */
const WITH_INTERVAL = ["meanPredictedClv", "ltvToCac", "affordableCac", "paybackMonths"] as const;

const ratio = (x: number | null) => (x === null || !Number.isFinite(x) ? "–" : `${x.toFixed(1)}:1`);
const payback = (x: number | null) => formatPayback(x);
const FORMAT: Record<string, (x: number | null) => string> = {
  customers: (x) => (x === null ? "–" : fmt.integer(x)),
  revenue: (x) => (x === null ? "–" : fmt.money(x)),
  cac: (x) => (x === null ? "–" : fmt.money(x)),
  meanHistoricalClv: (x) => (x === null ? "–" : fmt.money(x)),
  meanPredictedClv: (x) => (x === null ? "–" : fmt.money(x)),
  ltv: (x) => (x === null ? "–" : fmt.money(x)),
  ltvToCac: ratio,
  affordableCac: (x) => (x === null ? "–" : fmt.money(x)),
  paybackMonths: payback
};

/**
 * One row per group; with `intervals` (budgetIntervals of each group, by group), the predicted CLV, LTV:CAC,
 * affordable CAC and payback each get a column with their interval.
 */
export function BudgetTable(
  groups: readonly BudgetGroup[],
  {label = "Group", filename = "acquisition-budget.csv", intervals = null}: {label?: string; filename?: string; intervals?: ReadonlyMap<string, BudgetIntervals | null> | null} = {}
): HTMLElement {
  // Without a model fit no group has a predicted CLV: that column is left out rather than shown empty.
  const predicted = groups.some((g) => g.meanPredictedClv !== null);
  const base = COLUMNS.filter((c) => c !== "meanPredictedClv" || predicted);
  const banded = intervals && predicted ? WITH_INTERVAL.filter((c) => base.includes(c)) : [];
  const columns = base.flatMap((c) => ((banded as readonly string[]).includes(c) ? [c, `${c}Interval`] : [c]));
  const rows = groups.map((g) => {
    const row: Record<string, unknown> = Object.fromEntries(base.map((c) => [c, g[c]]));
    const iv = intervals?.get(g.group) ?? null;
    for (const c of banded) {
      const [low, high] = iv ? iv[c] : [NaN, NaN];
      const ok = !Number.isNaN(low) && !Number.isNaN(high);
      row[`${c}Interval`] = ok ? `[${FORMAT[c](low)} – ${FORMAT[c](high)}]` : "–";
      row[`${c}Low`] = ok ? low : null;
      row[`${c}High`] = ok ? high : null;
    }
    return row;
  });
  const level = intervals ? [...intervals.values()].find((v) => v)?.level : undefined;
  const interval = level ? `${Math.round(100 * level)}% interval` : "Interval";
  const table = Inputs.table(rows, {
    columns,
    header: {
      group: label,
      customers: "Customers",
      revenue: "Revenue",
      cac: "CAC",
      meanHistoricalClv: "Historical CLV / customer",
      meanPredictedClv: "Predicted CLV / customer",
      meanPredictedClvInterval: interval,
      ltv: "LTV / customer",
      ltvToCac: "LTV:CAC",
      ltvToCacInterval: interval,
      affordableCac: "Affordable CAC",
      affordableCacInterval: interval,
      paybackMonths: "Payback",
      paybackMonthsInterval: interval
    },
    format: Object.fromEntries(base.filter((c) => c !== "group").map((c) => [c, FORMAT[c]])),
    rows: Math.min(14, rows.length + 1),
    select: false,
    layout: "auto"
  });
  // The long headers wrap (Inputs keeps every cell on one line), so the table fits a card without cutting off
  // the last columns.
  for (const th of table.querySelectorAll<HTMLElement>("thead th")) Object.assign(th.style, {whiteSpace: "normal", verticalAlign: "bottom"});
  // The CSV has numbers: each interval as its low and high ends; money columns are headed with the currency.
  const csvColumns = base.flatMap((c) => ((banded as readonly string[]).includes(c) ? [c, `${c}Low`, `${c}High`] : [c]));
  const money = csvColumns.filter((c) => /^(revenue|cac|meanHistoricalClv|meanPredictedClv|ltv|affordableCac)(Low|High)?$/.test(c));
  return WithDownload(table, DownloadButton(rows, {filename, columns: csvColumns, label: "Download CSV", money}), "budget-table");
}
