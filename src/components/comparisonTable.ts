/** The holdout comparison as a table: one row per model, the winner in bold. */
import type {ComparisonRow} from "../lib/clv/validate.js";
import {fmt} from "./settings.js";

const signed = (x: number) => `${x > 0 ? "+" : ""}${fmt.percent(x / 100, 1)}`;

export function ComparisonTable(rows: readonly ComparisonRow[], {winner}: {winner: string}): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "comparison-table";
  const head = table.createTHead().insertRow();
  for (const label of ["Model", "Holdout purchases (error)", "Holdout spend (error)", "Spend MAE", "Spend RMSE", "Top 10% capture"]) {
    const th = document.createElement("th");
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const actual = rows[0];
  if (actual) {
    const row = body.insertRow();
    const cells = ["Actual", actual.purchases ? fmt.integer(actual.purchases.actual) : "–", fmt.money(actual.spend.actual), "", "", `${fmt.percent(actual.idealCapture, 1)} at best`];
    for (const text of cells) row.insertCell().textContent = text;
    row.style.color = "var(--theme-foreground-muted)";
  }
  for (const d of rows) {
    const row = body.insertRow();
    if (d.name === winner) row.style.fontWeight = "700";
    const cells = [
      d.name === winner ? `${d.name} ★` : d.name,
      d.purchases ? `${fmt.integer(d.purchases.predicted)} (${signed(d.purchases.percentError)})` : "–",
      `${fmt.money(d.spend.predicted)} (${signed(d.spend.percentError)})`,
      fmt.money(d.mae),
      fmt.money(d.rmse),
      fmt.percent(d.capture, 1)
    ];
    cells.forEach((text, i) => {
      const td = row.insertCell();
      td.textContent = text;
      if (i > 0) td.style.textAlign = "right";
    });
  }
  return table;
}
