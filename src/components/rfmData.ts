/**
 * The RFM page's data: it opens on the build's per-customer summaries (src/lib/rfm/derived.ts, Arrow), from
 * which the library derives the RFM values in the page (src/lib/rfm/summary.ts); filters or an analysis date
 * the summaries cannot answer go to DuckDB-WASM, which aggregates the selected transactions
 * (src/lib/sql/selection.ts) per customer (src/lib/rfm/page.ts: rfmValuesSql). Either way the per-customer
 * rows are an Arquero table that the library scores and segments in the page.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import type {Table} from "apache-arrow";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import {FileAttachment} from "observablehq:stdlib";
import {rfmValuesSql, VALUE_COLUMNS, type ValuesSqlOptions} from "../lib/rfm/page.js";
import {summaryFromTable, type RfmTablesMetadata} from "../lib/rfm/derived.js";
import type {RfmSummary} from "../lib/rfm/summary.js";
import {valuesFromSummary} from "../lib/rfm/summary.js";
import {selectionViewSql} from "../lib/sql/selection.js";
import type {Filters} from "../lib/sql/filters.js";
import {database, unfiltered, uploadInUse} from "./onDemand.js";

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

export interface RfmTables {
  /** Every purchase of the build's data (any analysis date after the last one). */
  current: {summary: RfmSummary; metadata: RfmTablesMetadata};
  /** The purchases before metadata.before (the movement chart's default earlier date). */
  earlier: {summary: RfmSummary; metadata: RfmTablesMetadata};
}

/**
 * The build's per-customer summaries (src/lib/rfm/derived.ts), read as Arrow with no wasm; null when an
 * uploaded file is in use (they describe the build's data, not the upload).
 */
export async function rfmTables(): Promise<RfmTables | null> {
  if (await uploadInUse()) return null;
  const [current, earlier] = await Promise.all([
    FileAttachment("../data/derived/rfm-customers.arrow").arrow(),
    FileAttachment("../data/derived/rfm-customers-earlier.arrow").arrow()
  ]);
  return {current: summaryFromTable(current), earlier: summaryFromTable(earlier)};
}

export interface ValuesAtOptions extends Omit<ValuesSqlOptions, "table" | "analysisDate"> {
  analysisDate: string;
  filters: Filters;
  columns: readonly string[];
}

/**
 * The RFM values of the filtered transactions at an analysis date: from a build summary when one answers it
 * (no filters, and a date after every purchase it holds; an earlier summary answers only its own cut date),
 * otherwise from DuckDB-WASM, started on demand with a status line.
 */
export async function rfmValuesAt(summaries: readonly RfmTables["current"][], {filters, columns, analysisDate, frequency, monetary, orderId}: ValuesAtOptions): Promise<ColumnTable> {
  if (unfiltered(filters as Record<string, unknown>)) {
    for (const {summary, metadata} of summaries) {
      const last = metadata.selection.last;
      const answers = metadata.before === null ? last === null || analysisDate > last : analysisDate === metadata.before;
      if (answers) return valuesFromSummary(summary, {analysisDate, frequency, monetary});
    }
  }
  const db = await database(unfiltered(filters as Record<string, unknown>) ? `for the analysis date ${analysisDate}` : "for these filters");
  await db.runner.query(selectionViewSql({filters, columns, name: "rfm_selection"}));
  return customerValues(db.client, {table: "rfm_selection", orderId, analysisDate, frequency, monetary});
}
