/**
 * Partners and offers from the canonical `transactions` table: the top partners by revenue, their monthly
 * trend, each customer's favourite partner or offer type, and how favourites spread over regions or
 * segments.
 *
 * Same conventions as sales.ts: `*Sql(options)` returns one DuckDB 1.1 SELECT, the runner `f(db, options)`
 * runs it on the filtered rows; values are VARCHAR, INTEGER or DOUBLE. Rows whose partner (offer type …)
 * is NULL take part in totals but never rank or become a favourite. The runners return [] when the table
 * lacks the column they need.
 */
import {baseCtes, money, ratio, resolveColumns, sqlIdentifier, transactionCountSql, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";
import {duckdb, type Dialect} from "../sql/dialect.js";

/** Columns a favourite can be taken over. */
export type FavouriteColumn = "partner" | "offer_type" | "category" | "region" | "province" | "customer_segment";
const FAVOURITE_COLUMNS: readonly FavouriteColumn[] = ["partner", "offer_type", "category", "region", "province", "customer_segment"];

export interface TopPartnerRow {
  /** 1 for the partner with the most revenue. */
  rank: number;
  partner: string;
  revenue: number;
  transactions: number;
  customers: number;
  /** Share of the filtered total revenue (all rows, with or without a partner); null if that is zero. */
  revenue_share: number | null;
  /** Share of the filtered number of transactions. */
  transaction_share: number;
}

export interface PartnerMonthRow {
  /** YYYY-MM and its first day YYYY-MM-DD. */
  month: string;
  date: string;
  partner: string;
  rank: number;
  revenue: number;
  transactions: number;
  customers: number;
}

export interface FavouriteRow {
  customer_id: string;
  /** The value (partner, offer type …) the customer spent most on; see favouritesSql for ties. */
  favourite: string;
  /** The customer's spend on the favourite. */
  spend: number;
  /** The customer's spend over all the filtered rows. */
  total_spend: number;
  /** spend / total_spend (null when total_spend is zero). */
  share: number | null;
  /** The customer's last purchase of the favourite, YYYY-MM-DD. */
  last_purchase: string;
  /** How many distinct values the customer bought. */
  distinct_values: number;
}

export interface FavouriteSummaryRow {
  /** The customers' region (their own favourite region) or segment; null when unknown. */
  segment: string | null;
  favourite: string;
  /** Customers of that segment whose favourite it is. */
  customers: number;
  /** customers / all customers of that segment who have a favourite. */
  share: number;
}

/** A count option (top n, months): an integer from 1, or an error naming the option. */
export function positiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

function favouriteColumn(value: unknown, name = "column"): FavouriteColumn {
  if (!FAVOURITE_COLUMNS.includes(value as FavouriteColumn)) {
    throw new Error(`${name} must be one of ${FAVOURITE_COLUMNS.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as FavouriteColumn;
}

function requireColumn(options: QueryOptions, column: string): void {
  if (options.columns && !options.columns.includes(column)) throw new Error(`the table has no ${column} column`);
}

/** CTE `ranked(partner, transactions, revenue, customers, rank)`: partners of the filtered rows by revenue. */
const rankedCte = (options: QueryOptions, dialect: Dialect) => `ranked AS (
  SELECT partner, ${transactionCountSql(options.columns)} AS transactions, SUM(amount) AS revenue, COUNT(DISTINCT customer_id) AS customers,
         ROW_NUMBER() OVER (ORDER BY SUM(amount) DESC, ${dialect.byteOrder("partner")} ASC) AS rank
  FROM base
  WHERE partner IS NOT NULL
  GROUP BY partner
)`;

/** SQL for the top N partners by revenue, ties by name (rows: TopPartnerRow, by rank). */
export function topPartnersSql(options: QueryOptions & {n?: number} = {}): string {
  const n = positiveInteger(options.n ?? 10, "n");
  requireColumn(options, "partner");
  return `WITH ${baseCtes(options)},
${rankedCte(options, options.dialect ?? duckdb)},
total AS (SELECT ${transactionCountSql(options.columns)} AS transactions, SUM(amount) AS revenue FROM base)
SELECT CAST(r.rank AS INTEGER) AS rank,
       r.partner,
       ${money("r.revenue")} AS revenue,
       CAST(r.transactions AS INTEGER) AS transactions,
       CAST(r.customers AS INTEGER) AS customers,
       ${ratio("r.revenue", "t.revenue")} AS revenue_share,
       ${ratio("r.transactions", "t.transactions")} AS transaction_share
FROM ranked r CROSS JOIN total t
WHERE r.rank <= ${n}
ORDER BY r.rank`;
}

/** The top N partners (default 10); [] without a partner column. */
export async function topPartners(db: SqlRunner, options: QueryOptions & {n?: number} = {}): Promise<TopPartnerRow[]> {
  const resolved = await resolveColumns(db, options);
  if (!resolved.columns.includes("partner")) return [];
  return db.query<TopPartnerRow>(topPartnersSql(resolved));
}

/**
 * SQL for the monthly trend of the top N partners (rows: PartnerMonthRow, by month then rank): every month
 * of the data's span for each of them, zeros where they sold nothing.
 */
export function partnerMonthlySql(options: QueryOptions & {n?: number} = {}): string {
  const n = positiveInteger(options.n ?? 10, "n");
  requireColumn(options, "partner");
  return `WITH ${baseCtes(options)},
${rankedCte(options, options.dialect ?? duckdb)},
top AS (SELECT partner, rank FROM ranked WHERE rank <= ${n}),
months AS (SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS month FROM days),
agg AS (
  SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, partner,
         ${transactionCountSql(options.columns)} AS transactions, SUM(amount) AS revenue, COUNT(DISTINCT customer_id) AS customers
  FROM base
  WHERE partner IN (SELECT partner FROM top)
  GROUP BY 1, 2
)
SELECT strftime(m.month, '%Y-%m') AS month,
       strftime(m.month, '%Y-%m-%d') AS date,
       p.partner,
       CAST(p.rank AS INTEGER) AS rank,
       ${money("COALESCE(a.revenue, 0)")} AS revenue,
       CAST(COALESCE(a.transactions, 0) AS INTEGER) AS transactions,
       CAST(COALESCE(a.customers, 0) AS INTEGER) AS customers
FROM months m CROSS JOIN top p
LEFT JOIN agg a ON a.month = m.month AND a.partner = p.partner
ORDER BY m.month, p.rank`;
}

/** Monthly trend of the top N partners; [] without a partner column. */
export async function partnerMonthly(db: SqlRunner, options: QueryOptions & {n?: number} = {}): Promise<PartnerMonthRow[]> {
  const resolved = await resolveColumns(db, options);
  if (!resolved.columns.includes("partner")) return [];
  return db.query<PartnerMonthRow>(partnerMonthlySql(resolved));
}

/**
 * CTE `fav_<name>(customer_id, favourite, spend, total_spend, last_purchase, distinct_values)` over `base`: each
 * customer's favourite value of `column` by the rule of favouritesSql.
 */
function favouriteCte(column: FavouriteColumn, name: string, dialect: Dialect): string {
  const c = sqlIdentifier(column);
  return `spend_${name} AS (
  SELECT customer_id, ${c} AS value, SUM(amount) AS spend, MAX(order_date) AS last_purchase
  FROM base
  WHERE ${c} IS NOT NULL
  GROUP BY customer_id, ${c}
),
fav_${name} AS (
  SELECT * FROM (
    SELECT s.customer_id, s.value AS favourite, s.spend, s.last_purchase,
           COUNT(*) OVER (PARTITION BY s.customer_id) AS distinct_values,
           ROW_NUMBER() OVER (PARTITION BY s.customer_id ORDER BY s.spend DESC, s.last_purchase DESC, ${dialect.byteOrder("s.value")} ASC) AS pick
    FROM spend_${name} s
  ) ranked_${name}
  WHERE pick = 1
)`;
}

/**
 * SQL for each customer's favourite partner (or offer type, category …) over the filtered rows (rows:
 * FavouriteRow, by customer_id). The favourite is the value the customer spent most on (spends are summed
 * exactly, in millionths: 0.1 + 0.2 ties with 0.3); a tie is broken by the most recent purchase (the latest order date with that value), then
 * by name (the first in alphabetical order, byte order). Customers with no non-null value have no row.
 */
export function favouritesSql(options: QueryOptions & {column?: FavouriteColumn} = {}): string {
  const column = favouriteColumn(options.column ?? "partner");
  requireColumn(options, column);
  return `WITH ${baseCtes(options)},
${favouriteCte(column, "x", options.dialect ?? duckdb)},
totals AS (SELECT customer_id, SUM(amount) AS total_spend FROM base GROUP BY customer_id)
SELECT f.customer_id,
       f.favourite,
       ${money("f.spend")} AS spend,
       ${money("t.total_spend")} AS total_spend,
       ${ratio("f.spend", "t.total_spend")} AS share,
       ${(options.dialect ?? duckdb).formatDate("f.last_purchase", "%Y-%m-%d")} AS last_purchase,
       CAST(f.distinct_values AS INTEGER) AS distinct_values
FROM fav_x f JOIN totals t ON t.customer_id = f.customer_id
ORDER BY ${(options.dialect ?? duckdb).byteOrder("f.customer_id")}`;
}

/** Each customer's favourite partner (column "partner", the default) or offer type etc.; [] without it. */
export async function favourites(db: SqlRunner, options: QueryOptions & {column?: FavouriteColumn} = {}): Promise<FavouriteRow[]> {
  const resolved = await resolveColumns(db, options);
  if (!resolved.columns.includes(resolved.column ?? "partner")) return [];
  return db.query<FavouriteRow>(favouritesSql(resolved));
}

export interface FavouriteSummaryOptions extends QueryOptions {
  /** Whose favourite: "partner" (default), "offer_type" … */
  column?: FavouriteColumn;
  /**
   * What to group customers by. Without `segments`, a column of the transactions table ("region" by
   * default), and a customer's value is their favourite one by the same rule (where they spent most).
   * With `segments`, a column of that relation ("segment" by default).
   */
  by?: string;
  /**
   * A relation with one row per customer_id and the `by` column: a table or view name, or a
   * parenthesised subquery, such as the RFM segments. Inserted as it is: it must come from code.
   * Customers it lacks fall in the NULL segment.
   */
  segments?: string;
}

/**
 * SQL for the spread of favourites over regions or segments (rows: FavouriteSummaryRow, by segment, then
 * customers, largest first, then favourite): for each segment, how many of its customers have each
 * favourite, and their share of the segment's customers who have a favourite.
 */
export function favouriteSummarySql(options: FavouriteSummaryOptions = {}): string {
  const column = favouriteColumn(options.column ?? "partner");
  requireColumn(options, column);
  const by = options.by ?? (options.segments ? "segment" : "region");
  if (options.segments) {
    const join = `LEFT JOIN ${options.segments} g ON g.customer_id = f.customer_id`;
    return summarySelect(options, column, "", join, `g.${sqlIdentifier(by)}`);
  }
  const byColumn = favouriteColumn(by, "by");
  requireColumn(options, byColumn);
  const groups = `,\n${favouriteCte(byColumn, "g", options.dialect ?? duckdb)}`;
  return summarySelect(options, column, groups, "LEFT JOIN fav_g g ON g.customer_id = f.customer_id", "g.favourite");
}

function summarySelect(options: QueryOptions, column: FavouriteColumn, groups: string, join: string, segment: string): string {
  return `WITH ${baseCtes(options)},
${favouriteCte(column, "f", options.dialect ?? duckdb)}${groups},
joined AS (
  SELECT CAST(${segment} AS VARCHAR) AS segment, f.favourite
  FROM fav_f f ${join}
),
counts AS (
  SELECT segment, favourite, COUNT(*) AS customers FROM joined GROUP BY segment, favourite
)
SELECT segment,
       favourite,
       CAST(customers AS INTEGER) AS customers,
       ${ratio("customers", "SUM(customers) OVER (PARTITION BY segment)")} AS share
FROM counts
ORDER BY segment ASC NULLS LAST, customers DESC, favourite ASC`;
}

/** Favourites by region, segment or any grouping; [] when the table lacks a column it needs. */
export async function favouriteSummary(db: SqlRunner, options: FavouriteSummaryOptions = {}): Promise<FavouriteSummaryRow[]> {
  const resolved = await resolveColumns(db, options);
  const needed = [resolved.column ?? "partner", ...(resolved.segments ? [] : [resolved.by ?? "region"])];
  if (!needed.every((c) => resolved.columns.includes(c))) return [];
  return db.query<FavouriteSummaryRow>(favouriteSummarySql(resolved));
}

/** Favourites by the customers' own favourite region. */
export const favouritesByRegionSql = (options: Omit<FavouriteSummaryOptions, "by" | "segments"> = {}) =>
  favouriteSummarySql({...options, by: "region", segments: undefined});
export const favouritesByRegion = (db: SqlRunner, options: Omit<FavouriteSummaryOptions, "by" | "segments"> = {}) =>
  favouriteSummary(db, {...options, by: "region", segments: undefined});

/** Favourites by a segment: a `segments` relation (customer_id → `by`, default "segment"). */
export const favouritesBySegmentSql = (options: FavouriteSummaryOptions & {segments: string}) => favouriteSummarySql(options);
export const favouritesBySegment = (db: SqlRunner, options: FavouriteSummaryOptions & {segments: string}) =>
  favouriteSummary(db, options);
