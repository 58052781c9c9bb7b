import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as mbgnbd from "../../../src/lib/models/mbgnbd.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import {numericGradient} from "../../../src/lib/fit/derivatives.js";
import {fitTransaction} from "../../../src/lib/fit/transaction.js";
import {readFixture} from "../../datasets.js";

// CDNOW 1/10 sample summary (Fader, Hardie & Lee 2005): committed fixture, see tests/fixtures/README.md.
function readCdnow() {
  const rows = readFixture("cdnow/cdnow_customers_summary.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])};
}

const P = {r: 0.525, alpha: 6.183, a: 0.891, b: 1.614};
const OTHERS = [P, {r: 1.5, alpha: 2, a: 2.5, b: 1.2}, {r: 0.2, alpha: 30, a: 0.4, b: 6}];

describe("MBG/NBD against BTYDplus and lifetimes on CDNOW", () => {
  const data = readCdnow();
  const fit = fitTransaction(mbgnbd.MBG_NBD, data);

  it("fits r = 0.525, α = 6.183, a = 0.891, b = 1.614 (BTYDplus mbgnbd.EstimateParameters, lifetimes' test to 3 decimals)", () => {
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.params.r - 0.525)).toBeLessThan(5e-4);
    expect(Math.abs(fit.params.alpha - 6.183)).toBeLessThan(5e-3);
    expect(Math.abs(fit.params.a - 0.891)).toBeLessThan(5e-4);
    expect(Math.abs(fit.params.b - 1.614)).toBeLessThan(5e-3);
    expect(fit.logLikelihood).toBeCloseTo(mbgnbd.totalLogLikelihood(fit.params, data), 6);
  });

  it("reaches a likelihood close to the BG/NBD's", () => {
    const bg = fitTransaction(bgnbd.BG_NBD, data);
    // Not nested in the strict sense; on CDNOW the MBG/NBD likelihood is within a few units of the BG/NBD's.
    expect(Math.abs(fit.logLikelihood - bg.logLikelihood)).toBeLessThan(20);
  });

  it("expected purchases of a new customer match lifetimes' Hardie-sheet values (rtol 5%)", () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => expect(Math.abs(mbgnbd.expectedPurchases(fit.params, t) / expected[i] - 1)).toBeLessThan(0.05));
  });

  it("predicts about 1.226 purchases in 39 weeks for x=2, t_x=30.43, T=38.86 (lifetimes' check, ±0.05)", () => {
    expect(Math.abs(mbgnbd.conditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(0.05);
  });

  it("the objective equals -mean LL and its analytic gradient matches central differences", () => {
    const n = data.frequency.length;
    const rows = {x: Float64Array.from(data.frequency), tx: Float64Array.from(data.recency), T: Float64Array.from(data.T), weight: new Float64Array(n).fill(1)};
    const objective = mbgnbd.negLogLikelihoodObjective(rows);
    for (const p of OTHERS) {
      const theta = Float64Array.from([p.r, p.alpha, p.a, p.b].map(Math.log));
      const g = new Float64Array(4);
      expect(objective(theta, g) * n).toBeCloseTo(-mbgnbd.totalLogLikelihood(p, data), 8);
      const gNum = new Float64Array(4);
      numericGradient((t) => objective(t), theta, gNum);
      for (let i = 0; i < 4; i++) expect(Math.abs(g[i] - gNum[i])).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i])));
    }
  });
});

describe("MBG/NBD identities with the BG/NBD (alive at time 0 ⇒ BG/NBD with b+1)", () => {
  it("for x > 0: LL = LL_BG(b+1) + log(b/(a+b)); P(alive) and eq. 7 equal the BG/NBD's with b+1", () => {
    for (const p of OTHERS) {
      const q = {...p, b: p.b + 1};
      for (const [x, tx, T] of [[1, 3, 10], [4, 20, 38.86], [30, 50, 52]]) {
        expect(mbgnbd.logLikelihood(p, x, tx, T)).toBeCloseTo(bgnbd.logLikelihood(q, x, tx, T) + Math.log(p.b / (p.a + p.b)), 11);
        expect(mbgnbd.probabilityAlive(p, x, tx, T)).toBeCloseTo(bgnbd.probabilityAlive(q, x, tx, T), 13);
        expect(mbgnbd.conditionalExpectedPurchases(p, 26, x, tx, T)).toBeCloseTo(bgnbd.conditionalExpectedPurchases(q, 26, x, tx, T), 11);
      }
      // A new customer survives time 0 with probability b/(a+b), then follows the BG/NBD with b+1.
      for (const t of [1, 39, 200]) expect(mbgnbd.expectedPurchases(p, t)).toBeCloseTo((p.b / (p.a + p.b)) * bgnbd.expectedPurchases(q, t), 11);
    }
  });

  it("x = 0: the likelihood is b/(a+b)·(α/(α+T))^r + a/(a+b), P(alive) < 1", () => {
    for (const p of OTHERS) {
      const T = 30;
      const direct = (p.b / (p.a + p.b)) * Math.pow(p.alpha / (p.alpha + T), p.r) + p.a / (p.a + p.b);
      expect(mbgnbd.logLikelihood(p, 0, 0, T)).toBeCloseTo(Math.log(direct), 12);
      expect(mbgnbd.probabilityAlive(p, 0, 0, T)).toBeLessThan(1);
    }
  });

  it("P(X(t) = n) sums to 1 and its mean is E[X(t)]", () => {
    for (const p of OTHERS) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 800; n++) {
        const q = mbgnbd.probabilityOfPurchases(p, 39, n);
        total += q;
        mean += n * q;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-9);
      expect(Math.abs(mean - mbgnbd.expectedPurchases(p, 39))).toBeLessThan(1e-8);
    }
  });

  it("0 <= P(alive) <= 1 and the likelihood is finite (property)", () => {
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
          const tx = x > 0 ? frac * T : 0;
          const pa = mbgnbd.probabilityAlive(p, x, tx, T);
          expect(pa >= 0 && pa <= 1).toBe(true);
          expect(Number.isFinite(mbgnbd.logLikelihood(p, x, tx, T))).toBe(true);
        }
      ),
      {numRuns: 300}
    );
  });
});
