/**
 * Acquisition budget: what a customer has been worth, how much one may spend to acquire the next, and how
 * fast that spend comes back.
 *
 * Definitions, per customer (all money in the data's currency):
 *
 *   gross margin     = margin × revenue                 when the `margin` rate is given,
 *                      revenue − cost                    otherwise (the customer's cost of goods);
 *   cost to serve    = costToServe × orders             (fulfilment, support: a cost per order);
 *   contribution     = gross margin − cost to serve      (the value before acquisition cost, the "LTV" of
 *                                                         an LTV:CAC ratio);
 *   historical CLV   = contribution − cac               (what the customer has been worth, net);
 *   affordable CAC   = max(0, contribution / target)    (the most one may pay to acquire a customer like
 *                                                         this one and still meet an LTV:CAC of target:1);
 *   tenure (months)  = max(1, (asOf − first purchase) in days / 30.4375)   (a month is 365.25 / 12 days;
 *                                                         at least one month, so that a customer acquired
 *                                                         last week is not credited four months' margin per
 *                                                         month);
 *   monthly margin   = contribution / tenure            (gross margin per month, after cost to serve);
 *   payback (months) = cac / monthly margin             (months of margin needed to earn back the CAC);
 *                      0 when cac = 0; Infinity ("never") when monthly margin ≤ 0 and cac > 0.
 *
 * Worked example: margin 0.4, cost to serve 8 per order, CAC 60, target 3; a customer with revenue 1,000
 * over 5 orders, first purchase 2023-01-01, asOf 2023-12-31 (364 days = 11.959 months):
 *   gross margin 0.4 × 1,000 = 400; cost to serve 8 × 5 = 40; contribution 360; historical CLV 360 − 60 = 300;
 *   affordable CAC 360 / 3 = 120; monthly margin 360 / 11.959 = 30.10; payback 60 / 30.10 = 1.99 months.
 *
 * Groups (`budgetByGroup`): customers, mean historical CLV, mean predicted CLV (of the customers that have a
 * prediction), mean contribution, affordable CAC = max(0, mean contribution / target), and payback = cac /
 * mean monthly margin, with the same 0 / Infinity rules. A group of two customers with contributions 360 and
 * 60 and monthly margins 30 and 10 has affordable CAC (360 + 60) / 2 / 3 = 70 and, with CAC 60, payback
 * 60 / 20 = 3 months.
 */
import {DAYS_PER_MONTH, dayNumber, isoDay} from "../time.js";

/** One customer's history, as the budget needs it. Extra fields (region, segment, …) can be group keys. */
export interface BudgetCustomer {
  customer_id: string;
  /** Total revenue of the customer's orders. */
  revenue: number;
  /** Number of orders. */
  orders: number;
  /** Total cost of goods of those orders; needed unless a `margin` rate is given. */
  cost?: number | null;
  /** First purchase date, YYYY-MM-DD. */
  first_purchase: string;
  /** Last purchase date, YYYY-MM-DD; only used to find the default `asOf`. */
  last_purchase?: string | null;
  [field: string]: unknown;
}

