/**
 * Apache Arrow results (DuckDB-WASM's) as plain rows with the value conventions of the Node runner
 * (src/node/duckdb.ts): BIGINT as numbers, DATE as "YYYY-MM-DD", TIMESTAMP as an ISO string.
 */
import type {Table} from "apache-arrow";

export function arrowRows<T>(table: Table): T[] {
  const fields = table.schema.fields.map((field) => ({name: field.name, type: String(field.type)}));
  const rows: T[] = [];
  for (const row of table) {
    const out: Record<string, unknown> = {};
    for (const {name, type} of fields) {
      let value = (row as unknown as Record<string, unknown>)[name];
      if (typeof value === "bigint") value = Number(value);
      else if (value != null && type.startsWith("Date")) value = new Date(value as number).toISOString().slice(0, 10);
      else if (value != null && type.startsWith("Timestamp")) value = new Date(value as number).toISOString();
      out[name] = value;
    }
    rows.push(out as T);
  }
  return rows;
}
