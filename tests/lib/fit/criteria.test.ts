import {describe, expect, it} from "vitest";
import {compareFits, informationCriteria} from "../../../src/lib/fit/criteria.js";
import {fitTransaction} from "../../../src/lib/fit/transaction.js";
import {TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS} from "../../../src/lib/models/index.js";
import {readFixture} from "../../datasets.js";

describe("information criteria", () => {
  it("AIC = 2k − 2LL and BIC = k log n − 2LL", () => {
    expect(informationCriteria(-9582.4, 4, 2357)).toEqual({aic: 8 + 2 * 9582.4, bic: 4 * Math.log(2357) + 2 * 9582.4});
    expect(() => informationCriteria(NaN, 4, 10)).toThrow(/finite/);
    expect(() => informationCriteria(-1, 0, 10)).toThrow(/parameters/);
  });
});

describe("comparing the transaction models on CDNOW", () => {
  it("ranks the fits by AIC and BIC, and reports holdout errors against the actual purchases", () => {
    const rows = readFixture("cdnow/cdnow_customers_summary.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
    const data = {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])};
    const fits = TRANSACTION_MODEL_NAMES.map((name) => {
      const model = TRANSACTION_MODELS[name];
      const fit = fitTransaction(model as (typeof TRANSACTION_MODELS)["bgnbd"], data);
      const holdout = data.frequency.map((x, i) => model.conditionalExpectedPurchases(fit.params as never, 39, x, data.recency[i], data.T[i]));
      return {name: model.label, logLikelihood: fit.logLikelihood, parameters: model.parameters.length, customers: fit.customers, holdoutPurchases: holdout};
    });
    // A stand-in for the holdout actuals: each customer's repeat purchases in the 39 weeks so far.
    const actual = data.frequency;
    const comparison = compareFits(fits, {actualPurchases: actual});
    const byName = Object.fromEntries(comparison.rows.map((r) => [r.name, r]));
    // Published: BG/NBD −9582.4 (Fader, Hardie & Lee 2005), Pareto/NBD −9595.0 (Fader, Hardie & Lee 2005, Table 1).
    expect(byName["BG/NBD"].logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(byName["Pareto/NBD"].logLikelihood).toBeCloseTo(-9595.0, 0);
    const lowest = comparison.rows.reduce((a, b) => ((a.aic as number) <= (b.aic as number) ? a : b));
    expect(comparison.bestAic).toBe(lowest.name);
    expect(lowest.deltaAic).toBe(0);
    for (const row of comparison.rows) {
      expect(row.aic).toBeCloseTo(8 - 2 * (row.logLikelihood as number), 9);
      expect(row.bic).toBeCloseTo(4 * Math.log(2357) - 2 * (row.logLikelihood as number), 9);
      expect(row.deltaAic).toBeGreaterThanOrEqual(0);
      const total = fits.find((f) => f.name === row.name)!.holdoutPurchases.reduce((a, b) => a + b, 0);
      const actualTotal = actual.reduce((a, b) => a + b, 0);
      expect(row.holdoutPercentError).toBeCloseTo((100 * (total - actualTotal)) / actualTotal, 9);
      expect(row.holdoutMae).toBeGreaterThan(0);
    }
  });

  it("leaves a fit that did not converge without criteria, and refuses fits on different customers", () => {
    const comparison = compareFits([
      {name: "A", logLikelihood: -100, parameters: 4, customers: 50},
      {name: "B", logLikelihood: null, parameters: 4, customers: 50}
    ]);
    expect(comparison.rows[1]).toMatchObject({aic: null, bic: null, deltaAic: null, holdoutMae: null});
    expect(comparison.bestAic).toBe("A");
    expect(() => compareFits([{name: "A", logLikelihood: -1, parameters: 4, customers: 5}, {name: "B", logLikelihood: -1, parameters: 4, customers: 6}])).toThrow(/same customers/);
  });
});
