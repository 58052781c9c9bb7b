/**
 * The what-if page's evaluation of one hypothetical customer from fitted parameters: P(alive), expected
 * purchases and spend, discounted CLV (clv.ts), and the customer's RFM segment scored against a population
 * (diagnostics.ts's quantile rule, the scheme of segment-schemes.ts). Cheap enough for every keystroke.
 * Also the page's inputs: the population and customers to pick from (from the profiles), the default margin,
 * and the curve of P(alive) against the weeks of silence.
 */
import {expectedSpendPerPurchase, expectedTransactions} from "./value.js";
import {scoreAgainst, scoreCuts, scoreWithCuts, type ScoreCuts, type TransactionModel} from "./diagnostics.js";
import type {GammaGammaParams} from "../models/gammagamma.js";
import {PERSONAS} from "../rfm/schemes.js";
import {rescaleScheme, segmentOf, type SegmentScheme} from "../rfm/rules.js";
import {costMargins, type CustomerProfile} from "./profiles.js";
import {daysBetween, nextDay, perDistinctDate} from "../time.js";

export {scoreCuts, scoreWithCuts, type ScoreCuts};

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
  /** Null when the model gives no finite value here (see `unavailable`). */
  probabilityAlive: number | null;
  /** Expected purchases over the horizon; null when the model gives no finite value here (see `unavailable`). */
  expectedPurchases: number | null;
  /** Null without a spend model. */
  expectedSpend: number | null;
  /** Null without a spend model, or when the expected purchases are not available. */
  clv: number | null;
  /** Null, or why the model's figures are not available ("not available, because …"): never a NaN. */
  unavailable: string | null;
}

/** The form's limits: its number fields accept these and whatIfErrors refuses anything outside them. */
export const WHATIF_LIMITS: Readonly<Record<keyof WhatIfCustomer, readonly [number, number]>> = {
  frequency: [0, 1000],
  tenureWeeks: [0, 520],
  weeksSinceLast: [0, 520],
  monetary: [0, 1e7]
};

/**
 * The form's customer from the text of its fields as typed, so that an entry the field itself refuses (empty,
 * not a number, below 0, above the limit) reaches whatIfErrors instead of leaving the last valid values in place.
 * Empty or non-numeric text becomes NaN.
 */
export function whatIfFromFields(fields: Readonly<Record<keyof WhatIfCustomer, string>>): WhatIfCustomer {
  const parse = (text: string) => (text.trim() === "" ? NaN : Number(text));
  return {frequency: parse(fields.frequency), tenureWeeks: parse(fields.tenureWeeks), weeksSinceLast: parse(fields.weeksSinceLast), monetary: parse(fields.monetary)};
}

/** What is wrong with the form's values (empty when they can be evaluated). */
export function whatIfErrors({frequency, tenureWeeks, weeksSinceLast, monetary}: WhatIfCustomer): string[] {
  const errors: string[] = [];
  const within = (x: number, [min, max]: readonly [number, number]) => Number.isFinite(x) && x >= min && x <= max;
  const L = WHATIF_LIMITS;
  if (!(Number.isInteger(frequency) && within(frequency, L.frequency))) errors.push(`Repeat purchases must be a whole number from 0 to ${L.frequency[1]}.`);
  if (!within(tenureWeeks, L.tenureWeeks)) errors.push(`Weeks since the first purchase must be a number from 0 to ${L.tenureWeeks[1]}.`);
  if (!within(weeksSinceLast, L.weeksSinceLast)) errors.push(`Weeks since the last purchase must be a number from 0 to ${L.weeksSinceLast[1]}.`);
  else if (within(tenureWeeks, L.tenureWeeks) && weeksSinceLast > tenureWeeks) errors.push("The last purchase cannot be before the first: weeks since the last purchase must not exceed the weeks since the first.");
  if (!within(monetary, L.monetary)) errors.push(`The average spend per repeat purchase must be a number from 0 to ${L.monetary[1].toLocaleString("en")}.`);
  else if (frequency > 0 && !(monetary > 0)) errors.push("A customer with repeat purchases needs an average spend above 0.");
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
  if (purchases.problem) {
    const alive = purchases.probabilityAlive[0];
    return {probabilityAlive: Number.isFinite(alive) ? alive : null, expectedPurchases: null, expectedSpend, clv: null, unavailable: purchases.problem};
  }
  return {
    probabilityAlive: purchases.probabilityAlive[0],
    expectedPurchases: purchases.expectedPurchases[0],
    expectedSpend,
    clv: expectedSpend === null ? null : margin * expectedSpend * purchases.discountedPurchases[0],
    unavailable: null
  };
}

/** RFM values of the population the customer is scored against (days since last purchase, orders, revenue). */
export interface RfmPopulation {
  recencyDays: ArrayLike<number>;
  orders: ArrayLike<number>;
  revenue: ArrayLike<number>;
}

/** The population's cuts per measure (what whatIfSegment needs of it, small enough for a first view). */
export interface RfmPopulationCuts {
  recencyDays: ScoreCuts;
  orders: ScoreCuts;
  revenue: ScoreCuts;
}

export function rfmPopulationCuts(population: RfmPopulation): RfmPopulationCuts {
  return {recencyDays: scoreCuts(population.recencyDays), orders: scoreCuts(population.orders), revenue: scoreCuts(population.revenue)};
}

const isCuts = (population: RfmPopulation | RfmPopulationCuts): population is RfmPopulationCuts => "below" in population.orders;

