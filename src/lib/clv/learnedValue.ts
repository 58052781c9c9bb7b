/**
 * The learned CLV model's value over a horizon from its prediction over the training window (learnedClv.ts),
 * apart so that the pages can recompute it for another horizon or discount rate without loading the forest's
 * training code.
 */
import {UNITS_PER_MONTH} from "../time.js";

/** The training window's default length: the CLV pages' default holdout, 26 weeks. */
export const LEARNED_WINDOW_DAYS = 182;

/** Σ_{i=1..H} weeks-per-month / (1 + d)^i: the discounted weeks of a horizon of H months. */
export function discountedWeeks(horizonMonths: number, discountRate: number): number {
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 1)) throw new Error(`learned CLV: horizonMonths must be a whole number ≥ 1, got ${horizonMonths}`);
  if (!(Number.isFinite(discountRate) && discountRate >= 0)) throw new Error(`learned CLV: discountRate must be a number ≥ 0, got ${discountRate}`);
  let s = 0;
  for (let i = 1; i <= horizonMonths; i++) s += UNITS_PER_MONTH.week / (1 + discountRate) ** i;
  return s;
}

/**
 * The horizon's value from the window's predicted spend: the weekly rate kept for `horizonMonths` months,
 * discounted month by month (undiscounted with `discountRate` 0). Margin 1, as fitClv's `clv`.
 */
export function learnedHorizonValue(windowSpend: ArrayLike<number>, windowWeeks: number, {horizonMonths, discountRate}: {horizonMonths: number; discountRate: number}): Float64Array {
  if (!(Number.isFinite(windowWeeks) && windowWeeks > 0)) throw new Error(`learned CLV: the training window must be a positive number of weeks, got ${windowWeeks}`);
  const weeks = discountedWeeks(horizonMonths, discountRate);
  return Float64Array.from(windowSpend, (s) => (s / windowWeeks) * weeks);
}

