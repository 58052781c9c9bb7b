/**
 * The customers with their predictions, highest CLV first, as a table with a CSV download of exactly the
 * rows and columns the table holds (the download button of src/components/download.ts). When predictions are
 * missing (a fit failed or they are not available), their cells read "n/a" under one note above the table
 * saying why, and the CSV leaves them empty with that reason in a clv_note column on every row.
 *
 * With `intervals` (the bootstrap's per-customer intervals, clv/replicates.ts), the table and the CSV get
 * expected_purchases_low/high and clv_low/high beside the figures; an interval that is not available says why
 * in a note above the table instead.
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

/** Per-customer intervals at one level, aligned with the customers' index in `index` (customer id → index). */
export interface CustomerTableIntervals {
  level: number;
  index: Map<string, number>;
  clv: {low: ArrayLike<number>; high: ArrayLike<number>};
  expectedPurchases: {low: ArrayLike<number>; high: ArrayLike<number>};
}

const INTERVAL_COLUMNS: Record<string, [string, string]> = {expected_purchases: ["expected_purchases_low", "expected_purchases_high"], clv: ["clv_low", "clv_high"]};

/** The interval columns after the figure they bracket. */
function withIntervalColumns(columns: string[]): string[] {
  return columns.flatMap((c) => (INTERVAL_COLUMNS[c] ? [c, ...INTERVAL_COLUMNS[c]] : [c]));
}

export function CustomerTable(
  rows: readonly CustomerRow[],
  {filename = "predicted-clv.csv", rowsShown = 12, intervals = null, intervalNote = null}: {filename?: string; rowsShown?: number; intervals?: CustomerTableIntervals | null; intervalNote?: string | null} = {}
): HTMLElement {
  const note = customerTableNote(rows);
  if (intervals && !note) {
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    rows = rows.map((r) => {
      const i = intervals.index.get(r.customer_id);
      if (i === undefined) throw new Error(`CustomerTable: no interval for customer ${r.customer_id}`);
      return {
        ...r,
        expected_purchases_low: finite(intervals.expectedPurchases.low[i]),
        expected_purchases_high: finite(intervals.expectedPurchases.high[i]),
        clv_low: finite(intervals.clv.low[i]),
        clv_high: finite(intervals.clv.high[i])
      };
    });
  }
  const shownIntervals = intervals && !note;
  const columns = shownIntervals ? withIntervalColumns(customerColumns(rows)) : customerColumns(rows);
  const level = shownIntervals ? ` (${Math.round(100 * intervals.level)}%)` : "";
  const header = {...HEADERS, expected_purchases_low: `Purchases low${level}`, expected_purchases_high: `Purchases high${level}`, clv_low: `CLV low${level}`, clv_high: `CLV high${level}`};
  // Inputs.table leaves a null cell blank without calling its format: a missing prediction is given the text "n/a".
  const shown = note ? rows.map((r) => ({...r, ...Object.fromEntries(PREDICTION_COLUMNS.filter((c) => r[c] == null).map((c) => [c, "n/a"]))})) : rows;
  const na = (f: (x: number) => string) => (x: number | string) => (typeof x === "number" ? f(x) : "n/a");
  const table = Inputs.table(shown, {
    columns,
    header,
    format: {
      recency_weeks: (x: number) => x.toFixed(1),
      tenure_weeks: (x: number) => x.toFixed(1),
      p_alive: na((x: number) => fmt.percent(x, 0)),
      expected_purchases: na((x: number) => fmt.decimal(x, 3)),
      expected_purchases_low: na((x: number) => fmt.decimal(x, 3)),
      expected_purchases_high: na((x: number) => fmt.decimal(x, 3)),
      expected_spend: na(fmt.money2),
      clv: na(fmt.money),
      clv_low: na(fmt.money),
      clv_high: na(fmt.money)
    },
    rows: rowsShown,
    select: false,
    layout: "auto"
  });
  const csvColumns = shownIntervals ? withIntervalColumns(customerColumns(rows, {note: true})) : customerColumns(rows, {note: true});
  const download = DownloadButton(() => rows as unknown as Record<string, unknown>[], {filename, columns: csvColumns, money: ["expected_spend", "clv", "clv_low", "clv_high"], label: `Download ${fmt.integer(rows.length)} customers (CSV)`});
  const wrapper = WithDownload(table, download, "customer-table");
  if (note) {
    const p = document.createElement("p");
    p.className = "customer-table-note";
    p.style.color = "var(--theme-red)";
    p.textContent = note;
    wrapper.prepend(p);
  } else if (intervalNote) {
    const p = document.createElement("p");
    p.className = "customer-interval-note muted";
    p.textContent = intervalNote;
    wrapper.prepend(p);
  }
  return wrapper;
}
