/**
 * The fast score assignment (order statistics by selection, typed loops for segments, summary, grid and
 * movement) against its references: the full sort of quantileScoresBySort, Arquero's groupby/rollup, the map
 * join of segmentTransitions, and the SQL of rfmScoresSql on 200,000 seeded customers.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import fc from "fast-check";
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {columnOrderStatistics, orderStatistics, quantileCuts, quantileScores, quantileScoresBySort, scoreRfm} from "../../../src/lib/rfm/scores.js";
import {rfmScoresSql, rfmValuesSql} from "../../../src/lib/rfm/sql.js";
import {segmentSummary, segmentTransitions} from "../../../src/lib/rfm/segments.js";
import {headline, scoreGrid, segmentCustomers, suggestCuts} from "../../../src/lib/rfm/page.js";
import {PERSONAS} from "../../../src/lib/rfm/schemes.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";

const valueArb = fc.oneof(fc.integer({min: -3, max: 6}), fc.double({min: -100, max: 100, noNaN: true}), fc.constantFrom(0, -0, NaN, 1e-300));

describe("quantileScores by selection", () => {
  it("equals the full sort and binary search on any values (ties, NaN, -0, n < k)", () => {
    fc.assert(
      fc.property(fc.array(valueArb, {maxLength: 200}), fc.integer({min: 2, max: 10}), fc.boolean(), (values, k, descending) => {
        expect(Array.from(quantileScores(values, {k, descending}))).toEqual(Array.from(quantileScoresBySort(values, {k, descending})));
      }),
      {numRuns: 500}
    );
  });

  it("gives the order statistics of a sort", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 50}), {minLength: 1, maxLength: 300}), fc.array(fc.nat(), {maxLength: 6}), (values, raw) => {
        const ranks = raw.map((r) => r % values.length).sort((a, b) => a - b);
        const sorted = Float64Array.from(values).sort();
        expect(Array.from(orderStatistics(values, ranks))).toEqual(ranks.map((r) => sorted[r]));
      })
    );
    // Both paths: a histogram for integers in a narrow range, selection for wide ranges, fractions and −0.
    const values = fc.oneof(fc.integer({min: -3, max: 40}), fc.integer({min: -1e9, max: 1e9}), fc.double({noNaN: true, noDefaultInfinity: true}), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(values, {minLength: 1, maxLength: 300}), fc.array(fc.nat(), {maxLength: 6}), fc.boolean(), (xs, raw, descending) => {
        const ranks = raw.map((r) => r % xs.length).sort((a, b) => a - b);
        const sorted = Float64Array.from(xs, (x) => (descending ? -x : x)).sort();
        // Values compare as numbers (−0 equals 0, as in the cut points' comparisons).
        expect(Array.from(orderStatistics(xs, ranks, {descending}), (x) => x + 0)).toEqual(ranks.map((r) => sorted[r] + 0));
      }),
      {numRuns: 500}
    );
    expect(Array.from(orderStatistics([3, NaN, 1], [0, 1, 2]))).toEqual([1, 3, NaN]);
    expect(Array.from(orderStatistics([5, 7, 5, 9], [0, 3, 3]))).toEqual([5, 9, 9]);
    expect(() => orderStatistics([1, 2], [1, 0])).toThrow(/must not decrease/);
    expect(Array.from(quantileCuts([], {k: 3}))).toEqual([NaN, NaN]);
  });

  it("columnOrderStatistics gives orderStatistics' values on every request, the first by selection and the later ones off a sorted copy", () => {
    fc.assert(
      fc.property(fc.array(valueArb, {maxLength: 300}), fc.array(fc.array(fc.nat(), {maxLength: 6}), {minLength: 1, maxLength: 4}), fc.boolean(), (values, requests, descending) => {
        const column = Float64Array.from(values);
        for (const raw of requests) {
          const ranks = raw.map((r) => r % (column.length + 2)).sort((a, b) => a - b); // ranks past the values give NaN
          const got = Array.from(columnOrderStatistics(column, ranks, {descending}), (x) => x + 0);
          expect(got).toEqual(Array.from(orderStatistics(column, ranks, {descending}), (x) => x + 0));
        }
      }),
      {numRuns: 300}
    );
    const column = Float64Array.from([3, 1, 2]);
    columnOrderStatistics(column, [0]);
    expect(() => columnOrderStatistics(column, [1, 0])).toThrow(/must not decrease/);
  });

  it("scoreRfm re-scoring the same values for k after k equals the full sort's scores", () => {
    let s = 7;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const n = 3001;
    const values = aq.table({
      customer_id: Array.from({length: n}, (_, i) => `c${String(i).padStart(5, "0")}`),
      recency: Int32Array.from({length: n}, () => Math.floor(random() * 400)),
      frequency: Int32Array.from({length: n}, () => 1 + Math.floor(random() * random() * 9)),
      monetary: Float64Array.from({length: n}, () => (random() < 0.01 ? NaN : Math.round(random() * 80000) / 100))
    });
    for (const k of [5, 4, 6, 5, 9, 2, 10]) {
      const scored = scoreRfm(values, {k});
      for (const [dim, score, descending] of [["recency", "r_score", true], ["frequency", "f_score", false], ["monetary", "m_score", false]] as const) {
        const expected = quantileScoresBySort(values.array(dim) as ArrayLike<number>, {k, descending});
        expect(Array.from(scored.array(score) as ArrayLike<number>), `${dim}, k = ${k}`).toEqual(Array.from(expected));
      }
    }
  });

  it("suggestCuts rounds the sorted values at the k-quantile positions", () => {
    const values = Array.from({length: 1000}, (_, i) => ((i * 7919) % 1000) + 0.5);
    expect(suggestCuts(values, 4)).toEqual([250, 500, 750]);
    expect(suggestCuts([1, 1, 1], 3)).toEqual([]);
  });
});

/** A segmented table of n random customers (ids in order unless shuffled). */
function segmented(n: number, seed: number, k = 5): ColumnTable {
  let s = seed;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const values = aq.table({
    customer_id: Array.from({length: n}, (_, i) => `c${String(i).padStart(6, "0")}`),
    first_purchase: Array.from({length: n}, () => "2024-01-01"),
    last_purchase: Array.from({length: n}, () => "2024-06-01"),
    recency: Int32Array.from({length: n}, () => 1 + Math.floor(random() * 60)),
    frequency: Int32Array.from({length: n}, () => 1 + Math.floor(random() * random() * 6)),
    monetary: Float64Array.from({length: n}, () => Math.round(random() * 50000) / 100),
    revenue: Float64Array.from({length: n}, () => Math.round(random() * 90000) / 100)
  });
  return segmentCustomers(values, {k, scheme: PERSONAS}).customers;
}