export interface BudgetOptions {
  /** Gross margin rate in [0, 1]; when set it replaces each customer's cost. */
  margin?: number;
  /** Cost to serve per order. */
  costToServe?: number;
  /** Cost to acquire one customer. */
  cac?: number;
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
export function customerBudgets(customers: readonly BudgetCustomer[], options: BudgetOptions = {}): CustomerBudget[] {
  if (!Array.isArray(customers)) throw new Error(`customerBudgets: customers must be an array, got ${typeof customers}`);
  const {margin, costToServe, cac, target, asOf} = checkOptions(customers, options, "customerBudgets");
  return customers.map((c, i) => {
    if (c == null || typeof c !== "object") throw new Error(`customerBudgets: customers[${i}] is ${c}, not an object`);
    const who = `customer ${JSON.stringify(c.customer_id)}`;
    if (!Number.isFinite(c.revenue)) throw new Error(`customerBudgets: ${who} has revenue ${c.revenue}, not a finite number`);
    if (!(Number.isFinite(c.orders) && c.orders >= 0)) {
      throw new Error(`customerBudgets: ${who} has orders ${c.orders}, not a non-negative number`);
    }
    let grossMargin: number;
    if (margin !== undefined) grossMargin = margin * c.revenue;
    else if (typeof c.cost === "number" && Number.isFinite(c.cost)) grossMargin = c.revenue - c.cost;
    else throw new Error(`customerBudgets: ${who} has cost ${c.cost} and no margin rate was given; pass {margin} or a cost per customer`);
    const serviceCost = costToServe * c.orders;
    const contribution = grossMargin - serviceCost;
    const first = dayOf(c.first_purchase, `customerBudgets: ${who} first_purchase`);
    if (first > asOf) {
      throw new Error(`customerBudgets: ${who} first_purchase ${c.first_purchase} is after asOf ${isoDay(asOf)}`);
    }
    const tenureMonths = Math.max(1, (asOf - first) / DAYS_PER_MONTH);
    const monthlyMargin = contribution / tenureMonths;
    return {
      customer_id: c.customer_id,
      revenue: c.revenue,
      orders: c.orders,
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
  meanHistoricalClv: number | null;
  /** Mean of the predicted CLVs given for this group's customers; null when none was given. */
  meanPredictedClv: number | null;
  /** Customers of the group that have a predicted CLV. */
  predictedCustomers: number;
  meanContribution: number | null;
  affordableCac: number | null;
  meanMonthlyMargin: number | null;
  /** Infinity when the group never pays back the CAC; null for an empty group. */
  paybackMonths: number | null;
}

export interface BudgetGroupOptions extends BudgetOptions {
  /** Grouping: a field of the customer (e.g. "region") or a function; missing values group as "(missing)". */
  key?: string | ((customer: BudgetCustomer) => string | null | undefined);
  /** Predicted CLV by customer id (e.g. from the BG/NBD + Gamma-Gamma or the learned model). */
  predicted?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

/** The label of missing group values. */
export const MISSING_GROUP = "(missing)";

/**
 * Budget summaries by group (see the module comment), sorted by group label; an empty input gives [].
 * Without `key`, all customers form one group "All".
 */
export function budgetByGroup(customers: readonly BudgetCustomer[], options: BudgetGroupOptions = {}): BudgetGroup[] {
  const {key, predicted, ...budgetOptions} = options;
  if (!Array.isArray(customers)) throw new Error(`budgetByGroup: customers must be an array, got ${typeof customers}`);
  if (key !== undefined && typeof key !== "string" && typeof key !== "function") {
    throw new Error(`budgetByGroup: key must be a field name or a function, got ${typeof key}`);
  }
  const {cac, target} = checkOptions(customers, budgetOptions, "budgetByGroup");
  const budgets = customerBudgets(customers, budgetOptions);
  const lookup = predictedLookup(predicted);
  const groups = new Map<string, number[]>();
  customers.forEach((c, i) => {
    const raw = key === undefined ? "All" : typeof key === "function" ? key(c) : c[key];
    const label = raw == null || raw === "" ? MISSING_GROUP : String(raw);
    let members = groups.get(label);
    if (!members) groups.set(label, (members = []));
    members.push(i);
  });
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((label) => summarize(label, groups.get(label)!.map((i) => budgets[i]), lookup, cac, target));
}

/** All customers as one group "All"; with no customers, counts are 0 and means null. */
export function budgetSummary(
  customers: readonly BudgetCustomer[],
  options: Omit<BudgetGroupOptions, "key"> = {}
): BudgetGroup {
  const {predicted, ...budgetOptions} = options;
  const {cac, target} = checkOptions(customers, budgetOptions, "budgetSummary");
  return summarize("All", customerBudgets(customers, budgetOptions), predictedLookup(predicted), cac, target);
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
  cac: number,
  target: number
): BudgetGroup {
  const n = members.length;
  let revenue = 0;
  let clv = 0;
  let contribution = 0;
  let monthly = 0;
  let predictedSum = 0;
  let predictedCount = 0;
  for (const m of members) {
    revenue += m.revenue;
    clv += m.historicalClv;
    contribution += m.contribution;
    monthly += m.monthlyMargin;
    const p = predicted?.(m.customer_id);
    if (p !== undefined) {
      predictedSum += p;
      predictedCount += 1;
    }
  }
  const meanContribution = n ? contribution / n : null;
  const meanMonthlyMargin = n ? monthly / n : null;
  return {
    group,
    customers: n,
    revenue,
    meanHistoricalClv: n ? clv / n : null,
    meanPredictedClv: predictedCount ? predictedSum / predictedCount : null,
    predictedCustomers: predictedCount,
    meanContribution,
    affordableCac: meanContribution === null ? null : Math.max(0, meanContribution / target),
    meanMonthlyMargin,
    paybackMonths: meanMonthlyMargin === null ? null : payback(cac, meanMonthlyMargin)
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
  {margin, costToServe = 0, cac = 0, target = 3, asOf}: BudgetOptions,
  caller: string
): {margin: number | undefined; costToServe: number; cac: number; target: number; asOf: number} {
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
  return {margin, costToServe, cac, target, asOf: end};
}

/** The day number of a date or timestamp string's "YYYY-MM-DD" day; throws naming `what` otherwise. */
function dayOf(iso: string, what: string): number {
  return dayNumber(typeof iso === "string" ? iso.slice(0, 10) : iso, what);
}
