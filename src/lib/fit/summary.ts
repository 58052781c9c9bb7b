/**
 * The per-customer summary of the BG/NBD literature (Fader, Hardie & Lee 2005, "Counting your customers
 * the easy way", section 2), as DuckDB SQL built by pure functions, plus runners for any SqlRunner (WASM in
 * the page, native in Node).
 *
 * Conventions (they reproduce the published CDNOW summary exactly, see tests/lib/summary.test.ts):
 * - time is counted in whole days between order DATES (a timestamp is cut to its date); a customer's purchase
 *   days are the distinct dates with at least one order, and a day's spend is the sum of its amounts (summed
 *   exactly in millionths, so DuckDB and PostgreSQL agree to the bit);
 * - the calibration period runs up to and INCLUDING `calibrationEnd`; T = days from the first purchase day to
 *   `calibrationEnd` (for CDNOW: calibrationEnd 1997-09-30, so a first purchase on 1997-01-01 has
 *   T = 272 / 7 = 38.86 weeks);
 * - frequency = purchase days after the first; recency = days from first to last purchase day; both only
 *   within calibration; monetary = mean spend of the repeat purchase days (the first day excluded, as in
 *   the Gamma-Gamma model), 0 when frequency is 0;
 * - units: day = 1 day, week = 7 days exactly, month = 365.25 / 12 = 30.4375 days (a mean Julian month, so
 *   12 months are a year on average; calendar months are not used).
 */
import type {CustomerSummary, SqlRunner, TimeUnit} from "../types.js";
import {checkIsoDay, UNIT_DAYS} from "../time.js";
import {duckdb, type Dialect} from "../sql/dialect.js";
import {MICROS, toMicros} from "../sql/filters.js";
import {ownedNumbers, queryColumns, stringColumn} from "../sql/slices.js";

/** Length of one time unit in days. */

export interface SummaryOptions {
  /** Table or view with canonical columns customer_id, order_date, amount. */
  table?: string;
  /** Last day of the calibration period (inclusive), YYYY-MM-DD. */
  calibrationEnd?: string;
  /** Used as the end when there is no calibrationEnd: orders after it are ignored. */
  asOf?: string;
  unit?: TimeUnit;
  /** SQL dialect (default DuckDB). */
  dialect?: Dialect;
}

export interface HoldoutOptions {
  table?: string;
  /** Last day of calibration; the holdout starts the day after. */
  calibrationEnd: string;
  /** Last day of the holdout (inclusive); default the last order date in the table. */
  holdoutEnd?: string;
  unit?: TimeUnit;
  dialect?: Dialect;
}

/** Actual purchasing after calibration, for customers whose first purchase is in calibration. */
export interface CustomerHoldout {
  customer_id: string;
  /** Distinct purchase days in the holdout. */
  frequency_holdout: number;
  /** Total amount in the holdout. */
  spend_holdout: number;
  /** Length of the holdout in the unit (the same for every customer). */
  duration_holdout: number;
}

