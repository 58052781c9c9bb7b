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
 *
 * Computation: every per-customer figure is computed once per call, as a column (budgetColumns, which reads the
 * customers through BudgetRows whatever their layout), and a grouping's figures from sums by integer group code
 * in one pass over the customers (budgetGroups); customerBudgets, budgetByGroup, budgetSummary and the budget
 * page (budgetView.ts budgetPageFigures, on the codes of budgetGroupings) all go through these two.
 */
import {DAYS_PER_MONTH, dayNumber, isoDay, perDistinctDate} from "../time.js";
import {percentileInterval, type Interval} from "../fit/quantiles.js";
import {groupCodes, MISSING} from "./groups.js";

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
  const columns = budgetColumns(customerRows(customers, options.cacColumn, groupCac), options, "customerBudgets");
  const {grossMargin, serviceCost, contribution, cac, tenureMonths, target} = columns;
  const budgets: CustomerBudget[] = new Array(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i];
    const monthlyMargin = contribution[i] / tenureMonths[i];
    budgets[i] = {
      customer_id: c.customer_id,
      revenue: c.revenue,
      orders: c.orders,
      cac: cac[i],
      grossMargin: grossMargin[i],
      serviceCost: serviceCost[i],
      contribution: contribution[i],
      historicalClv: historicalClv(contribution[i], cac[i]),
      affordableCac: Math.max(0, contribution[i] / target),
      tenureMonths: tenureMonths[i],
      monthlyMargin,
      paybackMonths: payback(cac[i], monthlyMargin)
    };
  }
  return budgets;
}

/**
 * The customers as the budget reads them, one at a time by index (budgetColumns), so that any layout of the
 * customers (objects, columns) gives the same figures without a copy per customer.
 */
export interface BudgetRows {
  length: number;
  /** Read first of each customer. */
  revenue(i: number): number;
  orders(i: number): number;
  /** Cost of goods; read only with `useCost`. */
  cost(i: number): unknown;
  /** YYYY-MM-DD (a timestamp's day counts). */
  firstPurchase(i: number): string;
  /** The latest purchase, for the default `asOf` (read only without `asOf`); not a string: none. */
  lastPurchase(i: number): unknown;
  /** The customer's own or group CAC; anything but a non-negative number: the default `cac`. */
  cac(i: number): unknown;
  /** The customer in an error message, e.g. `customer "c1"` (called only to write one). */
  name(i: number): string;
}

/** The budget figures of every customer as columns (module comment), and the checked options they come from. */
export interface BudgetColumns {
  length: number;
  revenue: Float64Array;
  grossMargin: Float64Array;
  serviceCost: Float64Array;
  contribution: Float64Array;
  cac: Float64Array;
  tenureMonths: Float64Array;
  target: number;
}

/**
 * The per-customer figures of the module comment, one column each (the core of customerBudgets, budgetByGroup,
 * budgetSummary and the budget page): a first-purchase date is parsed once per distinct date. Bad options
 * throw naming `caller`, bad customers naming customerBudgets (as they always have).
 */
export function budgetColumns(rows: BudgetRows, options: BudgetOptions, caller: string): BudgetColumns {
  const {margin, useCost, costToServe, cac: defaultCac, target, asOf} = checkOptions(rows, options, caller);
  const n = rows.length;
  const revenue = new Float64Array(n);
  const grossMargin = new Float64Array(n);
  const serviceCost = new Float64Array(n);
  const contribution = new Float64Array(n);
  const cac = new Float64Array(n);
  const tenureMonths = new Float64Array(n);
  // A first-purchase date's day, parsed once per distinct date (a million customers share a few thousand).
  let at = 0; // the customer whose date is parsed, for the message
  const firstDay = perDistinctDate((day) => dayOf(day, `customerBudgets: ${rows.name(at)} first_purchase`));
  for (let i = 0; i < n; i++) {
    const r = rows.revenue(i);
    if (!Number.isFinite(r)) throw new Error(`customerBudgets: ${rows.name(i)} has revenue ${r}, not a finite number`);
    const orders = rows.orders(i);
    if (!(Number.isFinite(orders) && orders >= 0)) throw new Error(`customerBudgets: ${rows.name(i)} has orders ${orders}, not a non-negative number`);
    let gross: number;
    if (margin !== undefined) gross = margin * r;
    else if (!useCost) gross = r;
    else {
      const cost = rows.cost(i);
      if (!(typeof cost === "number" && Number.isFinite(cost))) {
        throw new Error(`customerBudgets: ${rows.name(i)} has cost ${cost}; with useCost every customer needs a cost (or pass a margin rate)`);
      }
      gross = r - cost;
    }
    const own = rows.cac(i);
    const firstPurchase = rows.firstPurchase(i);
    at = i;
    const first = firstDay(firstPurchase);
    if (first > asOf) throw new Error(`customerBudgets: ${rows.name(i)} first_purchase ${firstPurchase} is after asOf ${isoDay(asOf)}`);
    revenue[i] = r;
    grossMargin[i] = gross;
    serviceCost[i] = costToServe * orders;
    contribution[i] = gross - serviceCost[i];
    cac[i] = isCac(own) ? own : defaultCac;
    tenureMonths[i] = Math.max(1, (asOf - first) / DAYS_PER_MONTH);
  }
  return {length: n, revenue, grossMargin, serviceCost, contribution, cac, tenureMonths, target};
}

