import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as aq from "arquero";
import {
  defaultAnalysisDate,
  quantileScores,
  rfmScores,
  rfmValues,
  scoreRfm,
  thresholdScores,
  toMicros
} from "../../../src/lib/rfm/scores.js";
import type {Transaction} from "../../../src/lib/types.js";

/** Hand-made fixture; expected values worked out by hand in the comments of each test. */
const TX: Transaction[] = [
  {customer_id: "A", order_date: "2024-01-10", amount: 100},
  {customer_id: "A", order_date: "2024-01-05", amount: 50},
  {customer_id: "B", order_date: "2024-01-10", amount: 30},
  {customer_id: "C", order_date: "2024-01-01", amount: 20},
  {customer_id: "C", order_date: "2024-01-03", amount: 130},
  {customer_id: "D", order_date: "2024-01-06", amount: 10},
  {customer_id: "E", order_date: "2024-01-02", amount: 5},
  {customer_id: "E", order_date: "2024-01-04", amount: 5},
  {customer_id: "E", order_date: "2024-01-08", amount: 5},
  {customer_id: "F", order_date: "2023-12-31", amount: 30}
];

const pick = (table: aq.ColumnTable, ...columns: string[]) => table.select(...columns).objects();

describe("rfmValues", () => {
  it("aggregates per customer as of the day after the last order", () => {
    expect(defaultAnalysisDate(TX)).toBe("2024-01-11");
    expect(rfmValues(TX).objects()).toEqual([
      {customer_id: "A", first_purchase: "2024-01-05", last_purchase: "2024-01-10", recency: 1, frequency: 2, monetary: 150, revenue: 150},
      {customer_id: "B", first_purchase: "2024-01-10", last_purchase: "2024-01-10", recency: 1, frequency: 1, monetary: 30, revenue: 30},
      {customer_id: "C", first_purchase: "2024-01-01", last_purchase: "2024-01-03", recency: 8, frequency: 2, monetary: 150, revenue: 150},
      {customer_id: "D", first_purchase: "2024-01-06", last_purchase: "2024-01-06", recency: 5, frequency: 1, monetary: 10, revenue: 10},
      {customer_id: "E", first_purchase: "2024-01-02", last_purchase: "2024-01-08", recency: 3, frequency: 3, monetary: 15, revenue: 15},
      {customer_id: "F", first_purchase: "2023-12-31", last_purchase: "2023-12-31", recency: 11, frequency: 1, monetary: 30, revenue: 30}
    ]);
  });

  it("ignores orders on or after an explicit analysis date", () => {
    const t = rfmValues(TX, {analysisDate: "2024-01-05"});
    expect(pick(t, "customer_id", "last_purchase", "recency", "frequency", "revenue")).toEqual([
      {customer_id: "C", last_purchase: "2024-01-03", recency: 2, frequency: 2, revenue: 150},
      {customer_id: "E", last_purchase: "2024-01-04", recency: 1, frequency: 2, revenue: 10},
      {customer_id: "F", last_purchase: "2023-12-31", recency: 5, frequency: 1, revenue: 30}
    ]);
  });

  it("counts orders by order_id, rows, or purchase days, and takes total or mean spend", () => {
    const tx = [
      {customer_id: "X", order_date: "2024-02-01", amount: 1, order_id: "o1"},
      {customer_id: "X", order_date: "2024-02-01", amount: 2, order_id: "o1"},
      {customer_id: "X", order_date: "2024-02-01", amount: 3, order_id: "o2"},
      {customer_id: "X", order_date: "2024-02-03", amount: 4, order_id: null}
    ];
    expect(rfmValues(tx).get("frequency", 0)).toBe(3); // o1, o2 and the row without an id
    expect(rfmValues(tx.map(({order_id, ...rest}) => rest)).get("frequency", 0)).toBe(4); // rows
    const days = rfmValues(tx, {frequency: "days", monetary: "mean"});
    expect(pick(days, "frequency", "monetary", "revenue")).toEqual([{frequency: 2, monetary: 5, revenue: 10}]);
  });

  it("accepts an Arquero table with Date values", () => {
    const t = aq.table({customer_id: ["a", "a"], order_date: [new Date("2020-03-01"), new Date("2020-03-04")], amount: [1, 2]});
    expect(pick(rfmValues(t), "first_purchase", "recency", "frequency")).toEqual([{first_purchase: "2020-03-01", recency: 1, frequency: 2}]);
    const ms = aq.table({customer_id: ["a"], order_date: [Date.UTC(2020, 2, 1)], amount: [1]});
    expect(rfmValues(ms).get("last_purchase", 0)).toBe("2020-03-01");
  });

  it("sums money exactly, whatever the row order", () => {
    const rows = [0.1, 0.2, 0.3, 1e-7, 2.675].map((amount) => ({customer_id: "a", order_date: "2020-01-01", amount}));
    const total = rfmValues(rows).get("revenue", 0);
    expect(total).toBe(3.275); // each amount rounded to 1e-6 (1e-7 -> 0), then summed as integers
    expect(rfmValues(rows.slice().reverse()).get("revenue", 0)).toBe(total);
    expect(toMicros(-1.25)).toBe(-1_250_000);
    expect(Object.is(toMicros(-1e-9), 0)).toBe(true);
  });

  it("throws on bad input, naming the value", () => {
    expect(() => rfmValues(TX, {analysisDate: "2024-13-01"})).toThrow(/analysisDate.*"2024-13-01"/);
    expect(() => rfmValues([{customer_id: "a", order_date: "1/2/2020", amount: 1}])).toThrow(/order_date in row 0.*"1\/2\/2020"/);
    expect(() => rfmValues([{customer_id: "a", order_date: "2020-01-02", amount: Number.NaN}])).toThrow(/amount in row 0/);
    expect(() => rfmValues([{customer_id: "", order_date: "2020-01-02", amount: 1}])).toThrow(/customer_id in row 0/);
    expect(() => rfmValues(TX, {frequency: "visits" as never})).toThrow(/frequency.*"visits"/);
    expect(() => rfmValues(aq.table({customer_id: ["a"], amount: [1]}))).toThrow(/"order_date"/);
  });

  it("gives an empty table when nothing precedes the analysis date", () => {
    expect(rfmScores(TX, {analysisDate: "2000-01-01"}).numRows()).toBe(0);
  });
});

