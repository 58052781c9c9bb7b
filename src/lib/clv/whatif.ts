/**
 * The what-if page's evaluation of one hypothetical customer from fitted parameters: P(alive), expected
 * purchases and spend, discounted CLV (clv.ts), and the customer's RFM segment scored against a population
 * (diagnostics.ts's quantile rule, the scheme of segment-schemes.ts). Cheap enough for every keystroke.
 */
import {expectedSpendPerPurchase, expectedTransactions} from "./value.js";
import {scoreAgainst, type TransactionModel} from "./diagnostics.js";
import type {GammaGammaParams} from "../models/gammagamma.js";
import {PERSONAS} from "../rfm/schemes.js";
import {rescaleScheme, segmentOf, type SegmentScheme} from "../rfm/segments.js";

/** A customer's history in weeks, as the form gives it. */
export interface WhatIfCustomer {
  /** Repeat purchases (purchase days after the first). */
  frequency: number;
  /** Weeks since the first purchase (T). */
  tenureWeeks: number;
  /** Weeks since the last purchase (T − recency). */
  weeksSinceLast: number;
  /** Mean spend of the repeat purchases. */
  monetary: number;
}

export interface WhatIfOptions {
  transaction: TransactionModel;
  /** Gamma-Gamma parameters; null when the spend model could not be fitted (no spend and no CLV then). */
  spend: GammaGammaParams | null;
  horizonMonths?: number;
  discountRate?: number;
  margin?: number;
}

export interface WhatIfResult {
  probabilityAlive: number;
  /** Expected purchases over the horizon. */
  expectedPurchases: number;
  /** Null without a spend model. */
  expectedSpend: number | null;
  /** Null without a spend model. */
  clv: number | null;
}

/** What is wrong with the form's values (empty when they can be evaluated). */
export function whatIfErrors({frequency, tenureWeeks, weeksSinceLast, monetary}: WhatIfCustomer): string[] {
  const errors: string[] = [];
  if (!(Number.isInteger(frequency) && frequency >= 0)) errors.push("Repeat purchases must be a whole number, 0 or more.");
  if (!(Number.isFinite(tenureWeeks) && tenureWeeks >= 0)) errors.push("Weeks since the first purchase must be 0 or more.");
  if (!(Number.isFinite(weeksSinceLast) && weeksSinceLast >= 0)) errors.push("Weeks since the last purchase must be 0 or more.");
  else if (weeksSinceLast > tenureWeeks) errors.push("The last purchase cannot be before the first: weeks since the last purchase must not exceed the weeks since the first.");
  if (frequency > 0 && !(Number.isFinite(monetary) && monetary > 0)) errors.push("A customer with repeat purchases needs an average spend above 0.");
  return errors;
}

/** P(alive), expected purchases and spend, and CLV of one customer; throws when whatIfErrors is not empty. */
export function whatIf(customer: WhatIfCustomer, {transaction, spend, horizonMonths = 12, discountRate = 0.01, margin = 1}: WhatIfOptions): WhatIfResult {
  const errors = whatIfErrors(customer);
  if (errors.length) throw new Error(`whatIf: ${errors.join(" ")}`);
  const {frequency: x, tenureWeeks: T, weeksSinceLast, monetary} = customer;
  const tx = x === 0 ? 0 : T - weeksSinceLast;
  const purchases = expectedTransactions([{frequency: x, recency: tx, T}], {transaction, horizonMonths, discountRate, timeUnit: "week"});
  const expectedSpend = spend ? expectedSpendPerPurchase({frequency: [x], monetary: [x > 0 ? monetary : 0]}, spend)[0] : null;
  return {
    probabilityAlive: purchases.probabilityAlive[0],
    expectedPurchases: purchases.expectedPurchases[0],
    expectedSpend,
    clv: expectedSpend === null ? null : margin * expectedSpend * purchases.discountedPurchases[0]
  };
}

/** RFM values of the population the customer is scored against (days since last purchase, orders, revenue). */
export interface RfmPopulation {
  recencyDays: ArrayLike<number>;
  orders: ArrayLike<number>;
  revenue: ArrayLike<number>;
}

/** The customer's R, F, M scores against the population and the segment of the scheme (PERSONAS by default). */
export function whatIfSegment(
  {recencyDays, orders, revenue}: {recencyDays: number; orders: number; revenue: number},
  population: RfmPopulation,
  {scheme = PERSONAS, k = 5}: {scheme?: SegmentScheme; k?: number} = {}
): {r_score: number; f_score: number; m_score: number; segment: string} {
  const r_score = scoreAgainst(population.recencyDays, recencyDays, {k, descending: true});
  const f_score = scoreAgainst(population.orders, orders, {k});
  const m_score = scoreAgainst(population.revenue, revenue, {k});
  return {r_score, f_score, m_score, segment: segmentOf(rescaleScheme(scheme, k), {r_score, f_score, m_score})};
}
