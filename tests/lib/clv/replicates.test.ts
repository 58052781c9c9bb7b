import {describe, expect, it} from "vitest";
import {clvReplicates, type ClvReplicate} from "../../../src/lib/fit/bootstrap.js";
import {percentileInterval} from "../../../src/lib/fit/quantiles.js";
import {fitClv} from "../../../src/lib/clv/fitClv.js";
import {distinctRows, groupCodes, RefitFigures} from "../../../src/lib/clv/replicates.js";
import {expectedSpendPerPurchase} from "../../../src/lib/clv/value.js";
import {topShare} from "../../../src/lib/clv/diagnostics.js";
import {simulateBgNbd, simulateGammaGamma} from "../../../src/lib/models/simulate.js";
import {transactionModel, type TransactionModelName} from "../../../src/lib/models/index.js";
import {UNITS_PER_MONTH} from "../../../src/lib/time.js";

// Seeded customers whose times are whole days (in weeks), so that many share (x, T) but not t_x.
function customers(n: number, seed: number) {
  const s = simulateBgNbd({r: 0.6, alpha: 4, a: 0.8, b: 2.5}, {customers: n, T: 52, cohortSpread: 30, resolution: 1 / 7, seed});
  const spend = simulateGammaGamma({p: 6, q: 4, gamma: 15}, s.frequency, {seed: seed + 1});
  return {...s, monetary: Float64Array.from(spend, (m, i) => (s.frequency[i] > 0 ? m : 0))};
}

