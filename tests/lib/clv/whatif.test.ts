import {describe, expect, it} from "vitest";
import {defaultMargin, pickableCustomers, rfmPopulation, silenceCurve, whatIf, whatIfErrors, whatIfFromFields, whatIfRfmValues, whatIfSegment} from "../../../src/lib/clv/whatif.js";
import {customerLifetimeValue} from "../../../src/lib/clv/value.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import type {TransactionModel} from "../../../src/lib/clv/diagnostics.js";

const BG: TransactionModel = {model: "bgnbd", params: {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}};
const SPEND = {p: 6.25, q: 3.74, gamma: 15.44};

describe("whatIf", () => {
  it("matches the library's predictions for the same history", () => {
    const result = whatIf({frequency: 2, tenureWeeks: 38.86, weeksSinceLast: 8.43, monetary: 35}, {transaction: BG, spend: SPEND, horizonMonths: 12, discountRate: 0.01});
    const p = BG.params as bgnbd.BgNbdParams;
    expect(result.probabilityAlive).toBeCloseTo(bgnbd.probabilityAlive(p, 2, 30.43, 38.86), 12);
    expect(result.expectedPurchases).toBeCloseTo(bgnbd.conditionalExpectedPurchases(p, (12 * 365.25) / 7 / 12, 2, 30.43, 38.86), 12);
    const clv = customerLifetimeValue([{frequency: 2, recency: 30.43, T: 38.86, monetary: 35}], {transaction: BG as never, spend: SPEND});
    expect(result.clv).toBeCloseTo(clv.clv[0], 10);
    expect(result.expectedSpend).toBeGreaterThan(0);
  });
  it("treats a customer without repeat purchases as recency 0", () => {
    const result = whatIf({frequency: 0, tenureWeeks: 20, weeksSinceLast: 5, monetary: 0}, {transaction: BG, spend: SPEND});
    expect(result.probabilityAlive).toBe(1);
  });
  it("a fit that ran off: 'not available, because …', never NaN", () => {
    // Where BG/NBD stops on tests/fixtures/failure-paths/no-churn.csv (a and b ran off towards ∞, not converged):
    // the predictions stay finite there (expectationBracket's untransformed form).
    const noChurn: TransactionModel = {model: "bgnbd", params: {r: 2.0942, alpha: 24.671, a: 830_929, b: 2_785_974}};
    const finite = whatIf({frequency: 3, tenureWeeks: 50, weeksSinceLast: 4, monetary: 40}, {transaction: noChurn, spend: SPEND});
    expect(finite.unavailable).toBeNull();
    expect(finite.expectedPurchases).toBeGreaterThan(0);
    expect(Number.isFinite(finite.clv)).toBe(true);
    // r running off to ∞ leaves no finite prediction.
    const ranOff: TransactionModel = {model: "bgnbd", params: {r: 1e300, alpha: 24.671, a: 0.8, b: 2}};
    const result = whatIf({frequency: 3, tenureWeeks: 50, weeksSinceLast: 4, monetary: 40}, {transaction: ranOff, spend: SPEND});
    expect(result.expectedPurchases).toBeNull();
    expect(result.clv).toBeNull();
    expect(result.unavailable).toMatch(/^not available, because the BG\/NBD predictions give no finite value for 1 of 1 customers at the fitted parameters \(r = 1\.00e\+300, alpha = 24\.7, a = 0\.800, b = 2\.00\).*penalizer/);
    for (const value of Object.values(result)) expect(Number.isNaN(value)).toBe(false);
    const fine = whatIf({frequency: 3, tenureWeeks: 50, weeksSinceLast: 4, monetary: 40}, {transaction: BG, spend: SPEND});
    expect(fine.unavailable).toBeNull();
    const clv = customerLifetimeValue([{frequency: 3, recency: 46, T: 50, monetary: 40}, {frequency: 0, recency: 0, T: 30, monetary: 0}], {transaction: ranOff as never, spend: SPEND});
    expect(clv.problem).toMatch(/for 2 of 2 customers/);
  });

  it("lists what is wrong with the form and refuses to evaluate it", () => {
    const bad = {frequency: 1.5, tenureWeeks: 10, weeksSinceLast: 12, monetary: 0};
    expect(whatIfErrors(bad)).toHaveLength(3);
    expect(() => whatIf(bad, {transaction: BG, spend: SPEND})).toThrow(/whole number/);
  });

  it("catches what a number field refuses to pass on: negative, empty, non-numeric and over-the-limit entries", () => {
    const good = {frequency: "3", tenureWeeks: "52", weeksSinceLast: "8", monetary: "60"};
    expect(whatIfFromFields(good)).toEqual({frequency: 3, tenureWeeks: 52, weeksSinceLast: 8, monetary: 60});
    expect(whatIfErrors(whatIfFromFields(good))).toEqual([]);
    const cases: [Partial<typeof good>, RegExp][] = [
      [{frequency: "-2"}, /^Repeat purchases must be a whole number from 0 to 1000\.$/],
      [{frequency: ""}, /^Repeat purchases/],
      [{frequency: "2000"}, /^Repeat purchases/],
      [{tenureWeeks: "-1"}, /^Weeks since the first purchase must be a number from 0 to 520\.$/],
      [{tenureWeeks: "abc"}, /^Weeks since the first purchase/],
      [{weeksSinceLast: " "}, /^Weeks since the last purchase must be a number/],
      [{weeksSinceLast: "-0.5"}, /^Weeks since the last purchase must be a number/],
      [{monetary: "-10"}, /^The average spend per repeat purchase must be a number from 0 to 10,000,000\.$/],
      [{monetary: "1e8"}, /^The average spend/],
      [{monetary: "", frequency: "0"}, /^The average spend/]
    ];
    for (const [change, message] of cases) {
      const errors = whatIfErrors(whatIfFromFields({...good, ...change}));
      expect(errors, JSON.stringify(change)).toHaveLength(1);
      expect(errors[0], JSON.stringify(change)).toMatch(message);
      expect(() => whatIf(whatIfFromFields({...good, ...change}), {transaction: BG, spend: SPEND})).toThrow(/^whatIf: /);
    }
    // Zero repeat purchases need no spend; a customer who bought once and is still within the limits is fine.
    expect(whatIfErrors(whatIfFromFields({...good, frequency: "0", monetary: "0", weeksSinceLast: "52"}))).toEqual([]);
  });
});