describe("quantile scores (tie rule: 1 + floor(k * (rank_min - 1) / n))", () => {
  it("scores the fixture by hand", () => {
    // n = 6, k = 5. recency days A1 B1 C8 D5 E3 F11, scored by the count of strictly larger days:
    // A,B: 4 -> 1 + floor(20/6) = 4; C: 1 -> 1; D: 2 -> 2; E: 3 -> 3; F: 0 -> 1.
    // frequency A2 B1 C2 D1 E3 F1: A,C: 3 smaller -> 3; E: 5 -> 5; B,D,F: 1.
    // monetary A150 B30 C150 D10 E15 F30: A,C: 4 -> 4; B,F: 2 -> 2; D: 0 -> 1; E: 1 -> 1.
    expect(pick(rfmScores(TX), "customer_id", "r_score", "f_score", "m_score", "fm_score")).toEqual([
      {customer_id: "A", r_score: 4, f_score: 3, m_score: 4, fm_score: 3.5},
      {customer_id: "B", r_score: 4, f_score: 1, m_score: 2, fm_score: 1.5},
      {customer_id: "C", r_score: 1, f_score: 3, m_score: 4, fm_score: 3.5},
      {customer_id: "D", r_score: 2, f_score: 1, m_score: 1, fm_score: 1},
      {customer_id: "E", r_score: 3, f_score: 5, m_score: 1, fm_score: 3},
      {customer_id: "F", r_score: 1, f_score: 1, m_score: 2, fm_score: 1.5}
    ]);
  });

  it("scores one customer, or all-equal customers, 1", () => {
    const one = rfmScores([{customer_id: "a", order_date: "2020-01-01", amount: 5}]);
    expect(pick(one, "r_score", "f_score", "m_score")).toEqual([{r_score: 1, f_score: 1, m_score: 1}]);
    const same = rfmScores(["a", "b", "c"].map((customer_id) => ({customer_id, order_date: "2020-01-01", amount: 5})), {k: 3});
    expect(same.array("r_score")).toEqual([1, 1, 1]);
    expect(same.array("m_score")).toEqual([1, 1, 1]);
  });

  it("leaves scores unused when k exceeds the distinct values", () => {
    // n = 4, values 1 1 2 3, k = 10: strictly smaller counts 0 0 2 3 -> 1, 1, 1 + floor(20/4) = 6, 1 + floor(30/4) = 8.
    expect(Array.from(quantileScores([1, 1, 2, 3], {k: 10}))).toEqual([1, 1, 6, 8]);
    // descending: strictly larger counts 2 2 1 0 -> 1 + floor(20/4) = 6, 6, 1 + floor(10/4) = 3, 1.
    expect(Array.from(quantileScores([1, 1, 2, 3], {k: 10, descending: true}))).toEqual([6, 6, 3, 1]);
    // n < k: 2 customers, k = 5 -> 1 and 1 + floor(5/2) = 3.
    expect(Array.from(quantileScores([7, 9], {k: 5}))).toEqual([1, 3]);
  });

  it("rejects a bad k", () => {
    expect(() => rfmScores(TX, {k: 11})).toThrow(/k must be an integer from 2 to 10, got 11/);
    expect(() => rfmScores(TX, {k: 2.5})).toThrow(/got 2.5/);
    expect(() => quantileScores([1], {k: 1})).toThrow(/got 1/);
  });
});

