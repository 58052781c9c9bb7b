import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import {numericGradient} from "../../../src/lib/fit/derivatives.js";
import {readFixture} from "../../datasets.js";

// CDNOW 1/10 sample summary (Fader, Hardie & Lee 2005): committed fixture, see tests/fixtures/README.md.
function readCdnow() {
  const rows = readFixture("cdnow/cdnow_customers_summary.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])};
}

const PUBLISHED = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};

describe("BG/NBD on CDNOW with the published parameters", () => {
  const data = readCdnow();

  it("has 2357 customers and log-likelihood -9582.4 (eq. 6)", () => {
    expect(data.frequency.length).toBe(2357);
    expect(Math.abs(bgnbd.totalLogLikelihood(PUBLISHED, data) - -9582.4)).toBeLessThan(0.05);
  });

  it("predicts 1.226 purchases in the next 39 weeks for x=2, t_x=30.43, T=38.86 (eq. 10)", () => {
    expect(Math.abs(bgnbd.conditionalExpectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(5e-4);
  });

  it("per-customer log-likelihoods add up to the total, and the weighted total counts duplicates", () => {
    const ll = bgnbd.logLikelihoods(PUBLISHED, data);
    let sum = 0;
    for (const v of ll) sum += v;
    expect(Math.abs(sum - bgnbd.totalLogLikelihood(PUBLISHED, data))).toBeLessThan(1e-9);
    const first = {frequency: [2], recency: [30.43], T: [38.86]};
    expect(bgnbd.totalLogLikelihood(PUBLISHED, first, {weights: [3]})).toBeCloseTo(3 * ll[0], 12);
  });

  it("the fit objective equals -mean LL and its analytic gradient matches central differences", () => {
    const n = data.frequency.length;
    const rows = {
      x: Float64Array.from(data.frequency),
      tx: Float64Array.from(data.recency),
      T: Float64Array.from(data.T),
      weight: new Float64Array(n).fill(1)
    };
    const objective = bgnbd.negLogLikelihoodObjective(rows);
    for (const p of [PUBLISHED, {r: 2, alpha: 0.5, a: 3, b: 0.2}]) {
      const theta = Float64Array.from([p.r, p.alpha, p.a, p.b].map(Math.log));
      const g = new Float64Array(4);
      const value = objective(theta, g);
      expect(value * n).toBeCloseTo(-bgnbd.totalLogLikelihood(p, data), 8);
      const gNum = new Float64Array(4);
      numericGradient((t) => objective(t), theta, gNum);
      for (let i = 0; i < 4; i++) expect(Math.abs(g[i] - gNum[i])).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i])));
    }
  });
});