describe("whatIfSegment", () => {
  const population = {recencyDays: [1, 10, 30, 100, 400], orders: [1, 2, 3, 5, 10], revenue: [10, 50, 100, 500, 1000]};
  it("scores against the population and applies the personas", () => {
    expect(whatIfSegment({recencyDays: 1, orders: 20, revenue: 2000}, population)).toEqual({r_score: 5, f_score: 5, m_score: 5, segment: "VIP"});
    expect(whatIfSegment({recencyDays: 500, orders: 1, revenue: 5}, population).segment).toBe("Lost Customer");
  });
});

describe("the what-if page's inputs", () => {
  const profiles = [
    {customer_id: "a", last_purchase: "2024-03-31", orders: 3, revenue: 120, cost: 60, region: "West"},
    {customer_id: "b", last_purchase: "2024-01-01", orders: 1, revenue: 40, cost: null}
  ];
  it("counts recency from the day after the end of the data", () => {
    expect(rfmPopulation(profiles, {asOf: "2024-03-31"})).toEqual({recencyDays: [1, 91], orders: [3, 1], revenue: [120, 40]});
  });
  it("takes a picked customer's orders and revenue, and estimates a typed customer's", () => {
    const customer = {frequency: 2, tenureWeeks: 30, weeksSinceLast: 4, monetary: 25};
    expect(whatIfRfmValues(customer)).toEqual({recencyDays: 29, orders: 3, revenue: 75});
    expect(whatIfRfmValues(customer, {orders: 5, revenue: 300})).toEqual({recencyDays: 29, orders: 5, revenue: 300});
  });
  it("defaults the margin to the mean cost-column margin, or 30% without one", () => {
    // a: 0.5; b has no cost: the overall rate of those with one, 0.5
    expect(defaultMargin(profiles, {hasCost: true})).toBeCloseTo(0.5, 12);
    expect(defaultMargin([{revenue: 100, cost: 20}, {revenue: 100, cost: 60}], {hasCost: true})).toBeCloseTo(0.6, 12);
    expect(defaultMargin(profiles, {hasCost: false})).toBe(0.3);
    expect(defaultMargin([], {hasCost: true, fallback: 0.2})).toBe(0.2);
  });
  it("lists the customers to pick with their history rounded for the form", () => {
    const rows = pickableCustomers(profiles, {frequency: [2, 0], recency: [10.04, 0], T: [12.96, 3.01], monetary: [33.333, 0]});
    expect(rows).toEqual([
      {customer_id: "a", repeat_purchases: 2, weeks_since_first: 13, weeks_since_last: 2.9, average_spend: 33.33, orders: 3, revenue: 120, region: "West"},
      {customer_id: "b", repeat_purchases: 0, weeks_since_first: 3, weeks_since_last: 3, average_spend: 0, orders: 1, revenue: 40, region: null}
    ]);
  });
  it("draws P(alive) against the weeks of silence, tenure and purchases unchanged", () => {
    const p = BG.params as bgnbd.BgNbdParams;
    const curve = silenceCurve({frequency: 2, tenureWeeks: 40}, (x, tx, T) => bgnbd.probabilityAlive(p, x, tx, T), {points: 5});
    expect(curve.map((d) => d.weeks)).toEqual([0, 10, 20, 30, 40]);
    expect(curve[1].probabilityAlive).toBeCloseTo(bgnbd.probabilityAlive(p, 2, 30, 40), 12);
    for (let i = 1; i < curve.length; i++) expect(curve[i].probabilityAlive).toBeLessThanOrEqual(curve[i - 1].probabilityAlive);
    const once = silenceCurve({frequency: 0, tenureWeeks: 10}, (x, tx, T) => bgnbd.probabilityAlive(p, x, tx, T), {points: 3});
    expect(once.every((d) => d.probabilityAlive === 1)).toBe(true);
    expect(() => silenceCurve({frequency: 0, tenureWeeks: 10}, () => 1, {points: 1})).toThrow(/points/);
  });
});
