/**
 * The per-customer summary the RFM page opens on: one row per customer of the transactions before a cut
 * date, with both frequency counts and the revenue in integer micro-units, so that every RFM value the page
 * offers (frequency "orders" or "days", monetary "total" or "mean", any analysis date on or after the cut)
 * follows from it without the transactions. A data loader computes it at build time with native DuckDB; the
 * page reads it as Arrow and scores it with the Arquero code of scores.ts.
 *
 * Same definitions as rfmScoresSql (sql.ts): amounts rounded to micro-units per row and summed as integers,
 * orders = distinct order_id plus one per row without an order id, days = distinct order dates, and
 * monetary = micros / frequency / 1e6 in that order. The parity tests hold valuesFromSummary() equal to
 * rfmValuesSql() on the same transactions.
 *
 * Summary columns: customer_id (text), first_day and last_day (days since 1970-01-01, INTEGER), orders and
 * days (INTEGER), micros (BIGINT; below 2^53 for any real revenue, so exact as a double).
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {dayNumber, isoDay} from "../time.js";
import {sqlIdentifier} from "../sql/quote.js";
import type {FrequencyMode, MonetaryMode} from "./scores.js";
import {VALUE_COLUMNS} from "./page.js";

export const SUMMARY_COLUMNS = ["customer_id", "first_day", "last_day", "orders", "days", "micros"] as const;

export interface SummarySqlOptions {
  /** The transactions table or view (customer_id, order_date, amount; order_id when orderId). */
  table?: string;
  /** Count distinct order_id for "orders" (a row with a NULL order_id is its own order); rows otherwise. */
  orderId?: boolean;
  /** Only transactions before this day (YYYY-MM-DD) count; default: all of them. */
  before?: string;
}

/** SQL for the per-customer summary, ordered by customer_id (as rfmValuesSql). */
export function rfmSummarySql({table = "transactions", orderId = false, before}: SummarySqlOptions = {}): string {
  if (typeof table !== "string" || table === "") throw new Error(`table must be a non-empty name, got ${JSON.stringify(table)}`);
  const cut = before === undefined ? "" : (dayNumber(before, "before"), `WHERE order_date < DATE '${before}'`);
  const orders = orderId ? "count(DISTINCT order_id) + count(*) FILTER (WHERE order_id IS NULL)" : "count(*)";
  return `WITH tx AS (
  SELECT customer_id, CAST(order_date AS DATE) AS order_date,
    CAST(round(CAST(amount AS DOUBLE) * 1000000) AS BIGINT) AS micros${orderId ? ", order_id" : ""}
  FROM ${sqlIdentifier(table)}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL
)
SELECT CAST(customer_id AS VARCHAR) AS customer_id,
  CAST(min(order_date) - DATE '1970-01-01' AS INTEGER) AS first_day,
  CAST(max(order_date) - DATE '1970-01-01' AS INTEGER) AS last_day,
  CAST(${orders} AS INTEGER) AS orders,
  CAST(count(DISTINCT order_date) AS INTEGER) AS days,
  CAST(sum(micros) AS BIGINT) AS micros
FROM tx ${cut}
GROUP BY customer_id
ORDER BY customer_id`;
}

/** The summary columns a page holds: typed arrays, customer ids as strings. */
export interface RfmSummary {
  customer_id: ArrayLike<string>;
  first_day: ArrayLike<number>;
  last_day: ArrayLike<number>;
  orders: ArrayLike<number>;
  days: ArrayLike<number>;
  micros: ArrayLike<number>;
}

/** The last purchase day in a summary (YYYY-MM-DD), null when it is empty. */
export function summaryLastDay(summary: RfmSummary): string | null {
  let last = -Infinity;
  for (let i = 0; i < summary.last_day.length; i++) if (summary.last_day[i] > last) last = summary.last_day[i];
  return Number.isFinite(last) ? isoDay(last) : null;
}

export interface ValuesFromSummaryOptions {
  /** YYYY-MM-DD; must be after every purchase in the summary (default: the day after the last one). */
  analysisDate?: string;
  frequency?: FrequencyMode;
  monetary?: MonetaryMode;
}

/**
 * The rows of rfmValuesSql() (VALUE_COLUMNS, ordered by customer_id) from a summary, for an analysis date
 * after every purchase it holds: earlier dates need the transactions, and this throws.
 */
export function valuesFromSummary(summary: RfmSummary, {analysisDate, frequency = "orders", monetary = "total"}: ValuesFromSummaryOptions = {}): ColumnTable {
  if (frequency !== "orders" && frequency !== "days") throw new Error(`frequency must be "orders" or "days", got ${JSON.stringify(frequency)}`);
  if (monetary !== "total" && monetary !== "mean") throw new Error(`monetary must be "total" or "mean", got ${JSON.stringify(monetary)}`);
  const n = summary.customer_id.length;
  const lastDay = summaryLastDay(summary);
  const cut = analysisDate === undefined ? (lastDay === null ? 0 : dayNumber(lastDay) + 1) : dayNumber(analysisDate, "analysisDate");
  if (lastDay !== null && cut <= dayNumber(lastDay)) {
    throw new Error(`the summary holds purchases up to ${lastDay}: an analysis date of ${analysisDate} needs the transactions`);
  }
  const counts = frequency === "days" ? summary.days : summary.orders;
  // Each day's text made once, looked up by its offset from the first day (no Map on a million rows).
  let minDay = Infinity, maxDay = -Infinity;
  for (let i = 0; i < n; i++) {
    if (summary.first_day[i] < minDay) minDay = summary.first_day[i];
    if (summary.last_day[i] > maxDay) maxDay = summary.last_day[i];
  }
  const names: string[] = n ? new Array<string>(maxDay - minDay + 1) : [];
  const name = (day: number) => names[day - minDay] ?? (names[day - minDay] = isoDay(day));
  const first = new Array<string>(n);
  const last = new Array<string>(n);
  const recency = new Int32Array(n);
  const freq = new Int32Array(n);
  const money = new Float64Array(n);
  const revenue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    first[i] = name(summary.first_day[i]);
    last[i] = name(summary.last_day[i]);
    recency[i] = cut - summary.last_day[i];
    freq[i] = counts[i];
    const micros = Number(summary.micros[i]);
    money[i] = monetary === "mean" ? micros / counts[i] / 1000000 : micros / 1000000;
    revenue[i] = micros / 1000000;
  }
  // A copy of its own (slice: Array.from walks an iterator, an object per customer to collect).
  const ids = Array.isArray(summary.customer_id) ? summary.customer_id.slice() : Array.from(summary.customer_id);
  const columns = {customer_id: ids, first_purchase: first, last_purchase: last, recency, frequency: freq, monetary: money, revenue};
  return aq.table(Object.fromEntries(VALUE_COLUMNS.map((c) => [c, columns[c]])));
}
