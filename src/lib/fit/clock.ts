/**
 * The clock of the fits' time budgets: milliseconds since the epoch to a fraction of a millisecond
 * (performance.timeOrigin + performance.now(), in Node and in browsers), so that a budget shorter than a
 * millisecond is kept too (Date.now() only ticks whole milliseconds, and a Newton fit can end within one).
 */
export function now(): number {
  return typeof performance !== "undefined" ? performance.timeOrigin + performance.now() : Date.now();
}