describe("BG/NBD predictions", () => {
  it("eq. 7 agrees with the mean of eq. 8 and the probabilities of eq. 8 sum to 1", () => {
    for (const p of [PUBLISHED, {r: 1.5, alpha: 2, a: 2.5, b: 1.2}]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 600; n++) {
        const q = bgnbd.probabilityOfPurchases(p, 39, n);
        total += q;
        mean += n * q;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-10);
      expect(Math.abs(mean - bgnbd.expectedPurchases(p, 39))).toBeLessThan(1e-9);
    }
  });

  it("eq. 10 for a new customer (x = t_x = T = 0) equals eq. 7", () => {
    expect(bgnbd.conditionalExpectedPurchases(PUBLISHED, 52, 0, 0, 0)).toBeCloseTo(bgnbd.expectedPurchases(PUBLISHED, 52), 13);
  });

  it("is continuous through a = 1, where eq. 7 and eq. 10 have a removable singularity", () => {
    for (const t of [5, 39, 500]) {
      const at = (a: number) => bgnbd.expectedPurchases({...PUBLISHED, a}, t);
      const cond = (a: number) => bgnbd.conditionalExpectedPurchases({...PUBLISHED, a}, t, 3, 20, 38);
      expect(Math.abs(at(1) - at(1 + 1e-9)) / at(1)).toBeLessThan(1e-8);
      expect(Number.isFinite(at(1))).toBe(true);
      // Across the switch between the series (|a - 1| < 1e-3) and the closed form, the second differences on a
      // 2e-6 grid stay at the smooth-function level (no jump).
      for (const [f, sign] of [[at, -1], [cond, 1]] as const) {
        const v = [1.003e-3, 1.001e-3, 0.999e-3, 0.997e-3].map((d) => f(1 + sign * d));
        const second1 = v[2] - 2 * v[1] + v[0];
        const second2 = v[3] - 2 * v[2] + v[1];
        expect(Math.abs(second1) / v[1]).toBeLessThan(1e-9);
        expect(Math.abs(second2) / v[1]).toBeLessThan(1e-9);
      }
    }
  });

  it("expected purchases increase with t (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({min: 0.05, max: 5, noNaN: true}),
          alpha: fc.double({min: 0.1, max: 50, noNaN: true}),
          a: fc.double({min: 0.05, max: 5, noNaN: true}),
          b: fc.double({min: 0.05, max: 10, noNaN: true})
        }),
        fc.double({min: 0.01, max: 200, noNaN: true}),
        fc.integer({min: 0, max: 30}),
        (p, t, x) => {
          const e1 = bgnbd.expectedPurchases(p, t);
          const e2 = bgnbd.expectedPurchases(p, t * 1.5);
          expect(e2).toBeGreaterThan(e1);
          const c1 = bgnbd.conditionalExpectedPurchases(p, t, x, x > 0 ? 10 : 0, 20);
          const c2 = bgnbd.conditionalExpectedPurchases(p, t * 1.5, x, x > 0 ? 10 : 0, 20);
          expect(c2).toBeGreaterThanOrEqual(c1);
          expect(Number.isFinite(c1) && c1 >= 0).toBe(true);
        }
      ),
      {numRuns: 200}
    );
  });

  it("0 <= P(alive) <= 1, P(alive) = 1 without repeat purchases (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({min: 1e-3, max: 100, noNaN: true}),
          alpha: fc.double({min: 1e-3, max: 1e3, noNaN: true}),
          a: fc.double({min: 1e-3, max: 100, noNaN: true}),
          b: fc.double({min: 1e-3, max: 100, noNaN: true})
        }),
        fc.integer({min: 0, max: 500}),
        fc.double({min: 0, max: 1, noNaN: true}),
        fc.double({min: 0, max: 1000, noNaN: true}),
        (p, x, frac, T) => {
          const pa = bgnbd.probabilityAlive(p, x, x > 0 ? frac * T : 0, T);
          expect(pa).toBeGreaterThanOrEqual(0);
          expect(pa).toBeLessThanOrEqual(1);
          if (x === 0) expect(pa).toBe(1);
          expect(Number.isFinite(bgnbd.logLikelihood(p, x, x > 0 ? frac * T : 0, T))).toBe(true);
        }
      ),
      {numRuns: 300}
    );
  });

  it("P(alive) decreases with the time since the last purchase", () => {
    const p1 = bgnbd.probabilityAlive(PUBLISHED, 3, 30, 38.86);
    const p2 = bgnbd.probabilityAlive(PUBLISHED, 3, 10, 38.86);
    expect(p1).toBeGreaterThan(p2);
  });
});

describe("BG/NBD extreme inputs", () => {
  it("frequency 200 with recency close to (or equal to) T gives finite answers", () => {
    for (const tx of [38.85, 38.86, 1]) {
      const ll = bgnbd.logLikelihood(PUBLISHED, 200, tx, 38.86);
      const pa = bgnbd.probabilityAlive(PUBLISHED, 200, tx, 38.86);
      const e = bgnbd.conditionalExpectedPurchases(PUBLISHED, 39, 200, tx, 38.86);
      expect(Number.isFinite(ll)).toBe(true);
      expect(pa >= 0 && pa <= 1).toBe(true);
      expect(Number.isFinite(e) && e >= 0).toBe(true);
    }
    // an active heavy buyer keeps buying at about x/T per week
    const e = bgnbd.conditionalExpectedPurchases(PUBLISHED, 39, 200, 38.85, 38.86);
    expect(e).toBeGreaterThan(100);
    expect(e).toBeLessThan(200);
  });

  it("a customer observed for no time at all (T = 0) has LL 0 and P(alive) 1", () => {
    expect(bgnbd.logLikelihood(PUBLISHED, 0, 0, 0)).toBe(0);
    expect(bgnbd.probabilityAlive(PUBLISHED, 0, 0, 0)).toBe(1);
  });

  it("P(X(t) = n) rejects a non-integer n with a clear message", () => {
    expect(() => bgnbd.probabilityOfPurchases(PUBLISHED, 10, 1.5)).toThrow(/non-negative integer/);
  });
});
