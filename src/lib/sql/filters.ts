/**
 * The filters a page applies to the canonical `transactions` table, and the SQL they turn into.
 *
 * Values from the page (region names, dates) are user input: they are validated (dates) or quoted as SQL
 * string literals (names), never pasted into SQL as they are. Column and table names come from code.
 */
import {sqlIdentifier, sqlString} from "./quote.js";
import type {SqlRunner} from "../types.js";
import {duckdb, type Dialect} from "./dialect.js";
import {checkIsoDay, nextDay} from "../time.js";

/** The page's current filters. Absent (or empty) lists mean "no filter on this column". */
export interface Filters {
  /** First order date kept, inclusive, YYYY-MM-DD. */
  from?: string | null;
  /** Last order date kept, inclusive, YYYY-MM-DD. */
  to?: string | null;
  region?: readonly string[] | null;
  province?: readonly string[] | null;
  customer_segment?: readonly string[] | null;
  category?: readonly string[] | null;
}

/** The list filters, in the order their conditions are written. */
export const LIST_FILTERS = ["region", "province", "customer_segment", "category"] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export interface FilterOptions {
  /**
   * Columns the table has. A filter on a column not in the list is ignored (CDNOW has no region). When
   * absent, every canonical column is assumed present.
   */
  columns?: readonly string[] | null;
  /** Table alias to qualify the columns with, e.g. "t" gives `t."region"`. */
  alias?: string;
  /** Leave out the from/to conditions (cohorts select on the first purchase date instead). */
  dates?: boolean;
}

export {sqlIdentifier, sqlString};

function column(name: string, alias?: string): string {
  return alias ? `${sqlIdentifier(alias)}.${sqlIdentifier(name)}` : sqlIdentifier(name);
}

/** True when the filters hold any condition (before looking at which columns exist). */
export function hasFilters(filters: Filters | null | undefined): boolean {
  if (!filters) return false;
  return !!filters.from || !!filters.to || LIST_FILTERS.some((key) => (filters[key]?.length ?? 0) > 0);
}

/**
 * The filter conditions, one SQL boolean expression each, to be joined with AND. `to` is inclusive and is
 * written as `order_date < day after` so that it also holds if order_date were a TIMESTAMP. An empty list
 * filter is no filter; NULL values never match a list filter.
 */
export function filterConditions(filters: Filters | null | undefined, options: FilterOptions = {}): string[] {
  const {columns, alias, dates = true} = options;
  if (!filters) return [];
  const has = (name: string) => !columns || columns.includes(name);
  const conditions: string[] = [];
  if (dates && filters.from) conditions.push(`${column("order_date", alias)} >= DATE ${sqlString(checkIsoDay(filters.from, "from"))}`);
  if (dates && filters.to) conditions.push(`${column("order_date", alias)} < DATE ${sqlString(nextDay(checkIsoDay(filters.to, "to")))}`);
  for (const key of LIST_FILTERS) {
    const values = filters[key];
    if (values == null || values.length === 0 || !has(key)) continue;
    if (!Array.isArray(values)) throw new Error(`filter ${key} must be a list of strings, got ${JSON.stringify(values)}`);
    conditions.push(`${column(key, alias)} IN (${values.map(sqlString).join(", ")})`);
  }
  return conditions;
}

/** The conditions as one boolean expression, `TRUE` when there are none (handy inside larger WHEREs). */
export function filterPredicate(filters: Filters | null | undefined, options: FilterOptions = {}): string {
  const conditions = filterConditions(filters, options);
  return conditions.length ? conditions.join(" AND ") : "TRUE";
}

/** A WHERE clause for the filters: `WHERE a AND b`, or the empty string when nothing filters. */
export function filterWhere(filters: Filters | null | undefined, options: FilterOptions = {}): string {
  const conditions = filterConditions(filters, options);
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}

/** The values a data set offers each filter: those of its list columns, and the span of its order dates. */
export interface FilterChoiceValues {
  values: Partial<Record<ListFilter, readonly string[]>>;
  /** First and last order date, YYYY-MM-DD. */
  first: string;
  last: string;
}

/** A stored filter that does not apply to the data in use, as it was stored. */
export interface DroppedFilter {
  key: ListFilter | "from" | "to";
  values: string[];
}

/**
 * Stored filters (another page's, another data set's) reconciled with the data in use: list values the data
 * does not hold are dropped, and so is a list filter on a column the data lacks (or holds a single value
 * of); a from or to date outside the data's span is dropped. Returns the filters that apply and what was
 * dropped, for the page to say.
 */
