/**
 * RFM segments from scores, driven by schemes that are data (see segment-schemes.ts).
 *
 * A scheme is an ordered list of rules in score units of its own k. A rule gives inclusive [min, max]
 * ranges for any of r, f, m (scores 1..k) and fm (the mean of f and m: 1, 1.5, …, k); a missing range
 * matches anything. The first matching rule wins and the last rule must be a catch-all (no ranges), so
 * every customer lands in exactly one segment.
 *
 * Rescaling to another k (rescaleScheme): each score s of the new scale is mapped linearly onto the
 * scheme's scale, 1 + (s - 1)(K - 1)/(k - 1), and rounded to the scheme's grid (whole scores; halves for
 * fm), a half-way value rounding towards the middle of the scale. A rule's new range is the set of new
 * scores whose image lies in its old range; that set is contiguous because the map is monotone. The ends
 * of the scale map onto each other (1 -> 1, k -> K), and a rule whose new range is empty is dropped.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {checkK} from "./scores.js";

export type ScoreRange = readonly [number, number];
export type Dimension = "r" | "f" | "m" | "fm";
export const DIMENSIONS: readonly Dimension[] = ["r", "f", "m", "fm"];

export interface SegmentRule {
  segment: string;
  description?: string;
  r?: ScoreRange;
  f?: ScoreRange;
  m?: ScoreRange;
  /** Range of (f + m) / 2. */
  fm?: ScoreRange;
}

export interface SegmentScheme {
  name: string;
  description?: string;
  /** The score scale the rule ranges are written in. */
  k: number;
  rules: readonly SegmentRule[];
}

export interface Scores {
  r_score: number;
  f_score: number;
  m_score: number;
  fm_score?: number;
}

const LABELS: Record<Dimension, string> = {r: "R", f: "F", m: "M", fm: "(F+M)/2"};

/** True when the scores fall in every range the rule has. */
export function matchesRule(rule: SegmentRule, {r_score, f_score, m_score, fm_score = (f_score + m_score) / 2}: Scores): boolean {
  const value: Record<Dimension, number> = {r: r_score, f: f_score, m: m_score, fm: fm_score};
  return DIMENSIONS.every((dim) => {
    const range = rule[dim];
    return range === undefined || (value[dim] >= range[0] && value[dim] <= range[1]);
  });
}

/** The segment of the first rule that matches (the scheme must be on the scores' scale). */
export function segmentOf(scheme: SegmentScheme, scores: Scores): string {
  for (const rule of scheme.rules) if (matchesRule(rule, scores)) return rule.segment;
  throw new Error(`no rule of scheme ${JSON.stringify(scheme.name)} matches ${JSON.stringify(scores)}: the last rule must be a catch-all`);
}

/** Grid index of the new scale (0..steps * (k - 1)) mapped to the scheme's grid, ties towards the middle. */
function mapIndex(i: number, k: number, K: number, steps: number): number {
  const num = i * (K - 1);
  const den = k - 1;
  const q = Math.floor(num / den);
  const twice = 2 * (num - q * den);
  if (twice !== den) return twice < den ? q : q + 1;
  return 2 * q + 1 <= steps * (K - 1) ? q + 1 : q; // q + 1/2 below or at the middle rounds up
}

/** The scheme with ranges on the k scale (the same object when k equals scheme.k). */
export function rescaleScheme(scheme: SegmentScheme, k: number): SegmentScheme {
  checkK(k);
  const K = scheme.k;
  if (k === K) return scheme;
  const rules: SegmentRule[] = [];
  for (const rule of scheme.rules) {
    const out: SegmentRule = {...rule};
    let empty = false;
    for (const dim of DIMENSIONS) {
      const range = rule[dim];
      if (range === undefined) continue;
      const steps = dim === "fm" ? 2 : 1;
      const hits: number[] = [];
      for (let i = 0; i <= steps * (k - 1); ++i) {
        const image = 1 + mapIndex(i, k, K, steps) / steps;
        if (image >= range[0] && image <= range[1]) hits.push(1 + i / steps);
      }
      if (hits.length === 0) empty = true;
      else out[dim] = [hits[0], hits[hits.length - 1]];
    }
    if (!empty) rules.push(out);
  }
  return {...scheme, k, rules};
}

