/**
 * The customers with their predictions, highest CLV first, as a table with a CSV download of exactly the
 * rows and columns the table holds (the download button of src/components/download.ts). When predictions are
 * missing (a fit failed or they are not available), their cells read "n/a" under one note above the table
 * saying why, and the CSV leaves them empty with that reason in a clv_note column on every row.
 */
import * as Inputs from "npm:@observablehq/inputs";
import {DownloadButton, WithDownload} from "./download.js";
import {fmt} from "./settings.js";
import {customerColumns, customerTableNote, PREDICTION_COLUMNS, type CustomerRow} from "../lib/clv/kpis.js";

const HEADERS: Record<string, string> = {
  customer_id: "Customer",
  segment: "RFM segment",
  region: "Region",
  frequency: "Repeat purchases",
  recency_weeks: "Recency (wk)",
  tenure_weeks: "Tenure (wk)",
  p_alive: "P(alive)",
  expected_purchases: "Expected purchases",
  expected_spend: "Expected spend / purchase",
  clv: "Predicted CLV"
};

export function CustomerTable(rows: readonly CustomerRow[], {filename = "predicted-clv.csv", rowsShown = 12} = {}): HTMLElement {
  const columns = customerColumns(rows);
  const note = customerTableNote(rows);
  // Inputs.table leaves a null cell blank without calling its format: a missing prediction is given the text "n/a".
  const shown = note ? rows.map((r) => ({...r, ...Object.fromEntries(PREDICTION_COLUMNS.filter((c) => r[c] == null).map((c) => [c, "n/a"]))})) : rows;
  const na = (f: (x: number) => string) => (x: number | string) => (typeof x === "number" ? f(x) : "n/a");
  const table = Inputs.table(shown, {
    columns,
    header: HEADERS,
    format: {
      recency_weeks: (x: number) => x.toFixed(1),
      tenure_weeks: (x: number) => x.toFixed(1),
      p_alive: na((x: number) => fmt.percent(x, 0)),
      expected_purchases: na((x: number) => fmt.decimal(x, 3)),
      expected_spend: na(fmt.money2),
      clv: na(fmt.money)
    },
    rows: rowsShown,
    select: false,
    layout: "auto"
  });
  const download = DownloadButton(() => rows as unknown as Record<string, unknown>[], {filename, columns: customerColumns(rows, {note: true}), money: ["expected_spend", "clv"], label: `Download ${fmt.integer(rows.length)} customers (CSV)`});
  const wrapper = WithDownload(table, download, "customer-table");
  if (note) {
    const p = document.createElement("p");
    p.className = "customer-table-note";
    p.style.color = "var(--theme-red)";
    p.textContent = note;
    wrapper.prepend(p);
  }
  return wrapper;
}
