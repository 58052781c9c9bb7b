/**
 * The analytics behind the RFM page (src/rfm.md) that rfm.ts and segments.ts leave to their callers:
 * per-customer values as DuckDB SQL (so the page aggregates transactions in DuckDB and hands Arquero one row
 * per customer), user-typed cut points and schemes read into errors instead of exceptions, the headline
 * numbers, and the recency × frequency score grid.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {checkCuts, checkK, columnOrderStatistics, columnValues, orderStatistics, scoreRfm, type FrequencyMode, type MonetaryMode, type Thresholds} from "./scores.js";
import {rfmScoresSql} from "./sql.js";
import {assignSegments, rescaleScheme, segmentNames, segmentSummary, type SegmentScheme} from "./segments.js";
import {parseScheme, schemeErrors} from "./schemes.js";

/** The columns of rfmValues() rows, in its order. */
export const VALUE_COLUMNS = ["customer_id", "first_purchase", "last_purchase", "recency", "frequency", "monetary", "revenue"] as const;

export interface ValuesSqlOptions {
  /** A table or view name (quoted as an identifier). */
  table?: string;
  /** Count distinct order_id for frequency "orders". */
  orderId?: boolean;
  analysisDate?: string;
  frequency?: FrequencyMode;
  monetary?: MonetaryMode;
}

/**
 * SQL for the rows of rfmValues() (customer_id as text), ordered by customer_id: the values part of
 * rfmScoresSql, so the page's SQL and the Arquero scores share one definition of recency, frequency and
 * monetary. The scores of that query are asked for with dummy cut points: threshold scores are plain
 * expressions, while quantile scores would cost three window sorts that nothing reads.
 */
export function rfmValuesSql({table = "transactions", orderId = false, analysisDate, frequency = "orders", monetary = "total"}: ValuesSqlOptions = {}): string {
  const cuts = {recency: [1], frequency: [1], monetary: [1]};
  const scores = rfmScoresSql({table, orderId, analysisDate, frequency, monetary, k: 2, thresholds: cuts});
  return `SELECT CAST(customer_id AS VARCHAR) AS customer_id, ${VALUE_COLUMNS.slice(1).join(", ")}
FROM (${scores})
ORDER BY customer_id`;
}

export interface Segmentation {
  /** scoreRfm() rows with a segment column, sorted by customer_id. */
  customers: ColumnTable;
  /** The scheme on the k scale in use (rules that cannot be reached at this k dropped). */
  scheme: SegmentScheme;
  /** Segment names in rule order. */
  names: string[];
  /** segmentSummary() in rule order, segments without customers left out. */
  summary: ColumnTable;
}

/** Scores rfmValues() rows and assigns the scheme's segments. */
export function segmentCustomers(values: ColumnTable, {k = 5, thresholds = {}, scheme}: {k?: number; thresholds?: Thresholds; scheme: SegmentScheme}): Segmentation {
  checkK(k);
  const scaled = rescaleScheme(scheme, k);
  const names = segmentNames(scaled);
  const customers = assignSegments(scoreRfm(values, {k, thresholds}), scaled, {k});
  const summary = customers.numRows() ? segmentSummary(customers, {order: names}) : aq.table({segment: [], customers: [], share: [], revenue: [], revenue_share: []});
  return {customers, scheme: scaled, names, summary};
}

export interface Headline {
  customers: number;
  revenue: number;
  /** The scheme's first segment (its best customers) and its shares of customers and revenue. */
  top: {segment: string; share: number; revenue_share: number};
  /** Median days since the last purchase; NaN without customers. */
  medianRecency: number;
}

/** The page's key figures. */
export function headline({customers, names, summary}: Pick<Segmentation, "customers" | "names" | "summary">): Headline {
  const n = customers.numRows();
  const revenues = columnValues<number>(customers, "revenue");
  let revenue = 0;
  for (let i = 0; i < n; ++i) if (revenues[i] != null && revenues[i] === revenues[i]) revenue += revenues[i];
  const stats = n ? {revenue, recency: median(columnValues<number>(customers, "recency"))} : {revenue: 0, recency: NaN};
  const segment = names[0] ?? "";
  const rows = summary.objects() as {segment: string; share: number; revenue_share: number}[];
  const row = rows.find((d) => d.segment === segment);
  return {customers: n, revenue: stats.revenue, top: {segment, share: row?.share ?? 0, revenue_share: row?.revenue_share ?? 0}, medianRecency: stats.recency};
}

/** The median of a table's column as Arquero's op.median gives it (interpolated between the middle two), by selection. */
function median(values: ArrayLike<number>): number {
  let valid = 0;
  for (let i = 0; i < values.length; ++i) if (values[i] != null && values[i] === values[i]) ++valid;
  if (valid === 0) return NaN;
  if (valid < 2) return columnOrderStatistics(values, [0])[0];
  const at = (valid - 1) * 0.5;
  const i0 = Math.floor(at);
  const [v0, v1] = columnOrderStatistics(values, [i0, i0 + 1]);
  return v0 + (v1 - v0) * (at - i0);
}