/** The budget's reading of customer objects: the CAC is the `cacColumn` field when valid, else `groupCac`'s. */
function customerRows(customers: readonly BudgetCustomer[], cacColumn: string | undefined, groupCac?: (i: number) => number | undefined): BudgetRows {
  return {
    length: customers.length,
    revenue: (i) => {
      const c = customers[i];
      if (c == null || typeof c !== "object") throw new Error(`customerBudgets: customers[${i}] is ${c}, not an object`);
      return c.revenue;
    },
    orders: (i) => customers[i].orders,
    cost: (i) => customers[i].cost,
    firstPurchase: (i) => customers[i].first_purchase,
    lastPurchase: (i) => customers[i]?.last_purchase ?? customers[i]?.first_purchase,
    cac: (i) => {
      const own = cacColumn === undefined ? undefined : customers[i][cacColumn];
      return isCac(own) ? own : groupCac?.(i);
    },
    name: (i) => `customer ${JSON.stringify(customers[i].customer_id)}`
  };
}

/** A valid CAC: a non-negative finite number. */
function isCac(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** Historical CLV = contribution − CAC. */
function historicalClv(contribution: number, cac: number): number {
  return contribution - cac;
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
export const MISSING_GROUP = MISSING;

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
  checkHorizon(horizonMonths, "budgetByGroup");
  const grouping = groupCodes(customers.map((c) => (key === undefined ? "All" : typeof key === "function" ? key(c) : c[key])));
  const groupCac = cacLookup(cacByGroup);
  const rows = customerRows(customers, budgetOptions.cacColumn, groupCac ? (i) => groupCac(grouping.labels[grouping.codes[i]]) : undefined);
  const columns = budgetColumns(rows, budgetOptions, "budgetByGroup");
  return budgetGroups(columns, grouping, {predicted: predictedColumn(customers, predicted), horizonMonths});
}

/** All customers as one group "All"; with no customers, counts are 0 and means null. */
export function budgetSummary(
  customers: readonly BudgetCustomer[],
  options: Omit<BudgetGroupOptions, "key"> = {}
): BudgetGroup {
  const {predicted, horizonMonths = 12, cacByGroup: _, ...budgetOptions} = options;
  if (!Array.isArray(customers)) throw new Error(`budgetSummary: customers must be an array, got ${typeof customers}`);
  checkHorizon(horizonMonths, "budgetSummary");
  const columns = budgetColumns(customerRows(customers, budgetOptions.cacColumn), budgetOptions, "budgetSummary");
  return budgetGroups(columns, null, {predicted: predictedColumn(customers, predicted), horizonMonths})[0];
}

/**
 * The budget figures of each group of a grouping (module comment), sorted by label; `null`: all customers as
 * one group "All" (with no customers, counts 0 and means null). Sums by group in one pass over the customers.
 * `predicted`: each customer's predicted CLV, NaN for none.
 */
export function budgetGroups(
  columns: BudgetColumns,
  grouping: {readonly labels: readonly string[]; readonly codes: ArrayLike<number>} | null,
  {predicted = null, horizonMonths = 12}: {predicted?: ArrayLike<number> | null; horizonMonths?: number} = {}
): BudgetGroup[] {
  const n = columns.length;
  checkHorizon(horizonMonths, "budgetGroups");
  if (grouping && grouping.codes.length !== n) throw new Error(`budgetGroups: ${grouping.codes.length} group codes for ${n} customers`);
  if (predicted && predicted.length !== n) throw new Error(`budgetGroups: ${predicted.length} predicted CLVs for ${n} customers`);
  const labels = grouping ? grouping.labels : ["All"];
  const codes = grouping ? grouping.codes : new Uint8Array(n);
  const g = labels.length;
  const sums = {customers: new Float64Array(g), revenue: new Float64Array(g), clv: new Float64Array(g), contribution: new Float64Array(g), tenure: new Float64Array(g), cac: new Float64Array(g), predicted: new Float64Array(g), predictedCount: new Float64Array(g)};
  const {revenue, contribution, cac, tenureMonths} = columns;
  for (let i = 0; i < n; i++) {
    const k = codes[i];
    sums.customers[k] += 1;
    sums.revenue[k] += revenue[i];
    sums.clv[k] += historicalClv(contribution[i], cac[i]);
    sums.contribution[k] += contribution[i];
    sums.tenure[k] += tenureMonths[i];
    sums.cac[k] += cac[i];
    const p = predicted ? predicted[i] : NaN;
    if (!Number.isNaN(p)) {
      sums.predicted[k] += p;
      sums.predictedCount[k] += 1;
    }
  }
  const order = Array.from(labels, (_, k) => k).filter((k) => !grouping || sums.customers[k] > 0);
  order.sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0));
  return order.map((k) =>
    summarize(labels[k], {
      n: sums.customers[k],
      revenue: sums.revenue[k],
      clv: sums.clv[k],
      contribution: sums.contribution[k],
      tenure: sums.tenure[k],
      cac: sums.cac[k],
      predicted: sums.predicted[k],
      predictedCount: sums.predictedCount[k],
      target: columns.target,
      horizonMonths
    })
  );
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

