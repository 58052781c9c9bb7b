import {describe, expect, it} from "vitest";
import * as gammagamma from "../../../src/lib/models/gammagamma.js";
import {numericGradient} from "../../../src/lib/fit/derivatives.js";

const PUBLISHED = {p: 6.25, q: 3.74, gamma: 15.44};

describe("Gamma-Gamma", () => {
  it("the density of the mean spend integrates to 1 and has mean pγ/(q-1) (x = 1, 3, 10)", () => {
    const params = {p: 6.25, q: 4.5, gamma: 15.44};
    for (const x of [1, 3, 10]) {
      // ∫ f(m) dm over m = e^u by the trapezoid rule on u in [-10, 10]
      let mass = 0;
      let mean = 0;
      const h = 1e-3;
      for (let u = -10; u <= 10; u += h) {
        const m = Math.exp(u);
        const f = Math.exp(gammagamma.logLikelihood(params, x, m)) * m;
        mass += f * h;
        mean += f * m * h;
      }
      expect(Math.abs(mass - 1)).toBeLessThan(1e-8);
      expect(Math.abs(mean - (params.p * params.gamma) / (params.q - 1)) / mean).toBeLessThan(1e-6);
    }
  });

  it("conditional expected spend is the credibility-weighted mean of the population mean and m̄", () => {
    const {p, q, gamma} = PUBLISHED;
    const population = (p * gamma) / (q - 1);
    expect(gammagamma.conditionalExpectedAverageSpend(PUBLISHED, 0, 123)).toBeCloseTo(population, 12);
    const x = 4;
    const mbar = 40;
    const w = (p * x) / (p * x + q - 1);
    expect(gammagamma.conditionalExpectedAverageSpend(PUBLISHED, x, mbar)).toBeCloseTo(w * mbar + (1 - w) * population, 12);
  });

  it("throws when the population mean is infinite (q <= 1) for a customer without repeat purchases", () => {
    expect(() => gammagamma.conditionalExpectedAverageSpend({p: 2, q: 0.8, gamma: 3}, 0, 0)).toThrow(/infinite/);
    expect(Number.isFinite(gammagamma.conditionalExpectedAverageSpend({p: 2, q: 0.8, gamma: 3}, 2, 10))).toBe(true);
  });

  it("per-customer log-likelihoods add up to the total; frequency-0 customers contribute 0", () => {
    const data = {frequency: [0, 1, 2, 7], monetary: [0, 10, 22.5, 31]};
    const ll = gammagamma.logLikelihoods(PUBLISHED, data);
    expect(ll[0]).toBe(0);
    expect(Math.abs(ll.reduce((s, v) => s + v, 0) - gammagamma.totalLogLikelihood(PUBLISHED, data))).toBeLessThan(1e-12);
  });

  it("the fit objective equals -mean LL and its gradient matches central differences", () => {
    const rows = {x: Float64Array.from([1, 2, 7, 2]), monetary: Float64Array.from([10, 22.5, 31, 22.5]), weight: Float64Array.from([1, 2, 1, 3])};
    const objective = gammagamma.negLogLikelihoodObjective(rows);
    const theta = Float64Array.from([PUBLISHED.p, PUBLISHED.q, PUBLISHED.gamma].map(Math.log));
    const g = new Float64Array(3);
    const v = objective(theta, g);
    const expected = -gammagamma.totalLogLikelihood(PUBLISHED, {frequency: rows.x, monetary: rows.monetary}, {weights: rows.weight}) / 7;
    expect(v).toBeCloseTo(expected, 12);
    const gNum = new Float64Array(3);
    numericGradient((t) => objective(t), theta, gNum);
    for (let i = 0; i < 3; i++) expect(Math.abs(g[i] - gNum[i])).toBeLessThan(1e-8);
  });

  it("frequencyMonetaryCorrelation uses repeat customers only", () => {
    const data = {frequency: [0, 1, 2, 3, 4], monetary: [999, 10, 20, 30, 40]};
    const c = gammagamma.frequencyMonetaryCorrelation(data);
    expect(c.customers).toBe(4);
    expect(c.correlation).toBeCloseTo(1, 12);
    expect(gammagamma.frequencyMonetaryCorrelation({frequency: [0, 1], monetary: [0, 3]}).customers).toBe(1);
  });
});
