/**
 * Acquisition cohorts from the canonical `transactions` table: customers grouped by the calendar month of
 * their first purchase, followed month by month (retention, revenue), and M1 retention.
 *
 * How cohorts meet the page's filters:
 * - A customer's cohort is the month of their first purchase in the whole table, whatever the filters: a
 *   customer who first bought in 2019 stays in the 2019-xx cohort when the page looks at 2020 only.
 * - The from/to filter is a window: the customers whose first purchase falls in it are kept, and their
 *   purchases are counted up to `to`. The data's end is then the earlier of `to` and the last order date
 *   of the table.
 * - The region, province, customer_segment and category filters select customers, not purchases: a
 *   customer is kept when at least one of their purchases in the window matches them, and then all of
 *   their purchases in the window count (a customer found in Ontario who comes back in Quebec is retained).
 *
 * Same conventions as sales.ts: `*Sql(options)` returns one DuckDB 1.1 SELECT, the runner `f(db, options)`
 * runs it; cohorts are "YYYY-MM" strings, counts INTEGER, ratios and money DOUBLE.
 */
import {filterPredicate, MICROS, money, ratio, resolveColumns, sqlString, toMicros, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";
import {duckdb} from "../sql/dialect.js";
import {checkIsoDay, nextDay} from "../time.js";

export interface CohortCellRow {
  /** Month of first purchase, YYYY-MM. */
  cohort: string;
  /** Calendar months since the cohort's month: 0 is the cohort's own month. */
  months_since_first: number;
  /** The calendar month of the cell, YYYY-MM. */
  month: string;
  /** Customers in the cohort. */
  cohort_size: number;
  /** Distinct customers of the cohort with at least one purchase in the cell's month. */
  active_customers: number;
  /** active_customers / cohort_size (1 in month 0). */
  retention: number;
  /** The cohort's revenue in the cell's month. */
  revenue: number;
  /** revenue / the cohort's revenue in month 0; null when that is zero. */
  revenue_retention: number | null;
  /** The cohort's revenue from month 0 to this month, divided by cohort_size. */
  cumulative_revenue_per_customer: number;
  /** Whether the whole month lies in the data (the data's end is on or after its last day). */
  complete: boolean;
}

export interface M1Row {
  /** Month of first purchase, YYYY-MM. */
  cohort: string;
  cohort_size: number;
  /** Customers of the cohort with a purchase in the next calendar month. */
  m1_customers: number;
  /** m1_customers / cohort_size. */
  m1_retention: number;
}

/**
 * CTEs (no leading WITH): `txn` the window's purchases, `data_end(last_date)`, `selected(customer_id,
 * first_date, cohort)` the cohort members, `sizes(cohort, cohort_size)`, `activity(cohort, month, active,
 * revenue)` and `grid`, one row per cohort and month up to the data's end, with the measures.
 */
function cohortCtes(options: QueryOptions): string {
  const {table = "transactions", filters, columns, dialect = duckdb} = options;
  const from = filters?.from ? `DATE ${sqlString(checkIsoDay(filters.from, "from"))}` : null;
  const until = filters?.to ? `DATE ${sqlString(nextDay(checkIsoDay(filters.to, "to")))}` : null;
  const inWindow = (column: string) =>
    [from && `${column} >= ${from}`, until && `${column} < ${until}`].filter(Boolean).join(" AND ") || "TRUE";
  const selects = filterPredicate(filters, {columns, dates: false});
  return `everything AS (
  SELECT ${dialect.replaceColumns({order_date: "CAST(order_date AS DATE)", amount: toMicros("amount")}, columns)} FROM ${table}
),
firsts AS (
  SELECT customer_id, MIN(order_date) AS first_date FROM everything GROUP BY customer_id
),
txn AS (
  SELECT * FROM everything WHERE ${inWindow("order_date")}
),
data_end AS (
  SELECT LEAST(MAX(order_date), ${filters?.to ? `DATE ${sqlString(checkIsoDay(filters.to, "to"))}` : "NULL"}) AS last_date FROM everything
),
selected AS (
  SELECT f.customer_id, f.first_date, CAST(date_trunc('month', f.first_date) AS DATE) AS cohort
  FROM firsts f
  WHERE ${inWindow("f.first_date")}
    AND f.customer_id IN (SELECT customer_id FROM txn WHERE ${selects})
),
sizes AS (
  SELECT cohort, COUNT(*) AS cohort_size FROM selected GROUP BY cohort
),
activity AS (
  SELECT s.cohort, CAST(date_trunc('month', t.order_date) AS DATE) AS month,
         COUNT(DISTINCT t.customer_id) AS active, SUM(t.amount) AS revenue
  FROM txn t JOIN selected s ON s.customer_id = t.customer_id
  GROUP BY 1, 2
),
months AS (
  SELECT z.cohort, z.cohort_size,
         CAST(${dialect.dateSeries("z.cohort", "CAST(date_trunc('month', e.last_date) AS DATE)", "month")} AS DATE) AS month
  FROM sizes z CROSS JOIN data_end e
),
grid AS (
  SELECT m.cohort, m.month, m.cohort_size,
         CAST((EXTRACT(YEAR FROM m.month) - EXTRACT(YEAR FROM m.cohort)) * 12 + EXTRACT(MONTH FROM m.month) - EXTRACT(MONTH FROM m.cohort) AS INTEGER) AS months_since_first,
         COALESCE(a.active, 0) AS active,
         COALESCE(a.revenue, 0) AS revenue,
         e.last_date >= ${dialect.lastDay("m.month")} AS complete
  FROM months m
  CROSS JOIN data_end e
  LEFT JOIN activity a ON a.cohort = m.cohort AND a.month = m.month
)`;
}

/**
 * SQL for the cohort × months_since_first matrix (rows: CohortCellRow, by cohort then months_since_first):
 * every cohort has a row for each month from its own to the data's last month (the last one may be
 * incomplete: see `complete`), zeros where nobody bought.
 */
export function cohortMatrixSql(options: QueryOptions = {}): string {
  const {dialect = duckdb} = options;
  return `WITH ${cohortCtes(options)}
SELECT ${dialect.formatDate("cohort", "%Y-%m")} AS cohort,
       months_since_first,
       ${dialect.formatDate("month", "%Y-%m")} AS month,
       CAST(cohort_size AS INTEGER) AS cohort_size,
       CAST(active AS INTEGER) AS active_customers,
       ${ratio("active", "cohort_size")} AS retention,
       ${money("revenue")} AS revenue,
       ${ratio("revenue", "FIRST_VALUE(revenue) OVER (PARTITION BY cohort ORDER BY month)")} AS revenue_retention,
       CAST(SUM(revenue) OVER (PARTITION BY cohort ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE PRECISION)
         / (${MICROS} * cohort_size) AS cumulative_revenue_per_customer,
       complete
FROM grid
ORDER BY grid.cohort, grid.month`;
}

/** The cohort × months_since_first matrix. */
export async function cohortMatrix(db: SqlRunner, options: QueryOptions = {}): Promise<CohortCellRow[]> {
  return db.query<CohortCellRow>(cohortMatrixSql(await resolveColumns(db, options)));
}

/**
 * M1 retention.
 *
 * A customer's cohort is the calendar month of their first purchase in the data. M1 retention of a cohort
 * is the share of its customers who buy again in the calendar month right after the cohort's month
 * (months_since_first = 1): m1_customers is the number of the cohort's customers with at least one purchase
 * dated in that next month, and m1_retention = m1_customers / cohort_size. A purchase later in the first
 * month does not count, nor does one two or more months later: a customer who first buys on 31 January and
 * again on 1 February is retained in M1; one who buys on 1 January, 31 January and 1 March is not. A cohort
 * is left out when its next month is not complete in the data, that is, when the data's last order date
 * (or the `to` filter, if earlier) is before the last day of that month.
 */
export function m1RetentionSql(options: QueryOptions = {}): string {
  const {dialect = duckdb} = options;
  return `WITH ${cohortCtes(options)}
SELECT ${dialect.formatDate("cohort", "%Y-%m")} AS cohort,
       CAST(cohort_size AS INTEGER) AS cohort_size,
       CAST(active AS INTEGER) AS m1_customers,
       ${ratio("active", "cohort_size")} AS m1_retention
FROM grid
WHERE months_since_first = 1 AND complete
ORDER BY grid.cohort`;
}

/** M1 retention by cohort (rows: M1Row, by cohort); see m1RetentionSql for the definition. */
export async function m1Retention(db: SqlRunner, options: QueryOptions = {}): Promise<M1Row[]> {
  return db.query<M1Row>(m1RetentionSql(await resolveColumns(db, options)));
}
