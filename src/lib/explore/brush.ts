/**
 * Date arithmetic for brushing a time axis: a brushed pixel range becomes a date filter of whole days,
 * weeks (Monday to Sunday, as ISO weeks) or months. Pure functions on UTC dates, no DOM.
 */
import {DAY_MS as DAY, isoDayOf as isoDay, utcDate} from "../time.js";

export type Grain = "day" | "week" | "month";

/** A date filter: inclusive YYYY-MM-DD days, null for an open end. */
export interface DateRange {
  from: string | null;
  to: string | null;
}

/** The start of the day, ISO week (Monday) or month holding `date`. */
export function floorTo(date: Date, grain: Grain): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (grain === "day") return day;
  if (grain === "week") return new Date(+day - ((day.getUTCDay() + 6) % 7) * DAY);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/** `date` moved by n periods (date should be a period start). */
export function offsetBy(date: Date, grain: Grain, n: number): Date {
  if (grain === "day") return new Date(+date + n * DAY);
  if (grain === "week") return new Date(+date + 7 * n * DAY);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + n, date.getUTCDate()));
}

/** The period boundary nearest to `date` (half-way rounds up). */
export function roundTo(date: Date, grain: Grain): Date {
  const lower = floorTo(date, grain);
  const upper = offsetBy(lower, grain, 1);
  return +date - +lower < +upper - +date ? lower : upper;
}

/**
 * The date filter for a brushed span [start, end): both ends snapped to the nearest period boundary or
 * end of the data (at least one whole period), the end made inclusive (the day before the boundary), clipped to the data's
 * first and last day. Null when nothing of the data is left.
 */
export function brushRange(start: Date, end: Date, {grain = "day", first, last}: {grain?: Grain; first: string; last: string}): DateRange | null {
  if (+end < +start) [start, end] = [end, start];
  // The data's own ends count as boundaries too: the last (partial) week or month can be brushed whole.
  const nearest = (date: Date, edge: Date) => {
    const rounded = roundTo(date, grain);
    return Math.abs(+date - +edge) < Math.abs(+date - +rounded) ? edge : rounded;
  };
  const a = nearest(start, utcDate(first));
  let b = nearest(end, new Date(+utcDate(last) + DAY));
  if (+b <= +a) b = offsetBy(a, grain, 1);
  const from = isoDay(a) < first ? first : isoDay(a);
  const toDay = isoDay(new Date(+b - DAY));
  const to = toDay > last ? last : toDay;
  return from <= to ? {from, to} : null;
}

/** The span [from, day after to) a date filter covers within the data, or null when it has no date condition. */
export function rangeSpan(range: DateRange, {first, last}: {first: string; last: string}): [Date, Date] | null {
  if (!range.from && !range.to) return null;
  const from = range.from && range.from > first ? range.from : first;
  const to = range.to && range.to < last ? range.to : last;
  return [utcDate(from), new Date(+utcDate(to) + DAY)];
}
