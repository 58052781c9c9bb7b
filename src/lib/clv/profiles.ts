/**
 * SQL for the per-customer facts the CLV pages show beside the model predictions (DuckDB; the page runs it on
 * DuckDB-WASM, the tests on native DuckDB). The table name and column list come from code, never from input.
 *
 * - `customerProfileSql`: one row per customer with an order on or before `asOf`: revenue, orders, cost of
 *   goods (when the table has a cost column), purchase days, first and last purchase, and the region,
 *   province and customer segment of the customer's first purchase day (the first in alphabetical order when
 *   that day has several; when the table has them), the acquisition channel likewise; when the table has
 *   the columns, the acquisition cost (the sum of `acquisition_cost` over the customer's orders: a cost
 *   recorded once, on the first order, is that order's; costs split over several orders add up; null when
 *   every value is missing), the top category (the category with the most spend; ties: the first
 *   alphabetically) and the partner share (the spend through the customer's top partner over all their
 *   spend, 0 without a partner order, 0..1 unless refunds exceed purchases; null when the spend is not
 *   positive); by customer_id.
 * - `birthsSql` / `repeatsSql`: for the customers whose first purchase is on or before `calibrationEnd`, the
 *   number of first purchases per day and the number of repeat purchase days per day (a customer's purchase
 *   days after the first, over the whole table: calibration and holdout), for the cumulative-transactions
 *   diagnostic;
 * - `profileSegments`: each customer's RFM segment from the profile; `costMargins`: margin rates from costs.
 */
import {rankScores} from "./diagnostics.js";
import {sqlIdentifier} from "../sql/filters.js";
import {checkIsoDay} from "../time.js";
import {PERSONAS} from "../rfm/schemes.js";
import {rescaleScheme, segmentLookup, type SegmentScheme} from "../rfm/rules.js";
import {dayNumber, perDistinctDate} from "../time.js";

/** Attributes copied from each customer's first order, when the table has them. */
export const PROFILE_ATTRIBUTES = ["region", "province", "customer_segment", "channel"] as const;

export interface CustomerProfile {
  customer_id: string;
  revenue: number;
  orders: number;
  /** Total cost of goods; null when the table has no cost column or the customer's costs are all missing. */
  cost: number | null;
  purchase_days: number;
  first_purchase: string;
  last_purchase: string;
  region?: string | null;
  province?: string | null;
  customer_segment?: string | null;
  /** Acquisition channel of the first purchase (with a channel column). */
  channel?: string | null;
  /** The customer's acquisition cost: the sum on their orders (with an acquisition_cost column). */
  acquisition_cost?: number | null;
  /** The category with the most spend (with a category column). */
  top_category?: string | null;
  /** The top partner's share of the customer's spend, 0..1 (with a partner column). */
  partner_share?: number | null;
}

/** Numeric profile fields present only with their column: field → column. */
export const PROFILE_NUMBERS = {acquisition_cost: "acquisition_cost", partner_share: "partner"} as const;
/** Text profile fields computed from a column (not copied from the first order): field → column. */
export const PROFILE_LABELS = {top_category: "category"} as const;

export interface ProfileOptions {
  table?: string;
  /** Last day counted (inclusive), YYYY-MM-DD; default: every order. */
  asOf?: string;
  /** Columns the table has (optional columns absent from it are left out). */
  columns: readonly string[];
}

export function customerProfileSql({table = "transactions", asOf, columns}: ProfileOptions): string {
  const source = sqlIdentifier(table);
  const end = asOf === undefined ? "" : `\n    AND CAST(order_date AS DATE) <= DATE '${checkIsoDay(asOf, "asOf")}'`;
  const orders = columns.includes("order_id") ? "count(DISTINCT coalesce(CAST(order_id AS VARCHAR), 'row ' || CAST(row_number AS VARCHAR)))" : "count(*)";
  const cost = columns.includes("cost") ? "CAST(sum(cost) AS DOUBLE)" : "CAST(NULL AS DOUBLE)";
  const attributes = PROFILE_ATTRIBUTES.filter((name) => columns.includes(name)).map(
    (name) => `,\n  CAST(arg_min(${sqlIdentifier(name)}, (day, CAST(${sqlIdentifier(name)} AS VARCHAR))) AS VARCHAR) AS ${sqlIdentifier(name)}`
  );
  const acquisition = columns.includes("acquisition_cost") ? ",\n  CAST(sum(acquisition_cost) AS DOUBLE) AS acquisition_cost" : "";
  // Spend per customer and category / partner, then the top one (by spend, then name), read from the table
  // apart and joined to the aggregated profile: the profile's sums run as they do without them (a shared
  // CTE made DuckDB add in another order, and the revenue differ in the last bits).
  const tops: string[] = [];
  const joins: string[] = [];
  const picked: string[] = [];
  if (columns.includes("category")) {
    tops.push(`,
categories AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, category,
    row_number() OVER (PARTITION BY customer_id ORDER BY sum(amount) DESC, CAST(category AS VARCHAR)) AS rank
  FROM ${source}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND category IS NOT NULL${end}
  GROUP BY customer_id, category
)`);
    joins.push("\nLEFT JOIN categories ON categories.customer_id = profile.customer_id AND categories.rank = 1");
    picked.push(",\n  CAST(categories.category AS VARCHAR) AS top_category");
  }
  if (columns.includes("partner")) {
    tops.push(`,
partners AS (
  SELECT customer_id, greatest(0, max(spend)) AS top_spend
  FROM (SELECT CAST(customer_id AS VARCHAR) AS customer_id, sum(amount) AS spend FROM ${source}
    WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND partner IS NOT NULL${end}
    GROUP BY customer_id, partner) spends
  GROUP BY customer_id
)`);
    joins.push("\nLEFT JOIN partners ON partners.customer_id = profile.customer_id");
    // Rounded (to 1e-9) so that the share does not depend on the order in which the engine adds.
    picked.push(",\n  CAST(CASE WHEN profile.revenue > 0 THEN round(coalesce(partners.top_spend, 0) / profile.revenue, 9) END AS DOUBLE) AS partner_share");
  }
  return `WITH rows AS (
  SELECT *, CAST(order_date AS DATE) AS day, row_number() OVER () AS row_number
  FROM ${source}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL${end}
)${tops.join("")},
profile AS (
SELECT
  CAST(customer_id AS VARCHAR) AS customer_id,
  CAST(coalesce(sum(amount), 0) AS DOUBLE) AS revenue,
  CAST(${orders} AS INTEGER) AS orders,
  ${cost} AS cost,
  CAST(count(DISTINCT day) AS INTEGER) AS purchase_days,
  min(day) AS first_purchase,
  max(day) AS last_purchase${attributes.join("")}${acquisition}
FROM rows
GROUP BY 1
)
SELECT profile.*${picked.join("")}
FROM profile${joins.join("")}
ORDER BY 1`;
}