/** The per-customer recomputation the distinct rows replace: every customer, every month of the horizon. */
function perCustomer(data: ReturnType<typeof customers>, fit: ClvReplicate, horizonMonths: number, discountRate: number) {
  const model = transactionModel(fit.transaction.model);
  const params = fit.transaction.params;
  const spend = expectedSpendPerPurchase(data, fit.spend);
  const n = data.frequency.length;
  const clv = new Float64Array(n);
  const purchases = new Float64Array(n);
  const alive = new Float64Array(n);
  let holdoutPurchases = 0;
  let holdoutSpend = 0;
  for (let k = 0; k < n; k++) {
    const [x, tx, T] = [data.frequency[k], data.recency[k], data.T[k]];
    let previous = 0;
    let acc = 0;
    for (let i = 1; i <= horizonMonths; i++) {
      const current = model.conditionalExpectedPurchases(params, i * UNITS_PER_MONTH.week, x, tx, T);
      acc += (current - previous) / Math.pow(1 + discountRate, i);
      previous = current;
    }
    clv[k] = spend[k] * acc;
    purchases[k] = previous;
    alive[k] = model.probabilityAlive(params, x, tx, T);
    const h = model.conditionalExpectedPurchases(params, 26, x, tx, T);
    holdoutPurchases += h;
    holdoutSpend += h * spend[k];
  }
  return {clv, purchases, alive, holdout: {purchases: holdoutPurchases, spend: holdoutSpend}};
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("distinct rows", () => {
  it("maps every customer to a (x, t_x, T) row, an (x, T) pair and a value row with its own spend", () => {
    const data = customers(2000, 3);
    const d = distinctRows(data);
    expect(d.pairs).toBeLessThan(d.rows.rows);
    expect(d.rows.rows).toBeLessThan(2000);
    for (let i = 0; i < 2000; i++) {
      const j = d.rows.index[i];
      expect([d.rows.x[j], d.rows.tx[j], d.rows.T[j]]).toEqual([data.frequency[i], data.recency[i], data.T[i]]);
      const v = d.valueOf[i];
      expect(d.valueRow[v]).toBe(j);
      if (d.eligible[v]) expect(d.valueMonetary[v]).toBe(data.monetary[i]);
      const rep = d.representative[d.pairOf[j]];
      expect([d.rows.x[rep], d.rows.T[rep]]).toEqual([d.rows.x[j], d.rows.T[j]]);
      expect(d.rows.tx[rep]).toBeGreaterThanOrEqual(d.rows.tx[j]);
    }
  });
});

describe.each(["bgnbd", "mbgnbd", "paretonbd"] as TransactionModelName[])("%s: the refits' figures per distinct row", (model) => {
  const data = customers(1500, 11);
  const settings = {horizonMonths: 12, discountRate: 0.01};
  const n = data.frequency.length;
  const {fitted} = fitClv(data, {model, ...settings});
  const fits = [...clvReplicates(data, {transaction: {model, params: fitted.params!} as ClvReplicate["transaction"], spend: fitted.spend!}, {replicates: 6, seed: 5})].filter(
    (f): f is ClvReplicate => f !== null
  );
  const margins = Float64Array.from({length: n}, (_, i) => [0.3, 0.5, -0.1, 0][i % 4]);
  const grouping = groupCodes(Array.from({length: n}, (_, i) => ["north", "south", "", "east"][i % 4]));

  it("equal the per-customer recomputation to 1e-9 relative", () => {
    expect(fits.length).toBeGreaterThanOrEqual(4);
    const recompute = new RefitFigures(data, {...settings, holdoutLength: 26}, {margins, groupings: [grouping], perCustomer: fits.length});
    const direct = fits.map((fit) => perCustomer(data, fit, settings.horizonMonths, settings.discountRate));
    fits.forEach((fit, b) => {
      const figure = recompute.add(fit)!;
      const {clv, purchases, alive} = direct[b];
      const value = clv.map((c, i) => c * margins[i]);
      let total = 0;
      let expected = 0;
      let active = 0;
      const groupClv = new Float64Array(grouping.labels.length);
      const groupPurchases = new Float64Array(grouping.labels.length);
      for (let i = 0; i < n; i++) {
        total += value[i];
        expected += purchases[i];
        if (alive[i] > 0.5) active++;
        groupClv[grouping.codes[i]] += value[i];
        groupPurchases[grouping.codes[i]] += purchases[i];
      }
      expect(relative(figure.total, total)).toBeLessThan(1e-9);
      expect(relative(figure.purchases, expected)).toBeLessThan(1e-9);
      expect(figure.active).toBe(active);
      expect(relative(figure.holdout!.purchases, direct[b].holdout.purchases)).toBeLessThan(1e-9);
      expect(relative(figure.holdout!.spend, direct[b].holdout.spend)).toBeLessThan(1e-9);
      expect(relative(figure.topShare, topShare(value, {share: 0.1}))).toBeLessThan(1e-9);
      grouping.labels.forEach((_, k) => {
        expect(relative(figure.groups[0].clv[k], groupClv[k])).toBeLessThan(1e-9);
        expect(relative(figure.groups[0].purchases[k], groupPurchases[k])).toBeLessThan(1e-9);
      });
    });
    // Per-customer intervals: the percentile interval of each customer's own values over the refits (the values
    // are kept as Float32: 1e-6 relative).
    const level = 0.8;
    const intervals = recompute.customerIntervals(level)!;
    for (let i = 0; i < n; i += 7) {
      const [low, high] = percentileInterval(direct.map((d) => d.clv[i] * margins[i]), level);
      expect(Math.abs(intervals.clv.low[i] - Math.min(low, high))).toBeLessThanOrEqual(1e-6 * Math.abs(low) + 1e-12);
      expect(Math.abs(intervals.clv.high[i] - Math.max(low, high))).toBeLessThanOrEqual(1e-6 * Math.abs(high) + 1e-12);
      expect(intervals.clv.low[i]).toBeLessThanOrEqual(intervals.clv.high[i]);
      const [pLow, pHigh] = percentileInterval(direct.map((d) => d.purchases[i]), level);
      expect(relative(intervals.expectedPurchases.low[i], pLow)).toBeLessThan(1e-6);
      expect(relative(intervals.expectedPurchases.high[i], pHigh)).toBeLessThan(1e-6);
      const [aLow, aHigh] = percentileInterval(direct.map((d) => d.alive[i]), level);
      expect(relative(intervals.probabilityAlive!.low[i], aLow)).toBeLessThan(1e-6);
      expect(relative(intervals.probabilityAlive!.high[i], aHigh)).toBeLessThan(1e-6);
    }
    // A wider level gives a wider interval.
    const [narrow, wide] = recompute.customerIntervalSets([0.5, 0.95])!;
    for (let i = 0; i < n; i += 7) {
      expect(wide.expectedPurchases.low[i]).toBeLessThanOrEqual(narrow.expectedPurchases.low[i]);
      expect(wide.expectedPurchases.high[i]).toBeGreaterThanOrEqual(narrow.expectedPurchases.high[i]);
    }
  });
});

describe("memory of per-customer intervals", () => {
  it("keeps no values beyond maxValues and says why", () => {
    const data = customers(500, 2);
    const r = new RefitFigures(data, {horizonMonths: 6, discountRate: 0}, {margins: new Float64Array(500).fill(1), perCustomer: 100, maxValues: 10_000});
    expect(r.perCustomerProblem).toMatch(/^not available: per-customer intervals would keep/);
    expect(r.customerIntervals(0.9)).toBeNull();
  });
});
