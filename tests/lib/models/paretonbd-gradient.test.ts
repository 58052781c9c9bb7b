import {describe, expect, it} from "vitest";
import * as paretonbd from "../../../src/lib/models/paretonbd.js";
import {simulateParetoNbd} from "../../../src/lib/models/simulate.js";
import {readFixture} from "../../datasets.js";

type Rows = {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array};

function cdnowRows(): Rows {
  const rows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {x: Float64Array.from(rows, (r) => r[1]), tx: Float64Array.from(rows, (r) => r[2]), T: Float64Array.from(rows, (r) => r[3]), weight: new Float64Array(rows.length).fill(1)};
}

/** Continuous recency and T (no rounding: one row per customer), weights 1 to 5. */
function continuousRows(): Rows {
  const sim = simulateParetoNbd({r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}, {customers: 800, T: 52, cohortSpread: 12, resolution: 0, seed: 7});
  return {x: Float64Array.from(sim.frequency), tx: Float64Array.from(sim.recency), T: Float64Array.from(sim.T), weight: Float64Array.from(sim.frequency, (_, i) => 1 + (i % 5))};
}

/**
 * Parameters in both ₂F₁ branches (α >= β, α < β), where the series is summed and where J is integrated
 * (one of α, β far larger than the other: z near 1), and far from the optimum.
 */
const POINTS = [
  [0.55, 10.58, 0.61, 11.67],
  [0.55, 11.67, 0.61, 10.58],
  [2, 0.3, 1.5, 40],
  [0.3, 40, 0.2, 0.05],
  [0.5, 1, 12, 1500],
  [1.7, 3.8, 900, 1e4],
  [0.5, 3000, 0.8, 1]
];

/** Max |analytic - central difference| of the gradient (of the value) and of the Hessian (of the gradient). */
function errors(rows: Rows, p: number[], maxPairs?: number): {gradient: number; hessian: number; value: number} {
  const f = paretonbd.negLogLikelihoodObjective(rows, {maxPairs});
  const theta = Float64Array.from(p, Math.log);
  const g = new Float64Array(4);
  const H = new Float64Array(16);
  const v = f(theta, g, H);
  const h = 1e-5;
  let gradient = 0;
  let hessian = 0;
  for (let i = 0; i < 4; i++) {
    const up = theta.slice();
    const down = theta.slice();
    up[i] += h;
    down[i] -= h;
    gradient = Math.max(gradient, Math.abs(g[i] - (f(up) - f(down)) / (2 * h)));
    const gUp = new Float64Array(4);
    const gDown = new Float64Array(4);
    f(up, gUp);
    f(down, gDown);
    for (let j = 0; j < 4; j++) hessian = Math.max(hessian, Math.abs(H[4 * i + j] - (gUp[j] - gDown[j]) / (2 * h)));
  }
  return {gradient, hessian, value: Math.abs(v - f(theta))};
}

describe("Pareto/NBD objective: analytic gradient and Hessian", () => {
  it("agree with central differences on CDNOW, with the (x, t) pairs shared and row by row", () => {
    const rows = cdnowRows();
    for (const maxPairs of [undefined, 0]) {
      for (const p of POINTS) {
        const e = errors(rows, p, maxPairs);
        expect(e.value).toBeLessThan(1e-12);
        expect(e.gradient).toBeLessThan(2e-7);
        expect(e.hessian).toBeLessThan(2e-7);
      }
    }
  });

  it("agree with central differences on weighted continuous times (one row per customer, row by row)", () => {
    const rows = continuousRows();
    for (const p of POINTS.map((q) => [q[0], (q[1] * 52) / 38, q[2], (q[3] * 52) / 38])) {
      const e = errors(rows, p, 0);
      expect(e.value).toBeLessThan(1e-12);
      expect(e.gradient).toBeLessThan(2e-7);
      expect(e.hessian).toBeLessThan(2e-7);
    }
  });

  it("a wrong derivative would be caught: the check sees a gradient off by 1e-5", () => {
    const rows = cdnowRows();
    const f = paretonbd.negLogLikelihoodObjective(rows);
    const theta = Float64Array.from(POINTS[0], Math.log);
    const g = new Float64Array(4);
    f(theta, g);
    const up = theta.slice();
    const down = theta.slice();
    up[1] += 1e-5;
    down[1] -= 1e-5;
    const numeric = (f(up) - f(down)) / 2e-5;
    expect(Math.abs(g[1] + 1e-5 - numeric)).toBeGreaterThan(2e-7);
  });
});