describe("typed loops equal Arquero's groupby/rollup", () => {
  it("segmentSummary", () => {
    for (const [n, seed] of [[1, 1], [37, 2], [5000, 3]]) {
      const t = segmented(n, seed);
      const total = t.rollup({total: (d: any) => aq.op.sum(d.revenue)}).get("total", 0) as number;
      const expected = t
        .groupby("segment")
        .rollup({customers: () => aq.op.count(), revenue: (d: any) => aq.op.sum(d.revenue), recency: (d: any) => aq.op.mean(d.recency), frequency: (d: any) => aq.op.mean(d.frequency), monetary: (d: any) => aq.op.mean(d.monetary)})
        .params({n, total})
        .derive({share: (d: any, $: any) => d.customers / $.n, revenue_share: (d: any, $: any) => d.revenue / $.total})
        .select("segment", "customers", "share", "revenue", "revenue_share", "recency", "frequency", "monetary")
        .objects() as {segment: string}[];
      const order = ["VIP", "Regular"];
      const got = segmentSummary(t, {order}).objects() as {segment: string}[];
      const key = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
      expect(got).toEqual(expected.sort((a, b) => key(a.segment) - key(b.segment) || (a.segment < b.segment ? -1 : 1)));
    }
  });

  it("scoreGrid and headline", () => {
    for (const [n, seed, k] of [[1, 4, 5], [40, 5, 3], [6000, 6, 5]]) {
      const t = segmented(n, seed, k);
      const focus = (t.array("segment") as string[])[0];
      const expected = t
        .params({segment: focus})
        .groupby("r_score", "f_score")
        .rollup({customers: () => aq.op.count(), monetary: (d: any) => aq.op.mean(d.monetary), selected: (d: any, $: any) => aq.op.sum(d.segment === $.segment ? 1 : 0), segment: (d: any) => aq.op.mode(d.segment)})
        .orderby("r_score", "f_score")
        .objects();
      expect(scoreGrid(t, {segment: focus})).toEqual(expected);
      const stats = t.rollup({revenue: (d: any) => aq.op.sum(d.revenue), recency: (d: any) => aq.op.median(d.recency)}).object() as {revenue: number; recency: number};
      const figures = headline({customers: t, names: ["VIP"], summary: segmentSummary(t, {order: ["VIP"]})});
      expect(figures.revenue).toBe(stats.revenue);
      expect(figures.medianRecency).toBe(stats.recency);
    }
  });

  it("segmentTransitions: the merge of sorted tables equals the map join", () => {
    const before = segmented(3000, 7).filter(() => aq.op.random() < 0.8).reify();
    const after = segmented(3500, 8);
    const merged = segmentTransitions(before, after, {order: ["VIP", "Lost"], missing: "(new)"}).objects();
    const rows = (t: ColumnTable) => (t.select("customer_id", "segment").objects() as {customer_id: string; segment: string}[]).reverse();
    expect(merged).toEqual(segmentTransitions(rows(before), rows(after), {order: ["VIP", "Lost"], missing: "(new)"}).objects());
    expect(merged.reduce((sum, d: any) => sum + d.customers, 0)).toBeGreaterThanOrEqual(3500);
  });
});

