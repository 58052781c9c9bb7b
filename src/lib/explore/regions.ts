/**
 * Sales by geography from the canonical `transactions` table: totals by province or region with their
 * share of the (filtered) total, and regions month by month.
 *
 * Same conventions as sales.ts: `*Sql(options)` returns one DuckDB 1.1 SELECT, the runner `f(db, options)`
 * runs it; values are VARCHAR, INTEGER or DOUBLE. Rows whose province or region is NULL form their own
 * group (key null), so the groups always add up to the total. The runners return [] when the table has no
 * such column (CDNOW has none). With `cells: true` they read a rollup made by salesCellsSql (cells.ts) and give
 * the same rows; customers are null when the cells carry no customer key.
 */
import {baseCtes, measures, money, ratio, resolveColumns, sqlIdentifier, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";

/** The columns one can group sales by here. */
export type AreaColumn = "province" | "region";

export interface AreaTotals {
  transactions: number;
  revenue: number;
  /** Distinct customers who bought there (a customer can count in several areas). */
  customers: number | null;
  /** Share of the filtered total number of transactions, 0–1. */
  transaction_share: number;
  /** Share of the filtered total revenue, 0–1 (null when the total is zero). */
  revenue_share: number | null;
}

export type ProvinceRow = {province: string | null} & AreaTotals;
export type RegionRow = {region: string | null} & AreaTotals;

export interface AreaMonthRow {
  /** The month, YYYY-MM. */
  month: string;
  /** Its first day, YYYY-MM-DD (for a time axis). */
  date: string;
  /** The region (or province) name. */
  area: string | null;
  transactions: number;
  revenue: number;
  customers: number | null;
  /** Share of that month's revenue over all areas (null in a month without revenue). */
  revenue_share: number | null;
}

function checkArea(column: unknown): AreaColumn {
  if (column !== "province" && column !== "region") throw new Error(`column must be province or region, got ${JSON.stringify(column)}`);
  return column;
}

function requireColumn(options: QueryOptions, column: string): void {
  if (options.columns && !options.columns.includes(column)) throw new Error(`the table has no ${column} column`);
}

/**
 * SQL for transactions, revenue and customers by province or region with shares of the total, sorted by
 * revenue (largest first), then by name; the NULL group comes last among equals.
 */
export function salesByAreaSql(options: QueryOptions & {column: AreaColumn}): string {
  const column = checkArea(options.column);
  requireColumn(options, column);
  const m = measures(options, {fewGroups: true});
  return `WITH ${baseCtes(options)},
agg AS (
  SELECT ${sqlIdentifier(column)} AS area, ${m.transactions} AS transactions, ${m.revenue} AS revenue,
         ${m.customers} AS customers
  FROM base
  GROUP BY 1
),
total AS (SELECT SUM(transactions) AS transactions, SUM(revenue) AS revenue FROM agg)
SELECT a.area AS ${sqlIdentifier(column)},
       CAST(a.transactions AS INTEGER) AS transactions,
       ${money("a.revenue")} AS revenue,
       CAST(a.customers AS INTEGER) AS customers,
       ${ratio("a.transactions", "t.transactions")} AS transaction_share,
       ${ratio("a.revenue", "t.revenue")} AS revenue_share
FROM agg a CROSS JOIN total t
ORDER BY a.revenue DESC, a.area ASC NULLS LAST`;
}

export const salesByProvinceSql = (options: QueryOptions = {}) => salesByAreaSql({...options, column: "province"});
export const salesByRegionSql = (options: QueryOptions = {}) => salesByAreaSql({...options, column: "region"});

async function byArea<T>(db: SqlRunner, options: QueryOptions, column: AreaColumn): Promise<T[]> {
  const resolved = await resolveColumns(db, options);
  if (!resolved.columns.includes(column)) return [];
  return db.query<T>(salesByAreaSql({...resolved, column}));
}

/** Sales by province (rows: ProvinceRow); [] without a province column. */
export function salesByProvince(db: SqlRunner, options: QueryOptions = {}): Promise<ProvinceRow[]> {
  return byArea<ProvinceRow>(db, options, "province");
}

/** Sales by region (rows: RegionRow); [] without a region column. */
export function salesByRegion(db: SqlRunner, options: QueryOptions = {}): Promise<RegionRow[]> {
  return byArea<RegionRow>(db, options, "region");
}

/**
 * SQL for sales by region (or province, with column "province") and calendar month: one row for every
 * month of the data's span and every area present in the filtered data, zeros where it sold nothing; by
 * month, then area.
 */
export function areaByMonthSql(options: QueryOptions & {column?: AreaColumn} = {}): string {
  const column = checkArea(options.column ?? "region");
  requireColumn(options, column);
  const m = measures(options);
  return `WITH ${baseCtes(options)},
months AS (SELECT DISTINCT CAST(date_trunc('month', day) AS DATE) AS month FROM days),
areas AS (SELECT DISTINCT ${sqlIdentifier(column)} AS area FROM base),
agg AS (
  SELECT CAST(date_trunc('month', order_date) AS DATE) AS month, ${sqlIdentifier(column)} AS area,
         ${m.transactions} AS transactions, ${m.revenue} AS revenue, ${m.customers} AS customers
  FROM base
  GROUP BY 1, 2
),
grid AS (
  SELECT m.month, r.area,
         COALESCE(a.transactions, 0) AS transactions,
         COALESCE(a.revenue, 0) AS revenue,
         ${m.hasCustomers ? "COALESCE(a.customers, 0)" : "CAST(NULL AS BIGINT)"} AS customers
  FROM months m CROSS JOIN areas r
  LEFT JOIN agg a ON a.month = m.month AND a.area IS NOT DISTINCT FROM r.area
)
SELECT strftime(grid.month, '%Y-%m') AS month,
       strftime(grid.month, '%Y-%m-%d') AS date,
       grid.area,
       CAST(transactions AS INTEGER) AS transactions,
       ${money("revenue")} AS revenue,
       CAST(customers AS INTEGER) AS customers,
       ${ratio("revenue", "SUM(revenue) OVER (PARTITION BY grid.month)")} AS revenue_share
FROM grid
ORDER BY grid.month, grid.area ASC NULLS LAST`;
}

/** Sales by region (or province) and month (rows: AreaMonthRow); [] without that column. */
export async function areaByMonth(db: SqlRunner, options: QueryOptions & {column?: AreaColumn} = {}): Promise<AreaMonthRow[]> {
  const resolved = await resolveColumns(db, options);
  if (!resolved.columns.includes(resolved.column ?? "region")) return [];
  return db.query<AreaMonthRow>(areaByMonthSql(resolved));
}
