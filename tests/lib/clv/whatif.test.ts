import {describe, expect, it} from "vitest";
import {whatIf, whatIfErrors, whatIfSegment} from "../../../src/lib/clv/whatif.js";
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
  it("lists what is wrong with the form and refuses to evaluate it", () => {
    const bad = {frequency: 1.5, tenureWeeks: 10, weeksSinceLast: 12, monetary: 0};
    expect(whatIfErrors(bad)).toHaveLength(3);
    expect(() => whatIf(bad, {transaction: BG, spend: SPEND})).toThrow(/whole number/);
  });
});

describe("whatIfSegment", () => {
  const population = {recencyDays: [1, 10, 30, 100, 400], orders: [1, 2, 3, 5, 10], revenue: [10, 50, 100, 500, 1000]};
  it("scores against the population and applies the personas", () => {
    expect(whatIfSegment({recencyDays: 1, orders: 20, revenue: 2000}, population)).toEqual({r_score: 5, f_score: 5, m_score: 5, segment: "VIP"});
    expect(whatIfSegment({recencyDays: 500, orders: 1, revenue: 5}, population).segment).toBe("Lost Customer");
  });
});
