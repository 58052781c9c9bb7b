import {describe, expect, it} from "vitest";
import {fitClvModels, fitTransactionModel, predictCustomers} from "../../../src/lib/clv/predict.js";
import {simulateBgNbd, simulateGammaGamma} from "../../../src/lib/models/simulate.js";

const truth = {r: 0.8, alpha: 6, a: 0.7, b: 3};
const sim = simulateBgNbd(truth, {customers: 3000, T: 52, cohortSpread: 26, seed: 7});
const spend = simulateGammaGamma({p: 5, q: 4, gamma: 30}, sim.frequency, {seed: 8});
const summary = Array.from({length: sim.frequency.length}, (_, i) => ({
  frequency: sim.frequency[i],
  recency: sim.recency[i],
  T: sim.T[i],
  monetary: sim.frequency[i] > 0 ? spend[i] : 0
}));

describe("fitClvModels and predictCustomers", () => {
  const fit = fitClvModels(summary, {model: "bgnbd"});

  it("fits both models and reports convergence", () => {
    expect(fit.transaction.model).toBe("bgnbd");
    expect(fit.transaction.converged).toBe(true);
    expect(fit.spend.converged).toBe(true);
    expect(fit.transaction.params.r).toBeGreaterThan(0.5);
    expect(fit.transaction.params.r).toBeLessThan(1.2);
  });

  it("predicts one finite row per customer, CLV growing with the horizon and falling with the discount rate", () => {
    const short = predictCustomers(summary, fit, {horizonMonths: 6, discountRate: 0.01});
    const long = predictCustomers(summary, fit, {horizonMonths: 24, discountRate: 0.01});
    const steep = predictCustomers(summary, fit, {horizonMonths: 24, discountRate: 0.05});
    expect(short).toHaveLength(summary.length);
    const total = (rows: {clv: number}[]) => rows.reduce((s, r) => s + r.clv, 0);
    for (const row of long) {
      for (const value of Object.values(row)) expect(Number.isFinite(value)).toBe(true);
      expect(row.p_alive).toBeGreaterThanOrEqual(0);
      expect(row.p_alive).toBeLessThanOrEqual(1);
    }
    expect(total(long)).toBeGreaterThan(total(short));
    expect(total(steep)).toBeLessThan(total(long));
  });

  it("fits Gamma-Gamma only on repeat customers with a positive finite spend, and still predicts a spend for the others", () => {
    const odd = [
      {frequency: 2, recency: 5, T: 10, monetary: 0},
      {frequency: 1, recency: 3, T: 10, monetary: -4},
      {frequency: 3, recency: 8, T: 10, monetary: NaN}
    ];
    const rows = [...summary, ...odd];
    const both = fitClvModels(rows, {model: "bgnbd"});
    const repeat = summary.filter((r) => r.frequency > 0).length;
    expect(both.spend.customers).toBe(repeat);
    expect(both.spend.excluded).toEqual({one_time_buyers: summary.length - repeat, zero_or_negative_spend: 2, non_finite_spend: 1});
    expect(both.transaction.customers).toBe(rows.length);
    const predictions = predictCustomers(rows, both);
    const {p, q, gamma} = both.spend.params;
    for (const row of predictions.slice(summary.length)) {
      expect(row.expected_spend).toBeCloseTo((p * gamma) / (q - 1), 9);
      expect(Number.isFinite(row.clv)).toBe(true);
    }
  });

  it("offers Pareto/NBD and rejects an unknown model", () => {
    expect(fitTransactionModel(summary.slice(0, 500), "paretonbd").model).toBe("paretonbd");
    expect(() => fitTransactionModel(summary, "nbd" as never)).toThrow(/model must be one of bgnbd, paretonbd, mbgnbd/);
  });
});
