/**
 * The RFM page's data flow: DuckDB-WASM selects the filtered transactions and aggregates them per customer
 * (src/lib/rfm-page.ts: rfmValuesSql), and the per-customer rows become an Arquero table that the library
 * scores and segments in the page.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import type {Table} from "apache-arrow";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import {filterConditions, transactionCountSql, type Filters} from "../lib/filters.js";
import {rfmValuesSql, VALUE_COLUMNS, type ValuesSqlOptions} from "../lib/rfm-page.js";
import {arrowRows} from "./database.js";

export interface Selection {
  /** The view holding the selected transactions. */
  table: string;
  transactions: number;
  customers: number;
  /** First and last order dates of the selection (null when it is empty). */
  first: string | null;
  last: string | null;
}

/** (Re)defines the view `name` as the transactions that pass the filters, and describes it. */
export async function selectTransactions(
  client: DuckDBClient,
  {filters, columns, name = "rfm_selection"}: {filters: Filters; columns: readonly string[]; name?: string}
): Promise<Selection> {
  const where = ["customer_id IS NOT NULL", "order_date IS NOT NULL", "amount IS NOT NULL", ...filterConditions(filters, {columns})];
  await client.query(`CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM transactions WHERE ${where.join(" AND ")}`);
  const [stats] = arrowRows<Omit<Selection, "table">>(
    await client.query(`SELECT ${transactionCountSql(columns)} AS transactions, count(DISTINCT customer_id) AS customers,
      CAST(min(order_date) AS DATE) AS first, CAST(max(order_date) AS DATE) AS last FROM "${name}"`)
  );
  return {table: name, ...stats};
}

/** An Arrow result as an Arquero table, one typed array (or array of strings) per column. */
export function arquero(table: Table): ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const field of table.schema.fields) {
    const values = table.getChild(field.name)!.toArray() as ArrayLike<unknown>;
    columns[field.name] = values instanceof BigInt64Array ? Float64Array.from(values, Number) : values;
  }
  return aq.table(columns);
}

/** rfmValues() rows of the selection at an analysis date, aggregated by DuckDB. */
export async function customerValues(client: DuckDBClient, options: ValuesSqlOptions): Promise<ColumnTable> {
  const values = arquero(await client.query(rfmValuesSql(options)));
  return values.numRows() ? values : aq.table(Object.fromEntries(VALUE_COLUMNS.map((c) => [c, []])));
}
