import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  cumulativeTransactions,
  frequencyRecencyGrid,
  holdoutByFrequency,
  modelFunctions,
  rankScores,
  repeatDistribution,
  scoreAgainst,
  topShare,
  valueByGroup,
  type TransactionModel
} from "../../../src/lib/clv/diagnostics.js";
import * as bgnbd from "../../../src/lib/models/bgnbd.js";
import * as paretonbd from "../../../src/lib/models/paretonbd.js";
import {quantileScores} from "../../../src/lib/rfm/scores.js";

// CDNOW BG/NBD estimates (Fader, Hardie & Lee 2005) and a Pareto/NBD of similar scale, time in weeks.
const BG: TransactionModel = {model: "bgnbd", params: {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}};
const PARETO: TransactionModel = {model: "paretonbd", params: {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}};

describe("modelFunctions", () => {
  it("binds the model's predictions to its parameters", () => {
    const f = modelFunctions(BG);
    expect(f.probabilityAlive(2, 30.43, 38.86)).toBe(bgnbd.probabilityAlive(BG.params as bgnbd.BgNbdParams, 2, 30.43, 38.86));
    const g = modelFunctions(PARETO);
    expect(g.expectedPurchases(10)).toBe(paretonbd.expectedPurchases(PARETO.params as paretonbd.ParetoNbdParams, 10));
  });
  it("refuses an unknown model", () => {
    expect(() => modelFunctions({model: "nope"} as unknown as TransactionModel)).toThrow(/bgnbd/);
  });
});

describe("frequencyRecencyGrid", () => {
  it("has one cell per frequency and recency band, probabilities in [0, 1]", () => {
    const cells = frequencyRecencyGrid(BG, {maxFrequency: 5, T: 39, recencyBins: 13});
    expect(cells).toHaveLength(6 * 13);
    for (const c of cells) {
      expect(c.probabilityAlive).toBeGreaterThanOrEqual(0);
      expect(c.probabilityAlive).toBeLessThanOrEqual(1);
      expect(c.expectedPurchases).toBeGreaterThanOrEqual(0);
    }
    // Frequency 0: recency is 0 by definition, BG/NBD P(alive) = 1.
    expect(cells.filter((c) => c.frequency === 0).every((c) => c.probabilityAlive === 1)).toBe(true);
    // Recency bands are centred: the first is T / 26.
    expect(cells[0].recency).toBeCloseTo(39 / 26, 12);
    const cell = cells.find((c) => c.frequency === 3 && c.recency === 19.5)!;
    expect(cell.expectedPurchases).toBeCloseTo(bgnbd.conditionalExpectedPurchases(BG.params as bgnbd.BgNbdParams, 1, 3, 19.5, 39), 12);
  });
  it("gives a recent frequent buyer a higher P(alive) than a lapsed one", () => {
    const cells = frequencyRecencyGrid(PARETO, {maxFrequency: 4, T: 40, recencyBins: 4});
    const at = (x: number, bin: number) => cells[x * 4 + bin].probabilityAlive;
    expect(at(4, 3)).toBeGreaterThan(at(4, 0));
  });
  it("refuses bad options", () => {
    expect(() => frequencyRecencyGrid(BG, {maxFrequency: -1, T: 10})).toThrow(/maxFrequency/);
    expect(() => frequencyRecencyGrid(BG, {maxFrequency: 2, T: 0})).toThrow(/T must be/);
  });
});

