/**
 * Acquisition budget: what a customer has been worth, how much one may spend to acquire the next, and how
 * fast that spend comes back. The classic formula, CLV = revenue − cost to acquire − cost to serve, is the
 * default: no cost of goods is taken off unless asked for (a `margin` rate, or each customer's `cost` with
 * `useCost`).
 *
 * Definitions, per customer (all money in the data's currency):
 *
 *   gross margin     = revenue                           by default (the classic formula),
 *                      margin × revenue                  when the `margin` rate is given,
 *                      revenue − cost                    with `useCost` (the customer's cost of goods);
 *   cost to serve    = costToServe × orders             (fulfilment, support: a cost per order);
 *   contribution     = gross margin − cost to serve      (the value so far, before acquisition cost);
 *   CAC              = the customer's own acquisition cost (the `cacColumn` field) when it has one, else
 *                      the CAC of its group (`cacByGroup`, budgetByGroup only), else `cac`;
 *   historical CLV   = contribution − CAC               (what the customer has been worth, net);
 *   affordable CAC   = max(0, contribution / target)    (the most one may pay to acquire a customer like
 *                                                         this one and still meet an LTV:CAC of target:1);
 *   tenure (months)  = max(1, (asOf − first purchase) in days / 30.4375)   (a month is 365.25 / 12 days;
 *                                                         at least one month, so that a customer acquired
 *                                                         last week is not credited four months' margin per
 *                                                         month);
 *   monthly margin   = contribution / tenure            (contribution per month);
 *   payback (months) = CAC / monthly margin             (months of margin needed to earn back the CAC);
 *                      0 when CAC = 0; Infinity ("never") when monthly margin ≤ 0 and CAC > 0.
 *
 * Worked example: margin 0.4, cost to serve 8 per order, CAC 60, target 3; a customer with revenue 1,000
 * over 5 orders, first purchase 2023-01-01, asOf 2023-12-31 (364 days = 11.959 months):
 *   gross margin 0.4 × 1,000 = 400; cost to serve 8 × 5 = 40; contribution 360; historical CLV 360 − 60 = 300;
 *   affordable CAC 360 / 3 = 120; monthly margin 360 / 11.959 = 30.10; payback 60 / 30.10 = 1.99 months.
 * With the classic default (no margin) the same customer has contribution 1,000 − 40 = 960.
 *
 * Groups (`budgetByGroup`), over the group's n customers:
 *   CAC              = mean of the customers' CAC;
 *   predicted CLV    = mean of the predicted CLVs given (`predicted`: the future contribution over the
 *                      horizon, discounted, less the cost of serving the expected orders), null when none;
 *   LTV              = mean contribution + predicted CLV (the value so far and still to come; the mean
 *                      contribution alone without a prediction);
 *   LTV:CAC          = LTV / CAC (null when CAC is 0);
 *   affordable CAC   = max(0, LTV / target);
 *   span (months)    = mean tenure + horizonMonths (mean tenure alone without a prediction);
 *   monthly margin   = LTV / span;  payback = CAC / monthly margin, with the 0 / Infinity rules above.
 * Example: two customers with contributions 360 and 60, tenures 12 and 6 months, predicted CLVs 100 and 20,
 * horizon 12, CAC 60 each, target 3: LTV (360 + 60) / 2 + (100 + 20) / 2 = 270; LTV:CAC 4.5; affordable
 * CAC 90; span 9 + 12 = 21 months; monthly margin 270 / 21 = 12.857; payback 60 / 12.857 = 4.667 months.
 *
 * Intervals (`budgetIntervals`): every group figure above is a monotone function of the group's summed
 * predicted CLV, so the bootstrap interval of that sum (over refits, lib/clv/intervals.ts) maps onto an
 * interval of each figure: the low end of LTV, LTV:CAC and affordable CAC and the high end of payback come
 * from the low end of the sum.
 */
import {DAYS_PER_MONTH, dayNumber, isoDay} from "../time.js";
import {percentileInterval, type Interval} from "../fit/bootstrap.js";

