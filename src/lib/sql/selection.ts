/**
 * The selection: "the transactions under these filters", as a DuckDB view that a page's later queries read
 * (the RFM values, the CLV summaries), with its size and date span. Rows without a customer, a date or an
 * amount never enter it. One definition for every page.
 */
import {filterConditions, transactionCountSql, type Filters} from "./filters.js";
import {sqlIdentifier} from "./quote.js";
import type {SqlRunner} from "../types.js";

export interface Selection {
  /** The view holding the selected transactions. */
  table: string;
  /** Transactions of the selection: orders when the table has an order id, rows otherwise (filters.ts). */
  transactions: number;
  customers: number;
  /** First and last order dates of the selection (null when it is empty). */
  first: string | null;
  last: string | null;
}

export interface SelectionOptions {
  filters: Filters;
  /** Columns the transactions table has (filters on absent columns are ignored). */
  columns: readonly string[];
  /** Name of the view (default "selection"). */
  name?: string;
  /** Apply the date filter too (default true; the CLV pages choose their own calibration period). */
  dates?: boolean;
  /** The table selected from (default "transactions"). */
  table?: string;
}

/** The CREATE VIEW statement of a selection. */
export function selectionViewSql({filters, columns, name = "selection", dates = true, table = "transactions"}: SelectionOptions): string {
  const where = ["customer_id IS NOT NULL", "order_date IS NOT NULL", "amount IS NOT NULL", ...filterConditions(filters, {columns, dates})];
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(name)} AS SELECT * FROM ${sqlIdentifier(table)} WHERE ${where.join(" AND ")}`;
}

/** (Re)defines the view as the transactions that pass the filters, and describes it. */
export async function selectTransactions(runner: SqlRunner, options: SelectionOptions): Promise<Selection> {
  const name = options.name ?? "selection";
  await runner.query(selectionViewSql({...options, name}));
  const [stats] = await runner.query<Omit<Selection, "table">>(
    `SELECT CAST(${transactionCountSql(options.columns)} AS INTEGER) AS transactions, CAST(count(DISTINCT customer_id) AS INTEGER) AS customers,
      CAST(min(order_date) AS DATE) AS first, CAST(max(order_date) AS DATE) AS last FROM ${sqlIdentifier(name)}`
  );
  return {table: name, ...stats};
}