export function reconcileFilters(stored: Filters | null | undefined, choices: FilterChoiceValues): {filters: Filters; dropped: DroppedFilter[]} {
  const filters: Filters = {};
  const dropped: DroppedFilter[] = [];
  for (const key of ["from", "to"] as const) {
    const date = stored?.[key];
    if (date == null || date === "") continue;
    if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= choices.first && date <= choices.last) filters[key] = date;
    else dropped.push({key, values: [String(date)]});
  }
  for (const key of LIST_FILTERS) {
    const values = stored?.[key];
    if (!Array.isArray(values) || values.length === 0) continue;
    const offered = new Set(choices.values[key] ?? []);
    const kept = values.filter((value) => offered.has(value));
    if (kept.length) filters[key] = kept;
    if (kept.length < values.length) dropped.push({key, values: values.filter((value) => !offered.has(value)).map(String)});
  }
  return {filters, dropped};
}

/** The column names of a table or view, in order (DuckDB `DESCRIBE`). */
export async function tableColumns(db: SqlRunner, table = "transactions"): Promise<string[]> {
  const rows = await db.query<{column_name: string}>(`DESCRIBE ${table}`);
  return rows.map((row) => row.column_name);
}

/** Options shared by the exploration queries. */
export interface QueryOptions {
  /**
   * The relation to read: a table or view name, or a parenthesised subquery. Inserted into the SQL as it
   * is, so it must come from code, never from user input. Default "transactions".
   */
  table?: string;
  filters?: Filters | null;
  /** Columns the table has (see FilterOptions.columns); the runners look them up when absent. */
  columns?: readonly string[] | null;
  /**
   * The relation is a rollup made by `salesCellsSql` (src/lib/explore/cells.ts) rather than transactions:
   * one row per order day and combination of the filter columns, with `transactions` and `revenue` (in
   * millionths) summed. Transactions and revenue come out exactly as from the transactions themselves;
   * customers too when the cells carry the `customer` key, and null when they do not.
   */
  cells?: boolean;
  /**
   * On cells with a customer key: the keys run from 1 to this number. Totals over a few groups (areas) then
   * count distinct customers with a bitmap (`bitstring_agg`) instead of a hash table, two to three times
   * faster in DuckDB-WASM; the count is the same.
   */
  customerKeys?: number | null;
  /** SQL dialect (default DuckDB); PostgreSQL needs `columns`. */
  dialect?: Dialect;
}

