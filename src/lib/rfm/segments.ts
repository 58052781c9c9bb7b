/**
 * RFM segments from scores, driven by schemes that are data (see schemes.ts).
 *
 * A scheme is an ordered list of rules in score units of its own k. A rule gives inclusive [min, max]
 * ranges for any of r, f, m (scores 1..k) and fm (the mean of f and m: 1, 1.5, …, k); a missing range
 * matches anything. The first matching rule wins and the last rule must be a catch-all (no ranges), so
 * every customer lands in exactly one segment.
 *
 * The rules themselves (types, matching, rescaling to another k, descriptions) are in rules.ts, with no table
 * library, and re-exported here; this file applies them to Arquero tables.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {columnValues} from "./scores.js";
import {rescaleScheme, segmentLookup, type SegmentScheme} from "./rules.js";

export * from "./rules.js";

/** Adds a `segment` column to scoreRfm() output scored with this k; the scheme is rescaled to k if needed. */
export function assignSegments(scores: ColumnTable, scheme: SegmentScheme, {k = 5}: {k?: number} = {}): ColumnTable {
  const scaled = rescaleScheme(scheme, k);
  const r = columnValues<number>(scores, "r_score");
  const f = columnValues<number>(scores, "f_score");
  const m = columnValues<number>(scores, "m_score");
  // At most k³ score triples: each is matched against the rules once, then looked up in a flat table.
  const n = scores.numRows();
  const lookup = segmentLookup(scaled, k);
  const segment = new Array<string>(n);
  for (let i = 0; i < n; ++i) {
    const ri = r[i], fi = f[i], mi = m[i];
    if (!(ri >= 1 && ri <= k && fi >= 1 && fi <= k && mi >= 1 && mi <= k)) {
      throw new Error(`row ${i} has scores (${ri}, ${fi}, ${mi}) outside 1..${k}: was it scored with k = ${k}?`);
    }
    segment[i] = lookup(ri, fi, mi);
  }
  return scores.reify().assign({segment});
}

export type SegmentedInput = ColumnTable | readonly {customer_id: unknown; segment: string}[];

function segmentMap(data: SegmentedInput, what: string): Map<unknown, string> {
  const table = Array.isArray(data) ? aq.from(data, ["customer_id", "segment"]) : (data as ColumnTable);
  for (const c of ["customer_id", "segment"]) {
    if (!table.columnNames().includes(c)) throw new Error(`${what} lacks the column ${JSON.stringify(c)}`);
  }
  const ids = columnValues<unknown>(table, "customer_id");
  const segments = columnValues<string>(table, "segment");
  const map = new Map<unknown, string>();
  for (let i = 0; i < ids.length; ++i) {
    if (map.has(ids[i])) throw new Error(`${what} has customer_id ${JSON.stringify(ids[i])} twice`);
    map.set(ids[i], segments[i]);
  }
  return map;
}

/** The ids and segments of a table whose customer_id are strings in strictly increasing order, else null. */
function sortedSegments(data: SegmentedInput): {ids: ArrayLike<string>; segments: ArrayLike<string>} | null {
  if (Array.isArray(data)) return null;
  const table = data as ColumnTable;
  const names = table.columnNames();
  if (!names.includes("customer_id") || !names.includes("segment")) return null;
  const ids = columnValues<unknown>(table, "customer_id");
  for (let i = 0; i < ids.length; ++i) {
    if (typeof ids[i] !== "string" || (i > 0 && !((ids[i - 1] as string) < (ids[i] as string)))) return null;
  }
  return {ids: ids as ArrayLike<string>, segments: columnValues<string>(table, "segment")};
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
  const counts = new Map<string, Map<string, number>>();
  const add = (a: string, b: string) => {
    const row = counts.get(a) ?? counts.set(a, new Map()).get(a)!;
    row.set(b, (row.get(b) ?? 0) + 1);
  };
  const left = sortedSegments(before);
  const right = left && sortedSegments(after);
  if (left && right) {
    // Both sides in increasing customer_id order (as the RFM tables are): a merge, no map of a million ids.
    let i = 0, j = 0;
    while (i < left.ids.length || j < right.ids.length) {
      if (j >= right.ids.length || (i < left.ids.length && left.ids[i] < right.ids[j])) add(left.segments[i++], missing);
      else if (i >= left.ids.length || right.ids[j] < left.ids[i]) add(missing, right.segments[j++]);
      else add(left.segments[i++], right.segments[j++]);
    }
  } else {
    const from = segmentMap(before, "before");
    const to = segmentMap(after, "after");
    for (const [id, a] of from) add(a, to.get(id) ?? missing);
    for (const [id, b] of to) if (!from.has(id)) add(missing, b);
  }
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
  // One pass over typed columns; sums and means accumulate in row order as Arquero's sum and mean do
  // (mean += (v - mean) / valid), so the figures equal those of a groupby/rollup.
  const n = segmented.numRows();
  const names = columnValues<string>(segmented, "segment");
  const columns = (["revenue", "recency", "frequency", "monetary"] as const).map((c) => columnValues<number>(segmented, c));
  const index = new Map<string, number>();
  const groups: {segment: string; customers: number; sums: number[]; valid: number[]; means: number[]}[] = [];
  let total = 0;
  let last: string | undefined;
  let group = -1;
  for (let i = 0; i < n; ++i) {
    const name = names[i];
    if (name !== last || group < 0) {
      let g = index.get(name);
      if (g === undefined) {
        index.set(name, (g = groups.length));
        groups.push({segment: name, customers: 0, sums: [0, 0, 0, 0], valid: [0, 0, 0, 0], means: [0, 0, 0, 0]});
      }
      group = g;
      last = name;
    }
    const row = groups[group];
    row.customers++;
    for (let c = 0; c < 4; ++c) {
      const v = columns[c][i];
      if (v == null || v !== v) continue;
      row.sums[c] += v;
      row.means[c] += (v - row.means[c]) / ++row.valid[c];
    }
    const v = columns[0][i];
    if (v != null && v === v) total += v;
  }
  const compare = orderBy(order, "\u0000");
  groups.sort((a, b) => compare(a.segment, b.segment));
  const revenue = total || 1;
  const mean = (g: (typeof groups)[number], c: number) => (g.valid[c] ? g.means[c] : null);
  return aq.table({
    segment: groups.map((g) => g.segment),
    customers: groups.map((g) => g.customers),
    share: groups.map((g) => g.customers / n),
    revenue: groups.map((g) => (g.valid[0] ? g.sums[0] : null)),
    revenue_share: groups.map((g) => (g.valid[0] ? g.sums[0] : 0) / revenue),
    recency: groups.map((g) => mean(g, 1)),
    frequency: groups.map((g) => mean(g, 2)),
    monetary: groups.map((g) => mean(g, 3))
  });
}
