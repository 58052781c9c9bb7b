/**
 * Sales over time from the canonical `transactions` table: a daily series with trailing rolling means,
 * the same by week or month, weekday × ISO-week heatmap cells, and year over year.
 *
 * Every `*Sql(options)` function returns one SELECT statement (DuckDB 1.1 dialect, so it runs the same in
 * DuckDB-WASM 1.29 and in native DuckDB); each runner `f(db, options)` runs it. Results carry only VARCHAR,
 * INTEGER, DOUBLE and BOOLEAN values: dates are "YYYY-MM-DD" strings, counts are numbers, whatever the
 * engine.
 *
 * Days are filled: every day from the first to the last date of the whole table (clipped to the from/to
 * filter) is a row, and a day with no sales in the filtered data counts zero, not a gap. A "transaction" is
 * a row of the table (an order line or an order, as the data has it); "customers" counts distinct
 * customer_id.
 *
 * With `cells: true` the same functions read a rollup made by salesCellsSql (cells.ts) instead of the
 * transactions, and give the same rows, except that every customers column is null when the cells carry no
 * customer key (see QueryOptions.cells).
 */
import {baseCtes, measures, money, ratio, resolveColumns, sqlString, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";

export type Grain = "day" | "week" | "month";

export interface DailySalesRow {
  /** The day, YYYY-MM-DD. */
  date: string;
  transactions: number;
  revenue: number;
  /** Distinct customers who bought that day (null on cells without a customer key, like every customers field). */
  customers: number | null;
  /** Means over the 7 days ending on `date` (this day included); null until 7 days of data are there. */
  transactions_7d: number | null;
  revenue_7d: number | null;
  customers_7d: number | null;
  /** The same over 28 days. */
  transactions_28d: number | null;
  revenue_28d: number | null;
  customers_28d: number | null;
}

export interface PeriodSalesRow {
  /** First day of the period, YYYY-MM-DD: the day, the Monday of the week, or the 1st of the month. */
  date: string;
  transactions: number;
  revenue: number;
  /** Distinct customers over the period (not a sum of daily counts). */
  customers: number | null;
  /** Days of the period that lie in the data's span. */
  days: number;
  /** Whether the whole period lies in the span (the first and last periods may be partial). */
  complete: boolean;
}

export interface HeatmapRow {
  date: string;
  /** ISO 8601 year and week (weeks start on Monday; week 1 holds the year's first Thursday). */
  iso_year: number;
  iso_week: number;
  /** The Monday of the ISO week, YYYY-MM-DD. */
  week_start: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  transactions: number;
  revenue: number;
  customers: number | null;
}

export interface YearOverYearRow {
  /** Day (YYYY-MM-DD) or first of the month (YYYY-MM-01) in the current year. */
  date: string;
  year: number;
  /** Day of the year (1–366) for grain "day", month (1–12) for grain "month". */
  period: number;
  transactions: number;
  revenue: number;
  customers: number | null;
  /** Days of the period in the data's span (1 for days; fewer than the month's length at the ends). */
  days: number;
  /** The same calendar day or month one year earlier; null when that lies outside the data's span. */
  previous_transactions: number | null;
  previous_revenue: number | null;
  previous_customers: number | null;
  previous_days: number | null;
  /** revenue / previous_revenue - 1; null when there is no previous revenue or it is zero. */
  revenue_change: number | null;
}

const GRAINS: readonly Grain[] = ["day", "week", "month"];

function checkGrain(grain: unknown): Grain {
  if (!GRAINS.includes(grain as Grain)) throw new Error(`grain must be day, week or month, got ${JSON.stringify(grain)}`);
  return grain as Grain;
}

/** `COALESCE(column, 0)` for a customers column, NULL when the relation cannot count customers. */
function customersOrZero(options: QueryOptions, column: string): string {
  return measures(options).hasCustomers ? `COALESCE(${column}, 0)` : "CAST(NULL AS BIGINT)";
}

/** CTE `filled(day, transactions, revenue, customers)`: one row per day of the span, zeros where no sales. */
function filledCte(options: QueryOptions): string {
  const m = measures(options);
  return `daily AS (
  SELECT order_date AS day, ${m.transactions} AS transactions, ${m.revenue} AS revenue, ${m.customers} AS customers
  FROM base
  GROUP BY order_date
),
filled AS (
  SELECT d.day,
         COALESCE(x.transactions, 0) AS transactions,
         COALESCE(x.revenue, 0) AS revenue,
         ${customersOrZero(options, "x.customers")} AS customers
  FROM days d LEFT JOIN daily x ON x.day = d.day
)`;
}

function rolling(column: string, window: "w7" | "w28", size: number): string {
  const sum = `SUM(${column}) OVER ${window}`;
  const mean = column === "revenue" ? `${money(sum)} / ${size}` : `CAST(${sum} AS DOUBLE) / ${size}`;
  return `CASE WHEN COUNT(*) OVER ${window} = ${size} THEN ${mean} END AS ${column}_${size}d`;
}

/** SQL for the daily series with 7- and 28-day trailing means (rows: DailySalesRow, by date). */
export function dailySalesSql(options: QueryOptions = {}): string {
  const columns = ["transactions", "revenue", "customers"];
  return `WITH ${baseCtes(options)},
${filledCte(options)}
SELECT strftime(day, '%Y-%m-%d') AS date,
       CAST(transactions AS INTEGER) AS transactions,
       ${money("revenue")} AS revenue,
       CAST(customers AS INTEGER) AS customers,
       ${columns.map((m) => rolling(m, "w7", 7)).join(",\n       ")},
       ${columns.map((m) => rolling(m, "w28", 28)).join(",\n       ")}
FROM filled
WINDOW w7 AS (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
       w28 AS (ORDER BY day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW)
ORDER BY day`;
}

/** The daily series with rolling means. */
export async function dailySales(db: SqlRunner, options: QueryOptions = {}): Promise<DailySalesRow[]> {
  return db.query<DailySalesRow>(dailySalesSql(await resolveColumns(db, options)));
}

function periodExpr(grain: Grain, column: string): string {
  return grain === "day" ? column : `CAST(date_trunc(${sqlString(grain)}, ${column}) AS DATE)`;
}

function periodLength(grain: Grain, column: string): string {
  return grain === "day" ? "1" : grain === "week" ? "7" : `dayofmonth(last_day(${column}))`;
}

/**
 * baseCtes plus `periods(period, days)`, the span's days counted per period, and `agg(period, transactions,
 * revenue, customers)`, the filtered sales per period.
 */
function periodCtes(options: QueryOptions, grain: Grain): string {
  const m = measures(options);
  return `${baseCtes(options)},
periods AS (
  SELECT ${periodExpr(grain, "day")} AS period, COUNT(*) AS days
  FROM days
  GROUP BY 1
),
agg AS (
  SELECT ${periodExpr(grain, "order_date")} AS period,
         ${m.transactions} AS transactions, ${m.revenue} AS revenue, ${m.customers} AS customers
  FROM base
  GROUP BY 1
)`;
}

/**
 * SQL for sales by day, ISO week (Monday to Sunday) or calendar month (rows: PeriodSalesRow, by date).
 * Every period of the span is there, zeros included.
 */
export function salesByPeriodSql(options: QueryOptions & {grain?: Grain} = {}): string {
  const grain = checkGrain(options.grain ?? "day");
  return `WITH ${periodCtes(options, grain)}
SELECT strftime(p.period, '%Y-%m-%d') AS date,
       CAST(COALESCE(a.transactions, 0) AS INTEGER) AS transactions,
       ${money("COALESCE(a.revenue, 0)")} AS revenue,
       CAST(${customersOrZero(options, "a.customers")} AS INTEGER) AS customers,
       CAST(p.days AS INTEGER) AS days,
       p.days = ${periodLength(grain, "p.period")} AS complete
FROM periods p LEFT JOIN agg a ON a.period = p.period
ORDER BY p.period`;
}

/** Sales by day, week or month. */
export async function salesByPeriod(db: SqlRunner, options: QueryOptions & {grain?: Grain} = {}): Promise<PeriodSalesRow[]> {
  return db.query<PeriodSalesRow>(salesByPeriodSql(await resolveColumns(db, options)));
}

/** SQL for the weekday × ISO-week heatmap: one row per day of the span (rows: HeatmapRow, by date). */
export function weekdayHeatmapSql(options: QueryOptions = {}): string {
  return `WITH ${baseCtes(options)},
${filledCte(options)}
SELECT strftime(day, '%Y-%m-%d') AS date,
       CAST(isoyear(day) AS INTEGER) AS iso_year,
       CAST(weekofyear(day) AS INTEGER) AS iso_week,
       strftime(CAST(date_trunc('week', day) AS DATE), '%Y-%m-%d') AS week_start,
       CAST(isodow(day) AS INTEGER) AS weekday,
       CAST(transactions AS INTEGER) AS transactions,
       ${money("revenue")} AS revenue,
       CAST(customers AS INTEGER) AS customers
FROM filled
ORDER BY day`;
}

/** Weekday × ISO-week heatmap cells. */
export async function weekdayHeatmap(db: SqlRunner, options: QueryOptions = {}): Promise<HeatmapRow[]> {
  return db.query<HeatmapRow>(weekdayHeatmapSql(await resolveColumns(db, options)));
}

/**
 * SQL for year over year (rows: YearOverYearRow, by date): every day (grain "day") or month (grain "month")
 * of the span beside the same calendar day or month one year earlier. Days are matched by calendar date,
 * not by day-of-year number, so 1 March is compared with 1 March in leap years too; 29 February has no
 * previous day (its previous_* are null).
 */
export function yearOverYearSql(options: QueryOptions & {grain?: "day" | "month"} = {}): string {
  const grain = options.grain ?? "day";
  if (grain !== "day" && grain !== "month") throw new Error(`year over year grain must be day or month, got ${JSON.stringify(grain)}`);
  const period = grain === "day" ? "dayofyear(c.period)" : "month(c.period)";
  const leapDay = grain === "day" ? " AND NOT (month(c.period) = 2 AND dayofmonth(c.period) = 29)" : "";
  return `WITH ${periodCtes(options, grain)},
series AS (
  SELECT p.period, p.days,
         COALESCE(a.transactions, 0) AS transactions,
         COALESCE(a.revenue, 0) AS revenue,
         ${customersOrZero(options, "a.customers")} AS customers
  FROM periods p LEFT JOIN agg a ON a.period = p.period
)
SELECT strftime(c.period, '%Y-%m-%d') AS date,
       CAST(year(c.period) AS INTEGER) AS year,
       CAST(${period} AS INTEGER) AS period,
       CAST(c.transactions AS INTEGER) AS transactions,
       ${money("c.revenue")} AS revenue,
       CAST(c.customers AS INTEGER) AS customers,
       CAST(c.days AS INTEGER) AS days,
       CAST(p.transactions AS INTEGER) AS previous_transactions,
       ${money("p.revenue")} AS previous_revenue,
       CAST(p.customers AS INTEGER) AS previous_customers,
       CAST(p.days AS INTEGER) AS previous_days,
       ${ratio("c.revenue", "p.revenue")} - 1 AS revenue_change
FROM series c
LEFT JOIN series p ON p.period = CAST(c.period - INTERVAL 1 YEAR AS DATE)${leapDay}
ORDER BY c.period`;
}

/** Year over year by day or month. */
export async function yearOverYear(db: SqlRunner, options: QueryOptions & {grain?: "day" | "month"} = {}): Promise<YearOverYearRow[]> {
  return db.query<YearOverYearRow>(yearOverYearSql(await resolveColumns(db, options)));
}
