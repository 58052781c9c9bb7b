import {describe, expect, it} from "vitest";
import {bootstrapClv, bootstrapSettings, bootstrapTransactionFit, BootstrapCancelled, cumulativeOf, resampleWeights} from "../../../src/lib/fit/bootstrap.js";
import {percentileInterval} from "../../../src/lib/fit/quantiles.js";
import {createRandom} from "../../../src/lib/data/random.js";
import {BG_NBD} from "../../../src/lib/models/bgnbd.js";
import {simulateBgNbd} from "../../../src/lib/models/simulate.js";
import {compressSummaries} from "../../../src/lib/fit/compress.js";
import {fitTransactionCompressed} from "../../../src/lib/fit/transaction.js";
import {fitClvModels, predictCustomers} from "../../../src/lib/clv/predict.js";
import {readFixture} from "../../datasets.js";

// CDNOW 1/10 sample with mean repeat spend (committed fixture, see tests/fixtures/README.md).
function readCdnow() {
  const rows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return rows.map((r) => ({frequency: r[1], recency: r[2], T: r[3], monetary: r[4]}));
}

describe("bootstrap building blocks", () => {
  it("percentile intervals interpolate between order statistics (type 7) and ignore non-finite values", () => {
    const values = Array.from({length: 101}, (_, i) => 100 - i);
    const [lo, hi] = percentileInterval(values, 0.9);
    expect(lo).toBeCloseTo(5, 12);
    expect(hi).toBeCloseTo(95, 12);
    expect(percentileInterval([1, 2, NaN, 3, 4], 0.5)).toEqual([1.75, 3.25]);
    expect(percentileInterval([NaN], 0.9).every(Number.isNaN)).toBe(true);
  });

  it("a multinomial resample draws exactly N and each row in proportion to its weight", () => {
    const weight = [5, 0, 15, 80];
    const out = new Float64Array(4);
    const mean = new Float64Array(4);
    const random = createRandom(3);
    for (let k = 0; k < 2000; k++) {
      resampleWeights(cumulativeOf(weight), 100, random, out);
      expect(out.reduce((s, v) => s + v, 0)).toBe(100);
      expect(out[1]).toBe(0);
      for (let j = 0; j < 4; j++) mean[j] += out[j] / 2000;
    }
    weight.forEach((w, j) => expect(Math.abs(mean[j] - w)).toBeLessThan(0.5));
  });

  it("refuses bad settings with a message naming the value", () => {
    expect(() => bootstrapSettings({replicates: 0})).toThrow(/replicates .* got 0/);
    expect(() => bootstrapSettings({replicates: 2.5})).toThrow(/got 2.5/);
    expect(() => bootstrapSettings({replicates: 10, level: 1})).toThrow(/level must be between 0 and 1, got 1/);
  });
});

describe("bootstrap of the BG/NBD on CDNOW", () => {
  const cdnow = readCdnow();
  const c = compressSummaries(cdnow);
  const fit = fitTransactionCompressed(BG_NBD, c);

  it("gives the same intervals for the same seed, other intervals for another seed", () => {
    const a = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 20, seed: 7});
    const b = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 20, seed: 7});
    const other = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 20, seed: 8});
    expect(a.intervals).toEqual(b.intervals);
    expect(other.intervals.r).not.toEqual(a.intervals.r);
    expect(a.failed).toBe(0);
  });

  it("brackets the estimate, about as wide as ±1.645 standard errors", () => {
    const boot = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 100, level: 0.9, seed: 1});
    for (const k of BG_NBD.parameters) {
      const [lo, hi] = boot.intervals[k];
      expect(lo).toBeLessThan(fit.params[k]);
      expect(hi).toBeGreaterThan(fit.params[k]);
      const width = (hi - lo) / (2 * 1.645 * fit.standardErrors![k]);
      // The likelihood is skewed in a and b, so the percentile interval is not symmetric; its width is still
      // of the order of the asymptotic one.
      expect(width, k).toBeGreaterThan(0.6);
      expect(width, k).toBeLessThan(1.6);
    }
  });

  it("stops when cancelled and reports progress", () => {
    const seen: number[] = [];
    expect(() =>
      bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 50, onProgress: (done) => seen.push(done), cancelled: () => seen.length >= 3})
    ).toThrow(BootstrapCancelled);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("brackets per-customer CLV and expected purchases and their totals (joint resample of both models)", () => {
    const clvFit = fitClvModels(cdnow);
    const options = {horizonMonths: 12, discountRate: 0.01, margin: 0.3, timeUnit: "week" as const};
    const point = predictCustomers(cdnow, clvFit, options);
    const columns = {
      frequency: cdnow.map((r) => r.frequency),
      recency: cdnow.map((r) => r.recency),
      T: cdnow.map((r) => r.T),
      monetary: cdnow.map((r) => r.monetary)
    };
    const estimate = {transaction: {model: "bgnbd" as const, params: clvFit.transaction.params}, spend: clvFit.spend.params};
    const boot = bootstrapClv(columns, estimate as never, options, {replicates: 40, seed: 2});
    expect(boot.succeeded).toBe(40);
    let inside = 0;
    for (let i = 0; i < cdnow.length; i++) {
      expect(boot.clv.low[i]).toBeLessThanOrEqual(boot.clv.high[i]);
      if (boot.clv.low[i] <= point[i].clv && point[i].clv <= boot.clv.high[i]) inside++;
      expect(boot.expectedPurchases.low[i] <= point[i].expected_purchases * 1.0001 && point[i].expected_purchases <= boot.expectedPurchases.high[i] * 1.0001).toBe(true);
    }
    expect(inside / cdnow.length).toBeGreaterThan(0.95);
    const total = point.reduce((s, p) => s + p.clv, 0);
    expect(boot.totals.clv[0]).toBeLessThan(total);
    expect(boot.totals.clv[1]).toBeGreaterThan(total);
    // A fixed seed gives the same intervals on every run.
    const again = bootstrapClv(columns, estimate as never, options, {replicates: 40, seed: 2});
    expect(Array.from(again.clv.high)).toEqual(Array.from(boot.clv.high));
    // Too many values to keep says so rather than running out of memory.
    expect(() => bootstrapClv(columns, estimate as never, options, {replicates: 40, seed: 2, maxValues: 1000})).toThrow(/per-customer intervals would keep/);
  });
});

describe("coverage on simulated BG/NBD customers with known parameters", () => {
  it("the 90% intervals cover the true parameters about 90% of the time (30 data sets × 40 refits)", () => {
    const truth = {r: 0.8, alpha: 5, a: 0.7, b: 2.5};
    let covered = 0;
    let intervals = 0;
    for (let d = 0; d < 30; d++) {
      const c = compressSummaries(simulateBgNbd(truth, {customers: 300, T: 52, cohortSpread: 26, seed: 1000 + d}));
      const fit = fitTransactionCompressed(BG_NBD, c, {standardErrors: false});
      expect(fit.converged).toBe(true);
      const boot = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 40, level: 0.9, seed: d});
      for (const k of BG_NBD.parameters) {
        const [lo, hi] = boot.intervals[k];
        intervals++;
        if (lo <= truth[k] && truth[k] <= hi) covered++;
      }
    }
    // 120 intervals (4 per data set, correlated): binomial sd at 0.9 is under 3%.
    expect(covered / intervals).toBeGreaterThan(0.8);
    expect(covered / intervals).toBeLessThan(0.98);
  }, 180_000);
});
