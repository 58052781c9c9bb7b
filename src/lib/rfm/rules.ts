/**
 * RFM segment rules as data, with no table library: the scheme types, matching a customer's scores to a rule,
 * rescaling a scheme to another k, the rules' descriptions, and the checks of the scoring inputs (k, cut
 * points). segments.ts and scores.ts apply them to tables (Arquero); the settings every page reads
 * (segmentation.ts, schemes.ts) and the SQL scoring need only this part.
 *
 * Rescaling to another k (rescaleScheme): each score s of the new scale is mapped linearly onto the
 * scheme's scale, 1 + (s - 1)(K - 1)/(k - 1), and rounded to the scheme's grid (whole scores; halves for
 * fm), a half-way value rounding towards the middle of the scale. A rule's new range is the set of new
 * scores whose image lies in its old range; that set is contiguous because the map is monotone. The ends
 * of the scale map onto each other (1 -> 1, k -> K), and a rule whose new range is empty is dropped.
 */

/** The number of score bins: an integer from 2 to 10 (throws otherwise). */
export function checkK(k: unknown): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 2 || k > 10) {
    throw new Error(`k must be an integer from 2 to 10, got ${JSON.stringify(k)}`);
  }
  return k;
}

/** Throws unless cuts is an array of k - 1 strictly increasing finite numbers. */
export function checkCuts(cuts: unknown, k: number, name = "thresholds"): readonly number[] {
  if (!Array.isArray(cuts) || cuts.length !== k - 1) {
    throw new Error(`${name} must be an array of k - 1 = ${k - 1} cut points, got ${JSON.stringify(cuts)}`);
  }
  cuts.forEach((c, i) => {
    if (typeof c !== "number" || !Number.isFinite(c)) throw new Error(`${name}[${i}] must be a finite number, got ${JSON.stringify(c)}`);
    if (i > 0 && !(c > cuts[i - 1])) throw new Error(`${name}[${i}] = ${c} must be greater than ${name}[${i - 1}] = ${cuts[i - 1]}`);
  });
  return cuts;
}

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

/**
 * segmentOf for many customers: integer scores 1..k are matched against the rules once per (r, f, m) triple
 * (at most k³ of them) and then looked up; other scores are matched each time. The scheme must be on the k scale.
 */
export function segmentLookup(scheme: SegmentScheme, k: number): (r_score: number, f_score: number, m_score: number) => string {
  const side = k + 1;
  const known: (string | undefined)[] = new Array(side * side * side);
  return (r_score, f_score, m_score) => {
    if (!(Number.isInteger(r_score) && Number.isInteger(f_score) && Number.isInteger(m_score) && r_score >= 1 && r_score <= k && f_score >= 1 && f_score <= k && m_score >= 1 && m_score <= k)) {
      return segmentOf(scheme, {r_score, f_score, m_score});
    }
    const key = (r_score * side + f_score) * side + m_score;
    return (known[key] ??= segmentOf(scheme, {r_score, f_score, m_score}));
  };
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
