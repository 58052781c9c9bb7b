import {describe, it, expect} from "vitest";
import {
  acquisitionCohort,
  budgetByGroup,
  budgetIntervals,
  budgetSummary,
  customerBudgets,
  formatPayback,
  payback,
  type BudgetCustomer
} from "../../../src/lib/clv/budget.js";

const example: BudgetCustomer = {customer_id: "c1", revenue: 1000, orders: 5, first_purchase: "2023-01-01", region: "West"};

describe("customerBudgets", () => {
  it("reproduces the worked example of the module comment", () => {
    const [b] = customerBudgets([example], {margin: 0.4, costToServe: 8, cac: 60, target: 3, asOf: "2023-12-31"});
    expect(b.grossMargin).toBeCloseTo(400, 10);
    expect(b.serviceCost).toBe(40);
    expect(b.contribution).toBeCloseTo(360, 10);
    expect(b.historicalClv).toBeCloseTo(300, 10);
    expect(b.affordableCac).toBeCloseTo(120, 10);
    expect(b.tenureMonths).toBeCloseTo(364 / 30.4375, 12);
    expect(b.monthlyMargin).toBeCloseTo(30.103, 3);
    expect(b.paybackMonths).toBeCloseTo(1.993, 3);
  });

  it("by default is the classic formula: revenue less cost to serve and CAC, no cost of goods", () => {
    const [b] = customerBudgets([{...example, cost: 700}], {costToServe: 8, cac: 60, target: 3, asOf: "2023-12-31"});
    expect(b.grossMargin).toBe(1000);
    expect(b.contribution).toBe(960);
    expect(b.historicalClv).toBe(900);
    expect(b.affordableCac).toBe(320);
    expect(b.paybackMonths).toBeCloseTo(60 / (960 / (364 / 30.4375)), 12);
  });

  it("uses each customer's cost with useCost, and the latest purchase as asOf", () => {
    const customers: BudgetCustomer[] = [
      {customer_id: "a", revenue: 300, cost: 180, orders: 3, first_purchase: "2024-01-01", last_purchase: "2024-03-01"},
      {customer_id: "b", revenue: 100, cost: 40, orders: 1, first_purchase: "2024-05-01", last_purchase: "2024-05-01"}
    ];
    const [a, b] = customerBudgets(customers, {cac: 30, useCost: true});
    // asOf = 2024-05-01: a has 121 days (3.975 months), b has 0 days, floored to 1 month.
    expect(a.grossMargin).toBe(120);
    expect(a.historicalClv).toBe(90);
    expect(a.affordableCac).toBe(40);
    expect(a.tenureMonths).toBeCloseTo(121 / 30.4375, 12);
    expect(a.paybackMonths).toBeCloseTo(30 / (120 / (121 / 30.4375)), 12);
    expect(b.tenureMonths).toBe(1);
    expect(b.monthlyMargin).toBe(60);
    expect(b.paybackMonths).toBe(0.5);
  });

  it("zero or negative margin: affordable CAC 0, payback never", () => {
    const [zero] = customerBudgets([example], {margin: 0, cac: 50, asOf: "2024-01-01"});
    expect(zero.contribution).toBe(0);
    expect(zero.affordableCac).toBe(0);
    expect(zero.paybackMonths).toBe(Infinity);
    const neg = customerBudgets([example], {margin: 0.01, costToServe: 5, cac: 50, asOf: "2024-01-01"})[0];
    expect(neg.contribution).toBeCloseTo(10 - 25, 10);
    expect(neg.historicalClv).toBeCloseTo(-65, 10);
    expect(neg.affordableCac).toBe(0);
    expect(neg.paybackMonths).toBe(Infinity);
  });

  it("rejects bad options and rows with messages naming them", () => {
    expect(() => customerBudgets([example], {useCost: true})).toThrow(/customer "c1" has cost undefined; with useCost/);
    expect(() => customerBudgets([example], {margin: 1.5})).toThrow(/margin .* got 1.5/);
    expect(() => customerBudgets([example], {margin: 0.5, target: 0})).toThrow(/target .* got 0/);
    expect(() => customerBudgets([example], {margin: 0.5, cac: -1})).toThrow(/cac .* got -1/);
    expect(() => customerBudgets([example], {margin: 0.5, asOf: "2022-12-31"})).toThrow(/first_purchase 2023-01-01 is after asOf 2022-12-31/);
    expect(() => customerBudgets([{...example, first_purchase: "2023-02-30"}], {margin: 0.5})).toThrow(/must be a YYYY-MM-DD date, got "2023-02-30"/);
    expect(() => customerBudgets([{...example, revenue: NaN}], {margin: 0.5})).toThrow(/customer "c1" has revenue NaN/);
  });
});

