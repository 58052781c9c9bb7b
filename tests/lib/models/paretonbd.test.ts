import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as paretonbd from "../../../src/lib/models/paretonbd.js";
import {lgamma} from "../../../src/lib/models/special.js";

const PUBLISHED = {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67};

/**
 * Independent check of the likelihood: J = ∫_{t_x}^T (α+y)^-(r+x) (β+y)^-(s+1) dy by composite Simpson (20,000
 * panels) after y = t_x + (T - t_x) v³, which resolves the steep left end when α or β is small.
 */
function referenceLogLikelihood({r, alpha, s, beta}: typeof PUBLISHED, x: number, tx: number, T: number): number {
  const f = (y: number) => Math.pow(alpha + y, -(r + x)) * Math.pow(beta + y, -(s + 1));
  const g = (v: number) => f(tx + (T - tx) * v * v * v) * 3 * v * v * (T - tx);
  const n = 20000;
  const h = 1 / n;
  let J = 0;
  if (T > tx) {
    J = g(0) + g(1);
    for (let i = 1; i < n; i++) J += (i % 2 ? 4 : 2) * g(i * h);
    J *= h / 3;
  }
  const bracket = Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s) + s * J;
  return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) + Math.log(bracket);
}

describe("Pareto/NBD likelihood", () => {
  it("matches direct numerical integration in both branches (α >= β and α < β)", () => {
    const cases: [number, number, number][] = [
      [0, 0, 38.86],
      [1, 1.71, 38.86],
      [2, 30.43, 38.86],
      [7, 35, 38.86],
      [3, 0, 20]
    ];
    for (const p of [PUBLISHED, {r: 0.55, alpha: 11.67, s: 0.61, beta: 10.58}, {r: 2, alpha: 0.3, s: 1.5, beta: 40}, {r: 0.3, alpha: 40, s: 0.2, beta: 0.05}]) {
      for (const [x, tx, T] of cases) {
        const got = paretonbd.logLikelihood(p, x, tx, T);
        expect(Math.abs(got - referenceLogLikelihood(p, x, tx, T))).toBeLessThan(1e-11 * Math.max(1, Math.abs(got)));
      }
    }
  });

  it("where the ₂F₁ series would need thousands of terms (one of α, β far larger; a + b > 10), matches direct integration", () => {
    // s + 1 = 13 with β ≫ α + t (many alike drop-out rates), and r + x > 9 with α ≫ β + t (a heavy buyer).
    const cases: [typeof PUBLISHED, number, number, number][] = [
      [{r: 0.5, alpha: 1, s: 12, beta: 1500}, 2, 20, 30],
      [{r: 0.5, alpha: 1, s: 12, beta: 1500}, 0, 0, 38.86],
      [{r: 0.5, alpha: 1, s: 12, beta: 2000}, 7, 35, 38.86],
      [{r: 0.5, alpha: 3000, s: 0.8, beta: 1}, 12, 30, 38.86],
      [{r: 2, alpha: 5000, s: 1.5, beta: 0.5}, 20, 10, 38.86]
    ];
    for (const [p, x, tx, T] of cases) {
      const got = paretonbd.logLikelihood(p, x, tx, T);
      expect(Math.abs(got - referenceLogLikelihood(p, x, tx, T))).toBeLessThan(1e-10 * Math.max(1, Math.abs(got)));
    }
  });

  it("tends to the fixed-drop-out-rate likelihood as s, β → ∞ with s/β = μ, without cancellation", () => {
    // Limit: Γ(r+x) α^r / Γ(r) · [(α+T)^-(r+x) e^(-μT) + μ ∫_{t_x}^T (α+y)^-(r+x) e^(-μy) dy], integral by Simpson.
    const r = 1.7;
    const alpha = 3.8;
    const mu = 0.08;
    const limit = (x: number, tx: number, T: number) => {
      const f = (y: number) => Math.pow(alpha + y, -(r + x)) * Math.exp(-mu * y);
      const n = 20000;
      const h = (T - tx) / n;
      let J = 0;
      if (T > tx) {
        J = f(tx) + f(T);
        for (let i = 1; i < n; i++) J += (i % 2 ? 4 : 2) * f(tx + i * h);
        J *= h / 3;
      }
      return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + Math.log(Math.pow(alpha + T, -(r + x)) * Math.exp(-mu * T) + mu * J);
    };
    for (const [x, tx, T] of [[0, 0, 10], [3, 6, 9.5], [8, 9, 10]]) {
      const got = paretonbd.logLikelihood({r, alpha, s: 1e7, beta: 1e7 / mu}, x, tx, T);
      expect(Math.abs(got - limit(x, tx, T))).toBeLessThan(1e-5 * Math.max(1, Math.abs(got)));
    }
  });

  it("is continuous where the branches meet (α = β)", () => {
    const at = (alpha: number) => paretonbd.logLikelihood({r: 0.7, alpha, s: 0.9, beta: 10}, 4, 20, 38);
    expect(Math.abs(at(10 * (1 + 1e-12)) - at(10))).toBeLessThan(1e-10);
    expect(Math.abs(at(10 * (1 - 1e-12)) - at(10))).toBeLessThan(1e-10);
  });

  it("per-customer log-likelihoods add up to the (weighted) total", () => {
    const data = {frequency: [0, 1, 2, 5, 0], recency: [0, 1.71, 30.43, 20, 0], T: [38.86, 38.86, 38.86, 30, 10]};
    const ll = paretonbd.logLikelihoods(PUBLISHED, data);
    const sum = ll.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - paretonbd.totalLogLikelihood(PUBLISHED, data))).toBeLessThan(1e-10);
    const w = [2, 1, 3, 1, 5];
    const weighted = ll.reduce((s, v, i) => s + w[i] * v, 0);
    expect(Math.abs(weighted - paretonbd.totalLogLikelihood(PUBLISHED, data, {weights: w}))).toBeLessThan(1e-10);
  });

  it("the fit objective equals -mean LL", () => {
    const data = {frequency: [0, 1, 2, 5], recency: [0, 1.71, 30.43, 20], T: [38.86, 38.86, 38.86, 30]};
    const objective = paretonbd.negLogLikelihoodObjective({
      x: Float64Array.from(data.frequency),
      tx: Float64Array.from(data.recency),
      T: Float64Array.from(data.T),
      weight: Float64Array.from([1, 1, 1, 1])
    });
    const theta = Float64Array.from([PUBLISHED.r, PUBLISHED.alpha, PUBLISHED.s, PUBLISHED.beta].map(Math.log));
    expect(objective(theta) * 4).toBeCloseTo(-paretonbd.totalLogLikelihood(PUBLISHED, data), 10);
  });

  it("the objective's per-(x, t) sharing gives the per-customer sum, in both branches, with t_x = T rows", () => {
    // Rows share (x, t_x) and (x, T) pairs (and a t_x of one row is the T of another); some have t_x = T.
    const x = [0, 0, 1, 1, 1, 2, 2, 3, 3, 5, 1];
    const tx = [0, 0, 4, 4, 10, 4, 10, 10, 20, 20, 20];
    const T = [20, 30, 20, 30, 30, 20, 20, 20, 20, 30, 20];
    const w = [3, 1, 2, 1, 4, 1, 2, 1, 1, 5, 2];
    const rows = {x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(w)};
    const objective = paretonbd.negLogLikelihoodObjective(rows);
    const total = w.reduce((a, b) => a + b, 0);
    // The last two: some pairs' ₂F₁ is slow (J integrated directly), some rows mix the two ways.
    for (const p of [PUBLISHED, {r: 0.55, alpha: 11.67, s: 0.61, beta: 10.58}, {r: 2, alpha: 0.3, s: 1.5, beta: 40}, {r: 0.5, alpha: 1, s: 12, beta: 1500}, {r: 1.7, alpha: 3.8, s: 900, beta: 1e4}]) {
      let expected = 0;
      for (let i = 0; i < x.length; i++) expected += w[i] * paretonbd.logLikelihood(p, x[i], tx[i], T[i]);
      const theta = Float64Array.from([p.r, p.alpha, p.s, p.beta].map(Math.log));
      expect(Math.abs(objective(theta) * total + expected)).toBeLessThan(1e-12 * Math.abs(expected));
    }
  });
});

