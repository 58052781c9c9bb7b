import {describe, expect, it} from "vitest";
import {bootstrapClvFits} from "../../../src/lib/fit/bootstrap.js";
import {percentileInterval} from "../../../src/lib/fit/quantiles.js";
import {fitClv} from "../../../src/lib/clv/fitClv.js";
import {clvArrays} from "../../../src/lib/clv/value.js";
import {formatInterval, groupCodes, groupContributions, groupMeanIntervals, holdoutIntervals, kpiIntervals, replicateFigure, whatIfIntervals} from "../../../src/lib/clv/intervals.js";
import {whatIf} from "../../../src/lib/clv/whatif.js";
import type {TransactionModel} from "../../../src/lib/models/index.js";
import {readFixture} from "../../datasets.js";
import type {SummaryArrays} from "../../../src/workers/protocol.js";

// CDNOW 1/10 sample with mean repeat spend (committed fixture, see tests/fixtures/README.md).
function cdnow(): SummaryArrays {
  const rows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {
    frequency: Float64Array.from(rows, (r) => r[1]),
    recency: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
    monetary: Float64Array.from(rows, (r) => r[4])
  };
}

describe("group codes", () => {
  it("numbers groups in order of first appearance; missing and empty keys are one (missing) group", () => {
    const g = groupCodes(["b", "a", null, "b", "", undefined]);
    expect(g.labels).toEqual(["b", "a", "(missing)"]);
    expect([...g.codes]).toEqual([0, 1, 2, 0, 2, 2]);
  });
});

