// The likelihood kernel the BG/NBD and MBG/NBD share (src/lib/models/betageometric.ts): its value, analytic
// gradient and Hessian against the one-customer likelihoods and central differences; distinctIndex; trigamma.
import {describe, expect, it} from "vitest";
import {betaGeometricObjective, distinctIndex} from "../../../src/lib/models/betageometric.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import * as mbgnbd from "../../../src/lib/models/mbgnbd.js";
import {digamma, hyp2f1, trigamma} from "../../../src/lib/models/special.js";
import {simulateBgNbd} from "../../../src/lib/models/simulate.js";
import {readFixture} from "../../datasets.js";

const cdnowRows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const cdnow = {
  x: Float64Array.from(cdnowRows, (r) => r[1]),
  tx: Float64Array.from(cdnowRows, (r) => r[2]),
  T: Float64Array.from(cdnowRows, (r) => r[3]),
  weight: new Float64Array(cdnowRows.length).fill(1)
};
// Continuous times (one distinct T per row: the kernel then reads them without an index) and uneven weights.
const sim = simulateBgNbd({r: 0.8, alpha: 4, a: 0.6, b: 2.5}, {customers: 6000, T: 40, cohortSpread: 20, seed: 3});
const continuous = {
  x: Float64Array.from(sim.frequency),
  tx: Float64Array.from(sim.recency),
  T: Float64Array.from(sim.T),
  weight: Float64Array.from(sim.frequency, (_, i) => 1 + (i % 4))
};

const models = [
  {name: "BG/NBD", offset: 0 as const, total: bgnbd.totalLogLikelihood},
  {name: "MBG/NBD", offset: 1 as const, total: mbgnbd.totalLogLikelihood}
];
const points = [
  {r: 0.3, alpha: 5, a: 0.8, b: 2.1},
  {r: 1.7, alpha: 0.4, a: 3, b: 0.6},
  {r: 0.05, alpha: 30, a: 0.02, b: 40}
];

describe("the BG/NBD and MBG/NBD objective (one kernel)", () => {
  for (const {name, offset, total} of models) {
    for (const [label, rows] of [["CDNOW", cdnow], ["continuous times, weighted", continuous]] as const) {
      it(`${name} on ${label}: the value is -Σ w·LL / Σ w of the one-customer likelihood`, () => {
        const f = betaGeometricObjective(rows, offset);
        const W = rows.weight.reduce((s, w) => s + w, 0);
        for (const p of points) {
          const theta = Float64Array.from([p.r, p.alpha, p.a, p.b], Math.log);
          const expected = -total(p, {frequency: rows.x, recency: rows.tx, T: rows.T}, {weights: rows.weight}) / W;
          expect(Math.abs(f(theta) / expected - 1)).toBeLessThan(1e-12);
          // the value does not depend on whether derivatives are asked for
          expect(Math.abs(f(theta, new Float64Array(4), new Float64Array(16)) / f(theta) - 1)).toBeLessThan(1e-14);
        }
      });

      it(`${name} on ${label}: gradient and Hessian agree with central differences`, () => {
        const f = betaGeometricObjective(rows, offset);
        const h = 1e-5;
        for (const p of points) {
          const theta = Float64Array.from([p.r, p.alpha, p.a, p.b], Math.log);
          const g = new Float64Array(4);
          const H = new Float64Array(16);
          f(theta, g, H);
          for (let i = 0; i < 4; i++) {
            const plus = theta.slice();
            const minus = theta.slice();
            plus[i] += h;
            minus[i] -= h;
            const gp = new Float64Array(4);
            const gm = new Float64Array(4);
            const fd = (f(plus, gp) - f(minus, gm)) / (2 * h);
            expect(Math.abs(g[i] - fd), `gradient ${i} at ${JSON.stringify(p)}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i])));
            for (let j = 0; j < 4; j++) {
              const fdH = (gp[j] - gm[j]) / (2 * h);
              expect(Math.abs(H[i * 4 + j] - fdH), `Hessian ${i},${j} at ${JSON.stringify(p)}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(H[i * 4 + j])));
              expect(H[i * 4 + j]).toBe(H[j * 4 + i]);
            }
          }
        }
      });
    }
  }

  it("is NaN outside the domain, not a number that looks like a likelihood", () => {
    const f = betaGeometricObjective(cdnow, 0);
    expect(f(Float64Array.from([800, 0, 0, 0]))).toBeNaN();
  });
});

describe("distinctIndex", () => {
  it("numbers the distinct values in order of first appearance; -0 and 0 are one value", () => {
    const {xValues, xIndex} = distinctIndex(Float64Array.from([3, 1.5, 3, -0, 0, 1e-300, 1.5, 7]));
    expect(Array.from(xValues)).toEqual([3, 1.5, 0, 1e-300, 7]);
    expect(Array.from(xIndex)).toEqual([0, 1, 0, 2, 2, 3, 1, 4]);
  });

  it("on many values: each row's value is found at its index", () => {
    const values = Float64Array.from({length: 50_000}, (_, i) => Math.round(Math.sin(i) * 1e4) / 7);
    const {xValues, xIndex} = distinctIndex(values);
    expect(new Set(values).size).toBe(xValues.length);
    let wrong = 0;
    for (let i = 0; i < values.length; i++) if (xValues[xIndex[i]] !== values[i]) wrong++; // -0 === 0
    expect(wrong).toBe(0);
  });
});

