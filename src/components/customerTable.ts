/**
 * The customers with their predictions, highest CLV first, as a table with a CSV download of exactly the
 * rows and columns the table holds (the download button of src/components/download.ts).
 */
import * as Inputs from "npm:@observablehq/inputs";
import {DownloadButton, WithDownload} from "./download.js";
import {DEFAULT_FORMATS as fmt} from "../lib/format/number.js";

export interface CustomerPrediction {
  customer_id: string;
  segment: string;
  region?: string | null;
  frequency: number;
  recency_weeks: number;
  tenure_weeks: number;
  /** Null (column left out) when the model it comes from could not be fitted. */
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: number | null;
  clv: number | null;
}

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

export function CustomerTable(rows: readonly CustomerPrediction[], {filename = "predicted-clv.csv", rowsShown = 12} = {}): HTMLElement {
  // A column no customer has a value in (no region; a model that could not be fitted) is left out.
  const columns = Object.keys(HEADERS).filter((c) => rows.some((r) => r[c as keyof CustomerPrediction] != null));
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
  return WithDownload(table, DownloadButton(() => rows as unknown as Record<string, unknown>[], {filename, columns, label: `Download ${rows.length.toLocaleString("en")} customers (CSV)`}), "customer-table");
}
