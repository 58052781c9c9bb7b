import {describe, expect, it} from "vitest";
import {continuousRate, dert, dertByQuadrature, dertOfCustomers, discountedLifetimeIntegral, paretoNbdDert} from "../../../src/lib/clv/dert.js";
import * as paretonbd from "../../../src/lib/models/paretonbd.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import {gaussLegendre} from "../../../src/lib/models/paretonbd.js";
import {lbeta} from "../../../src/lib/models/special.js";

const PARETO = {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67};
const BG = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
// 15% a year, continuously compounded per week (the rate of FHL 2005's CDNOW example).
const DELTA = Math.log(1.15) / 52;

describe("the discounted-lifetime integral I(s, z) = ∫ e^{−zt} (1+t)^{−s} dt", () => {
  it("matches closed forms: e^z E1(z) at s = 1, 1 − z e^z E1(z) at s = 2, √(π/z) e^z erfc(√z) at s = 1/2", () => {
    const e1At1 = 0.21938393439552029; // E1(1) (Abramowitz & Stegun table 5.1)
    expect(discountedLifetimeIntegral(1, 1)).toBeCloseTo(Math.E * e1At1, 12);
    expect(discountedLifetimeIntegral(2, 1)).toBeCloseTo(1 - Math.E * e1At1, 12);
    const erfcTenth = 0.8875370839817152; // erfc(0.1)
    expect(discountedLifetimeIntegral(0.5, 0.01) / (Math.sqrt(Math.PI / 0.01) * Math.exp(0.01) * erfcTenth) - 1).toBeLessThan(1e-10);
  });

  it("refuses s or z that are not positive", () => {
    expect(() => discountedLifetimeIntegral(0, 1)).toThrow(/positive/);
    expect(() => discountedLifetimeIntegral(1, 0)).toThrow(/positive/);
  });
});

describe("DERT", () => {
  it("Pareto/NBD: FHL (2005) eq. 2 equals the integral of the discounted conditional expectation", () => {
    for (const [x, tx, T] of [[0, 0, 38.86], [2, 30.43, 38.86], [10, 20, 70], [1, 1, 32]]) {
      const closed = paretoNbdDert(PARETO, paretonbd.probabilityAlive(PARETO, x, tx, T), DELTA, x, T);
      const integral = dertByQuadrature((t) => paretonbd.conditionalExpectedPurchases(PARETO, t, x, tx, T), DELTA, T);
      expect(Math.abs(closed / integral - 1)).toBeLessThan(1e-7);
      expect(dert({model: "paretonbd", params: PARETO}, DELTA, x, tx, T)).toBe(closed);
    }
  });

  it("BG/NBD: equals P(alive) · E[λ/(δ + pλ)] over the alive posterior λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x)", () => {
    // A customer alive at T buys at rate λ and drops out after each purchase with probability p: the k-th future
    // purchase happens with probability (1−p)^(k−1), discounted by (λ/(λ+δ))^k; the sum is λ/(δ + pλ).
    for (const [x, tx, T] of [[0, 0, 38.86], [2, 30.43, 38.86], [7, 35, 38]]) {
      const k = BG.r + x;
      const theta = BG.alpha + T;
      const shape = BG.b + x;
      // E_λ[λ/(δ+pλ)] = (k/θ) E[1/(δ+pλ')] with λ' ~ Gamma(k+1, θ), = (k/p)·I(k+1, c) with c = δθ/p;
      // p = w^(1/a) takes the p^(a−1) singularity out.
      const {nodes, weights} = gaussLegendre(16);
      let sum = 0;
      const panels = 400;
      for (let q = 0; q < panels; q++) {
        for (let i = 0; i < nodes.length; i++) {
          const w = (q + 0.5 + 0.5 * nodes[i]) / panels;
          const p = Math.pow(w, 1 / BG.a);
          const c = (DELTA * theta) / p;
          const inner = (k / p) * discountedLifetimeIntegral(k + 1, c);
          sum += (0.5 / panels) * weights[i] * Math.pow(1 - p, shape - 1) * inner;
        }
      }
      const expected = (bgnbd.probabilityAlive(BG, x, tx, T) * sum) / (BG.a * Math.exp(lbeta(BG.a, shape)));
      const value = dert({model: "bgnbd", params: BG}, DELTA, x, tx, T);
      expect(Math.abs(value / expected - 1)).toBeLessThan(1e-5);
      // More than the purchases of the next year, fewer than the undiscounted purchases of the next 200 years.
      expect(value).toBeGreaterThan(bgnbd.conditionalExpectedPurchases(BG, 52, x, tx, T));
      expect(value).toBeLessThan(bgnbd.conditionalExpectedPurchases(BG, 52 * 200, x, tx, T));
    }
  });

  it("per customer, once per distinct summary; the monthly rate converts to a continuous rate per unit", () => {
    const out = dertOfCustomers({model: "bgnbd", params: BG}, DELTA, {frequency: [2, 2, 0], recency: [30.43, 30.43, 5], T: [38.86, 38.86, 38.86]});
    expect(out[0]).toBe(out[1]);
    expect(out[2]).toBe(dert({model: "bgnbd", params: BG}, DELTA, 0, 0, 38.86));
    expect(continuousRate(0.01, "month")).toBeCloseTo(Math.log(1.01), 15);
    expect(continuousRate(0.01, "week")).toBeCloseTo(Math.log(1.01) / (365.25 / 7 / 12), 15);
    expect(() => continuousRate(0)).toThrow(/positive discount rate/);
  });
});
