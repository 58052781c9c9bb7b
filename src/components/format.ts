/** Number and date formats shared by the exploration charts: en-CA, currency without decimals. */
import {utcDate} from "../lib/time.js";

const currencyFormat = new Intl.NumberFormat("en-CA", {style: "currency", currency: "CAD", minimumFractionDigits: 0, maximumFractionDigits: 0});
const compactCurrencyFormat = new Intl.NumberFormat("en-CA", {
  style: "currency",
  currency: "CAD",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1
});
const integerFormat = new Intl.NumberFormat("en-CA", {maximumFractionDigits: 0});
const compactFormat = new Intl.NumberFormat("en-CA", {notation: "compact", maximumFractionDigits: 1});
const percentFormat = new Intl.NumberFormat("en-CA", {style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 1});
const monthFormat = new Intl.DateTimeFormat("en-CA", {month: "short", year: "numeric", timeZone: "UTC"});
const dateFormat = new Intl.DateTimeFormat("en-CA", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
const dayFormat = new Intl.DateTimeFormat("en-CA", {weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});

const finite = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);

/** $1,234 (no decimals); "–" for a missing value. */
export const currency = (x: number | null | undefined): string => (finite(x) ? currencyFormat.format(x) : "–");
/** $1.2M, $850K: for axes. */
export const currencyCompact = (x: number | null | undefined): string => (finite(x) ? compactCurrencyFormat.format(x) : "–");
/** 12,345 */
export const integer = (x: number | null | undefined): string => (finite(x) ? integerFormat.format(x) : "–");
/** 12.3K: for axes. */
export const compact = (x: number | null | undefined): string => (finite(x) ? compactFormat.format(x) : "–");
/** 12.3% from 0.123 */
export const percent = (x: number | null | undefined): string => (finite(x) ? percentFormat.format(x) : "–");
/** "Jan 2023" from a date or a YYYY-MM(-DD) string. */
export const monthLabel = (date: Date | string): string => monthFormat.format(typeof date === "string" ? utcDate(date) : date);
/** "Jan 5, 2023" from a date or a YYYY-MM-DD string. */
export const dateLabel = (date: Date | string): string => dateFormat.format(typeof date === "string" ? utcDate(date) : date);
/** "Thu, Jan 5, 2023" from a date or a YYYY-MM-DD string. */
export const dayLabel = (date: Date | string): string => dayFormat.format(typeof date === "string" ? utcDate(date) : date);

/** "orders" → "Orders": a unit name (transactionUnit(...).plural) at the start of a label. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
