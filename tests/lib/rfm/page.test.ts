import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {rfmScores, rfmValues} from "../../../src/lib/rfm/scores.js";
import {PERSONAS, STANDARD_SEGMENTS, schemeToJson} from "../../../src/lib/rfm/schemes.js";
import {assignSegments} from "../../../src/lib/rfm/segments.js";
import {headline, readScheme, readThresholds, rfmValuesSql, scoreGrid, segmentCustomers, slug, suggestCuts} from "../../../src/lib/rfm/page.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import type {Transaction} from "../../../src/lib/types.js";

// Six customers, two orders on one day for c2 (one order_id), nothing after 2024-03-10.
const tx: Transaction[] = [
  {customer_id: "c1", order_date: "2024-01-01", amount: 10, order_id: "o1"},
  {customer_id: "c1", order_date: "2024-03-01", amount: 30, order_id: "o2"},
  {customer_id: "c2", order_date: "2024-02-01", amount: 5.5, order_id: "o3"},
  {customer_id: "c2", order_date: "2024-02-01", amount: 4.5, order_id: "o3"},
  {customer_id: "c3", order_date: "2024-03-10", amount: 200, order_id: "o4"},
  {customer_id: "c4", order_date: "2023-06-15", amount: 1, order_id: "o5"},
  {customer_id: "c5", order_date: "2024-03-05", amount: 70, order_id: "o6"},
  {customer_id: "c5", order_date: "2024-03-06", amount: 70, order_id: "o7"},
  {customer_id: "c6", order_date: "2023-12-24", amount: 12.25, order_id: "o8"}
];

describe("rfmValuesSql", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await db.run(`CREATE TABLE tx AS SELECT * FROM (VALUES ${tx.map((t) => `('${t.customer_id}', DATE '${t.order_date}', ${t.amount}, '${t.order_id}')`).join(", ")}) v(customer_id, order_date, amount, order_id)`);
  });
  afterAll(() => db?.close());

  for (const options of [
    {},
    {frequency: "days" as const, monetary: "mean" as const},
    {analysisDate: "2024-02-15", monetary: "mean" as const}
  ]) {
    it(`gives the rows of rfmValues() ${JSON.stringify(options)}`, async () => {
      const rows = await db.query(rfmValuesSql({table: "tx", orderId: true, ...options}));
      expect(rows).toEqual(rfmValues(tx, options).objects());
    });
  }

  it("reads no score windows", () => {
    expect(rfmValuesSql({table: "tx"})).not.toMatch(/rank\(\)/);
  });
});

