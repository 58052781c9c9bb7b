import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as aq from "arquero";
import {rfmScores} from "../../../src/lib/rfm/scores.js";
import {
  assignSegments,
  describeRule,
  describeScheme,
  mapScore,
  matchesRule,
  rescaleScheme,
  segmentNames,
  segmentOf,
  segmentSummary,
  segmentTransitions,
  type SegmentScheme
} from "../../../src/lib/rfm/segments.js";
import {PERSONAS, SEGMENT_SCHEMES, STANDARD_SEGMENTS, parseScheme, schemeErrors, schemeToJson} from "../../../src/lib/rfm/schemes.js";

const scores = (r: number, f: number, m: number) => ({r_score: r, f_score: f, m_score: m});
const grid = (k: number) => {
  const out: ReturnType<typeof scores>[] = [];
  for (let r = 1; r <= k; ++r) for (let f = 1; f <= k; ++f) for (let m = 1; m <= k; ++m) out.push(scores(r, f, m));
  return out;
};

describe("built-in schemes", () => {
  it("are valid, and every segment is reachable at k = 5", () => {
    for (const scheme of Object.values(SEGMENT_SCHEMES)) {
      expect(schemeErrors(scheme)).toEqual([]);
      const reached = new Set(grid(5).map((s) => segmentOf(scheme, s)));
      expect([...reached].sort()).toEqual(segmentNames(scheme).sort());
    }
    expect(segmentNames(STANDARD_SEGMENTS)).toHaveLength(11);
    expect(segmentNames(PERSONAS)).toEqual(["VIP", "Big Spender", "At Risk", "Lost Customer", "New Customer", "Regular"]);
  });

  it("place typical customers where expected", () => {
    expect(segmentOf(STANDARD_SEGMENTS, scores(5, 5, 5))).toBe("Champions");
    expect(segmentOf(STANDARD_SEGMENTS, scores(1, 5, 4))).toBe("Can't Lose Them");
    expect(segmentOf(STANDARD_SEGMENTS, scores(5, 1, 1))).toBe("New Customers");
    expect(segmentOf(STANDARD_SEGMENTS, scores(1, 1, 2))).toBe("Lost");
    expect(segmentOf(STANDARD_SEGMENTS, scores(2, 3, 2))).toBe("At Risk"); // (F+M)/2 = 2.5
    expect(segmentOf(STANDARD_SEGMENTS, scores(2, 2, 2))).toBe("Hibernating");
    expect(segmentOf(PERSONAS, scores(5, 4, 5))).toBe("VIP");
    expect(segmentOf(PERSONAS, scores(3, 1, 5))).toBe("Big Spender");
    expect(segmentOf(PERSONAS, scores(1, 5, 5))).toBe("At Risk");
    expect(segmentOf(PERSONAS, scores(1, 1, 5))).toBe("Lost Customer");
    expect(segmentOf(PERSONAS, scores(5, 1, 2))).toBe("New Customer");
    expect(segmentOf(PERSONAS, scores(3, 3, 3))).toBe("Regular");
  });
});

describe("describeRule", () => {
  it("reads as text", () => {
    expect(describeRule({segment: "x", r: [4, 5], fm: [2.5, 5]}, {k: 5})).toBe("R ≥ 4, (F+M)/2 ≥ 2.5");
    expect(describeRule({segment: "x", r: [1, 2], f: [3, 3], m: [2, 4]}, {k: 5})).toBe("R ≤ 2, F = 3, M 2–4");
    expect(describeRule({segment: "x", r: [1, 5]}, {k: 5})).toBe("any customer not matched above");
    expect(describeRule({segment: "x", r: [4, 5]})).toBe("R 4–5");
    expect(describeRule({segment: "x"})).toBe("any customer not matched above");
    expect(describeScheme(PERSONAS)[0]).toEqual({
      order: 1,
      segment: "VIP",
      rule: "R ≥ 4, F ≥ 4, M ≥ 4",
      description: PERSONAS.rules[0].description
    });
  });
});

