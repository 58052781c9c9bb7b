// The identification verdict of src/lib/fit.ts, and errors that name customers by their id.
import {describe, expect, it} from "vitest";
import {fitBgNbd} from "../../../src/lib/fit/transaction.js";
import {fitGammaGamma} from "../../../src/lib/fit/spend.js";
import {spendEligible} from "../../../src/lib/fit/columns.js";
import {simulateBgNbd} from "../../../src/lib/models/simulate.js";
import {customerSummary} from "../../../src/lib/fit/summary.js";
import {openDuckDB} from "../../../src/node/duckdb.js";
import {superstoreTable} from "../explore/rows.js";
import {readFixture} from "../../datasets.js";

describe("identification", () => {
  it("CDNOW (the published summary) is identified", () => {
    const rows = readFixture("cdnow/cdnow_customers_summary.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
    const fit = fitBgNbd({frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])});
    expect(fit.converged).toBe(true);
    expect(fit.identified).toBe(true);
    expect(fit.identification).toMatch(/^Identified/);
  });

  it("Superstore's BG/NBD over the full period is not identified: a → 0; a penalizer makes it identified", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const summary = await customerSummary(db, {table: "transactions", unit: "week"});
    db.close();
    expect(summary).toHaveLength(795);
    const fit = fitBgNbd(summary);
    expect(fit.identified).toBe(false);
    expect(fit.params.a).toBeLessThan(1e-4);
    expect(fit.identification).toMatch(/^Not identified: a → 0: the data show almost no drop-out, so the model cannot tell how fast customers leave/);
    const penalized = fitBgNbd(summary, {penalizer: 0.01});
    expect(penalized.converged).toBe(true);
    expect(penalized.identified).toBe(true);
  });

  it("seeded simulated data where nobody drops out (a → 0) is not identified", () => {
    const sim = simulateBgNbd({r: 1, alpha: 5, a: 0.001, b: 5}, {customers: 2000, T: 52, cohortSpread: 26, seed: 2});
    const fit = fitBgNbd(sim);
    expect(fit.identified).toBe(false);
    expect(fit.params.a).toBeLessThan(1e-3);
    expect(fit.identification).toMatch(/a → 0/);
  });

  it("simulated data with ordinary drop-out is identified", () => {
    const sim = simulateBgNbd({r: 0.8, alpha: 6, a: 0.7, b: 3}, {customers: 2000, T: 52, cohortSpread: 26, seed: 2});
    expect(fitBgNbd(sim).identified).toBe(true);
  });
});

describe("errors name customers by id", () => {
  it("transaction and spend fits say customer \"id\", not an array index", () => {
    const ids = ["10243", "10244", "10245"];
    const data = {frequency: [1, 2, 0], recency: [3, 9, 0], T: [5, 8, 5]};
    expect(() => fitBgNbd(data, {ids})).toThrow('customer "10244": recency 9 is larger than T 8');
    expect(() => fitGammaGamma({frequency: [1, 1.5, 0], monetary: [3, 4, 0]}, {ids})).toThrow('customer "10244": frequency must be a non-negative integer (got 1.5)');
    expect(() => fitBgNbd(data)).toThrow("summary row 1: recency 9 is larger than T 8");
  });
});

describe("spendEligible", () => {
  it("selects repeat customers with a positive finite mean spend and counts the others by reason", () => {
    const e = spendEligible([
      {frequency: 0, monetary: 0},
      {frequency: 2, monetary: 0},
      {frequency: 1, monetary: -3},
      {frequency: 3, monetary: Infinity},
      {frequency: 1},
      {frequency: 4, monetary: 12.5}
    ]);
    expect(Array.from(e.mask)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(e.customers).toBe(1);
    expect(e.excluded).toEqual({one_time_buyers: 1, zero_or_negative_spend: 2, non_finite_spend: 2});
    expect(spendEligible({frequency: [1, 0], monetary: [5, 5]}).excluded.one_time_buyers).toBe(1);
  });
});
