import {describe, it, expect} from "vitest";
import {
  acquisitionCohort,
  budgetByGroup,
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

  it("uses each customer's cost when no margin rate is given, and the latest purchase as asOf", () => {
    const customers: BudgetCustomer[] = [
      {customer_id: "a", revenue: 300, cost: 180, orders: 3, first_purchase: "2024-01-01", last_purchase: "2024-03-01"},
      {customer_id: "b", revenue: 100, cost: 40, orders: 1, first_purchase: "2024-05-01", last_purchase: "2024-05-01"}
    ];
    const [a, b] = customerBudgets(customers, {cac: 30});
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
    expect(() => customerBudgets([example])).toThrow(/customer "c1" has cost undefined and no margin rate/);
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
    expect(west.affordableCac).toBe(95);
    expect(west.meanPredictedClv).toBe(500);
    expect(west.predictedCustomers).toBe(1);
    expect(west.meanMonthlyMargin).toBeCloseTo(285 / months, 10);
    expect(west.paybackMonths).toBeCloseTo(40 / (285 / months), 10);
    const missing = groups[0];
    // d: 50 − 10 = 40 contribution; no prediction.
    expect(missing.meanContribution).toBe(40);
    expect(missing.meanPredictedClv).toBeNull();
    expect(groups[1].meanPredictedClv).toBe(250);
  });

  it("groups by a function, e.g. acquisition cohort, and by default into one group", () => {
    const byCohort = budgetByGroup(customers, {...options, key: (c) => acquisitionCohort(c.first_purchase, {unit: "quarter"})});
    expect(byCohort.map((g) => [g.group, g.customers])).toEqual([["2023-Q1", 4]]);
    const [all] = budgetByGroup(customers, {...options, predicted: {a: 500, c: 250, z: 1}});
    expect(all.group).toBe("All");
    expect(all.meanPredictedClv).toBe(375);
    expect(budgetSummary(customers, options)).toEqual({...all, meanPredictedClv: null, predictedCustomers: 0});
  });

  it("handles zero customers and zero margin", () => {
    expect(budgetByGroup([], {...options, key: "region"})).toEqual([]);
    expect(budgetSummary([], options)).toEqual({
      group: "All",
      customers: 0,
      revenue: 0,
      meanHistoricalClv: null,
      meanPredictedClv: null,
      predictedCustomers: 0,
      meanContribution: null,
      affordableCac: null,
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