/** The score a rescaled scheme compares with, on the scheme's own scale (exported for tests and legends). */
export function mapScore(score: number, k: number, K: number, {half = false} = {}): number {
  const steps = half ? 2 : 1;
  return k === K ? score : 1 + mapIndex(Math.round((score - 1) * steps), k, K, steps) / steps;
}

/** Adds a `segment` column to scoreRfm() output scored with this k; the scheme is rescaled to k if needed. */
export function assignSegments(scores: ColumnTable, scheme: SegmentScheme, {k = 5}: {k?: number} = {}): ColumnTable {
  const scaled = rescaleScheme(scheme, k);
  const r = scores.array("r_score") as ArrayLike<number>;
  const f = scores.array("f_score") as ArrayLike<number>;
  const m = scores.array("m_score") as ArrayLike<number>;
  // At most k³ score triples: each is matched against the rules once, then looked up.
  const known = new Map<number, string>();
  const segment = Array.from({length: scores.numRows()}, (_, i) => {
    if (!(r[i] >= 1 && r[i] <= k && f[i] >= 1 && f[i] <= k && m[i] >= 1 && m[i] <= k)) {
      throw new Error(`row ${i} has scores (${r[i]}, ${f[i]}, ${m[i]}) outside 1..${k}: was it scored with k = ${k}?`);
    }
    const scored = {r_score: r[i], f_score: f[i], m_score: m[i]};
    if (!(Number.isInteger(r[i]) && Number.isInteger(f[i]) && Number.isInteger(m[i]))) return segmentOf(scaled, scored);
    const key = (r[i] * 16 + f[i]) * 16 + m[i];
    let name = known.get(key);
    if (name === undefined) known.set(key, (name = segmentOf(scaled, scored)));
    return name;
  });
  return scores.reify().assign({segment});
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

/** Human-readable rule, e.g. "R ≥ 4, (F+M)/2 3–5"; with k, open ends read "≤ max" / "≥ min". */
export function describeRule(rule: SegmentRule, {k}: {k?: number} = {}): string {
  const parts: string[] = [];
  for (const dim of DIMENSIONS) {
    const range = rule[dim];
    if (range === undefined) continue;
    const [lo, hi] = range;
    const label = LABELS[dim];
    if (lo === hi) parts.push(`${label} = ${formatNumber(lo)}`);
    else if (k !== undefined && lo <= 1 && hi >= k) continue;
    else if (k !== undefined && lo <= 1) parts.push(`${label} ≤ ${formatNumber(hi)}`);
    else if (k !== undefined && hi >= k) parts.push(`${label} ≥ ${formatNumber(lo)}`);
    else parts.push(`${label} ${formatNumber(lo)}–${formatNumber(hi)}`);
  }
  return parts.length ? parts.join(", ") : "any customer not matched above";
}

/** Rows for a legend table: order, segment, rule text, description. */
export function describeScheme(scheme: SegmentScheme): {order: number; segment: string; rule: string; description: string}[] {
  return scheme.rules.map((rule, i) => ({
    order: i + 1,
    segment: rule.segment,
    rule: describeRule(rule, {k: scheme.k}),
    description: rule.description ?? ""
  }));
}

/** Distinct segment names in rule order. */
export function segmentNames(scheme: SegmentScheme): string[] {
  return [...new Set(scheme.rules.map((rule) => rule.segment))];
}

/** Rows with a customer and a segment: an Arquero table or an array of objects. */
export type SegmentedInput = ColumnTable | readonly {customer_id: unknown; segment: string}[];

function segmentMap(data: SegmentedInput, what: string): Map<unknown, string> {
  const table = Array.isArray(data) ? aq.from(data, ["customer_id", "segment"]) : (data as ColumnTable);
  for (const c of ["customer_id", "segment"]) {
    if (!table.columnNames().includes(c)) throw new Error(`${what} lacks the column ${JSON.stringify(c)}`);
  }
  const ids = table.array("customer_id") as ArrayLike<unknown>;
  const segments = table.array("segment") as ArrayLike<string>;
  const map = new Map<unknown, string>();
  for (let i = 0; i < ids.length; ++i) {
    if (map.has(ids[i])) throw new Error(`${what} has customer_id ${JSON.stringify(ids[i])} twice`);
    map.set(ids[i], segments[i]);
  }
  return map;
}

function orderBy(order: readonly string[], missing: string): (a: string, b: string) => number {
  const index = new Map(order.map((s, i) => [s, i]));
  const key = (s: string) => (s === missing ? Infinity : index.get(s) ?? order.length);
  return (a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Segment movement between two segmentations (e.g. assignSegments at two analysis dates): one row per
 * (from_segment, to_segment) pair with customers > 0, and share = customers / customers of from_segment.
 * A customer present on one side only moves from or to `missing`. Rows follow `order` (segment names, e.g.
 * segmentNames(scheme)), then names not in it alphabetically, `missing` last.
 */
export function segmentTransitions(
  before: SegmentedInput,
  after: SegmentedInput,
  {order = [], missing = "(none)"}: {order?: readonly string[]; missing?: string} = {}
): ColumnTable {
  const from = segmentMap(before, "before");
  const to = segmentMap(after, "after");
  const counts = new Map<string, Map<string, number>>();
  const add = (a: string, b: string) => {
    const row = counts.get(a) ?? counts.set(a, new Map()).get(a)!;
    row.set(b, (row.get(b) ?? 0) + 1);
  };
  for (const [id, a] of from) add(a, to.get(id) ?? missing);
  for (const [id, b] of to) if (!from.has(id)) add(missing, b);
  const compare = orderBy(order, missing);
  const rows = {from_segment: [] as string[], to_segment: [] as string[], customers: [] as number[], share: [] as number[]};
  for (const a of [...counts.keys()].sort(compare)) {
    const row = counts.get(a)!;
    let total = 0;
    for (const n of row.values()) total += n;
    for (const b of [...row.keys()].sort(compare)) {
      rows.from_segment.push(a);
      rows.to_segment.push(b);
      rows.customers.push(row.get(b)!);
      rows.share.push(row.get(b)! / total);
    }
  }
  return aq.table(rows);
}

/**
 * Per segment of assignSegments() output: customers, share of customers, revenue, share of revenue and
 * mean recency, frequency and monetary; rows follow `order`, then other names alphabetically.
 */
export function segmentSummary(segmented: ColumnTable, {order = []}: {order?: readonly string[]} = {}): ColumnTable {
  const n = segmented.numRows();
  const revenue = segmented.rollup({total: (d: Record<string, number>) => aq.op.sum(d.revenue)}).get("total", 0) as number;
  const summary = segmented
    .groupby("segment")
    .rollup({
      customers: () => aq.op.count(),
      revenue: (d: Record<string, number>) => aq.op.sum(d.revenue),
      recency: (d: Record<string, number>) => aq.op.mean(d.recency),
      frequency: (d: Record<string, number>) => aq.op.mean(d.frequency),
      monetary: (d: Record<string, number>) => aq.op.mean(d.monetary)
    })
    .params({n, revenue: revenue || 1})
    .derive({
      share: (d: Record<string, number>, $: Record<string, number>) => d.customers / $.n,
      revenue_share: (d: Record<string, number>, $: Record<string, number>) => d.revenue / $.revenue
    });
  const names = summary.array("segment") as string[];
  const sorted = names.slice().sort(orderBy(order, "\u0000"));
  const position = Int32Array.from(names, (s) => sorted.indexOf(s));
  return summary
    .assign({position})
    .orderby("position")
    .select("segment", "customers", "share", "revenue", "revenue_share", "recency", "frequency", "monetary")
    .reify();
}
