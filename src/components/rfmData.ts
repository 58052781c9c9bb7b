/**
 * The RFM page's data flow: DuckDB-WASM aggregates the selected transactions (src/lib/sql/selection.ts) per
 * customer (src/lib/rfm/page.ts: rfmValuesSql), and the per-customer rows become an Arquero table that the
 * library scores and segments in the page.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import type {Table} from "apache-arrow";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import {rfmValuesSql, VALUE_COLUMNS, type ValuesSqlOptions} from "../lib/rfm/page.js";

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