describe("figures of a refit", () => {
  const summaries = cdnow();
  const settings = {horizonMonths: 12, discountRate: 0.01};
  const n = summaries.frequency.length;
  const {fitted} = fitClv(summaries, {model: "bgnbd", ...settings});
  const fit = {transaction: {model: "bgnbd", params: fitted.params} as TransactionModel, spend: fitted.spend!};
  const margins = Float64Array.from({length: n}, (_, i) => (i % 2 ? 0.5 : 0.25));
  const grouping = groupCodes(Array.from({length: n}, (_, i) => (summaries.frequency[i] > 0 ? "repeat" : "one-time")));

  it("sums each customer's CLV times margin, the expected purchases and the active customers, overall and by group", () => {
    const figure = replicateFigure(summaries, fit, settings, {margins, groupings: [grouping]})!;
    const arrays = clvArrays({model: "bgnbd", params: fit.transaction.params, spend: fit.spend, summaries}, settings);
    let total = 0;
    let repeat = 0;
    let repeatPurchases = 0;
    let active = 0;
    for (let i = 0; i < n; i++) {
      total += arrays.clv![i] * margins[i];
      if (summaries.frequency[i] > 0) {
        repeat += arrays.clv![i] * margins[i];
        repeatPurchases += arrays.expectedPurchases![i];
      }
      if (arrays.probabilityAlive![i] > 0.5) active++;
    }
    expect(figure.total).toBeCloseTo(total, 6);
    expect(figure.active).toBe(active);
    const k = grouping.labels.indexOf("repeat");
    expect(figure.groups[0].clv[k]).toBeCloseTo(repeat, 6);
    expect(figure.groups[0].purchases[k]).toBeCloseTo(repeatPurchases, 9);
    expect(figure.groups[0].clv.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 6);
    expect(figure.topShare).toBeGreaterThan(0.1);
    expect(figure.topShare).toBeLessThan(1);
  });

  it("a refit's figures give intervals that hold the full-data figure, at every level the page offers", () => {
    const {fits} = bootstrapClvFits(summaries, {transaction: fit.transaction, spend: fit.spend}, {replicates: 30, seed: 3});
    expect(fits.length).toBeGreaterThan(25);
    const figures = fits.map((f) => replicateFigure(summaries, f, settings, {margins, groupings: [grouping]})!);
    const point = replicateFigure(summaries, fit, settings, {margins, groupings: [grouping]})!;
    const k80 = kpiIntervals(figures, n, 0.8);
    const k95 = kpiIntervals(figures, n, 0.95);
    expect(k80.replicates).toBe(fits.length);
    expect(k80.total[0]).toBeLessThan(point.total);
    expect(k80.total[1]).toBeGreaterThan(point.total);
    expect(k95.total[0]).toBeLessThanOrEqual(k80.total[0]);
    expect(k95.total[1]).toBeGreaterThanOrEqual(k80.total[1]);
    expect(k80.average[0]).toBeCloseTo(k80.total[0] / n, 9);
    expect(k80.total).toEqual(percentileInterval(figures.map((f) => f.total), 0.8));
    const means = groupMeanIntervals(figures, grouping, 0, 0.8);
    const repeats = grouping.codes.filter((c) => c === grouping.labels.indexOf("repeat")).length;
    const [low, high] = means.get("repeat")!;
    expect(low * repeats).toBeCloseTo(percentileInterval(figures.map((f) => f.groups[0].clv[grouping.labels.indexOf("repeat")]), 0.8)[0], 6);
    expect(low).toBeLessThan(high);
    const contributions = groupContributions(figures, grouping, 0, {costToServe: 2});
    const kk = grouping.labels.indexOf("repeat");
    expect(contributions.get("repeat")![0]).toBeCloseTo(figures[0].groups[0].clv[kk] - 2 * figures[0].groups[0].purchases[kk], 9);
    expect(() => kpiIntervals(figures, n, 1)).toThrow(/level/);
  });

  it("formats an interval, and nothing when it is not finite", () => {
    expect(formatInterval([1, 2.5], (x) => x.toFixed(1))).toBe("[1.0 – 2.5]");
    expect(formatInterval([NaN, NaN], String)).toBe("");
  });

  it("what-if: one customer's P(alive), expected purchases and CLV over the refits; too few refits say why", () => {
    const {fits} = bootstrapClvFits(summaries, {transaction: fit.transaction, spend: fit.spend}, {replicates: 20, seed: 4});
    const customer = {frequency: 3, tenureWeeks: 52, weeksSinceLast: 8, monetary: 60};
    const options = {horizonMonths: 12, discountRate: 0.01, margin: 0.3};
    const point = whatIf(customer, {...options, transaction: fit.transaction, spend: fit.spend});
    const narrow = whatIfIntervals(customer, fits, options, 0.8);
    const wide = whatIfIntervals(customer, fits, options, 0.95);
    for (const key of ["probabilityAlive", "expectedPurchases", "clv"] as const) {
      const [low, high] = narrow[key].interval!;
      expect(narrow[key].problem).toBeNull();
      expect(low).toBeLessThan(point[key]!);
      expect(high).toBeGreaterThan(point[key]!);
      expect(wide[key].interval![0]).toBeLessThanOrEqual(low);
      expect(wide[key].interval![1]).toBeGreaterThanOrEqual(high);
    }
    expect(narrow.clv.interval).toEqual(percentileInterval(fits.map((f) => whatIf(customer, {...options, transaction: f.transaction, spend: f.spend}).clv!), 0.8));
    const one = whatIfIntervals(customer, fits.slice(0, 1), options, 0.9, 20);
    expect(one.clv.interval).toBeNull();
    expect(one.clv.problem).toBe("not available: 1 of 20 refits gave a finite CLV (at least 2 are needed)");
  });

  it("holdout totals: the interval of the refits' predicted holdout purchases and spend", () => {
    const {fits} = bootstrapClvFits(summaries, {transaction: fit.transaction, spend: fit.spend}, {replicates: 20, seed: 6});
    const withHoldout = {...settings, holdoutLength: 39};
    const figures = fits.map((f) => replicateFigure(summaries, f, withHoldout as typeof settings, {margins})!);
    const point = replicateFigure(summaries, fit, withHoldout as typeof settings, {margins})!;
    const {purchases, spend} = holdoutIntervals(figures, 20, 0.9);
    expect(purchases.interval![0]).toBeLessThan(point.holdout!.purchases);
    expect(purchases.interval![1]).toBeGreaterThan(point.holdout!.purchases);
    expect(spend.interval![0]).toBeLessThan(point.holdout!.spend);
    expect(spend.interval![1]).toBeGreaterThan(point.holdout!.spend);
    // Figures without a holdout have no holdout interval, and say so.
    const none = holdoutIntervals(fits.map((f) => replicateFigure(summaries, f, settings, {margins})!), 20, 0.9);
    expect(none.purchases.problem).toMatch(/^not available: 0 of 20 refits/);
  });
});