function firstDays(table: string, calibrationEnd: string): string {
  return `firsts AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, min(CAST(order_date AS DATE)) AS first_day
  FROM ${sqlIdentifier(table)}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL
  GROUP BY 1
  HAVING min(CAST(order_date AS DATE)) <= DATE '${checkIsoDay(calibrationEnd, "calibrationEnd")}'
)`;
}

/** First purchases per day (`day`, `customers`) of the calibration customers, by day. */
export function birthsSql({table = "transactions", calibrationEnd}: {table?: string; calibrationEnd: string}): string {
  return `WITH ${firstDays(table, calibrationEnd)}
SELECT strftime(first_day, '%Y-%m-%d') AS day, CAST(count(*) AS INTEGER) AS customers
FROM firsts GROUP BY first_day ORDER BY first_day`;
}

/** Repeat purchase days per day (`day`, `purchases`) of the calibration customers, by day. */
export function repeatsSql({table = "transactions", calibrationEnd}: {table?: string; calibrationEnd: string}): string {
  return `WITH ${firstDays(table, calibrationEnd)},
days AS (
  SELECT DISTINCT CAST(customer_id AS VARCHAR) AS customer_id, CAST(order_date AS DATE) AS day
  FROM ${sqlIdentifier(table)}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL
)
SELECT strftime(day, '%Y-%m-%d') AS day, CAST(count(*) AS INTEGER) AS purchases
FROM days JOIN firsts USING (customer_id)
WHERE day > first_day
GROUP BY day ORDER BY day`;
}

/**
 * The RFM segment of every profiled customer as of `analysisDate` (the day after the last day counted), with
 * rfm.ts's quantile scores (recency in days since the last purchase, frequency in orders, monetary as total
 * revenue) and a segment scheme on the k = 5 scale (PERSONAS by default).
 */
export function profileSegments(
  profiles: readonly Pick<CustomerProfile, "orders" | "revenue" | "last_purchase">[],
  {analysisDate, scheme = PERSONAS, k = 5}: {analysisDate: string; scheme?: SegmentScheme; k?: number}
): string[] {
  const end = dayNumber(analysisDate, "analysisDate");
  const lastDay = perDistinctDate((day) => dayNumber(day, "last_purchase"));
  const r = rankScores(profiles.map((p) => end - lastDay(p.last_purchase)), {k, descending: true});
  const f = rankScores(profiles.map((p) => p.orders), {k});
  const m = rankScores(profiles.map((p) => p.revenue), {k});
  const segment = segmentLookup(rescaleScheme(scheme, k), k);
  return profiles.map((_, i) => segment(r[i], f[i], m[i]));
}

/**
 * Each customer's gross margin rate from the cost column, (revenue − cost) / revenue, clamped to [0, 1];
 * customers without a cost or revenue get the overall rate Σ(revenue − cost) / Σ revenue of those with both
 * (or `fallback` when none has).
 */
export function costMargins(profiles: readonly Pick<CustomerProfile, "revenue" | "cost">[], {fallback = 1}: {fallback?: number} = {}): Float64Array {
  let revenue = 0;
  let cost = 0;
  for (const p of profiles) {
    if (p.cost != null && Number.isFinite(p.cost) && p.revenue > 0) {
      revenue += p.revenue;
      cost += p.cost;
    }
  }
  const overall = revenue > 0 ? clamp01((revenue - cost) / revenue) : fallback;
  const margins = new Float64Array(profiles.length);
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i];
    margins[i] = p.cost != null && Number.isFinite(p.cost) && p.revenue > 0 ? clamp01((p.revenue - p.cost) / p.revenue) : overall;
  }
  return margins;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
