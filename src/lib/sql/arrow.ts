/**
 * Apache Arrow results (DuckDB-WASM's) as plain rows with the value conventions of the Node runner
 * (src/node/duckdb.ts): BIGINT as numbers, DATE as "YYYY-MM-DD", TIMESTAMP as an ISO string.
 */
import type {Table} from "apache-arrow";
import {utf8Strings} from "../data/arrowValues.js";

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
 * an Arrow string decodes a new one every time). `intern(key, index)` gives the value `make` made for `key`
 * the first time; once the column shows itself mostly distinct (more than INTERN_LIMIT values, over half the
 * rows so far: ids), it stops keeping them, where a table of them would only cost, and gives `distinct(key)`
 * (by default `make`'s). `make` is the column's, not the row's: no function is made per row.
 */
function interner<K, V>(make: (key: K) => V, distinct: (key: K) => V = make): (key: K, index: number) => V {
  const seen = new Map<K, V>();
  let interning = true;
  return (key, index) => {
    if (!interning) return distinct(key);
    const known = seen.get(key);
    if (known !== undefined) return known;
    if (seen.size >= INTERN_LIMIT && seen.size > index / 2) {
      interning = false;
      seen.clear();
      return make(key);
    }
    const value = make(key);
    seen.set(key, value);
    return value;
  };
}

const MS_PER_DAY = 86_400_000;
const isoDate = (ms: unknown) => new Date(ms as number).toISOString().slice(0, 10);
const same = <T>(value: T) => value;
const utf8 = new TextDecoder();
const utf8Bytes = new TextEncoder();
/**
 * A string of its own: a part cut from a batch's string keeps the whole batch alive, which a label kept for
 * the result's life should not (an id, as long as the batch's other ids, may).
 */
const own = (value: string) => utf8.decode(utf8Bytes.encode(value));

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
    if (type.startsWith("Date32")) {
      // Days since 1970 read from each batch's Int32 values: one string per distinct day, keyed by the day
      // (a small integer), with no Date or boxed number per row.
      const day = interner((days: number) => isoDate(days * MS_PER_DAY));
      let at = 0;
      for (const data of vector.data) {
        const days = data.values as Int32Array;
        for (let i = 0; i < data.length; i++, at++) values[at] = data.nullCount > 0 && !data.getValid(i) ? null : day(days[i], at);
      }
      out[field.name] = values;
      continue;
    }
    if (type === "Utf8") {
      // A batch at a time (utf8Strings); a label kept is a string of its own (own).
      const label = interner(own, same);
      let at = 0;
      for (const data of vector.data) {
        utf8Strings(data, values, at, label);
        at += data.length;
      }
      out[field.name] = values;
      continue;
    }
    const date = type.startsWith("Date");
    // One string per distinct date or label, shared by the rows that hold it (see interner).
    const intern = date ? interner(isoDate) : type === "LargeUtf8" ? interner(same) : null;
    const timestamp = type.startsWith("Timestamp");
    for (let i = 0; i < n; i++) {
      const value = vector.get(i) as unknown;
      if (value == null) values[i] = null;
      else if (typeof value === "bigint") values[i] = Number(value);
      else if (intern) values[i] = intern(value, i);
      else if (timestamp) values[i] = new Date(value as number).toISOString();
      else values[i] = value;
    }
    out[field.name] = values;
  }
  return out;
}