describe("rescaleScheme", () => {
  it("maps score ends onto each other and rounds halves towards the middle", () => {
    expect([...Array(10)].map((_, i) => mapScore(i + 1, 10, 5))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([...Array(9)].map((_, i) => mapScore(i + 1, 9, 5))).toEqual([1, 2, 2, 3, 3, 3, 4, 4, 5]);
    expect([1, 2].map((s) => mapScore(s, 2, 5))).toEqual([1, 5]);
    expect([1, 2, 3].map((s) => mapScore(s, 3, 5))).toEqual([1, 3, 5]);
    expect([1, 1.5, 2, 2.5, 3].map((s) => mapScore(s, 3, 5, {half: true}))).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives ranges on the new scale", () => {
    const ten = rescaleScheme(STANDARD_SEGMENTS, 10);
    expect(ten.k).toBe(10);
    // fm 7 on 1..10 sits at 1 + 6 * 4/9 = 3.67 on 1..5, nearest half 3.5; fm 7.5 maps to 3.89 -> 4.
    expect(ten.rules[0]).toMatchObject({segment: "Champions", r: [7, 10], fm: [7.5, 10]});
    expect(describeRule(ten.rules[0], {k: 10})).toBe("R ≥ 7, (F+M)/2 ≥ 7.5");
    expect(rescaleScheme(STANDARD_SEGMENTS, 5)).toBe(STANDARD_SEGMENTS);
    // k = 2 only has scores that map to 1 and 5: rules needing R in 2..4 alone disappear.
    const two = rescaleScheme(STANDARD_SEGMENTS, 2);
    expect(segmentNames(two)).not.toContain("Promising");
    expect(two.rules[two.rules.length - 1].segment).toBe("Lost");
  });

  it("matches exactly as the original scheme on mapped scores, for every k", () => {
    fc.assert(
      fc.property(fc.integer({min: 2, max: 10}), fc.constantFrom(PERSONAS, STANDARD_SEGMENTS), (k, scheme) => {
        const scaled = rescaleScheme(scheme, k);
        expect(schemeErrors(scaled)).toEqual([]);
        for (const s of grid(k)) {
          const mapped = {
            r_score: mapScore(s.r_score, k, 5),
            f_score: mapScore(s.f_score, k, 5),
            m_score: mapScore(s.m_score, k, 5),
            fm_score: mapScore((s.f_score + s.m_score) / 2, k, 5, {half: true})
          };
          expect(segmentOf(scaled, s)).toBe(segmentOf(scheme, mapped));
        }
      })
    );
  });
});

describe("assignSegments", () => {
  const tx = Array.from({length: 40}, (_, i) => ({
    customer_id: `c${i % 13}`,
    order_date: `2022-0${1 + (i % 7)}-1${i % 10}`,
    amount: (i * 37) % 101
  }));

  it("puts every customer in exactly one segment of the scheme, for any k", () => {
    fc.assert(
      fc.property(fc.integer({min: 2, max: 10}), fc.constantFrom(PERSONAS, STANDARD_SEGMENTS), (k, scheme) => {
        const scored = rfmScores(tx, {k});
        const segmented = assignSegments(scored, scheme, {k});
        const names = new Set(segmentNames(scheme));
        expect(segmented.numRows()).toBe(scored.numRows());
        expect((segmented.array("segment") as string[]).every((s) => names.has(s))).toBe(true);
        const summary = segmentSummary(segmented, {order: segmentNames(scheme)});
        expect(summary.rollup({n: (d: {customers: number}) => aq.op.sum(d.customers)}).get("n", 0)).toBe(scored.numRows());
      }),
      {numRuns: 30}
    );
  });

  it("refuses scores from another k", () => {
    expect(() => assignSegments(rfmScores(tx, {k: 10}), PERSONAS, {k: 5})).toThrow(/outside 1..5/);
  });

  it("summarises segments in scheme order", () => {
    const segmented = aq.table({
      customer_id: ["a", "b", "c", "d"],
      segment: ["Lost", "Champions", "Lost", "Other"],
      revenue: [10, 70, 20, 0],
      recency: [300, 2, 100, 1],
      frequency: [1, 9, 1, 1],
      monetary: [10, 70, 20, 0]
    });
    expect(segmentSummary(segmented, {order: ["Champions", "Lost"]}).objects()).toEqual([
      {segment: "Champions", customers: 1, share: 0.25, revenue: 70, revenue_share: 0.7, recency: 2, frequency: 9, monetary: 70},
      {segment: "Lost", customers: 2, share: 0.5, revenue: 30, revenue_share: 0.3, recency: 200, frequency: 1, monetary: 15},
      {segment: "Other", customers: 1, share: 0.25, revenue: 0, revenue_share: 0, recency: 1, frequency: 1, monetary: 0}
    ]);
  });
});

describe("segmentTransitions", () => {
  it("counts moves between two dates, with newcomers from (none)", () => {
    const before = [
      {customer_id: "a", segment: "New"},
      {customer_id: "b", segment: "New"},
      {customer_id: "c", segment: "Loyal"}
    ];
    const after = aq.table({customer_id: ["c", "b", "a", "d"], segment: ["Lost", "Loyal", "New", "New"]});
    expect(segmentTransitions(before, after, {order: ["New", "Loyal", "Lost"]}).objects()).toEqual([
      {from_segment: "New", to_segment: "New", customers: 1, share: 0.5},
      {from_segment: "New", to_segment: "Loyal", customers: 1, share: 0.5},
      {from_segment: "Loyal", to_segment: "Lost", customers: 1, share: 1},
      {from_segment: "(none)", to_segment: "New", customers: 1, share: 1}
    ]);
  });

  it("works on segmentations at two analysis dates", () => {
    const tx = Array.from({length: 60}, (_, i) => ({customer_id: `c${i % 17}`, order_date: `2023-${String(1 + (i % 12)).padStart(2, "0")}-0${1 + (i % 9)}`, amount: 5 + (i % 11)}));
    const at = (analysisDate: string) => assignSegments(rfmScores(tx, {analysisDate}), STANDARD_SEGMENTS);
    const moves = segmentTransitions(at("2023-07-01"), at("2024-01-01"), {order: segmentNames(STANDARD_SEGMENTS)});
    expect(moves.rollup({n: (d: {customers: number}) => aq.op.sum(d.customers)}).get("n", 0)).toBe(17);
  });

  it("rejects a customer listed twice", () => {
    const rows = [{customer_id: "a", segment: "x"}, {customer_id: "a", segment: "y"}];
    expect(() => segmentTransitions(rows, [])).toThrow(/before has customer_id "a" twice/);
  });
});

describe("parseScheme", () => {
  it("round-trips the JSON form", () => {
    for (const scheme of [PERSONAS, STANDARD_SEGMENTS]) expect(parseScheme(schemeToJson(scheme))).toEqual(scheme);
  });

  it("accepts a single number as a range and defaults the name", () => {
    const scheme = parseScheme({k: 3, rules: [{segment: "Top", r: 3, f: [2, 3]}, {segment: "Rest"}]});
    expect(scheme).toEqual({name: "custom", k: 3, rules: [{segment: "Top", r: [3, 3], f: [2, 3]}, {segment: "Rest"}]});
    expect(matchesRule(scheme.rules[0], scores(3, 2, 1))).toBe(true);
  });

  it("refuses two rules with the same segment name instead of merging them", () => {
    const twice = {k: 5, rules: [{segment: "Best", r: [5, 5]}, {segment: "Good", f: [4, 5]}, {segment: " Best", m: [5, 5]}, {segment: "Rest"}]};
    expect(schemeErrors(twice)).toEqual([
      'rules[2] and rules[0] are both named "Best": give each rule its own segment name (a customer gets the first rule that matches)'
    ]);
    expect(() => parseScheme(twice)).toThrow(/both named "Best"/);
  });

  it("names every bad value", () => {
    const bad = {
      k: 5,
      rules: [
        {segment: "", r: [0, 5]},
        {segment: "B", f: [4, 2], m: ["1", 2], colour: "red"},
        {segment: "C", r: [1, 2]}
      ]
    };
    expect(schemeErrors(bad)).toEqual([
      'rules[0].segment must be a non-empty string, got ""',
      "rules[0].r[0] must be a number from 1 to 5, got 0",
      'rules[1] has an unknown key "colour"',
      "rules[1].f has min 4 above max 2",
      'rules[1].m[0] must be a number from 1 to 5, got "1"',
      'the last rule (rules[2], "C") must be a catch-all without r, f, m or fm ranges, so that every customer gets a segment'
    ]);
    expect(() => parseScheme(bad)).toThrow(/invalid segment scheme:\n- rules\[0\]/);
    expect(() => parseScheme("{rules: [")).toThrow(/not valid JSON/);
    expect(schemeErrors({k: 12, rules: []})).toEqual(["k must be an integer from 2 to 10, got 12", "rules must be a non-empty array, got []"]);
    expect(schemeErrors([])).toEqual(["a scheme must be an object with k and rules, got []"]);
  });

  it("validates ranges against the scheme's own k", () => {
    const scheme: SegmentScheme = {name: "t", k: 3, rules: [{segment: "a", r: [1, 4]}, {segment: "b"}]};
    expect(schemeErrors(scheme)).toEqual(["rules[0].r[1] must be a number from 1 to 3, got 4"]);
  });
});
