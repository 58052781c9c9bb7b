import {describe, expect, it} from "vitest";
import {clvKpis, customerColumns, customerRows, customerTableNote, fitStatus, marginClv, marginRates, PREDICTIONS_MISSING} from "../../../src/lib/clv/kpis.js";
import {toCsv} from "../../../src/lib/format/csv.js";

describe("fitStatus", () => {
  it("is null when every fit ran and is identified", () => {
    expect(fitStatus({identified: true}, {identified: true})).toBeNull();
    expect(fitStatus()).toBeNull();
  });
  it("says not identified when a fit ran but is not identified", () => {
    expect(fitStatus({identified: true}, {identified: false})).toBe("not identified");
  });
  it("says not available when any fit failed, even beside one not identified", () => {
    expect(fitStatus({identified: false}, {error: "did not converge"})).toBe("not available");
  });
});

describe("marginRates and marginClv", () => {
  const profiles = [
    {revenue: 100, cost: 60},
    {revenue: 50, cost: null},
    {revenue: 200, cost: 50}
  ];
  it("takes each customer's margin from the cost column, the overall rate where it is missing", () => {
    // overall: (300 − 110) / 300
    expect(Array.from(marginRates(profiles, {fromCost: true, rate: 0.3}))).toEqual([0.4, 190 / 300, 0.75]);
  });
  it("uses the one rate for all otherwise, and when no customer has a cost", () => {
    expect(Array.from(marginRates(profiles, {fromCost: false, rate: 0.3}))).toEqual([0.3, 0.3, 0.3]);
    expect(Array.from(marginRates([{revenue: 10, cost: null}], {fromCost: true, rate: 0.25}))).toEqual([0.25]);
  });
  it("multiplies CLV by the margins, and keeps a missing CLV missing", () => {
    expect(Array.from(marginClv([100, 10], [0.5, 0.2]) ?? [])).toEqual([50, 2]);
    expect(marginClv(null, [0.5])).toBeNull();
    expect(() => marginClv([1, 2], [0.5])).toThrow(/2 CLV values but 1 margins/);
  });
});

describe("clvKpis", () => {
  it("counts the active customers (P(alive) above one half) and sums the CLV", () => {
    const kpis = clvKpis({customers: 4, probabilityAlive: [0.9, 0.5, 0.51, 0.1], clv: [10, 20, 30, 40]});
    expect(kpis).toEqual({customers: 4, active: 2, activeShare: 0.5, total: 100, average: 25, topShare: 0.4});
  });
  it("takes another threshold and top share", () => {
    const kpis = clvKpis({customers: 4, probabilityAlive: [0.9, 0.5, 0.51, 0.1], clv: [10, 20, 30, 40]}, {activeAbove: 0.05, top: 0.5});
    expect(kpis.active).toBe(4);
    expect(kpis.topShare).toBeCloseTo(0.7, 12);
  });
  it("leaves the CLV figures out when Gamma-Gamma failed, and every model figure when the transaction model did", () => {
    expect(clvKpis({customers: 2, probabilityAlive: [0.7, 0.2], clv: null})).toEqual({customers: 2, active: 1, activeShare: 0.5, total: null, average: null, topShare: null});
    expect(clvKpis({customers: 2, probabilityAlive: null, clv: null})).toEqual({customers: 2, active: null, activeShare: null, total: null, average: null, topShare: null});
  });
  it("has no average over no customers, and refuses arrays that do not line up", () => {
    expect(clvKpis({customers: 0, probabilityAlive: [], clv: []})).toMatchObject({active: 0, activeShare: null, total: 0, average: null});
    expect(() => clvKpis({customers: 3, probabilityAlive: [0.1, 0.2], clv: null})).toThrow(/2 values of probabilityAlive for 3 customers/);
  });
});