describe("Pareto/NBD predictions", () => {
  it("E[X(t)] agrees with the mean of P(X(t) = n), which sums to 1", () => {
    for (const p of [PUBLISHED, {r: 2, alpha: 3, s: 1.5, beta: 0.5}]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 800; n++) {
        const q = paretonbd.probabilityOfPurchases(p, 39, n);
        total += q;
        mean += n * q;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-9);
      expect(Math.abs(mean - paretonbd.expectedPurchases(p, 39)) / mean).toBeLessThan(1e-9);
    }
  });

  it("conditional expectation for a new customer equals E[X(t)]; both are continuous at s = 1", () => {
    expect(paretonbd.conditionalExpectedPurchases(PUBLISHED, 52, 0, 0, 0)).toBeCloseTo(paretonbd.expectedPurchases(PUBLISHED, 52), 13);
    const e = (s: number) => paretonbd.expectedPurchases({...PUBLISHED, s}, 39);
    expect(Math.abs(e(1) - e(1 + 1e-10)) / e(1)).toBeLessThan(1e-9);
    expect(e(1)).toBeCloseTo(((0.55 * 11.67) / 10.58) * Math.log(1 + 39 / 11.67), 13);
  });

  it("0 <= P(alive) <= 1 and expected purchases increase with t (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({min: 0.01, max: 20, noNaN: true}),
          alpha: fc.double({min: 0.01, max: 200, noNaN: true}),
          s: fc.double({min: 0.01, max: 20, noNaN: true}),
          beta: fc.double({min: 0.01, max: 200, noNaN: true})
        }),
        fc.integer({min: 0, max: 300}),
        fc.double({min: 0, max: 1, noNaN: true}),
        fc.double({min: 0.1, max: 200, noNaN: true}),
        (p, x, frac, T) => {
          const tx = x > 0 ? frac * T : 0;
          const pa = paretonbd.probabilityAlive(p, x, tx, T);
          expect(pa).toBeGreaterThanOrEqual(0);
          expect(pa).toBeLessThanOrEqual(1);
          expect(Number.isFinite(paretonbd.logLikelihood(p, x, tx, T))).toBe(true);
          const e1 = paretonbd.conditionalExpectedPurchases(p, 10, x, tx, T);
          const e2 = paretonbd.conditionalExpectedPurchases(p, 20, x, tx, T);
          expect(Number.isFinite(e1) && e1 >= 0).toBe(true);
          expect(e2).toBeGreaterThanOrEqual(e1);
          expect(paretonbd.expectedPurchases(p, 20)).toBeGreaterThanOrEqual(paretonbd.expectedPurchases(p, 10)); // saturates for large s
        }
      ),
      {numRuns: 300}
    );
  });

  it("P(alive) is 1 when the last purchase is at T and falls with the time since it", () => {
    expect(paretonbd.probabilityAlive(PUBLISHED, 3, 38.86, 38.86)).toBe(1);
    expect(paretonbd.probabilityAlive(PUBLISHED, 3, 30, 38.86)).toBeGreaterThan(paretonbd.probabilityAlive(PUBLISHED, 3, 10, 38.86));
  });
});

describe("Pareto/NBD extreme inputs", () => {
  it("frequency 200 with recency close to T is finite in both branches", () => {
    for (const p of [PUBLISHED, {r: 0.55, alpha: 0.01, s: 0.61, beta: 50}, {r: 0.55, alpha: 50, s: 0.61, beta: 0.01}]) {
      for (const tx of [38.85, 38.86, 1]) {
        const ll = paretonbd.logLikelihood(p, 200, tx, 38.86);
        const pa = paretonbd.probabilityAlive(p, 200, tx, 38.86);
        const e = paretonbd.conditionalExpectedPurchases(p, 39, 200, tx, 38.86);
        expect(Number.isFinite(ll)).toBe(true);
        expect(pa >= 0 && pa <= 1).toBe(true);
        expect(Number.isFinite(e) && e >= 0).toBe(true);
      }
    }
  });

  it("P(X(t) = n) rejects a negative n with a clear message", () => {
    expect(() => paretonbd.probabilityOfPurchases(PUBLISHED, 10, -1)).toThrow(/non-negative integer/);
  });
});