describe("payback and formatPayback", () => {
  it("covers the edge cases", () => {
    expect(payback(60, 20)).toBe(3);
    expect(payback(0, 0)).toBe(0);
    expect(payback(0, -5)).toBe(0);
    expect(payback(10, 0)).toBe(Infinity);
    expect(formatPayback(Infinity)).toBe("never");
    expect(formatPayback(3)).toBe("3.0 months");
    expect(formatPayback(1, {digits: 0})).toBe("1 month");
    expect(formatPayback(null)).toBe("–");
  });
});

describe("budgetByGroup", () => {
  const asOf = "2024-01-01";
  const first = "2023-01-01"; // 365 days before asOf: tenure 365 / 30.4375 months
  const months = 365 / 30.4375;
  const customers: BudgetCustomer[] = [
    {customer_id: "a", revenue: 900, orders: 2, first_purchase: first, region: "West"},
    {customer_id: "b", revenue: 300, orders: 1, first_purchase: first, region: "West"},
    {customer_id: "c", revenue: 600, orders: 4, first_purchase: first, region: "East"},
    {customer_id: "d", revenue: 100, orders: 1, first_purchase: first, region: null}
  ];
  const options = {margin: 0.5, costToServe: 10, cac: 40, target: 3, asOf};

  it("summarises each group with the documented formulas", () => {
    const groups = budgetByGroup(customers, {...options, key: "region", predicted: new Map([["a", 500], ["c", 250]])});
    expect(groups.map((g) => g.group)).toEqual(["(missing)", "East", "West"]);
    const west = groups[2];
    // contributions: a 450 − 20 = 430, b 150 − 10 = 140; mean 285.
    expect(west.customers).toBe(2);
    expect(west.revenue).toBe(1200);
    expect(west.meanContribution).toBe(285);
    expect(west.meanHistoricalClv).toBe(245);
    expect(west.meanPredictedClv).toBe(500);
    expect(west.predictedCustomers).toBe(1);
    // LTV 285 + 500 = 785 over a span of the tenure and the 12-month horizon.
    expect(west.cac).toBe(40);
    expect(west.ltv).toBe(785);
    expect(west.ltvToCac).toBeCloseTo(785 / 40, 12);
    expect(west.affordableCac).toBeCloseTo(785 / 3, 12);
    expect(west.spanMonths).toBeCloseTo(months + 12, 12);
    expect(west.meanMonthlyMargin).toBeCloseTo(785 / (months + 12), 10);
    expect(west.paybackMonths).toBeCloseTo(40 / (785 / (months + 12)), 10);
    const missing = groups[0];
    // d: 50 − 10 = 40 contribution; no prediction.
    expect(missing.meanContribution).toBe(40);
    expect(missing.meanPredictedClv).toBeNull();
    // Without a prediction the LTV is the contribution so far, over the tenure alone.
    expect(missing.ltv).toBe(40);
    expect(missing.affordableCac).toBeCloseTo(40 / 3, 12);
    expect(missing.paybackMonths).toBeCloseTo(40 / (40 / months), 10);
    expect(groups[1].meanPredictedClv).toBe(250);
  });

  it("groups by a function, e.g. acquisition cohort, and by default into one group", () => {
    const byCohort = budgetByGroup(customers, {...options, key: (c) => acquisitionCohort(c.first_purchase, {unit: "quarter"})});
    expect(byCohort.map((g) => [g.group, g.customers])).toEqual([["2023-Q1", 4]]);
    const [all] = budgetByGroup(customers, {...options, predicted: {a: 500, c: 250, z: 1}});
    expect(all.group).toBe("All");
    expect(all.meanPredictedClv).toBe(375);
    const summary = budgetSummary(customers, options);
    expect(summary.meanPredictedClv).toBeNull();
    expect(summary.predictedCustomers).toBe(0);
    expect(summary.meanContribution).toBe(all.meanContribution);
    expect(summary.ltv).toBe(all.meanContribution);
    expect(summary.spanMonths).toBeCloseTo(months, 12);
  });

  it("handles zero customers and zero margin", () => {
    expect(budgetByGroup([], {...options, key: "region"})).toEqual([]);
    expect(budgetSummary([], options)).toEqual({
      group: "All",
      customers: 0,
      revenue: 0,
      cac: null,
      meanHistoricalClv: null,
      meanPredictedClv: null,
      predictedCustomers: 0,
      meanContribution: null,
      ltv: null,
      ltvToCac: null,
      affordableCac: null,
      spanMonths: null,
      meanMonthlyMargin: null,
      paybackMonths: null
    });
    const zero = budgetSummary(customers, {...options, margin: 0, costToServe: 0});
    expect(zero.meanContribution).toBe(0);
    expect(zero.affordableCac).toBe(0);
    expect(zero.paybackMonths).toBe(Infinity);
    expect(formatPayback(zero.paybackMonths)).toBe("never");
  });

  it("acquisitionCohort labels and errors", () => {
    expect(acquisitionCohort("2023-11-30")).toBe("2023-11");
    expect(acquisitionCohort("2023-11-30", {unit: "quarter"})).toBe("2023-Q4");
    expect(acquisitionCohort("2023-11-30", {unit: "year"})).toBe("2023");
    expect(() => acquisitionCohort("2023-11-30", {unit: "week" as never})).toThrow(/"week"/);
    expect(() => budgetByGroup(customers, {...options, predicted: {a: NaN}})).toThrow(/customer "a" is NaN/);
  });
});