describe("customerRows", () => {
  const base = {
    profiles: [
      {customer_id: "b", region: "West"},
      {customer_id: "a"},
      {customer_id: "c", region: null}
    ],
    summaries: {frequency: [1, 2, 0], recency: [3, 4, 0], T: [5, 6, 7]},
    segments: ["Champions", "Loyal", "Lost"]
  };
  it("puts each customer's facts and predictions in a row, highest CLV first, ties by id", () => {
    const rows = customerRows({...base, probabilityAlive: [0.5, 0.9, 0.2], expectedPurchases: [1, 2, 0.1], expectedSpend: [10, 20, 30], clv: [50, 50, 5]});
    expect(rows.map((r) => r.customer_id)).toEqual(["a", "b", "c"]);
    expect(rows[1]).toEqual({customer_id: "b", segment: "Champions", region: "West", frequency: 1, recency_weeks: 3, tenure_weeks: 5, p_alive: 0.5, expected_purchases: 1, expected_spend: 10, clv: 50, clv_note: null});
    expect(rows[0].region).toBeNull();
  });
  it("orders by P(alive) and leaves CLV and spend null when Gamma-Gamma failed", () => {
    const rows = customerRows({...base, probabilityAlive: [0.5, 0.9, 0.2], expectedPurchases: [1, 2, 0.1], expectedSpend: null, clv: null});
    expect(rows.map((r) => [r.customer_id, r.p_alive, r.expected_spend, r.clv])).toEqual([
      ["a", 0.9, null, null],
      ["b", 0.5, null, null],
      ["c", 0.2, null, null]
    ]);
  });
  it("gives the first rows of the same order with a limit, NaN and ties included", () => {
    // 500 customers with ties, NaN and negative CLVs, ids not in index order: the rows made for the first 37
    // are the first 37 of every row, in order, whatever the order's comparison makes of NaN.
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const n = 500;
    const many = {
      profiles: Array.from({length: n}, (_, i) => ({customer_id: `c${(i * 7919) % 1009}`, region: i % 3 ? "West" : null})),
      summaries: {frequency: Array.from({length: n}, (_, i) => i % 5), recency: Array.from({length: n}, () => 1), T: Array.from({length: n}, () => 9)},
      segments: Array.from({length: n}, (_, i) => (i % 2 ? "Loyal" : "Lost")),
      probabilityAlive: Float64Array.from({length: n}, () => random()),
      expectedPurchases: Float64Array.from({length: n}, () => random()),
      expectedSpend: Float64Array.from({length: n}, () => random()),
      clv: Float64Array.from({length: n}, (_, i) => (i % 41 === 0 ? Number.NaN : Math.round(random() * 20) - 5))
    };
    const all = customerRows(many);
    expect(all).toHaveLength(n);
    // The rows in customer order, sorted by the rows' own comparison (as the rows were sorted before): the same order.
    const byId = new Map(all.map((row) => [row.customer_id, row]));
    const reference = many.profiles.map((p) => byId.get(p.customer_id)!).sort((a, b) => (b.clv ?? b.p_alive ?? 0) - (a.clv ?? a.p_alive ?? 0) || (a.customer_id < b.customer_id ? -1 : 1));
    expect(all.map((row) => row.customer_id)).toEqual(reference.map((row) => row.customer_id));
    expect(customerRows(many, {limit: 37})).toEqual(all.slice(0, 37));
    expect(customerRows(many, {limit: 10_000})).toEqual(all);
    expect(customerRows({...many, clv: null, expectedSpend: null}, {limit: 5})).toEqual(customerRows({...many, clv: null, expectedSpend: null}).slice(0, 5));
    expect(customerRows(many, {limit: 0})).toEqual([]);
  });
  it("has only the customers' facts when no model could be fitted", () => {
    const rows = customerRows({...base, probabilityAlive: null, expectedPurchases: null, expectedSpend: null, clv: null});
    expect(rows.map((r) => r.customer_id)).toEqual(["a", "b", "c"]);
    expect(rows.every((r) => r.p_alive === null && r.expected_purchases === null && r.clv === null)).toBe(true);
  });

  describe("when predictions are unavailable", () => {
    const facts = ["customer_id", "segment", "region", "frequency", "recency_weeks", "tenure_weeks"];
    const predictions = ["p_alive", "expected_purchases", "expected_spend", "clv"];
    it("keeps every prediction column and adds no note when all predictions are there", () => {
      const rows = customerRows({...base, probabilityAlive: [0.5, 0.9, 0.2], expectedPurchases: [1, 2, 0.1], expectedSpend: [10, 20, 30], clv: [50, 50, 5], note: "ignored"});
      expect(rows.every((r) => r.clv_note === null)).toBe(true);
      expect(customerColumns(rows, {note: true})).toEqual([...facts, ...predictions]);
      expect(customerTableNote(rows)).toBeNull();
    });
    it("gives every row the reason, keeps the columns, and says it once as n/a above the table", () => {
      const note = "Not available: the horizon is beyond the data.";
      const rows = customerRows({...base, probabilityAlive: [0.5, 0.9, 0.2], expectedPurchases: null, expectedSpend: [10, 20, 30], clv: null, note});
      expect(rows.map((r) => r.clv_note)).toEqual([note, note, note]);
      expect(customerColumns(rows)).toEqual([...facts, ...predictions]);
      expect(customerTableNote(rows)).toBe("n/a: the horizon is beyond the data.");
    });
    it("writes the predictions empty in the CSV with the reason in clv_note on every row", () => {
      const rows = customerRows({...base, probabilityAlive: [0.5, 0.9, 0.2], expectedPurchases: [1, 2, 0.1], expectedSpend: null, clv: null, note: "Not available: Gamma-Gamma could not be fitted (see the message above)."});
      const csv = toCsv(rows as unknown as Record<string, unknown>[], {columns: customerColumns(rows, {note: true})}).trim().split("\n");
      expect(csv[0]).toBe([...facts, ...predictions, "clv_note"].join(","));
      expect(csv.slice(1)).toEqual([
        "a,Loyal,,2,4,6,0.9,2,,,Not available: Gamma-Gamma could not be fitted (see the message above).",
        "b,Champions,West,1,3,5,0.5,1,,,Not available: Gamma-Gamma could not be fitted (see the message above).",
        "c,Lost,,0,0,7,0.2,0.1,,,Not available: Gamma-Gamma could not be fitted (see the message above)."
      ]);
    });
    it("never leaves a blank without a reason: a missing note becomes the default one", () => {
      const rows = customerRows({...base, probabilityAlive: null, expectedPurchases: null, expectedSpend: null, clv: null});
      expect(rows.every((r) => r.clv_note === PREDICTIONS_MISSING)).toBe(true);
      expect(customerTableNote(rows)).toBe("n/a: a model could not be fitted.");
    });
  });
});