/** One customer's history, as the budget needs it. Extra fields (region, segment, …) can be group keys. */
export interface BudgetCustomer {
  customer_id: string;
  /** Total revenue of the customer's orders. */
  revenue: number;
  /** Number of orders. */
  orders: number;
  /** Total cost of goods of those orders; needed with `useCost`. */
  cost?: number | null;
  /** First purchase date, YYYY-MM-DD. */
  first_purchase: string;
  /** Last purchase date, YYYY-MM-DD; only used to find the default `asOf`. */
  last_purchase?: string | null;
  [field: string]: unknown;
}

export interface BudgetOptions {
  /** Gross margin rate in [0, 1]; by default none (revenue counts in full). */
  margin?: number;
  /** Take each customer's `cost` (cost of goods) off their revenue (not with `margin`). */
  useCost?: boolean;
  /** Cost to serve per order. */
  costToServe?: number;
  /** Cost to acquire one customer (the default when a customer has no CAC of its own or of its group). */
  cac?: number;
  /** A field of the customers that holds each one's acquisition cost (a missing or bad value: the default). */
  cacColumn?: string;
  /** LTV:CAC target, as the LTV multiple of CAC (3 for 3:1). */
  target?: number;
  /** End of the observation period, YYYY-MM-DD; by default the latest purchase date in the data. */
  asOf?: string;
}

/** The budget figures of one customer (see the module comment for the formulas). */
export interface CustomerBudget {
  customer_id: string;
  revenue: number;
  orders: number;
  cac: number;
  grossMargin: number;
  serviceCost: number;
  contribution: number;
  historicalClv: number;
  affordableCac: number;
  tenureMonths: number;
  monthlyMargin: number;
  /** Infinity when the customer never pays back the CAC. */
  paybackMonths: number;
}

/** Historical CLV, affordable CAC and payback of every customer, in input order. */
export function customerBudgets(customers: readonly BudgetCustomer[], options: BudgetOptions = {}, groupCac?: (i: number) => number | undefined): CustomerBudget[] {
  if (!Array.isArray(customers)) throw new Error(`customerBudgets: customers must be an array, got ${typeof customers}`);
  const {margin, useCost, costToServe, cac: defaultCac, target, asOf} = checkOptions(customers, options, "customerBudgets");
  const {cacColumn} = options;
  // A first-purchase date's day, parsed once per distinct date (a million customers share a few thousand).
  const days = new Map<string, number>();
  return customers.map((c, i) => {
    if (c == null || typeof c !== "object") throw new Error(`customerBudgets: customers[${i}] is ${c}, not an object`);
    // Written only into an error message (a string per customer was a large part of the work on millions).
    const who = {toString: () => `customer ${JSON.stringify(c.customer_id)}`};
    if (!Number.isFinite(c.revenue)) throw new Error(`customerBudgets: ${who} has revenue ${c.revenue}, not a finite number`);
    if (!(Number.isFinite(c.orders) && c.orders >= 0)) {
      throw new Error(`customerBudgets: ${who} has orders ${c.orders}, not a non-negative number`);
    }
    let grossMargin: number;
    if (margin !== undefined) grossMargin = margin * c.revenue;
    else if (!useCost) grossMargin = c.revenue;
    else if (typeof c.cost === "number" && Number.isFinite(c.cost)) grossMargin = c.revenue - c.cost;
    else throw new Error(`customerBudgets: ${who} has cost ${c.cost}; with useCost every customer needs a cost (or pass a margin rate)`);
    const own = cacColumn === undefined ? undefined : c[cacColumn];
    const cac = typeof own === "number" && Number.isFinite(own) && own >= 0 ? own : groupCac?.(i) ?? defaultCac;
    const serviceCost = costToServe * c.orders;
    const contribution = grossMargin - serviceCost;
    let first = days.get(c.first_purchase);
    if (first === undefined) days.set(c.first_purchase, (first = dayOf(c.first_purchase, `customerBudgets: ${who} first_purchase`)));
    if (first > asOf) {
      throw new Error(`customerBudgets: ${who} first_purchase ${c.first_purchase} is after asOf ${isoDay(asOf)}`);
    }
    const tenureMonths = Math.max(1, (asOf - first) / DAYS_PER_MONTH);
    const monthlyMargin = contribution / tenureMonths;
    return {
      customer_id: c.customer_id,
      revenue: c.revenue,
      orders: c.orders,
      cac,
      grossMargin,
      serviceCost,
      contribution,
      historicalClv: contribution - cac,
      affordableCac: Math.max(0, contribution / target),
      tenureMonths,
      monthlyMargin,
      paybackMonths: payback(cac, monthlyMargin)
    };
  });
}

