/**
 * Sales cells: the transactions rolled up once, so that the exploration pages redraw quickly when a filter
 * changes. A cell is one order day and one combination of the filter columns (region, province,
 * customer_segment, category: those the table has), optionally one customer too, with:
 *
 *   order_date DATE, <filter columns>, [customer INTEGER], [order_id], transactions BIGINT, revenue BIGINT (millionths)
 *
 * `transactions` counts rows. When an order id exists and repeats (order lines, as in Superstore), the cells
 * are split by order too, so that the queries can count orders, COUNT(DISTINCT order_id), under any filter:
 * an order whose lines fall in several provinces or categories is one order in their total, not two
 * (see transactionUnit in filters.ts). When every order id is unique, a row is an order and no split is needed.
 *
 * Every filter (the date range and the list filters) selects whole cells, so sums over the selected cells
 * are exactly the sums over the selected transactions; revenue is summed in millionths (see MICROS in
 * filters.ts), so the order of summation does not matter either. Distinct customers cannot be added up
 * across cells: only cells that carry the `customer` key (a small integer standing for customer_id, one per
 * distinct id) can count them, with COUNT(DISTINCT customer).
 *
 * The queries of sales.ts and regions.ts read cells when given `cells: true` (see QueryOptions.cells) and
 * return the same rows as on the transactions; tests/lib/explore/cells.test.ts checks it.
 */
import {LIST_FILTERS, resolveColumns, sqlIdentifier, toMicros, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";

export interface CellsOptions {
  /** The transactions to roll up: a table or view name (from code, never from user input). Default "transactions". */
  table?: string;
  /** The columns `table` has; looked up when absent. */
  columns?: readonly string[] | null;
  /** Whether cells are also split by customer (to count distinct customers). Default false. */
  customers?: boolean;
  /** Whether cells are also split by order_id (to count orders: see the top of this file). Default false. */
  orders?: boolean;
  /**
   * `table` holds cells split by customer (createSalesCells with `customers`), not transactions: they are
   * summed again without the customer, which reads fewer rows than the transactions and converts nothing.
   */
  fromCells?: boolean;
  /**
   * More columns to split the cells by, beyond the filter columns (e.g. partner and offer_type, for the
   * partners page), those of them the table has. They are not filters: they only make the cells finer.
   */
  extra?: readonly string[];
}

/** Columns the pages' derived cells are split by beyond the filter columns (CellsOptions.extra): the partners page reads them. */
export const CELL_EXTRAS = ["partner", "offer_type"] as const;

/** The filter columns a table with these columns is rolled up by. */
export function cellDimensions(columns: readonly string[]): string[] {
  return LIST_FILTERS.filter((name) => columns.includes(name));
}

/**
 * SQL (one SELECT) for the cells of a transactions table, sorted by the first two filter columns (region
 * and province when the table has them), so that a filter on them reads few row groups (sorting on all of
 * them costs seconds on a million rows in DuckDB-WASM). `columns` must be given.
 */
export function salesCellsSql(options: CellsOptions & {columns: readonly string[]}): string {
  const {table = "transactions", columns, customers = false, fromCells = false, extra = []} = options;
  const orders = fromCells ? columns.includes("order_id") : !!options.orders;
  const extras = extra.filter((name) => columns.includes(name));
  const dimensions = [...cellDimensions(columns), ...extras, ...(orders ? ["order_id"] : [])].map(sqlIdentifier);
  const sorted = cellDimensions(columns).slice(0, 2).map(sqlIdentifier);
  const order = sorted.length ? `ORDER BY ${sorted.join(", ")}` : "";
  if (fromCells) {
    if (customers) throw new Error("cells made from cells cannot be split by customer again");
    const groups = ["order_date", ...dimensions].join(", ");
    return `SELECT ${groups}, CAST(SUM(transactions) AS BIGINT) AS transactions, CAST(SUM(revenue) AS BIGINT) AS revenue
FROM ${table}
GROUP BY ${groups}
${order}`;
  }
  const keys = customers
    ? `,
keys AS (
  SELECT customer_id, CAST(row_number() OVER () AS INTEGER) AS customer
  FROM (SELECT DISTINCT customer_id FROM src WHERE customer_id IS NOT NULL)
)`
    : "";
  const groups = ["order_date", ...dimensions, ...(customers ? ["k.customer"] : [])];
  return `WITH src AS (
  SELECT CAST(order_date AS DATE) AS order_date, ${[...dimensions, ...(customers ? ["customer_id"] : [])].map((c) => `${c}, `).join("")}${toMicros("amount")} AS amount
  FROM ${table}
)${keys}
SELECT ${groups.join(", ")}, COUNT(*) AS transactions, CAST(SUM(amount) AS BIGINT) AS revenue
FROM src${customers ? " s LEFT JOIN keys k ON k.customer_id = s.customer_id" : ""}
GROUP BY ${groups.join(", ")}
${order}`;
}

/** A cells table made by createSalesCells, ready for the queries of sales.ts and regions.ts. */
export interface SalesCells {
  /** Options to spread into a query: `{table, columns, cells: true, customerKeys}`. */
  table: string;
  columns: string[];
  cells: true;
  /** With customers: the customer keys run from 1 to this number (see QueryOptions.customerKeys). */
  customerKeys: number | null;
}

/**
 * Creates (or replaces) table `name` holding the cells of `options.table` and returns the options the
 * queries need to read it: `salesByRegion(db, {...cells, filters})`.
 */
export async function createSalesCells(db: SqlRunner, name: string, options: CellsOptions = {}): Promise<SalesCells> {
  const resolved = await resolveColumns(db, options as QueryOptions);
  await db.query(`CREATE OR REPLACE TABLE ${sqlIdentifier(name)} AS ${salesCellsSql({...options, columns: resolved.columns})}`);
  const orders = options.fromCells ? resolved.columns.includes("order_id") : !!options.orders;
  const extras = (options.extra ?? []).filter((name) => resolved.columns.includes(name));
  const columns = ["order_date", ...cellDimensions(resolved.columns), ...extras, ...(options.customers ? ["customer"] : []), ...(orders ? ["order_id"] : []), "transactions", "revenue"];
  let customerKeys: number | null = null;
  if (options.customers) {
    const [row] = await db.query<{keys: number | null}>(`SELECT CAST(MAX(customer) AS INTEGER) AS keys FROM ${sqlIdentifier(name)}`);
    customerKeys = row?.keys ?? null;
  }
  return {table: sqlIdentifier(name), columns, cells: true, customerKeys};
}

/**
 * Whether the cells of a transactions table must be split by order to count orders: it has order ids and
 * some of them repeat (order lines).
 */
export async function ordersRepeat(db: SqlRunner, {table = "transactions", columns}: {table?: string; columns: readonly string[]}): Promise<boolean> {
  if (!columns.includes("order_id")) return false;
  const [row] = await db.query<{repeats: boolean}>(`SELECT COUNT(order_id) > COUNT(DISTINCT order_id) AS repeats FROM ${table}`);
  return !!row?.repeats;
}