describe("segmentCustomers and the page's figures", () => {
  const values = rfmValues(tx);

  it("scores and segments as rfmScores + assignSegments, with the scheme rescaled to k", () => {
    const {customers, scheme, names, summary} = segmentCustomers(values, {k: 3, scheme: STANDARD_SEGMENTS});
    expect(customers.objects()).toEqual(assignSegments(rfmScores(tx, {k: 3}), STANDARD_SEGMENTS, {k: 3}).objects());
    expect(scheme.k).toBe(3);
    expect(names[0]).toBe("Champions");
    expect(Array.from(summary.array("customers") as ArrayLike<number>).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it("headline: customers, revenue, the first segment's shares, median recency", () => {
    const segmented = segmentCustomers(values, {k: 5, scheme: PERSONAS});
    const figures = headline(segmented);
    expect(figures.customers).toBe(6);
    expect(figures.revenue).toBeCloseTo(403.25, 9);
    expect(figures.top.segment).toBe("VIP");
    const vip = segmented.customers.objects().filter((d: any) => d.segment === "VIP");
    expect(figures.top.share).toBeCloseTo(vip.length / 6, 12);
    // recencies from 2024-03-11: c1 10, c2 39, c3 1, c4 270, c5 5, c6 78 -> median (10 + 39) / 2
    expect(figures.medianRecency).toBe(24.5);
  });

  it("headline and grid of no customers", () => {
    const empty = segmentCustomers(rfmValues(tx, {analysisDate: "2020-01-01"}), {k: 5, scheme: PERSONAS});
    expect(headline(empty)).toEqual({customers: 0, revenue: 0, top: {segment: "VIP", share: 0, revenue_share: 0}, medianRecency: NaN});
    expect(scoreGrid(empty.customers)).toEqual([]);
  });

  it("scoreGrid counts customers per (R, F) cell, their mean monetary value and the selected segment's", () => {
    const {customers} = segmentCustomers(values, {k: 2, scheme: PERSONAS});
    const rows = customers.objects() as any[];
    const grid = scoreGrid(customers, {segment: rows[0].segment});
    expect(grid.reduce((n, d) => n + d.customers, 0)).toBe(6);
    expect(grid.reduce((n, d) => n + d.selected, 0)).toBe(rows.filter((d) => d.segment === rows[0].segment).length);
    for (const cell of grid) {
      const inCell = rows.filter((d) => d.r_score === cell.r_score && d.f_score === cell.f_score);
      expect(cell.customers).toBe(inCell.length);
      expect(cell.monetary).toBeCloseTo(inCell.reduce((s, d) => s + d.monetary, 0) / inCell.length, 9);
      const count = (segment: unknown) => inCell.filter((d) => d.segment === segment).length;
      expect(count(cell.segment)).toBe(Math.max(...inCell.map((d) => count(d.segment))));
    }
    expect(scoreGrid(customers).every((d) => d.selected === 0)).toBe(true);
  });
});

describe("suggestCuts", () => {
  it("takes the values at the quantile boundaries, two significant digits", () => {
    expect(suggestCuts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)).toEqual([3, 5, 7, 9]);
    expect(suggestCuts([1234, 5678, 91011, 121314], 2)).toEqual([91000]);
  });
  it("is empty when the values cannot give k - 1 distinct cuts", () => {
    expect(suggestCuts([1, 1, 1, 2], 4)).toEqual([]);
    expect(suggestCuts([], 3)).toEqual([]);
  });
});

describe("readThresholds", () => {
  it("reads comma or space separated cut points and leaves blank dimensions to quantiles", () => {
    expect(readThresholds({recency: "30, 90 180", frequency: "  ", monetary: "10;20;50"}, 4)).toEqual({
      thresholds: {recency: [30, 90, 180], monetary: [10, 20, 50]},
      errors: []
    });
  });
  it("names each bad entry and leaves it out", () => {
    const {thresholds, errors} = readThresholds({recency: "30, 20", frequency: "1, 2", monetary: "5, ten"}, 3);
    expect(thresholds).toEqual({frequency: [1, 2]});
    expect(errors).toEqual([
      "Recency: cut points[1] = 20 must be greater than cut points[0] = 30",
      'Monetary: "ten" is not a number'
    ]);
    expect(readThresholds({frequency: "1, 2"}, 4).errors).toEqual(["Frequency: cut points must be an array of k - 1 = 3 cut points, got [1,2]"]);
  });
});

describe("readScheme", () => {
  it("reads the editor's JSON of a built-in scheme back", () => {
    expect(readScheme(schemeToJson(STANDARD_SEGMENTS))).toEqual({scheme: STANDARD_SEGMENTS, errors: []});
  });
  it("returns errors instead of throwing", () => {
    expect(readScheme("{").errors[0]).toMatch(/^not valid JSON/);
    const {scheme, errors} = readScheme('{"k": 5, "rules": [{"segment": "A", "r": [0, 2]}]}');
    expect(scheme).toBeNull();
    expect(errors.length).toBe(2);
  });
});

describe("slug", () => {
  it("makes file-name-safe names", () => {
    expect(slug("Can't Lose Them")).toBe("cant-lose-them");
    expect(slug("VIP")).toBe("vip");
    expect(slug("Clients fidèles / à relancer")).toBe("clients-fideles-a-relancer");
    expect(slug("=HYPERLINK()")).toBe("hyperlink");
    expect(slug("***")).toBe("segment");
  });
});