describe("CAC per group, LTV:CAC and payback", () => {
  // The group example of the module comment: tenures 12 and 6 months (asOf 2024-01-01), contributions 360
  // and 60 (no margin, no cost to serve), predicted 100 and 20, horizon 12, target 3.
  const asOf = "2024-01-01";
  const day = (months: number) => new Date(Date.UTC(2024, 0, 1) - Math.round(months * 30.4375) * 86_400_000).toISOString().slice(0, 10);
  const customers: BudgetCustomer[] = [
    {customer_id: "a", revenue: 360, orders: 3, first_purchase: day(12), channel: "search"},
    {customer_id: "b", revenue: 60, orders: 1, first_purchase: day(6), channel: "search"}
  ];
  const tenure = (c: BudgetCustomer) => (Date.UTC(2024, 0, 1) - Date.parse(c.first_purchase)) / 86_400_000 / 30.4375;
  const predicted = new Map([["a", 100], ["b", 20]]);

  it("reproduces the module comment's group example by hand", () => {
    const [g] = budgetByGroup(customers, {cac: 60, target: 3, asOf, predicted, horizonMonths: 12});
    const span = (tenure(customers[0]) + tenure(customers[1])) / 2 + 12;
    expect(span).toBeCloseTo(21, 1);
    expect(g.ltv).toBe(270);
    expect(g.ltvToCac).toBe(4.5);
    expect(g.affordableCac).toBe(90);
    expect(g.meanHistoricalClv).toBe(150);
    expect(g.paybackMonths).toBeCloseTo(60 / (270 / span), 12);
  });

  it("takes each group's CAC from a table, and a customer's own CAC from a column before it", () => {
    const many: BudgetCustomer[] = [
      ...customers,
      {customer_id: "c", revenue: 200, orders: 2, first_purchase: day(12), channel: "referral", acquisition_cost: 10},
      {customer_id: "d", revenue: 100, orders: 1, first_purchase: day(12), channel: "referral"},
      {customer_id: "e", revenue: 50, orders: 1, first_purchase: day(12), channel: "email", acquisition_cost: null}
    ];
    const groups = budgetByGroup(many, {key: "channel", cac: 25, cacByGroup: {referral: 40, search: 80}, cacColumn: "acquisition_cost", asOf});
    const by = Object.fromEntries(groups.map((g) => [g.group, g]));
    // search: both customers at the table's 80; contributions 360 and 60.
    expect(by.search.cac).toBe(80);
    expect(by.search.meanHistoricalClv).toBe(210 - 80);
    expect(by.search.ltvToCac).toBeCloseTo(210 / 80, 12);
    // referral: c has its own 10, d the table's 40: mean CAC 25; LTV (200 + 100) / 2 = 150.
    expect(by.referral.cac).toBe(25);
    expect(by.referral.meanHistoricalClv).toBe(150 - 25);
    expect(by.referral.ltvToCac).toBe(6);
    expect(by.referral.paybackMonths).toBeCloseTo(25 / (150 / tenure(many[2])), 12);
    // email: not in the table, no own CAC: the default 25.
    expect(by.email.cac).toBe(25);
    expect(by.email.ltvToCac).toBe(2);
    const [c] = customerBudgets([many[2]], {cac: 25, cacColumn: "acquisition_cost", asOf});
    expect(c.cac).toBe(10);
    expect(c.historicalClv).toBe(190);
    expect(() => budgetByGroup(many, {key: "channel", cacByGroup: {search: -1}, asOf})).toThrow(/CAC of group "search" .* got -1/);
    const free = budgetByGroup(customers, {cac: 0, asOf})[0];
    expect(free.ltvToCac).toBeNull();
    expect(free.paybackMonths).toBe(0);
  });

  it("maps the interval of the summed predicted CLV onto LTV, LTV:CAC, affordable CAC and payback", () => {
    const [g] = budgetByGroup(customers, {cac: 60, target: 3, asOf, predicted, horizonMonths: 12});
    // Refits' summed predictions 0, 10, …, 200 (21 values): the 90% interval is [10, 190].
    const sums = Array.from({length: 21}, (_, i) => 200 - 10 * i);
    const iv = budgetIntervals(g, sums, {level: 0.9, target: 3})!;
    expect(iv.meanPredictedClv[0]).toBeCloseTo(5, 12);
    expect(iv.meanPredictedClv[1]).toBeCloseTo(95, 12);
    expect(iv.ltv[0]).toBeCloseTo(210 + 5, 12);
    expect(iv.ltv[1]).toBeCloseTo(210 + 95, 12);
    expect(iv.ltvToCac[0]).toBeCloseTo(215 / 60, 12);
    expect(iv.ltvToCac[1]).toBeCloseTo(305 / 60, 12);
    expect(iv.affordableCac[0]).toBeCloseTo(215 / 3, 12);
    expect(iv.paybackMonths[0]).toBeCloseTo(60 / (305 / g.spanMonths!), 12);
    expect(iv.paybackMonths[1]).toBeCloseTo(60 / (215 / g.spanMonths!), 12);
    expect(iv.paybackMonths[0]).toBeLessThan(g.paybackMonths!);
    expect(iv.paybackMonths[1]).toBeGreaterThan(g.paybackMonths!);
    // A low end that loses money never pays back.
    const poor = budgetIntervals(g, [-1000, -900, 50], {level: 0.9})!;
    expect(poor.paybackMonths[1]).toBe(Infinity);
    expect(poor.affordableCac[0]).toBe(0);
    expect(budgetIntervals(budgetByGroup(customers, {cac: 60, asOf})[0], sums)).toBeNull();
    expect(() => budgetIntervals(g, sums, {level: 1})).toThrow(/level/);
  });
});
