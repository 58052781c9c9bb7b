/**
 * Shared types of the CLV Explorer library. Everything in src/lib is pure TypeScript: no DOM, no
 * FileAttachment, no `npm:` specifiers, so pages, data loaders, the CLI, workers and tests all import it.
 */

/** One cleaned transaction in the canonical schema (one row per order line or order). */
export interface Transaction {
  customer_id: string;
  /** Order date as an ISO date string, YYYY-MM-DD (UTC). */
  order_date: string;
  /** Revenue of the line or order, in the data's currency. */
  amount: number;
  order_id?: string | null;
  quantity?: number | null;
  cost?: number | null;
  region?: string | null;
  province?: string | null;
  partner?: string | null;
  offer_type?: string | null;
  category?: string | null;
  customer_segment?: string | null;
}

/** Names of the canonical columns, required first. */
export const REQUIRED_COLUMNS = ["customer_id", "order_date", "amount"] as const;
export const OPTIONAL_COLUMNS = [
  "order_id",
  "quantity",
  "cost",
  "region",
  "province",
  "partner",
  "offer_type",
  "category",
  "customer_segment",
  "acquisition_cost",
  "channel",
  "currency"
] as const;
export type CanonicalColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** The time unit in which recency, T and horizons are expressed. */
export type TimeUnit = "day" | "week" | "month";

/**
 * Per-customer summary in the BG/NBD literature's sense (Fader, Hardie & Lee 2005):
 * frequency = number of repeat purchase days (several orders on one day count once),
 * recency = time from first to last purchase, T = time from first purchase to the end of the period,
 * monetary = mean spend of the repeat purchase days (0 when frequency is 0).
 */
export interface CustomerSummary {
  customer_id: string;
  frequency: number;
  recency: number;
  T: number;
  monetary: number;
  first_purchase: string;
  last_purchase: string;
}

/** Runs SQL against some DuckDB (WASM in the page, native in Node) and returns plain row objects. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /**
   * The result column by column (name → values, normalised as query() does), for results too long to become
   * one object per row (millions of cells). Optional: callers fall back to query().
   */
  queryColumns?(sql: string): Promise<Record<string, ArrayLike<unknown>>>;
  /**
   * Customers a per-customer query reads at a time (src/lib/sql/customerRuns.ts), for an engine whose memory
   * only grows (DuckDB-WASM). Absent: every customer in one query.
   */
  customersPerRun?: number;
}