describe("trigamma", () => {
  it("ψ₁(1) = π²/6, ψ₁(1/2) = π²/2, the recurrence ψ₁(x) = ψ₁(x+1) + 1/x², and d/dx ψ", () => {
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 13);
    for (const x of [0.01, 0.3, 2.5, 9.5, 10, 42, 1e6]) {
      expect(Math.abs(trigamma(x) - (trigamma(x + 1) + 1 / (x * x))) / trigamma(x)).toBeLessThan(1e-14);
      const h = 1e-4 * x;
      expect(Math.abs((digamma(x + h) - digamma(x - h)) / (2 * h) / trigamma(x) - 1)).toBeLessThan(1e-7);
    }
    expect(trigamma(0)).toBeNaN();
  });
});

describe("expected purchases where nobody drops out (a, b towards 1e6)", () => {
  it("BG/NBD and MBG/NBD stay finite and converge as a, b grow with a/(a+b) fixed", () => {
    for (const model of [bgnbd, mbgnbd]) {
      let previous: number[] | null = null;
      for (const scale of [1e4, 1e5, 1e6, 1e7]) {
        const p = {r: 0.5, alpha: 5, a: scale, b: 3 * scale};
        const values = [
          model.conditionalExpectedPurchases(p, 10, 3, 20, 30),
          model.conditionalExpectedPurchases(p, 10, 0, 0, 30),
          model.conditionalExpectedPurchases(p, 52, 40, 38, 39),
          model.expectedPurchases(p, 10)
        ];
        for (const v of values) expect(Number.isFinite(v) && v > 0, `${JSON.stringify(p)}: ${values}`).toBe(true);
        if (previous) values.forEach((v, i) => expect(Math.abs(v / previous![i] - 1)).toBeLessThan(5e-3));
        previous = values;
      }
    }
  });

  it("the bracket of eq. (10) there equals its untransformed form [1 - (1-z)^(r+x) ₂F₁(r+x, b+x; a+b+x-1; z)] / (a-1)", () => {
    for (const [r, a, b, x, z] of [[0.5, 1e4, 1e4, 0, 0.3], [0.5, 1e4, 3e4, 3, 0.5], [2, 2e6, 1e6, 12, 0.2]]) {
      const direct = (1 - Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)) / (a - 1);
      expect(Math.abs(bgnbd.expectationBracket(r, a, b, x, z) / direct - 1)).toBeLessThan(1e-12);
    }
  });
});

describe("the objective on many unit-weight rows (fitRows' uncompressed columns)", () => {
  // 70,000 rows: the kernel sums log(1 + e) as the log of products (PRODUCT_FACTORS) instead of a log1p per row.
  const big = simulateBgNbd({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, {customers: 70_000, T: 52, cohortSpread: 12, seed: 8});
  const unit = {x: Float64Array.from(big.frequency), tx: Float64Array.from(big.frequency, (x, i) => (x === 0 ? 0 : big.recency[i])), T: Float64Array.from(big.T), weight: new Float64Array(70_000).fill(1)};
  const doubled = {...unit, weight: new Float64Array(70_000).fill(2)}; // same mean, a log1p per row
  for (const {name, offset, total} of models) {
    it(`${name}: value, gradient and Hessian equal the per-row path's and the one-customer likelihood`, () => {
      const f = betaGeometricObjective(unit, offset);
      const fRef = betaGeometricObjective(doubled, offset);
      const p = {r: 0.3, alpha: 5, a: 0.7, b: 2};
      const theta = Float64Array.from([p.r, p.alpha, p.a, p.b], Math.log);
      const [g, H, gRef, HRef] = [new Float64Array(4), new Float64Array(16), new Float64Array(4), new Float64Array(16)];
      const value = f(theta, g, H);
      expect(Math.abs(value / fRef(theta, gRef, HRef) - 1)).toBeLessThan(1e-13);
      expect(Math.abs(f(theta) / value - 1)).toBeLessThan(1e-14);
      expect(Math.abs(value / (-total(p, {frequency: unit.x, recency: unit.tx, T: unit.T}) / 70_000) - 1)).toBeLessThan(1e-12);
      for (let i = 0; i < 4; i++) expect(Math.abs(g[i] - gRef[i])).toBeLessThan(1e-13 * Math.max(1, Math.abs(gRef[i])));
      for (let i = 0; i < 16; i++) expect(Math.abs(H[i] - HRef[i])).toBeLessThan(1e-13 * Math.max(1, Math.abs(HRef[i])));
    });
  }
});