const IDENTIFIER = /^(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+"))*$/;

function maybeTable(table: string): string {
  if (typeof table !== "string" || !IDENTIFIER.test(table)) {
    throw new Error(`summary: table must be a table name, got ${JSON.stringify(table)}`);
  }
  return table;
}

function maybeDate(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return checkIsoDay(value, `summary: ${name}`);
}

function unitDays(unit: TimeUnit): number {
  const days = UNIT_DAYS[unit];
  if (days === undefined) throw new Error(`summary: unit must be day, week or month, got ${JSON.stringify(unit)}`);
  return days;
}

/** SQL returning one CustomerSummary row per customer with a purchase on or before the end, by customer_id. */
export function summarySql(options: SummaryOptions = {}): string {
  return `${summarySelect(options)}\nORDER BY ${(options.dialect ?? duckdb).byteOrder("customer_id")}`;
}

/** summarySql without its ORDER BY. */
function summarySelect({table = "transactions", calibrationEnd, asOf, unit = "week", dialect = duckdb}: SummaryOptions): string {
  const source = maybeTable(table);
  const end = maybeDate("calibrationEnd", calibrationEnd) ?? maybeDate("asOf", asOf);
  const days = unitDays(unit);
  const endDay = end === undefined ? "(SELECT max(day) FROM days)" : `DATE '${end}'`;
  // One pass over the purchase days: the repeat-day spend is the total minus the first day's (arg_min over
  // distinct days picks it unambiguously), several times cheaper than a window for the first day. Amounts are
  // summed as whole millionths (see MICROS), exactly, so every engine gives the same monetary value to the bit.
  return `WITH days AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(order_date AS DATE) AS day,
    COALESCE(sum(${toMicros("amount")}), 0) AS spend
  FROM ${source}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL${end === undefined ? "" : `\n    AND CAST(order_date AS DATE) <= DATE '${end}'`}
  GROUP BY 1, 2
)
SELECT
  customer_id,
  CAST(count(*) - 1 AS INTEGER) AS frequency,
  CAST(${dialect.dayDiff("min(day)", "max(day)")} AS ${dialect.double}) / ${days} AS recency,
  CAST(${dialect.dayDiff("min(day)", endDay)} AS ${dialect.double}) / ${days} AS "T",
  CASE WHEN count(*) > 1 THEN CAST(sum(spend) - ${dialect.argMin("spend", "day")} AS ${dialect.double}) / (count(*) - 1) / ${MICROS} ELSE 0 END AS monetary,
  ${dialect.formatDate("min(day)", "%Y-%m-%d")} AS first_purchase,
  ${dialect.formatDate("max(day)", "%Y-%m-%d")} AS last_purchase
FROM days
GROUP BY customer_id`;
}

/**
 * SQL compressing the summary for a model fit (see compressSummaries in compress.ts), so that only distinct
 * rows leave the engine: for "transactions", the distinct (frequency, recency, T) with `weight`, the number of
 * customers that have them (recency is 0 without a repeat purchase); for "spend", the distinct (frequency,
 * monetary) of every customer (the spend fit selects and counts them: see spendEligible). Ordered by every
 * column.
 */
export function compressedSummarySql(options: SummaryOptions & {kind: "transactions" | "spend"}): string {
  const columns = options.kind === "spend" ? `frequency, monetary` : `frequency, CASE WHEN frequency = 0 THEN 0 ELSE recency END AS recency, "T"`;
  // Every customer comes back (one-time buyers as one row): the spend fit selects its customers itself
  // (spendEligible) and counts the others by reason.
  return `SELECT ${columns}, count(*) AS weight
FROM (${summarySelect(options)}) summary
GROUP BY 1, 2${options.kind === "spend" ? "" : ", 3"}
ORDER BY 1, 2${options.kind === "spend" ? "" : ", 3"}`;
}

/** One compressed row: distinct values and how many customers have them. */
export interface WeightedSummaryRow {
  frequency: number;
  recency?: number;
  T?: number;
  monetary?: number;
  weight: number;
}

/** The per-customer rows that compressed rows stand for (each repeated `weight` times), for the fitters. */
export function expandWeighted(rows: readonly WeightedSummaryRow[]): {frequency: number; recency: number; T: number; monetary: number}[] {
  const out: {frequency: number; recency: number; T: number; monetary: number}[] = [];
  for (const row of rows) {
    const one = {frequency: Number(row.frequency), recency: Number(row.recency ?? 0), T: Number(row.T ?? 0), monetary: Number(row.monetary ?? 0)};
    for (let i = 0; i < Number(row.weight); i++) out.push(one);
  }
  return out;
}

/** The per-customer summary (see the module comment for the conventions). */
export async function customerSummary(db: SqlRunner, options: SummaryOptions = {}): Promise<CustomerSummary[]> {
  const rows = await db.query<CustomerSummary>(summarySql(options));
  return rows.map((row) => ({
    customer_id: String(row.customer_id),
    frequency: Number(row.frequency),
    recency: Number(row.recency),
    T: Number(row.T),
    monetary: Number(row.monetary),
    first_purchase: String(row.first_purchase),
    last_purchase: String(row.last_purchase)
  }));
}

/**
 * SQL returning, for every customer whose first purchase is on or before calibrationEnd, the purchase days
 * and spend in the holdout (calibrationEnd, holdoutEnd], by customer_id.
 */
export function holdoutSql({table = "transactions", calibrationEnd, holdoutEnd, unit = "week", dialect = duckdb}: HoldoutOptions): string {
  const source = maybeTable(table);
  const start = maybeDate("calibrationEnd", calibrationEnd);
  if (start === undefined) throw new Error("holdout: calibrationEnd is required");
  const end = maybeDate("holdoutEnd", holdoutEnd);
  const days = unitDays(unit);
  const endDay = end === undefined ? `(SELECT max(CAST(order_date AS DATE)) FROM ${source})` : `DATE '${end}'`;
  return `WITH calibration AS (
  SELECT DISTINCT CAST(customer_id AS VARCHAR) AS customer_id
  FROM ${source}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND CAST(order_date AS DATE) <= DATE '${start}'
),
holdout AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, count(DISTINCT CAST(order_date AS DATE)) AS purchase_days,
    COALESCE(sum(${toMicros("amount")}), 0) AS spend
  FROM ${source}
  WHERE customer_id IS NOT NULL AND CAST(order_date AS DATE) > DATE '${start}'
    AND CAST(order_date AS DATE) <= ${endDay}
  GROUP BY 1
)
SELECT
  customer_id,
  CAST(COALESCE(purchase_days, 0) AS INTEGER) AS frequency_holdout,
  CAST(COALESCE(spend, 0) AS ${dialect.double}) / ${MICROS} AS spend_holdout,
  CAST(greatest(${dialect.dayDiff(`DATE '${start}'`, endDay)}, 0) AS ${dialect.double}) / ${days} AS duration_holdout
FROM calibration LEFT JOIN holdout USING (customer_id)
ORDER BY ${dialect.byteOrder("customer_id")}`;
}

/** Holdout actuals (holdoutSql) as columns: ids, and a typed array per field (no object per customer). */
export interface HoldoutColumns {
  customer_id: string[];
  frequency_holdout: Float64Array;
  spend_holdout: Float64Array;
  duration_holdout: Float64Array;
}

/** One object per customer from holdout columns. */
export function holdoutRows({customer_id, frequency_holdout, spend_holdout, duration_holdout}: HoldoutColumns): CustomerHoldout[] {
  return Array.from({length: customer_id.length}, (_, i) => ({
    customer_id: customer_id[i],
    frequency_holdout: frequency_holdout[i],
    spend_holdout: spend_holdout[i],
    duration_holdout: duration_holdout[i]
  }));
}

/** Holdout actuals per calibration customer (see holdoutSql). */
export async function customerHoldout(db: SqlRunner, options: HoldoutOptions): Promise<CustomerHoldout[]> {
  // Read as columns, one object per customer made from them (rows read as objects and then copied held two).
  const columns = await queryColumns(db, holdoutSql(options));
  const numbers = (values: ArrayLike<unknown> | undefined) => ownedNumbers(Float64Array, values ?? []);
  return holdoutRows({
    customer_id: stringColumn(columns.customer_id ?? []),
    frequency_holdout: numbers(columns.frequency_holdout),
    spend_holdout: numbers(columns.spend_holdout),
    duration_holdout: numbers(columns.duration_holdout)
  });
}
