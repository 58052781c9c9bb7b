import {describe, expect, it} from "vitest";
import {customerLifetimeValue} from "../../../src/lib/clv/value.js";
import {UNITS_PER_MONTH} from "../../../src/lib/time.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import * as paretonbd from "../../../src/lib/models/paretonbd.js";
import * as gammagamma from "../../../src/lib/models/gammagamma.js";

const BG = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const PARETO = {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67};
const SPEND = {p: 6.25, q: 3.74, gamma: 15.44};
const data = [
  {frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35},
  {frequency: 0, recency: 0, T: 38.86, monetary: 0},
  {frequency: 6, recency: 38, T: 38.86, monetary: 45},
  {frequency: 2, recency: 30.43, T: 38.86, monetary: 10}
];

describe("customerLifetimeValue", () => {
  it("converts months to the model's time unit explicitly", () => {
    expect(UNITS_PER_MONTH.week).toBeCloseTo(365.25 / 7 / 12, 15);
    expect(UNITS_PER_MONTH.day).toBeCloseTo(30.4375, 15);
    expect(UNITS_PER_MONTH.month).toBe(1);
  });

  it("matches the lifetimes-style sum computed by hand for one customer", () => {
    const res = customerLifetimeValue(data, {transaction: {model: "bgnbd", params: BG}, spend: SPEND, horizonMonths: 12, discountRate: 0.01, margin: 0.3});
    const spend = gammagamma.conditionalExpectedAverageSpend(SPEND, 2, 22.35);
    let expected = 0;
    let previous = 0;
    for (let i = 1; i <= 12; i++) {
      const current = bgnbd.conditionalExpectedPurchases(BG, i * UNITS_PER_MONTH.week, 2, 30.43, 38.86);
      expected += (0.3 * spend * (current - previous)) / Math.pow(1.01, i);
      previous = current;
    }
    expect(res.clv[0]).toBeCloseTo(expected, 12);
    expect(res.expectedSpend[0]).toBeCloseTo(spend, 12);
    expect(res.expectedPurchases[0]).toBeCloseTo(previous, 12);
    expect(res.probabilityAlive[0]).toBeCloseTo(bgnbd.probabilityAlive(BG, 2, 30.43, 38.86), 14);
    // customers sharing (x, t_x, T) differ only by their expected spend
    expect(res.clv[3] / res.clv[0]).toBeCloseTo(res.expectedSpend[3] / res.expectedSpend[0], 12);
  });

  it("without discounting telescopes to margin · spend · E[purchases over the horizon] (Pareto/NBD, days)", () => {
    const days = data.map((d) => ({...d, recency: d.recency * 7, T: d.T * 7}));
    const perDay = {...PARETO, alpha: PARETO.alpha * 7, beta: PARETO.beta * 7};
    const res = customerLifetimeValue(days, {transaction: {model: "paretonbd", params: perDay}, spend: SPEND, horizonMonths: 24, discountRate: 0, timeUnit: "day"});
    days.forEach((d, i) => {
      const purchases = paretonbd.conditionalExpectedPurchases(perDay, 24 * UNITS_PER_MONTH.day, d.frequency, d.recency, d.T);
      expect(res.clv[i]).toBeCloseTo(res.expectedSpend[i] * purchases, 10);
    });
    // the same model in weeks gives the same CLV
    const weekly = customerLifetimeValue(data, {transaction: {model: "paretonbd", params: PARETO}, spend: SPEND, horizonMonths: 24, discountRate: 0});
    weekly.clv.forEach((v, i) => expect(Math.abs(v - res.clv[i]) / v).toBeLessThan(1e-10));
  });

  it("grows with the horizon and the margin, falls with the discount rate, and is finite and >= 0", () => {
    const base = {transaction: {model: "bgnbd" as const, params: BG}, spend: SPEND};
    const a = customerLifetimeValue(data, {...base, horizonMonths: 6});
    const b = customerLifetimeValue(data, {...base, horizonMonths: 12});
    const c = customerLifetimeValue(data, {...base, horizonMonths: 12, discountRate: 0.05});
    const d = customerLifetimeValue(data, {...base, horizonMonths: 12, margin: 2});
    for (let i = 0; i < data.length; i++) {
      expect(Number.isFinite(a.clv[i]) && a.clv[i] >= 0).toBe(true);
      expect(b.clv[i]).toBeGreaterThan(a.clv[i]);
      expect(c.clv[i]).toBeLessThan(b.clv[i]);
      expect(d.clv[i]).toBeCloseTo(2 * b.clv[i], 12);
    }
    expect(customerLifetimeValue(data, {...base, horizonMonths: 0}).clv.every((v) => v === 0)).toBe(true);
  });

  it("gives customers Gamma-Gamma leaves out (one-time, zero, negative or missing spend) the population mean spend", () => {
    const rows = [
      {frequency: 0, recency: 0, T: 30, monetary: 0},
      {frequency: 2, recency: 10, T: 30, monetary: 0},
      {frequency: 2, recency: 10, T: 30, monetary: -5},
      {frequency: 2, recency: 10, T: 30},
      {frequency: 2, recency: 10, T: 30, monetary: 40}
    ];
    const r = customerLifetimeValue(rows, {transaction: {model: "bgnbd", params: BG}, spend: SPEND});
    const mean = (SPEND.p * SPEND.gamma) / (SPEND.q - 1);
    for (let i = 0; i < 4; i++) expect(r.expectedSpend[i]).toBeCloseTo(mean, 10);
    expect(r.expectedSpend[4]).not.toBeCloseTo(mean, 3);
    expect(r.clv[1]).toBeCloseTo(r.clv[3], 10);
    expect(r.clv.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it("throws on invalid options or input", () => {
    const base = {transaction: {model: "bgnbd" as const, params: BG}, spend: SPEND};
    expect(() => customerLifetimeValue(data, {...base, horizonMonths: 1.5})).toThrow(/horizonMonths/);
    expect(() => customerLifetimeValue(data, {...base, discountRate: -1})).toThrow(/discountRate/);
    expect(() => customerLifetimeValue(data, {...base, spend: {p: 1, q: 3, gamma: -1}})).toThrow(/gamma/);
    expect(() => customerLifetimeValue(data, {...base, transaction: {model: "bgnbd", params: {...BG, r: NaN}}})).toThrow(/parameter r/);
    expect(() => customerLifetimeValue([{frequency: 1, recency: 2, T: 1, monetary: 3}], base)).toThrow(/larger than T/);
    expect(() => customerLifetimeValue({frequency: [1], recency: [0.5], T: [1]}, base)).toThrow(/monetary/);
    expect(() => customerLifetimeValue([{frequency: 1, recency: 2, T: 1, monetary: 3}], {...base, ids: ["C-7"]})).toThrow(/customer "C-7": recency 2 is larger than T 1/);
  });
});