/** The options with `columns` filled in from the table when the caller did not give them. */
export async function resolveColumns<T extends QueryOptions>(db: SqlRunner, options: T): Promise<T & {columns: readonly string[]}> {
  if (options.columns) return options as T & {columns: readonly string[]};
  const table = options.table ?? "transactions";
  const columns = await tableColumns(db, /^\(/.test(table.trim()) ? `SELECT * FROM ${table}` : table);
  return {...options, columns};
}

/**
 * In the queries' `base` CTE, amounts are whole millionths (BIGINT): sums of them are exact, so totals,
 * rankings and ties come out the same whatever the order of summation, in DuckDB-WASM 1.29 and in native
 * DuckDB alike (summing DOUBLEs is not: the last bits vary with the order, from run to run). `money()`
 * turns such a sum back into currency units, `ratio()` divides two of them.
 */
export const MICROS = 1_000_000;

/** The SQL expression in millionths for a currency amount (rounded half away from zero). */
export function toMicros(expression: string): string {
  return `CAST(round(CAST(${expression} AS DOUBLE PRECISION) * ${MICROS}) AS BIGINT)`;
}

/** A sum of millionths (or NULL) back to currency units, DOUBLE. */
export function money(expression: string): string {
  return `CAST(${expression} AS DOUBLE PRECISION) / ${MICROS}`;
}

/** numerator / denominator as DOUBLE, NULL when the denominator is zero or NULL. */
export function ratio(numerator: string, denominator: string): string {
  return `CAST(${numerator} AS DOUBLE PRECISION) / NULLIF(CAST(${denominator} AS DOUBLE PRECISION), 0)`;
}

/** What one transaction is in a table: an order when the table has order ids, a row of the data otherwise. */
export interface TransactionUnit {
  /** Transactions are orders (distinct order_id). */
  orders: boolean;
  /** "orders" or "transactions", for labels and counts ("1,204 orders"). */
  plural: string;
  /** One sentence for a page's caption. */
  note: string;
}

/** The transaction unit of a table with these columns (see TransactionUnit). */
export function transactionUnit(columns: readonly string[] | null | undefined): TransactionUnit {
  return columns?.includes("order_id")
    ? {orders: true, plural: "orders", note: "A transaction is an order: rows that share an order id count once (a row without one counts on its own)."}
    : {orders: false, plural: "transactions", note: "A transaction is a row of the data: there is no order id, so each row counts once."};
}

/**
 * SQL aggregate counting transactions (see TransactionUnit) over rows with these columns: distinct order ids
 * plus the rows without one when there is an order_id column, else the rows. `rows` is the number of rows a
 * row stands for: 1 on transactions, the `transactions` column on cells (cells.ts).
 */
export function transactionCountSql(columns: readonly string[] | null | undefined, {rows = "1"}: {rows?: string} = {}): string {
  const count = rows === "1" ? "COUNT(*)" : `SUM(${rows})`;
  if (!columns?.includes("order_id")) return count;
  const unkeyed = rows === "1" ? "COUNT(*) FILTER (WHERE order_id IS NULL)" : `COALESCE(SUM(${rows}) FILTER (WHERE order_id IS NULL), 0)`;
  return `CAST(COUNT(DISTINCT order_id) + ${unkeyed} AS BIGINT)`;
}

/** SQL aggregates over the `base` CTE's rows, for transactions and cells alike (see QueryOptions.cells). */
export interface Measures {
  /** Number of transactions (orders when there are order ids: see TransactionUnit), BIGINT. */
  transactions: string;
  /** Revenue in millionths, exact (HUGEINT or BIGINT). */
  revenue: string;
  /** Distinct customers, BIGINT; `CAST(NULL AS BIGINT)` on cells without a customer key. */
  customers: string;
  /** Whether `customers` counts anything. */
  hasCustomers: boolean;
}

/**
 * The measures for the relation `options` describes. `fewGroups`: the query makes only a few groups (areas,
 * not days or months), so that a bitmap of every customer key per group stays small.
 */
export function measures(options: QueryOptions = {}, {fewGroups = false}: {fewGroups?: boolean} = {}): Measures {
  if (!options.cells) return {transactions: transactionCountSql(options.columns), revenue: "SUM(amount)", customers: "COUNT(DISTINCT customer_id)", hasCustomers: true};
  const hasCustomers = !!options.columns?.includes("customer");
  const keys = options.customerKeys;
  const bitmap = hasCustomers && fewGroups && Number.isInteger(keys) && (keys as number) >= 1;
  return {
    transactions: transactionCountSql(options.columns, {rows: "transactions"}),
    revenue: "SUM(revenue)",
    customers: !hasCustomers
      ? "CAST(NULL AS BIGINT)"
      : bitmap
        ? `COALESCE(CAST(bit_count(bitstring_agg(customer, 1, ${keys})) AS BIGINT), 0)`
        : "COUNT(DISTINCT customer)",
    hasCustomers
  };
}

/**
 * CTEs (without the leading WITH) shared by the exploration queries:
 * - `base`: the filtered rows, order_date cast to DATE and amount in millionths (see MICROS); on cells, the
 *   filtered cells as they are;
 * - `span(first_day, last_day)`: the days the data covers, over the whole table (not just the filtered rows),
 *   clipped to the from/to filter: within it a day without sales is a zero, outside it there is no data;
 * - `days(day)`: every day of the span, one row each.
 */
export function baseCtes(options: QueryOptions = {}): string {
  const {table = "transactions", filters, columns, cells, dialect = duckdb} = options;
  const from = filters?.from ? `DATE ${sqlString(checkIsoDay(filters.from, "from"))}` : "NULL";
  const to = filters?.to ? `DATE ${sqlString(checkIsoDay(filters.to, "to"))}` : "NULL";
  const select = cells ? "*" : dialect.replaceColumns({order_date: "CAST(order_date AS DATE)", amount: toMicros("amount")}, columns);
  return `base AS (
  SELECT ${select}
  FROM ${table}
  ${filterWhere(filters, {columns})}
),
span AS (
  SELECT GREATEST(CAST(MIN(order_date) AS DATE), ${from}) AS first_day,
         LEAST(CAST(MAX(order_date) AS DATE), ${to}) AS last_day
  FROM ${table}
),
days AS (
  SELECT CAST(${dialect.dateSeries("first_day", "last_day", "day")} AS DATE) AS day
  FROM span
  WHERE first_day <= last_day
)`;
}
