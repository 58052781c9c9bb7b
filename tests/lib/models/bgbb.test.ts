import {describe, expect, it} from "vitest";
import * as bgbb from "../../../src/lib/models/bgbb.js";
import {numericGradient} from "../../../src/lib/fit/derivatives.js";
import {fitTransaction} from "../../../src/lib/fit/transaction.js";
import {lbeta, lgamma} from "../../../src/lib/models/special.js";
import {readFixture} from "../../datasets.js";

// The donation data of Fader, Hardie & Shang (2010): 22 (x, t_x) patterns over n = 6 opportunities with the
// number of donors in each (committed fixture, see tests/fixtures/README.md).
function readDonations() {
  const rows = readFixture("donations/donations_summary.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {frequency: rows.map((r) => r[0]), recency: rows.map((r) => r[1]), T: rows.map((r) => r[2]), weight: rows.map((r) => r[3])};
}

const PUBLISHED = {alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783};

describe("BG/BB on the donation data (Fader, Hardie & Shang 2010)", () => {
  const data = readDonations();

  it("has 11,104 donors and log-likelihood −33,225.6 at the published estimates (eq. 5)", () => {
    expect(data.weight.reduce((a, b) => a + b, 0)).toBe(11104);
    expect(Math.abs(bgbb.totalLogLikelihood(PUBLISHED, data, {weights: data.weight}) - -33225.6)).toBeLessThan(0.1);
  });

  it("fits α = 1.204, β = 0.750, γ = 0.657, δ = 2.783 from the weighted rows", () => {
    const customers = {frequency: [] as number[], recency: [] as number[], T: [] as number[]};
    data.weight.forEach((w, i) => {
      for (let k = 0; k < w; k++) {
        customers.frequency.push(data.frequency[i]);
        customers.recency.push(data.recency[i]);
        customers.T.push(data.T[i]);
      }
    });
    const fit = fitTransaction(bgbb.BG_BB, customers);
    expect(fit.converged).toBe(true);
    expect(fit.rows).toBe(22);
    for (const k of bgbb.BG_BB.parameters) expect(Math.abs(fit.params[k] - PUBLISHED[k]), k).toBeLessThan(5e-4);
    expect(Math.abs(fit.logLikelihood - -33225.6)).toBeLessThan(0.05);
    expect(fit.standardErrors).not.toBeNull();
  });

  it("the objective equals −mean LL and its analytic gradient matches central differences", () => {
    const rows = {x: Float64Array.from(data.frequency), tx: Float64Array.from(data.recency), T: Float64Array.from(data.T), weight: Float64Array.from(data.weight)};
    const objective = bgbb.negLogLikelihoodObjective(rows);
    for (const p of [PUBLISHED, {alpha: 0.3, beta: 4, gamma: 2, delta: 0.5}]) {
      const theta = Float64Array.from([p.alpha, p.beta, p.gamma, p.delta].map(Math.log));
      const g = new Float64Array(4);
      expect(objective(theta, g) * 11104).toBeCloseTo(-bgbb.totalLogLikelihood(p, data, {weights: data.weight}), 6);
      const gNum = new Float64Array(4);
      numericGradient((t) => objective(t), theta, gNum);
      for (let i = 0; i < 4; i++) expect(Math.abs(g[i] - gNum[i])).toBeLessThan(1e-7 * Math.max(1, Math.abs(g[i])));
    }
  });
});

describe("BG/BB quantities", () => {
  const p = PUBLISHED;

  it("P(X(n) = x) (eq. 7) sums to 1 over x, and its mean is E[X(n)] in the closed form of eq. 8", () => {
    for (const n of [1, 6, 11]) {
      let total = 0;
      let mean = 0;
      for (let x = 0; x <= n; x++) {
        const q = bgbb.probabilityOfPurchases(p, n, x);
        total += q;
        mean += x * q;
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
      const closed = (p.alpha / (p.alpha + p.beta)) * (p.delta / (p.gamma - 1)) * (1 - Math.exp(lgamma(p.gamma + p.delta) - lgamma(p.gamma + p.delta + n) + lgamma(1 + p.delta + n) - lgamma(1 + p.delta)));
      expect(bgbb.expectedPurchases(p, n)).toBeCloseTo(closed, 12);
      expect(mean).toBeCloseTo(closed, 12);
    }
  });

  it("the likelihoods of all (x, t_x) patterns for n opportunities sum to 1", () => {
    for (const n of [0, 1, 6]) {
      let total = Math.exp(bgbb.logLikelihood(p, 0, 0, n));
      for (let x = 1; x <= n; x++) for (let tx = x; tx <= n; tx++) total += Math.exp(bgbb.logLikelihood(p, x, tx, n)) * Math.exp(lchoose(tx - 1, x - 1));
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    }
  });

  it("eq. 13 matches its closed form, and P(alive) (eq. 11) is in [0, 1] and highest for the most recent donors", () => {
    for (const [x, tx, n] of [[0, 0, 6], [3, 4, 6], [6, 6, 6], [1, 1, 6]]) {
      const ll = bgbb.logLikelihood(p, x, tx, n);
      const closed =
        Math.exp(lbeta(p.alpha + x + 1, p.beta + n - x) - lbeta(p.alpha, p.beta) - ll) *
        (p.delta / (p.gamma - 1)) *
        Math.exp(lgamma(p.gamma + p.delta) - lgamma(1 + p.delta)) *
        (Math.exp(lgamma(1 + p.delta + n) - lgamma(p.gamma + p.delta + n)) - Math.exp(lgamma(1 + p.delta + n + 5) - lgamma(p.gamma + p.delta + n + 5)));
      expect(bgbb.conditionalExpectedPurchases(p, 5, x, tx, n)).toBeCloseTo(closed, 12);
      const alive = bgbb.probabilityAlive(p, x, tx, n);
      expect(alive >= 0 && alive <= 1).toBe(true);
    }
    expect(bgbb.probabilityAlive(p, 3, 6, 6)).toBeGreaterThan(bgbb.probabilityAlive(p, 3, 4, 6));
    // A new customer's expectation after n = 0 opportunities equals eq. 8.
    expect(bgbb.conditionalExpectedPurchases(p, 5, 0, 0, 0)).toBeCloseTo(bgbb.expectedPurchases(p, 5), 12);
  });

  it("DERT (eq. 14) is the discounted sum of the expected transactions at each future opportunity", () => {
    for (const [x, tx, n] of [[0, 0, 6], [2, 5, 6], [6, 6, 6]]) {
      const d = 0.1;
      let series = 0;
      let previous = 0;
      for (let k = 1; k <= 2000; k++) {
        const cumulative = bgbb.conditionalExpectedPurchases(p, k, x, tx, n);
        series += (cumulative - previous) / Math.pow(1 + d, k);
        previous = cumulative;
      }
      expect(bgbb.discountedExpectedResidualTransactions(p, d, x, tx, n)).toBeCloseTo(series, 9);
    }
  });

  it("refuses summaries that are not whole opportunities", () => {
    expect(() => bgbb.logLikelihood(p, 1, 2.5, 6)).toThrow(/whole numbers/);
    expect(() => bgbb.logLikelihood(p, 3, 2, 6)).toThrow(/frequency <= recency <= T/);
    expect(() => fitTransaction(bgbb.BG_BB, {frequency: [1, 2], recency: [1.5, 3], T: [4, 4]})).toThrow(/BG\/BB counts opportunities/);
  });
});

function lchoose(a: number, b: number): number {
  return lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
}