/** Months to earn back `cac` at `monthlyMargin` a month: 0 without CAC, Infinity without positive margin. */
export function payback(cac: number, monthlyMargin: number): number {
  if (!(Number.isFinite(cac) && cac >= 0)) throw new Error(`payback: cac must be a non-negative number, got ${cac}`);
  if (Number.isNaN(monthlyMargin)) throw new Error(`payback: monthlyMargin is NaN`);
  if (cac === 0) return 0;
  return monthlyMargin > 0 ? cac / monthlyMargin : Infinity;
}

/** A payback period as text: "never" for Infinity, otherwise e.g. "2.0 months" or "1 month". */
export function formatPayback(months: number | null, {digits = 1}: {digits?: number} = {}): string {
  if (months === null || Number.isNaN(months)) return "–";
  if (months === Infinity) return "never";
  const text = months.toFixed(digits);
  return `${text} ${Number(text) === 1 ? "month" : "months"}`;
}

/** The budget summary of a group of customers. Means are null for an empty group. */
export interface BudgetGroup {
  group: string;
  customers: number;
  revenue: number;
  /** Mean CAC of the group's customers; null for an empty group. */
  cac: number | null;
  meanHistoricalClv: number | null;
  /** Mean of the predicted CLVs given for this group's customers; null when none was given. */
  meanPredictedClv: number | null;
  /** Customers of the group that have a predicted CLV. */
  predictedCustomers: number;
  meanContribution: number | null;
  /** Mean contribution + predicted CLV (the mean contribution without a prediction). */
  ltv: number | null;
  /** LTV ÷ CAC; null when the CAC is 0 or the group empty. */
  ltvToCac: number | null;
  affordableCac: number | null;
  /** Mean tenure, plus the horizon when there is a prediction. */
  spanMonths: number | null;
  /** LTV ÷ span. */
  meanMonthlyMargin: number | null;
  /** Infinity when the group never pays back the CAC; null for an empty group. */
  paybackMonths: number | null;
}