describe("threshold scores", () => {
  it("scores by user cut points", () => {
    // recency cuts 2 4 7 10: days < 2 -> 5, [2,4) -> 4, [4,7) -> 3, [7,10) -> 2, >= 10 -> 1.
    // frequency cuts 2 3 4 5: 1 -> 1, 2 -> 2, 3 -> 3.
    const t = rfmScores(TX, {thresholds: {recency: [2, 4, 7, 10], frequency: [2, 3, 4, 5]}});
    expect(t.array("r_score")).toEqual([5, 5, 2, 3, 4, 1]);
    expect(t.array("f_score")).toEqual([2, 1, 2, 1, 3, 1]);
    expect(t.array("m_score")).toEqual([4, 2, 4, 1, 1, 2]); // still quantiles
    expect(Array.from(thresholdScores([0, 10, 10.5, 100], [10, 20]))).toEqual([1, 2, 2, 3]);
  });

  it("rejects bad cut points, naming them", () => {
    expect(() => rfmScores(TX, {thresholds: {recency: [1, 2]}})).toThrow(/thresholds.recency must be an array of k - 1 = 4/);
    expect(() => rfmScores(TX, {thresholds: {monetary: [1, 5, 5, 9]}})).toThrow(/thresholds.monetary\[2\] = 5 must be greater/);
    expect(() => rfmScores(TX, {thresholds: {frequency: [1, 2, "3" as never, 4]}})).toThrow(/thresholds.frequency\[2\].*"3"/);
    expect(() => rfmScores(TX, {thresholds: {spend: [1, 2, 3, 4]} as never})).toThrow(/"spend"/);
  });
});

const transactionArb = fc.record({
  customer_id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
  order_date: fc.integer({min: 0, max: 60}).map((d) => new Date(Date.UTC(2021, 0, 1 + d)).toISOString().slice(0, 10)),
  amount: fc.oneof(fc.integer({min: 0, max: 500}).map((c) => c / 4), fc.double({min: -100, max: 1000, noNaN: true}))
});
const options = fc.record({
  k: fc.integer({min: 2, max: 10}),
  frequency: fc.constantFrom("orders" as const, "days" as const),
  monetary: fc.constantFrom("total" as const, "mean" as const)
});

describe("properties", () => {
  it("scores lie in 1..k, agree with the sorting oracle, and give equal values equal scores", () => {
    fc.assert(
      fc.property(fc.array(transactionArb, {minLength: 1, maxLength: 60}), options, (tx, opts) => {
        const t = rfmScores(tx, opts);
        for (const [value, score, descending] of [
          ["recency", "r_score", true],
          ["frequency", "f_score", false],
          ["monetary", "m_score", false]
        ] as const) {
          const values = t.array(value) as number[];
          const scores = Array.from(t.array(score) as number[]);
          expect(scores.every((s) => Number.isInteger(s) && s >= 1 && s <= opts.k)).toBe(true);
          expect(scores).toEqual(Array.from(quantileScores(values, {k: opts.k, descending})));
          values.forEach((v, i) => values.forEach((w, j) => {
            if (v === w) expect(scores[i]).toBe(scores[j]);
            if ((descending ? v > w : v < w)) expect(scores[i]).toBeLessThanOrEqual(scores[j]);
          }));
        }
      })
    );
  });

  it("does not depend on row order", () => {
    const shuffled = fc
      .array(transactionArb, {minLength: 1, maxLength: 60})
      .chain((tx) => fc.tuple(fc.constant(tx), fc.shuffledSubarray(tx, {minLength: tx.length, maxLength: tx.length})));
    fc.assert(
      fc.property(shuffled, options, ([tx, permuted], opts) => {
        expect(rfmScores(permuted, opts).objects()).toEqual(rfmScores(tx, opts).objects());
      })
    );
  });

  it("re-scores values without re-aggregating", () => {
    const values = rfmValues(TX);
    expect(scoreRfm(values, {k: 3}).objects()).toEqual(rfmScores(TX, {k: 3}).objects());
  });
});
