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

/** Distinct values an interner keeps before it judges its column mostly distinct (see interner). */
const INTERN_LIMIT = 4096;

/**
 * A column's values made once per distinct value and shared by the rows that hold it: a million customers'
 * first and last purchase days, regions or segments are a few thousand strings, not a million each (reading
 * an Arrow string decodes a new one every time). `intern(key, index, make)` gives the value made for `key`
 * (made by `make` the first time); once the column shows itself mostly distinct (more than INTERN_LIMIT
 * values, over half the rows so far: ids), it stops keeping them, where a table of them would only cost.
 */
function interner<K, V>(): (key: K, index: number, make: () => V) => V {
  const seen = new Map<K, V>();
  let interning = true;
  return (key, index, make) => {
    if (!interning) return make();
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (seen.size >= INTERN_LIMIT && seen.size > index / 2) {
      interning = false;
      seen.clear();
      return make();
    }
    const value = make();
    seen.set(key, value);
    return value;
  };
}

/**
 * An Arrow result column by column with arrowRows' value conventions: numeric columns without nulls stay the
 * typed arrays Arrow holds (BIGINT ones become Float64Array), others become plain arrays with null for a
 * missing value. No object per row is made, and a date or a label repeated down a column is one string.
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
    const date = type.startsWith("Date");
    // One string per distinct date or label, shared by the rows that hold it (see interner).
    const intern = date || type === "Utf8" || type === "LargeUtf8" ? interner<unknown, unknown>() : null;
    for (let i = 0; i < n; i++) {
      const value = vector.get(i) as unknown;
      if (value == null) values[i] = null;
      else if (typeof value === "bigint") values[i] = Number(value);
      else if (date) values[i] = intern!(value, i, () => new Date(value as number).toISOString().slice(0, 10));
      else if (type.startsWith("Timestamp")) values[i] = new Date(value as number).toISOString();
      else values[i] = intern ? intern(value, i, () => value) : value;
    }
    out[field.name] = values;
  }
  return out;
}
