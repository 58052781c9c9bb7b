import {describe, expect, it} from "vitest";
import {TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS, modelLabel, transactionModel, transactionModelByCliName} from "../../../src/lib/models/index.js";
import {fitTransaction} from "../../../src/lib/fit/transaction.js";
import {customerLifetimeValue} from "../../../src/lib/clv/value.js";
import {modelFunctions} from "../../../src/lib/clv/diagnostics.js";
import {readFixture} from "../../datasets.js";

// Every model the registry lists goes through the generic paths: that is what lets a new model be its own file,
// one registry line and its tests.
describe("the model registry", () => {
  it("declares each model consistently", () => {
    const cliNames = new Set<string>();
    for (const name of TRANSACTION_MODEL_NAMES) {
      const model = TRANSACTION_MODELS[name];
      expect(model.name).toBe(name);
      expect(modelLabel(name)).toBe(model.label);
      expect(cliNames.has(model.cliName)).toBe(false);
      cliNames.add(model.cliName);
      expect(transactionModelByCliName(model.cliName)).toBe(model);
      for (const start of model.starts) expect(start).toHaveLength(model.parameters.length);
      for (const p of model.timeScaled) expect(model.parameters).toContain(p);
      for (const p of Object.keys(model.meanings)) expect(model.parameters).toContain(p);
      expect(model.summaryColumns).toEqual(["frequency", "recency", "T"]);
    }
  });

  it("refuses an unknown name, naming the models there are", () => {
    expect(() => transactionModel("nbd")).toThrow(/model must be one of bgnbd, paretonbd, mbgnbd, got "nbd"/);
    expect(transactionModelByCliName("nbd")).toBeUndefined();
  });

  it("fits, predicts and diagnoses every model through the generic code", () => {
    // The CDNOW 1/10 sample with its mean repeat spend (committed fixture, see tests/fixtures/README.md).
    const rows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
    const summaries = {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])};
    const monetary = rows.map((r) => r[4]);
    for (const name of TRANSACTION_MODEL_NAMES) {
      const model = TRANSACTION_MODELS[name];
      const fit = fitTransaction(model as (typeof TRANSACTION_MODELS)["bgnbd"], summaries);
      expect(fit.converged, name).toBe(true);
      expect(Object.keys(fit.params)).toEqual([...model.parameters]);
      const transaction = {model: name, params: fit.params} as Parameters<typeof modelFunctions>[0];
      const clv = customerLifetimeValue({...summaries, monetary}, {transaction, spend: {p: 6.25, q: 3.74, gamma: 15.44}, horizonMonths: 6});
      for (const v of clv.clv) expect(Number.isFinite(v) && v >= 0).toBe(true);
      for (const p of clv.probabilityAlive) expect(p >= 0 && p <= 1).toBe(true);
      const f = modelFunctions(transaction);
      expect(f.conditionalExpectedPurchases(10, 2, 20, 30)).toBeCloseTo(model.conditionalExpectedPurchases(fit.params as never, 10, 2, 20, 30), 12);
      // Expected purchases of a new customer grow with time.
      expect(f.expectedPurchases(20)).toBeGreaterThan(f.expectedPurchases(10));
    }
  });
});