/** The customer's R, F, M scores against the population (or its cuts) and the segment of the scheme (PERSONAS by default). */
export function whatIfSegment(
  {recencyDays, orders, revenue}: {recencyDays: number; orders: number; revenue: number},
  population: RfmPopulation | RfmPopulationCuts,
  {scheme = PERSONAS, k = 5}: {scheme?: SegmentScheme; k?: number} = {}
): {r_score: number; f_score: number; m_score: number; segment: string} {
  const score = isCuts(population)
    ? (measure: keyof RfmPopulationCuts, v: number, descending = false) => scoreWithCuts(population[measure], v, {k, descending})
    : (measure: keyof RfmPopulation, v: number, descending = false) => scoreAgainst(population[measure], v, {k, descending});
  const r_score = score("recencyDays", recencyDays, true);
  const f_score = score("orders", orders);
  const m_score = score("revenue", revenue);
  return {r_score, f_score, m_score, segment: segmentOf(rescaleScheme(scheme, k), {r_score, f_score, m_score})};
}

/** The population's RFM values as of `asOf` (the last day of the data): days since each customer's last purchase are counted from the day after. */
export function rfmPopulation(profiles: readonly Pick<CustomerProfile, "last_purchase" | "orders" | "revenue">[], {asOf}: {asOf: string}): RfmPopulation {
  const analysisDate = nextDay(asOf);
  const recencyDays = perDistinctDate((last) => daysBetween(last, analysisDate));
  return {
    recencyDays: profiles.map((p) => recencyDays(p.last_purchase)),
    orders: profiles.map((p) => p.orders),
    revenue: profiles.map((p) => p.revenue)
  };
}

/** The RFM values of the form's customer: a picked customer's own orders and revenue, else estimated as purchases × average spend. */
export function whatIfRfmValues(customer: WhatIfCustomer, picked: {orders: number; revenue: number} | null = null): {recencyDays: number; orders: number; revenue: number} {
  return {
    recencyDays: Math.round(customer.weeksSinceLast * 7) + 1,
    orders: picked ? picked.orders : customer.frequency + 1,
    revenue: picked ? picked.revenue : (customer.frequency + 1) * customer.monetary
  };
}

/** The default margin of the form: the mean of the customers' cost-column margins, or `fallback` without a cost column. */
export function defaultMargin(profiles: readonly Pick<CustomerProfile, "revenue" | "cost">[], {hasCost, fallback = 0.3}: {hasCost: boolean; fallback?: number}): number {
  if (!hasCost || profiles.length === 0) return fallback;
  const margins = costMargins(profiles);
  return margins.reduce((a, b) => a + b, 0) / margins.length;
}

/** A customer the form can be filled from: their history at the end of the data, in weeks rounded to 0.1, spend to cents. */
export interface PickableCustomer {
  customer_id: string;
  repeat_purchases: number;
  weeks_since_first: number;
  weeks_since_last: number;
  average_spend: number;
  orders: number;
  revenue: number;
  region: string | null;
  /** The learned model's optional features, when the profile has them. */
  customer_segment?: string | null;
  top_category?: string | null;
  partner_share?: number | null;
}

/** The customers the form can be filled from, aligned with the profiles. */
export function pickableCustomers(
  profiles: readonly (Pick<CustomerProfile, "customer_id" | "orders" | "revenue" | "region"> & Partial<Pick<CustomerProfile, "customer_segment" | "top_category" | "partner_share">>)[],
  summaries: {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>; monetary: ArrayLike<number>}
): PickableCustomer[] {
  const tenth = (x: number) => Math.round(10 * x) / 10;
  return profiles.map((p, i) => {
    const customer: PickableCustomer = {
      customer_id: p.customer_id,
      repeat_purchases: summaries.frequency[i],
      weeks_since_first: tenth(summaries.T[i]),
      weeks_since_last: tenth(summaries.T[i] - summaries.recency[i]),
      average_spend: Math.round(100 * summaries.monetary[i]) / 100,
      orders: p.orders,
      revenue: p.revenue,
      region: p.region ?? null
    };
    // The optional features only when the profile has them (no temporary object per customer to spread).
    if (p.customer_segment !== undefined) customer.customer_segment = p.customer_segment;
    if (p.top_category !== undefined) customer.top_category = p.top_category;
    if (p.partner_share !== undefined) customer.partner_share = p.partner_share;
    return customer;
  });
}

/**
 * P(alive) of the same customer had the last purchase been `weeks` ago, for `weeks` from 0 to the tenure
 * (tenure and purchases unchanged): `points` points of the curve. A customer without repeat purchases has
 * recency 0 whatever the silence.
 */
export function silenceCurve(
  customer: Pick<WhatIfCustomer, "frequency" | "tenureWeeks">,
  probabilityAlive: (frequency: number, recency: number, T: number) => number,
  {points = 101}: {points?: number} = {}
): {weeks: number; probabilityAlive: number}[] {
  if (!(Number.isInteger(points) && points >= 2)) throw new Error(`silenceCurve: points must be an integer ≥ 2, got ${points}`);
  const {frequency, tenureWeeks} = customer;
  return Array.from({length: points}, (_, i) => {
    const weeks = (i / (points - 1)) * tenureWeeks;
    const recency = frequency === 0 ? 0 : tenureWeeks - weeks;
    return {weeks, probabilityAlive: probabilityAlive(frequency, recency, tenureWeeks)};
  });
}