/** A group's figures from its sums over its n customers (module comment). */
function summarize(
  group: string,
  {n, revenue, clv, contribution, tenure, cac, predicted, predictedCount, target, horizonMonths}: {n: number; revenue: number; clv: number; contribution: number; tenure: number; cac: number; predicted: number; predictedCount: number; target: number; horizonMonths: number}
): BudgetGroup {
  if (!n) {
    const none = {cac: null, meanHistoricalClv: null, meanContribution: null, ltv: null, ltvToCac: null, affordableCac: null, spanMonths: null, meanMonthlyMargin: null, paybackMonths: null};
    return {group, customers: 0, revenue, meanPredictedClv: null, predictedCustomers: 0, ...none};
  }
  const meanPredictedClv = predictedCount ? predicted / predictedCount : null;
  const spanMonths = tenure / n + (meanPredictedClv === null ? 0 : horizonMonths);
  return {
    group,
    customers: n,
    revenue,
    meanHistoricalClv: clv / n,
    meanPredictedClv,
    predictedCustomers: predictedCount,
    meanContribution: contribution / n,
    ...groupFigures(contribution / n, meanPredictedClv, cac / n, spanMonths, target)
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

/** Each customer's predicted CLV from a table by customer id, NaN for none; null without a table. */
function predictedColumn(customers: readonly BudgetCustomer[], predicted: ReadonlyMap<string, number> | Readonly<Record<string, number>> | undefined): Float64Array | null {
  if (predicted == null) return null;
  const get =
    predicted instanceof Map
      ? (id: string) => (predicted as ReadonlyMap<string, number>).get(id)
      : (id: string) => (Object.prototype.hasOwnProperty.call(predicted, id) ? (predicted as Record<string, number>)[id] : undefined);
  const column = new Float64Array(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const v = get(customers[i].customer_id);
    column[i] = v === undefined ? NaN : checkPredicted(v, customers[i].customer_id);
  }
  return column;
}

/** A customer's predicted CLV, which must be a finite number. */
export function checkPredicted(value: number, customerId: unknown): number {
  if (!Number.isFinite(value)) throw new Error(`budget: predicted CLV of customer ${JSON.stringify(customerId)} is ${value}`);
  return value;
}

function checkOptions(
  rows: BudgetRows,
  {margin, useCost = false, costToServe = 0, cac = 0, target = 3, asOf}: BudgetOptions,
  caller: string
): {margin: number | undefined; useCost: boolean; costToServe: number; cac: number; target: number; asOf: number} {
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
    for (let i = 0; i < rows.length; i++) {
      const last = rows.lastPurchase(i);
      if (typeof last === "string") end = Math.max(end, dayOf(last, `${caller}: ${rows.name(i)} last_purchase`));
    }
  }
  return {margin, useCost, costToServe, cac, target, asOf: end};
}

/** The day number of a date or timestamp string's "YYYY-MM-DD" day; throws naming `what` otherwise. */
function dayOf(iso: string, what: string): number {
  return dayNumber(typeof iso === "string" ? iso.slice(0, 10) : iso, what);
}
