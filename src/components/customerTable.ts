/**
 * The customers with their predictions, highest CLV first, as a table with a CSV download of exactly the
 * rows and columns the table holds (the download button of src/components/download.ts).
 */
import * as Inputs from "npm:@observablehq/inputs";
import {DownloadButton, WithDownload} from "./download.js";
import {DEFAULT_FORMATS as fmt} from "../lib/format/number.js";
import type {CustomerRow} from "../lib/clv/kpis.js";

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
  // A column no customer has a value in (no region; a model that could not be fitted) is left out.
  const columns = Object.keys(HEADERS).filter((c) => rows.some((r) => r[c as keyof CustomerRow] != null));
  const table = Inputs.table(rows, {
    columns,
    header: HEADERS,
    format: {
      recency_weeks: (x: number) => x.toFixed(1),
      tenure_weeks: (x: number) => x.toFixed(1),
      p_alive: (x: number) => fmt.percent(x, 0),
      expected_purchases: (x: number) => fmt.decimal(x, 3),
      expected_spend: fmt.money2,
      clv: fmt.money
    },
    rows: rowsShown,
    select: false,
    layout: "auto"
  });
  return WithDownload(table, DownloadButton(() => rows as unknown as Record<string, unknown>[], {filename, columns, label: `Download ${fmt.integer(rows.length)} customers (CSV)`}), "customer-table");
}
