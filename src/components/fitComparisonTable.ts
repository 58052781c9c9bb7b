/**
 * The transaction models side by side on the calibration data: log-likelihood, AIC, BIC (lower is better, the
 * best in bold) and the error of the holdout purchases each predicted. Input: compareFits (lib/fit/criteria.ts).
 */
import type {FitComparison} from "../lib/fit/criteria.js";
import {fmt} from "./settings.js";

const signed = (x: number | null) => (x === null ? "–" : `${x > 0 ? "+" : ""}${fmt.percent(x / 100, 1)}`);
const oneDecimal = (x: number | null) => (x === null ? "–" : x.toLocaleString(fmt.locale, {minimumFractionDigits: 1, maximumFractionDigits: 1}));

export function FitComparisonTable({rows, bestAic, bestBic}: FitComparison): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "comparison-table fit-comparison";
  const head = table.createTHead().insertRow();
  for (const label of ["Model", "Parameters", "Log-likelihood", "AIC", "ΔAIC", "BIC", "Holdout purchases (error)", "Purchases MAE"]) {
    const th = document.createElement("th");
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const d of rows) {
    const row = body.insertRow();
    const cells = [
      d.logLikelihood === null ? `${d.name} (did not converge)` : d.name,
      String(d.parameters),
      oneDecimal(d.logLikelihood),
      oneDecimal(d.aic),
      oneDecimal(d.deltaAic),
      oneDecimal(d.bic),
      signed(d.holdoutPercentError),
      d.holdoutMae === null ? "–" : fmt.decimal(d.holdoutMae)
    ];
    cells.forEach((text, i) => {
      const td = row.insertCell();
      td.textContent = text;
      if (i > 0) td.style.textAlign = "right";
      if ((i === 3 && d.name === bestAic) || (i === 5 && d.name === bestBic)) td.style.fontWeight = "700";
    });
  }
  return table;
}
