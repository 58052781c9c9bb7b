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

/**
 * An Arrow result column by column with arrowRows' value conventions: numeric columns without nulls stay the
 * typed arrays Arrow holds (BIGINT ones become Float64Array), others become plain arrays with null for a
 * missing value. No object per row is made.
 */
export function arrowColumns(table: Table): Record<string, ArrayLike<unknown>> {
  const out: Record<string, ArrayLike<unknown>> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const type = String(field.type);
    const n = vector.length;
    const numeric = /^(Int|Uint|Float)/.test(type);
    if (numeric && vector.nullCount === 0) {
      const values = vector.toArray() as ArrayLike<number | bigint>;
      out[field.name] = values instanceof BigInt64Array || values instanceof BigUint64Array ? Float64Array.from(values as ArrayLike<bigint>, Number) : values;
      continue;
    }
    const values = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      let value = vector.get(i) as unknown;
      if (typeof value === "bigint") value = Number(value);
      else if (value != null && type.startsWith("Date")) value = new Date(value as number).toISOString().slice(0, 10);
      else if (value != null && type.startsWith("Timestamp")) value = new Date(value as number).toISOString();
      values[i] = value ?? null;
    }
    out[field.name] = values;
  }
  return out;
}
