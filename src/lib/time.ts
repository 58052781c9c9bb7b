/**
 * Time: the units the models count in, and arithmetic on calendar days. Every date in the library is a UTC
 * calendar day, written as an ISO "YYYY-MM-DD" string or held as a day number (whole days since
 * 1970-01-01), so no result depends on the machine's time zone. A month is a twelfth of a 365.25-day year,
 * the convention of the summaries, the CLV horizon and the budget.
 */
import type {TimeUnit} from "./types.js";

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Days in a month: a twelfth of a 365.25-day year. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** Days in one model time unit. */
export const UNIT_DAYS: Readonly<Record<TimeUnit, number>> = Object.freeze({day: 1, week: 7, month: DAYS_PER_MONTH});
/** Model time units in one month. */
export const UNITS_PER_MONTH: Readonly<Record<TimeUnit, number>> = Object.freeze({day: DAYS_PER_MONTH, week: 365.25 / 7 / 12, month: 1});

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of a real calendar day "YYYY-MM-DD", or NaN. */
function dayMs(value: unknown): number {
  const match = typeof value === "string" ? ISO_DAY.exec(value) : null;
  if (!match) return NaN;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? ms : NaN;
}

/** True for a real calendar day written "YYYY-MM-DD" (2023-02-29 is not one). */
export function isIsoDay(value: unknown): value is string {
  return !Number.isNaN(dayMs(value));
}

/** Checks a "YYYY-MM-DD" day and returns it; throws `${what} must be a YYYY-MM-DD date, got "…"` otherwise. */
export function checkIsoDay(value: string, what = "date"): string {
  if (!isIsoDay(value)) throw new Error(`${what} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`);
  return value;
}

/** The day number (days since 1970-01-01) of a "YYYY-MM-DD" day; throws naming `what` when it is not one. */
export function dayNumber(value: string, what = "date"): number {
  return dayMs(checkIsoDay(value, what)) / DAY_MS;
}

/**
 * `f` of date strings, computed once per distinct string: the dates of millions of customers (first or last
 * purchases) take a few thousand values, and parsing each customer's was most of the work.
 */
export function perDistinctDate<T>(f: (value: string) => T): (value: string) => T {
  const seen = new Map<string, T>();
  return (value) => {
    if (seen.has(value)) return seen.get(value) as T;
    const result = f(value);
    seen.set(value, result);
    return result;
  };
}

/** "YYYY-MM-DD" of a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" of a Date (its UTC day). */
export function isoDayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of a "YYYY-MM-DD" day (or the first of a "YYYY-MM" month). */
export function utcDate(value: string): Date {
  return new Date(`${value.length === 7 ? `${value}-01` : value}T00:00:00Z`);
}

/** The day `days` after (before, when negative) a "YYYY-MM-DD" day. */
export function addDays(day: string, days: number): string {
  return isoDay(dayNumber(day) + days);
}

/** The day after a "YYYY-MM-DD" day. */
export function nextDay(day: string): string {
  return addDays(day, 1);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to, "to") - dayNumber(from, "from");
}

/** Weeks (fractional) from `from` to `to`. */
export function weeksBetween(from: string, to: string): number {
  return daysBetween(from, to) / 7;
}
