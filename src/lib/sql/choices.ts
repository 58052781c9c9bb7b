/**
 * The choices a filter bar offers: the values each list filter can take in the data, and the span of its
 * order dates. A column the table lacks, or holds a single value of, offers no choice (filtering on it
 * would change nothing).
 */
import {LIST_FILTERS, type FilterChoiceValues, type ListFilter} from "./filters.js";
import {sqlIdentifier} from "./quote.js";
import type {SqlRunner} from "../types.js";

/** The values present in `table` for each list filter among `columns`, sorted, and its first and last order date. */
export async function filterChoices(db: SqlRunner, columns: readonly string[], table = "transactions"): Promise<FilterChoiceValues> {
  const from = sqlIdentifier(table);
  const values: Partial<Record<ListFilter, string[]>> = {};
  for (const key of LIST_FILTERS) {
    if (!columns.includes(key)) continue;
    const column = sqlIdentifier(key);
    const rows = await db.query<{value: string}>(`SELECT DISTINCT CAST(${column} AS VARCHAR) AS value FROM ${from} WHERE ${column} IS NOT NULL ORDER BY value`);
    if (rows.length > 1) values[key] = rows.map((row) => row.value);
  }
  const [extent] = await db.query<{first: string; last: string}>(`SELECT CAST(MIN(order_date) AS DATE) AS first, CAST(MAX(order_date) AS DATE) AS last FROM ${from}`);
  return {values, first: extent.first, last: extent.last};
}