describe("200,000 seeded customers: scoreRfm equals rfmScoresSql exactly", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await db.query("SELECT setseed(0.13)");
    // Skewed counts and many ties: 1 + floor(5 u v) orders, 900 possible days, amounts in cents.
    await db.run(`CREATE TABLE tx AS
      SELECT printf('C%06d', c) AS customer_id, DATE '2022-01-01' + CAST(floor(random() * 900) AS INTEGER) AS order_date,
        round(0.5 + random() * 300, 2) AS amount, printf('C%06d-%d', c, o % 3) AS order_id
      FROM (SELECT c, unnest(range(1 + CAST(floor(5 * random() * random()) AS INTEGER))) AS o FROM range(200000) t(c))`);
  }, 120_000);
  afterAll(() => db.close());

  for (const options of [
    {k: 5, orderId: true},
    {k: 3, frequency: "days" as const, monetary: "mean" as const},
    {k: 10, orderId: false, monetary: "mean" as const}
  ]) {
    it(`k = ${options.k}, frequency ${options.frequency ?? "orders"}, monetary ${options.monetary ?? "total"}`, async () => {
      const {k, ...valueOptions} = options;
      const values = aq.table(await db.queryColumns(rfmValuesSql({...valueOptions, table: "tx"})));
      expect(values.numRows()).toBe(200000);
      const fast = scoreRfm(values, {k});
      const sql = await db.queryColumns(`SELECT customer_id, r_score, f_score, m_score, fm_score FROM (${rfmScoresSql({...options, table: "tx"})}) ORDER BY customer_id`);
      for (const column of ["customer_id", "r_score", "f_score", "m_score", "fm_score"]) {
        const a = Array.from(fast.array(column) as ArrayLike<unknown>, (v) => (typeof v === "bigint" ? Number(v) : v));
        const b = Array.from(sql[column] as ArrayLike<unknown>, (v) => (typeof v === "bigint" ? Number(v) : v));
        expect(a.length).toBe(b.length);
        // One mismatch is enough to fail; comparing element-wise keeps the failure message short.
        const first = a.findIndex((v, i) => v !== b[i]);
        expect(first, `${column} differs at row ${first}: ${String(a[first])} against ${String(b[first])}`).toBe(-1);
      }
      // Every score is used at this size (no degenerate data).
      expect(new Set(Array.from(fast.array("m_score") as ArrayLike<number>)).size).toBe(k);
    }, 120_000);
  }
});