export interface BudgetGroupOptions extends BudgetOptions {
  /** Grouping: a field of the customer (e.g. "region") or a function; missing values group as "(missing)". */
  key?: string | ((customer: BudgetCustomer) => string | null | undefined);
  /** Predicted CLV by customer id (e.g. from the BG/NBD + Gamma-Gamma or the learned model). */
  predicted?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Months the predicted CLV covers (added to the span of a group with predictions; default 12). */
  horizonMonths?: number;
  /** CAC by group label, for the customers without a CAC of their own (others: `cac`). */
  cacByGroup?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

/** The label of missing group values. */
export const MISSING_GROUP = "(missing)";

/**
 * Budget summaries by group (see the module comment), sorted by group label; an empty input gives [].
 * Without `key`, all customers form one group "All".
 */
export function budgetByGroup(customers: readonly BudgetCustomer[], options: BudgetGroupOptions = {}): BudgetGroup[] {
  const {key, predicted, horizonMonths = 12, cacByGroup, ...budgetOptions} = options;
  if (!Array.isArray(customers)) throw new Error(`budgetByGroup: customers must be an array, got ${typeof customers}`);
  if (key !== undefined && typeof key !== "string" && typeof key !== "function") {
    throw new Error(`budgetByGroup: key must be a field name or a function, got ${typeof key}`);
  }
  const {target} = checkOptions(customers, budgetOptions, "budgetByGroup");
  checkHorizon(horizonMonths, "budgetByGroup");
  const groups = new Map<string, number[]>();
  const labels = customers.map((c, i) => {
    const raw = key === undefined ? "All" : typeof key === "function" ? key(c) : c[key];
    const label = raw == null || raw === "" ? MISSING_GROUP : String(raw);
    let members = groups.get(label);
    if (!members) groups.set(label, (members = []));
    members.push(i);
    return label;
  });
  const groupCac = cacLookup(cacByGroup);
  const budgets = customerBudgets(customers, budgetOptions, groupCac ? (i) => groupCac(labels[i]) : undefined);
  const lookup = predictedLookup(predicted);
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((label) => summarize(label, groups.get(label)!.map((i) => budgets[i]), lookup, target, horizonMonths));
}

/** All customers as one group "All"; with no customers, counts are 0 and means null. */
export function budgetSummary(
  customers: readonly BudgetCustomer[],
  options: Omit<BudgetGroupOptions, "key"> = {}
): BudgetGroup {
  const {predicted, horizonMonths = 12, ...budgetOptions} = options;
  const {target} = checkOptions(customers, budgetOptions, "budgetSummary");
  checkHorizon(horizonMonths, "budgetSummary");
  return summarize("All", customerBudgets(customers, budgetOptions), predictedLookup(predicted), target, horizonMonths);
}

/** The acquisition cohort of a first-purchase date: "2023-04" (month), "2023-Q2" (quarter) or "2023" (year). */
export function acquisitionCohort(firstPurchase: string, {unit = "month"}: {unit?: "month" | "quarter" | "year"} = {}): string {
  const day = isoDay(dayOf(firstPurchase, "acquisitionCohort: firstPurchase"));
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  switch (unit) {
    case "month":
      return day.slice(0, 7);
    case "quarter":
      return `${year}-Q${Math.ceil(month / 3)}`;
    case "year":
      return year;
    default:
      throw new Error(`acquisitionCohort: unit must be "month", "quarter" or "year", got ${JSON.stringify(unit)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------

function summarize(
  group: string,
  members: readonly CustomerBudget[],
  predicted: ((id: string) => number | undefined) | null,
  target: number,
  horizonMonths: number
): BudgetGroup {
  const n = members.length;
  let revenue = 0;
  let clv = 0;
  let contribution = 0;
  let tenure = 0;
  let cacSum = 0;
  let predictedSum = 0;
  let predictedCount = 0;
  for (const m of members) {
    revenue += m.revenue;
    clv += m.historicalClv;
    contribution += m.contribution;
    tenure += m.tenureMonths;
    cacSum += m.cac;
    const p = predicted?.(m.customer_id);
    if (p !== undefined) {
      predictedSum += p;
      predictedCount += 1;
    }
  }
  if (!n) {
    const none = {cac: null, meanHistoricalClv: null, meanContribution: null, ltv: null, ltvToCac: null, affordableCac: null, spanMonths: null, meanMonthlyMargin: null, paybackMonths: null};
    return {group, customers: 0, revenue, meanPredictedClv: null, predictedCustomers: 0, ...none};
  }
  const meanPredictedClv = predictedCount ? predictedSum / predictedCount : null;
  const spanMonths = tenure / n + (meanPredictedClv === null ? 0 : horizonMonths);
  return {
    group,
    customers: n,
    revenue,
    meanHistoricalClv: clv / n,
    meanPredictedClv,
    predictedCustomers: predictedCount,
    meanContribution: contribution / n,
    ...groupFigures(contribution / n, meanPredictedClv, cacSum / n, spanMonths, target)
  };
}

/** The figures of a group that follow from its mean contribution and predicted CLV (module comment). */
function groupFigures(meanContribution: number, meanPredictedClv: number | null, cac: number, spanMonths: number, target: number) {
  const ltv = meanContribution + (meanPredictedClv ?? 0);
  const meanMonthlyMargin = ltv / spanMonths;
  return {
    cac,
    ltv,
    ltvToCac: cac > 0 ? ltv / cac : null,
    affordableCac: Math.max(0, ltv / target),
    spanMonths,
    meanMonthlyMargin,
    paybackMonths: payback(cac, meanMonthlyMargin)
  };
}

/** Bootstrap intervals of a group's figures (module comment). */
export interface BudgetIntervals {
  level: number;
  meanPredictedClv: Interval;
  ltv: Interval;
  /** [NaN, NaN] when the CAC is 0. */
  ltvToCac: Interval;
  affordableCac: Interval;
  /** Low end first; the high end is Infinity when the low LTV does not pay the CAC back. */
  paybackMonths: Interval;
}

/**
 * The intervals of a group's figures from its predicted CLV summed over the group's customers in each refit
 * (intervals.ts groupContributions); null for a group without predictions.
 */
export function budgetIntervals(group: BudgetGroup, predictedSums: ArrayLike<number>, {level = 0.9, target = 3}: {level?: number; target?: number} = {}): BudgetIntervals | null {
  if (!(level > 0 && level < 1)) throw new Error(`budgetIntervals: level must be between 0 and 1, got ${level}`);
  if (!(Number.isFinite(target) && target > 0)) throw new Error(`budgetIntervals: target must be a positive number, got ${target}`);
  if (!group.predictedCustomers || group.meanContribution === null || group.cac === null || group.spanMonths === null) return null;
  const [low, high] = percentileInterval(predictedSums, level);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  const at = (sum: number) => groupFigures(group.meanContribution!, sum / group.predictedCustomers, group.cac!, group.spanMonths!, target);
  const a = at(low);
  const b = at(high);
  return {
    level,
    meanPredictedClv: [low / group.predictedCustomers, high / group.predictedCustomers],
    ltv: [a.ltv, b.ltv],
    ltvToCac: a.ltvToCac === null || b.ltvToCac === null ? [NaN, NaN] : [a.ltvToCac, b.ltvToCac],
    affordableCac: [a.affordableCac, b.affordableCac],
    paybackMonths: [b.paybackMonths, a.paybackMonths]
  };
}

function checkHorizon(horizonMonths: number, caller: string): void {
  if (!(Number.isFinite(horizonMonths) && horizonMonths >= 0)) throw new Error(`${caller}: horizonMonths must be a non-negative number, got ${horizonMonths}`);
}

function cacLookup(byGroup: ReadonlyMap<string, number> | Readonly<Record<string, number>> | undefined): ((label: string) => number | undefined) | null {
  if (byGroup == null) return null;
  const get =
    byGroup instanceof Map
      ? (label: string) => (byGroup as ReadonlyMap<string, number>).get(label)
      : (label: string) => (Object.prototype.hasOwnProperty.call(byGroup, label) ? (byGroup as Record<string, number>)[label] : undefined);
  return (label) => {
    const v = get(label);
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new Error(`budget: the CAC of group ${JSON.stringify(label)} must be a non-negative number, got ${v}`);
    return v;
  };
}

function predictedLookup(
  predicted: ReadonlyMap<string, number> | Readonly<Record<string, number>> | undefined
): ((id: string) => number | undefined) | null {
  if (predicted == null) return null;
  const get =
    predicted instanceof Map
      ? (id: string) => (predicted as ReadonlyMap<string, number>).get(id)
      : (id: string) => (Object.prototype.hasOwnProperty.call(predicted, id) ? (predicted as Record<string, number>)[id] : undefined);
  return (id) => {
    const v = get(id);
    if (v !== undefined && !Number.isFinite(v)) throw new Error(`budget: predicted CLV of customer ${JSON.stringify(id)} is ${v}`);
    return v;
  };
}

function checkOptions(
  customers: readonly BudgetCustomer[],
  {margin, useCost = false, costToServe = 0, cac = 0, target = 3, asOf}: BudgetOptions,
  caller: string
): {margin: number | undefined; useCost: boolean; costToServe: number; cac: number; target: number; asOf: number} {
  if (!Array.isArray(customers)) throw new Error(`${caller}: customers must be an array, got ${typeof customers}`);
  if (margin !== undefined && !(Number.isFinite(margin) && margin >= 0 && margin <= 1)) {
    throw new Error(`${caller}: margin must be a rate between 0 and 1, got ${margin}`);
  }
  if (!(Number.isFinite(costToServe) && costToServe >= 0)) {
    throw new Error(`${caller}: costToServe must be a non-negative number, got ${costToServe}`);
  }
  if (!(Number.isFinite(cac) && cac >= 0)) throw new Error(`${caller}: cac must be a non-negative number, got ${cac}`);
  if (!(Number.isFinite(target) && target > 0)) throw new Error(`${caller}: target must be a positive number, got ${target}`);
  let end: number;
  if (asOf !== undefined) end = dayOf(asOf, `${caller}: asOf`);
  else {
    end = -Infinity;
    for (const c of customers) {
      const last = c?.last_purchase ?? c?.first_purchase;
      if (typeof last === "string") end = Math.max(end, dayOf(last, `${caller}: customer ${JSON.stringify(c.customer_id)} last_purchase`));
    }
  }
  return {margin, useCost, costToServe, cac, target, asOf: end};
}

/** The day number of a date or timestamp string's "YYYY-MM-DD" day; throws naming `what` otherwise. */
function dayOf(iso: string, what: string): number {
  return dayNumber(typeof iso === "string" ? iso.slice(0, 10) : iso, what);
}
