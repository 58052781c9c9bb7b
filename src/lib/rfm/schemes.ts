/**
 * Built-in RFM segment schemes, as data, and the JSON form in which a page lets users edit them.
 * Rules are in score units for k = 5 (scores 1..5; 5 = most recent, most frequent, highest spend) and are
 * read top to bottom: the first rule that matches wins. segments.ts rescales them to other k.
 */
import {DIMENSIONS, checkK, type SegmentRule, type SegmentScheme} from "./rules.js";

/** Six personas from R, F and M scores. */
export const PERSONAS: SegmentScheme = {
  name: "personas",
  description: "Six customer personas from recency, frequency and monetary scores.",
  k: 5,
  rules: [
    {segment: "VIP", description: "Top scores on all three: bought lately, buys often, spends much.", r: [4, 5], f: [4, 5], m: [4, 5]},
    {segment: "Big Spender", description: "In the top fifth by spend and not long gone, whatever the frequency.", r: [2, 5], m: [5, 5]},
    {segment: "At Risk", description: "Bought often before but not for a while.", r: [1, 2], f: [3, 5]},
    {segment: "Lost Customer", description: "Longest time since the last purchase, and never a frequent buyer.", r: [1, 1]},
    {segment: "New Customer", description: "Bought lately, but only once or a few times so far.", r: [4, 5], f: [1, 1]},
    {segment: "Regular", description: "Everyone else: steady customers with middling scores."}
  ]
};

/**
 * Eleven segments on the R score and the mean of the F and M scores, the grid commonly used in RFM
 * practice (Champions top right, Lost bottom left).
 */
export const STANDARD_SEGMENTS: SegmentScheme = {
  name: "standard",
  description: "Eleven segments on the recency score and the mean of the frequency and monetary scores.",
  k: 5,
  rules: [
    {segment: "Champions", description: "Bought very recently, buy often and spend the most.", r: [4, 5], fm: [4, 5]},
    {segment: "Loyal Customers", description: "Buy regularly and spend well; recent enough.", r: [3, 5], fm: [3, 5]},
    {segment: "Potential Loyalist", description: "Recent customers with average frequency and spend.", r: [4, 5], fm: [2, 2.5]},
    {segment: "New Customers", description: "Bought most recently, but little so far.", r: [5, 5], fm: [1, 1.5]},
    {segment: "Promising", description: "Fairly recent, little spend yet.", r: [4, 4], fm: [1, 1.5]},
    {segment: "Need Attention", description: "Middling recency, frequency and spend.", r: [3, 3], fm: [2, 2.5]},
    {segment: "About To Sleep", description: "Middling recency, low frequency and spend.", r: [3, 3], fm: [1, 1.5]},
    {segment: "Can't Lose Them", description: "Were among the best customers but have not bought for the longest time.", r: [1, 1], fm: [4, 5]},
    {segment: "At Risk", description: "Bought often and spent well, but some time ago.", r: [1, 2], fm: [2.5, 5]},
    {segment: "Hibernating", description: "Long since the last purchase, low frequency and spend.", r: [2, 2], fm: [1, 2]},
    {segment: "Lost", description: "Everyone else: the longest gone, with the lowest frequency and spend."}
  ]
};

/**
 * The project seed's five personas, exactly: VIP, Big Spender, New, Lost and Regular (no At Risk; a lapsed
 * frequent buyer is Lost or, if still a top spender, a Big Spender).
 */
export const SEED_PERSONAS: SegmentScheme = {
  name: "personas5",
  description: "The five original personas from recency, frequency and monetary scores.",
  k: 5,
  rules: [
    {segment: "VIP", description: "Top scores on all three: bought lately, buys often, spends much.", r: [4, 5], f: [4, 5], m: [4, 5]},
    {segment: "Big Spender", description: "In the top fifth by spend and not long gone, whatever the frequency.", r: [2, 5], m: [5, 5]},
    {segment: "New", description: "Bought lately, but only once or a few times so far.", r: [4, 5], f: [1, 1]},
    {segment: "Lost", description: "Have not bought for a long time (the lowest two recency scores).", r: [1, 2]},
    {segment: "Regular", description: "Everyone else: steady customers with middling scores."}
  ]
};

export const SEGMENT_SCHEMES: Readonly<Record<string, SegmentScheme>> = {
  personas: PERSONAS,
  personas5: SEED_PERSONAS,
  standard: STANDARD_SEGMENTS
};

/** The built-in schemes' labels for a choice on a page, in SEGMENT_SCHEMES order. */
export const SCHEME_LABELS: Readonly<Record<string, string>> = {
  personas: "Personas (6)",
  personas5: "Personas (5)",
  standard: "Standard (11)"
};

/**
 * The RFM segmentation every page and the CLI use unless told otherwise (the RFM page's first choice): the
 * personas, on scores from 1 to 5.
 */
export const DEFAULT_SEGMENTATION = {scheme: "personas", bins: 5} as const satisfies {scheme: keyof typeof SEGMENT_SCHEMES; bins: number};