describe("repeatDistribution", () => {
  const frequency = [0, 0, 1, 2, 9, 0, 3];
  const T = [10, 10, 20, 20, 30, 5, 30];
  it("counts observed customers per bucket and spreads each customer's probability over the buckets", () => {
    const buckets = repeatDistribution(BG, {frequency, T}, {max: 3});
    expect(buckets.map((b) => b.label)).toEqual(["0", "1", "2", "3+"]);
    expect(buckets.map((b) => b.observed)).toEqual([3, 1, 1, 2]);
    const expectedTotal = buckets.reduce((s, b) => s + b.expected, 0);
    expect(expectedTotal).toBeCloseTo(frequency.length, 10);
    const p0 = T.reduce((s, t) => s + bgnbd.probabilityOfPurchases(BG.params as bgnbd.BgNbdParams, t, 0), 0);
    expect(buckets[0].expected).toBeCloseTo(p0, 12);
  });
  it("works for Pareto/NBD", () => {
    const buckets = repeatDistribution(PARETO, {frequency, T});
    expect(buckets).toHaveLength(8);
    expect(buckets.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(frequency.length, 6);
  });
  it("refuses a fractional frequency", () => {
    expect(() => repeatDistribution(BG, {frequency: [1.5], T: [3]})).toThrow(/frequency\[0\]/);
  });
});

describe("cumulativeTransactions", () => {
  it("adds up E[X(age)] over customers born before each day and accumulates the actual purchases", () => {
    const points = cumulativeTransactions(
      BG,
      {births: [{day: "2024-01-01", customers: 2}, {day: "2024-01-03", customers: 1}], repeats: [{day: "2024-01-02", purchases: 1}, {day: "2024-01-04", purchases: 2}]},
      {first: "2024-01-01", last: "2024-01-04"}
    );
    const E = (days: number) => bgnbd.expectedPurchases(BG.params as bgnbd.BgNbdParams, days / 7);
    expect(points.map((p) => p.date)).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]);
    expect(points.map((p) => p.actual)).toEqual([0, 1, 1, 3]);
    expect(points[0].expected).toBeCloseTo(2 * E(1), 12);
    expect(points[3].expected).toBeCloseTo(2 * E(4) + E(2), 12);
  });
  it("is non-decreasing", () => {
    const points = cumulativeTransactions(PARETO, {births: [{day: "2024-01-01", customers: 5}], repeats: []}, {first: "2024-01-01", last: "2024-03-01"});
    for (let i = 1; i < points.length; i++) expect(points[i].expected).toBeGreaterThanOrEqual(points[i - 1].expected);
  });
  it("refuses births before the first day and reversed ranges", () => {
    expect(() => cumulativeTransactions(BG, {births: [{day: "2023-12-31", customers: 1}], repeats: []}, {first: "2024-01-01", last: "2024-01-02"})).toThrow(/before first/);
    expect(() => cumulativeTransactions(BG, {births: [], repeats: []}, {first: "2024-01-02", last: "2024-01-01"})).toThrow(/before first/);
  });
});

describe("holdoutByFrequency", () => {
  it("averages actual and expected holdout purchases by calibration frequency", () => {
    const rows = holdoutByFrequency({frequency: [0, 0, 1, 5, 6], actual: [0, 1, 2, 3, 5], expected: [0.5, 0.5, 1, 2, 4]}, {max: 5});
    expect(rows).toEqual([
      {label: "0", frequency: 0, customers: 2, actual: 0.5, expected: 0.5},
      {label: "1", frequency: 1, customers: 1, actual: 2, expected: 1},
      {label: "5+", frequency: 5, customers: 2, actual: 4, expected: 3}
    ]);
  });
});

describe("topShare and valueByGroup", () => {
  it("gives the top 10% share", () => {
    expect(topShare([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(10 / 55, 12);
    expect(topShare([])).toBe(0);
    expect(topShare([0, 0])).toBe(0);
    expect(topShare([5, 1, 4], {share: 0.5})).toBeCloseTo(9 / 10, 12);
  });
  it("sums by group, largest total first (ties by name) or in a given order", () => {
    const rows = valueByGroup([10, 20, 30, 40], ["a", "b", "a", null]);
    expect(rows).toEqual([
      {group: "(missing)", customers: 1, total: 40, mean: 40, share: 0.4},
      {group: "a", customers: 2, total: 40, mean: 20, share: 0.4},
      {group: "b", customers: 1, total: 20, mean: 20, share: 0.2}
    ]);
    expect(valueByGroup([1, 2], ["x", "y"], {order: ["y", "x"]}).map((r) => r.group)).toEqual(["y", "x"]);
  });
});

describe("rankScores and scoreAgainst", () => {
  it("agree with rfm.ts quantileScores", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 20}), {minLength: 1, maxLength: 60}), fc.integer({min: 2, max: 10}), fc.boolean(), (values, k, descending) => {
        expect(Array.from(rankScores(values, {k, descending}))).toEqual(Array.from(quantileScores(values, {k, descending})));
      })
    );
  });
  it("scores a new value against a population", () => {
    const population = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(scoreAgainst(population, 0)).toBe(1);
    expect(scoreAgainst(population, 11)).toBe(5);
    expect(scoreAgainst(population, 5)).toBe(3);
    expect(scoreAgainst(population, 1, {descending: true})).toBe(5);
    expect(scoreAgainst([], 3)).toBe(1);
  });
});
