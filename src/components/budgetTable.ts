/** Budget figures by group (src/lib/clv/budget.ts budgetByGroup) as a sortable table with a CSV download. */
import * as Inputs from "npm:@observablehq/inputs";
import {formatPayback, type BudgetGroup} from "../lib/clv/budget.js";
import {DownloadButton, WithDownload} from "./download.js";
import {fmt} from "./settings.js";

const COLUMNS = ["group", "customers", "revenue", "meanHistoricalClv", "meanPredictedClv", "affordableCac", "paybackMonths"] as const;

export function BudgetTable(groups: readonly BudgetGroup[], {label = "Group", filename = "acquisition-budget.csv"}: {label?: string; filename?: string} = {}): HTMLElement {
  // Without a model fit no group has a predicted CLV: that column is left out rather than shown empty.
  const columns = COLUMNS.filter((c) => c !== "meanPredictedClv" || groups.some((g) => g.meanPredictedClv !== null));
  const rows = groups.map((g) => Object.fromEntries(columns.map((c) => [c, g[c]])));
  const table = Inputs.table(rows, {
    columns,
    header: {
      group: label,
      customers: "Customers",
      revenue: "Revenue",
      meanHistoricalClv: "Historical CLV / customer",
      meanPredictedClv: "Predicted CLV / customer",
      affordableCac: "Affordable CAC",
      paybackMonths: "Payback"
    },
    format: {
      customers: fmt.integer,
      revenue: fmt.money,
      meanHistoricalClv: fmt.money,
      meanPredictedClv: fmt.money,
      affordableCac: fmt.money,
      paybackMonths: (x: number | null) => formatPayback(x)
    },
    rows: Math.min(14, rows.length + 1),
    select: false,
    layout: "auto"
  });
  // The long headers wrap (Inputs keeps every cell on one line), so the table fits a card without cutting off
  // the last columns.
  for (const th of table.querySelectorAll<HTMLElement>("thead th")) Object.assign(th.style, {whiteSpace: "normal", verticalAlign: "bottom"});
  return WithDownload(table, DownloadButton(rows, {filename, columns, label: "Download CSV", money: ["revenue", "meanHistoricalClv", "meanPredictedClv", "affordableCac"]}), "budget-table");
}