export interface GridCell {
  r_score: number;
  f_score: number;
  customers: number;
  /** Mean monetary value of the cell's customers. */
  monetary: number;
  /** Customers of the cell in the selected segment (0 without a selection). */
  selected: number;
  /** The segment most of the cell's customers are in (a click on the cell selects it). */
  segment?: string;
}

/** One row per (r_score, f_score) pair that has customers, sorted by r then f. */
export function scoreGrid(customers: ColumnTable, {segment = null}: {segment?: string | null} = {}): GridCell[] {
  const n = customers.numRows();
  if (!n) return [];
  // Typed loops over the score columns (a k × k grid): means as Arquero's mean, the mode as its op.mode
  // (the most frequent segment, the first seen among equals).
  const r = columnValues<number>(customers, "r_score");
  const f = columnValues<number>(customers, "f_score");
  const money = columnValues<number>(customers, "monetary");
  const segments = columnValues<string>(customers, "segment");
  const codes = new Map<string, number>();
  const cells = new Map<number, {r_score: number; f_score: number; customers: number; valid: number; mean: number; selected: number; counts: number[]; first: number[]}>();
  for (let i = 0; i < n; ++i) {
    const key = r[i] * 1024 + f[i];
    let cell = cells.get(key);
    if (cell === undefined) cells.set(key, (cell = {r_score: r[i], f_score: f[i], customers: 0, valid: 0, mean: 0, selected: 0, counts: [], first: []}));
    cell.customers++;
    const v = money[i];
    if (v != null && v === v) cell.mean += (v - cell.mean) / ++cell.valid;
    const name = segments[i];
    if (name === segment) cell.selected++;
    let code = codes.get(name);
    if (code === undefined) codes.set(name, (code = codes.size));
    if (cell.counts[code] === undefined) (cell.counts[code] = 0), (cell.first[code] = i);
    cell.counts[code]++;
  }
  const names = [...codes.keys()];
  return [...cells.values()]
    .sort((a, b) => a.r_score - b.r_score || a.f_score - b.f_score)
    .map((cell) => {
      let mode = -1;
      cell.counts.forEach((count, code) => {
        if (mode < 0 || count > cell.counts[mode] || (count === cell.counts[mode] && cell.first[code] < cell.first[mode])) mode = code;
      });
      return {r_score: cell.r_score, f_score: cell.f_score, customers: cell.customers, monetary: cell.valid ? cell.mean : (undefined as unknown as number), selected: cell.selected, segment: names[mode]};
    });
}

/**
 * Suggested cut points for a threshold input: the values at the k-quantile boundaries, rounded to two
 * significant digits and made distinct; empty when the data has too few distinct values for k - 1 cuts.
 */
export function suggestCuts(values: ArrayLike<number>, k: number): number[] {
  checkK(k);
  const n = values.length;
  if (n === 0) return [];
  const ranks = Array.from({length: k - 1}, (_, j) => Math.min(n - 1, Math.floor(((j + 1) * n) / k)));
  const quantiles = orderStatistics(values, ranks);
  const cuts: number[] = [];
  for (let j = 1; j < k; ++j) {
    const x = Number(quantiles[j - 1].toPrecision(2));
    if (!cuts.length || x > cuts[cuts.length - 1]) cuts.push(x);
  }
  return cuts.length === k - 1 ? cuts : [];
}

const LABELS: Record<keyof Thresholds, string> = {recency: "Recency", frequency: "Frequency", monetary: "Monetary"};

/**
 * Cut points typed as text ("30, 90, 180"), one entry per dimension; a blank entry keeps quantile scores.
 * Returns the valid thresholds and, for each bad entry (left out of the thresholds), a message naming it.
 */
export function readThresholds(text: Partial<Record<keyof Thresholds, string | null>>, k: number): {thresholds: Thresholds; errors: string[]} {
  checkK(k);
  const thresholds: Thresholds = {};
  const errors: string[] = [];
  for (const dim of Object.keys(LABELS) as (keyof Thresholds)[]) {
    const raw = (text[dim] ?? "").trim();
    if (raw === "") continue;
    const parts = raw.split(/[\s,;]+/).filter(Boolean);
    const cuts = parts.map(Number);
    const bad = parts.find((p, i) => !Number.isFinite(cuts[i]));
    try {
      if (bad !== undefined) throw new Error(`${JSON.stringify(bad)} is not a number`);
      thresholds[dim] = checkCuts(cuts, k, "cut points");
    } catch (error) {
      errors.push(`${LABELS[dim]}: ${(error as Error).message}`);
    }
  }
  return {thresholds, errors};
}

/** A scheme from the editor's JSON text: the scheme, or null and every problem found. */
export function readScheme(text: string): {scheme: SegmentScheme | null; errors: string[]} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {scheme: null, errors: [`not valid JSON: ${(error as Error).message}`]};
  }
  const errors = schemeErrors(value);
  return errors.length ? {scheme: null, errors} : {scheme: parseScheme(value), errors: []};
}

/** A file-name-safe slug of a segment name: "Can't Lose Them" → "cant-lose-them". */
export function slug(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/['’]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "segment"
  );
}