/** The default scheme itself (DEFAULT_SEGMENTATION.scheme). */
export const DEFAULT_SCHEME: SegmentScheme = SEGMENT_SCHEMES[DEFAULT_SEGMENTATION.scheme];

const RULE_KEYS = new Set(["segment", "description", ...DIMENSIONS]);
const SCHEME_KEYS = new Set(["name", "description", "k", "rules"]);
const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function rangeErrors(value: unknown, path: string, k: number): string[] {
  // A single number n is accepted as [n, n].
  const range = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(range) || range.length !== 2) return [`${path} must be [min, max] or a number, got ${show(value)}`];
  const errors: string[] = [];
  range.forEach((x, j) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 1 || x > k) {
      errors.push(`${path}[${j}] must be a number from 1 to ${k}, got ${show(x)}`);
    }
  });
  if (!errors.length && range[0] > range[1]) errors.push(`${path} has min ${range[0]} above max ${range[1]}`);
  return errors;
}

/** Every problem with a would-be scheme, each naming the bad value; empty when it is valid. */
export function schemeErrors(value: unknown): string[] {
  if (!isObject(value)) return [`a scheme must be an object with k and rules, got ${show(value)}`];
  const errors: string[] = [];
  for (const key of Object.keys(value)) if (!SCHEME_KEYS.has(key)) errors.push(`unknown scheme key ${JSON.stringify(key)}`);
  if (value.name !== undefined && typeof value.name !== "string") errors.push(`name must be a string, got ${show(value.name)}`);
  if (value.description !== undefined && typeof value.description !== "string") {
    errors.push(`description must be a string, got ${show(value.description)}`);
  }
  let k = 5;
  try {
    k = checkK(value.k);
  } catch (error) {
    errors.push((error as Error).message);
  }
  const rules = value.rules;
  if (!Array.isArray(rules) || rules.length === 0) return [...errors, `rules must be a non-empty array, got ${show(rules)}`];
  rules.forEach((rule, i) => {
    const path = `rules[${i}]`;
    if (!isObject(rule)) return void errors.push(`${path} must be an object, got ${show(rule)}`);
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) errors.push(`${path} has an unknown key ${JSON.stringify(key)}`);
    if (typeof rule.segment !== "string" || rule.segment.trim() === "") {
      errors.push(`${path}.segment must be a non-empty string, got ${show(rule.segment)}`);
    }
    if (rule.description !== undefined && typeof rule.description !== "string") {
      errors.push(`${path}.description must be a string, got ${show(rule.description)}`);
    }
    for (const dim of DIMENSIONS) if (rule[dim] !== undefined) errors.push(...rangeErrors(rule[dim], `${path}.${dim}`, k));
  });
  // Two rules with one segment name would merge into one segment without a word: refused, naming both.
  const firstRule = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isObject(rule) || typeof rule.segment !== "string" || rule.segment.trim() === "") return;
    const name = rule.segment.trim();
    const earlier = firstRule.get(name);
    if (earlier === undefined) firstRule.set(name, i);
    else errors.push(`rules[${i}] and rules[${earlier}] are both named ${JSON.stringify(name)}: give each rule its own segment name (a customer gets the first rule that matches)`);
  });
  const last = rules[rules.length - 1];
  if (isObject(last) && DIMENSIONS.some((dim) => last[dim] !== undefined)) {
    errors.push(`the last rule (rules[${rules.length - 1}], ${show(last.segment)}) must be a catch-all without r, f, m or fm ranges, so that every customer gets a segment`);
  }
  return errors;
}

/** A scheme from JSON text or a parsed object; throws an Error listing every problem. */
export function parseScheme(input: unknown): SegmentScheme {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new Error(`the scheme is not valid JSON: ${(error as Error).message}`);
    }
  }
  const errors = schemeErrors(value);
  if (errors.length) throw new Error(`invalid segment scheme:\n- ${errors.join("\n- ")}`);
  const scheme = value as Record<string, unknown> & {k: number; rules: Record<string, unknown>[]};
  const rules = scheme.rules.map((rule) => {
    const out: SegmentRule = {segment: rule.segment as string};
    if (rule.description !== undefined) out.description = rule.description as string;
    for (const dim of DIMENSIONS) {
      const range = rule[dim];
      if (range !== undefined) out[dim] = typeof range === "number" ? [range, range] : [(range as number[])[0], (range as number[])[1]];
    }
    return out;
  });
  return {name: (scheme.name as string | undefined) ?? "custom", ...(scheme.description !== undefined && {description: scheme.description as string}), k: scheme.k, rules};
}

/** JSON text for an editor: one rule per line. parseScheme(schemeToJson(s)) equals s. */
export function schemeToJson(scheme: SegmentScheme): string {
  const head = {name: scheme.name, ...(scheme.description !== undefined && {description: scheme.description}), k: scheme.k};
  const lines = scheme.rules.map((rule) => `    ${JSON.stringify(rule)}`);
  const top = JSON.stringify(head, null, 2).slice(0, -2);
  return `${top},\n  "rules": [\n${lines.join(",\n")}\n  ]\n}`;
}
