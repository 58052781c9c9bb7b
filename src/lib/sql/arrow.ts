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

/** Whether this machine stores numbers little-endian (a 64-bit integer's low word first). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * 64-bit integers (BIGINT) as numbers, read as their two 32-bit words: reading a BigInt64Array makes a BigInt
 * per value (hundreds of MB to collect at millions of rows). high × 2³² + low is the value exactly up to 2⁵³,
 * and past it rounded once, as Number(bigint) rounds.
 */
function bigIntNumbers(values: BigInt64Array | BigUint64Array): Float64Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const signed = values instanceof BigInt64Array;
  const [low, high] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const top = words[2 * i + high];
    out[i] = (signed ? top | 0 : top) * 4294967296 + words[2 * i + low];
  }
  return out;
}

const MS_PER_DAY = 86_400_000;
const isoDate = (ms: unknown) => new Date(ms as number).toISOString().slice(0, 10);
const same = <T>(value: T) => value;
const utf8 = new TextDecoder();

/**
 * A Utf8 column's labels interned by their bytes: `get(bytes, start, end, index)` gives the one string of the
 * bytes from start to end (a string of its own, decoded the first time: a part cut from a batch's string
 * would keep the whole batch alive), with no string made per row to look it up. Like interner, it stops once
 * the column shows itself mostly distinct (ids): `get` then gives undefined and the caller decodes.
 */
function labelInterner(): (bytes: Uint8Array, start: number, end: number, index: number) => string | undefined {
  const seen = new Map<number, {bytes: Uint8Array; value: string}[]>();
  let count = 0;
  let interning = true;
  return (bytes, start, end, index) => {
    if (!interning) return undefined;
    // FNV-1a over the bytes: equal labels share a bucket; a bucket's labels are told apart byte by byte.
    let hash = 0x811c9dc5;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ bytes[k], 0x01000193);
    const bucket = seen.get(hash);
    if (bucket) {
      for (const entry of bucket) {
        if (entry.bytes.length !== end - start) continue;
        let k = 0;
        while (k < entry.bytes.length && entry.bytes[k] === bytes[start + k]) k++;
        if (k === entry.bytes.length) return entry.value;
      }
    }
    if (count >= INTERN_LIMIT && count > index / 2) {
      interning = false;
      seen.clear();
      return undefined;
    }
    const copy = bytes.slice(start, end);
    const entry = {bytes: copy, value: utf8.decode(copy)};
    if (bucket) bucket.push(entry);
    else seen.set(hash, [entry]);
    count++;
    return entry.value;
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
      out[field.name] = values instanceof BigInt64Array || values instanceof BigUint64Array ? bigIntNumbers(values) : values;
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
      // Labels found by their bytes (labelInterner: no string per row); once the column shows itself mostly
      // distinct (ids), the rest a batch at a time (utf8Strings).
      const label = labelInterner();
      let at = 0;
      for (const data of vector.data) {
        const offsets = data.valueOffsets as Int32Array, bytes = data.values as Uint8Array;
        let i = 0;
        for (; i < data.length; i++) {
          if (data.nullCount > 0 && !data.getValid(i)) {
            values[at + i] = null;
            continue;
          }
          const value = label(bytes, offsets[i], offsets[i + 1], at + i);
          if (value === undefined) break;
          values[at + i] = value;
        }
        if (i < data.length) utf8Strings(data, values, at, undefined, i);
        at += data.length;
      }
      out[field.name] = values;
      continue;
    }
    if (numeric && type !== "Float16") {
      // Numbers with nulls read from each batch's values and validity (no lookup of the batch per row, as
      // the vector's get makes; 64-bit integers through their words: bigIntNumbers).
      let at = 0;
      for (const data of vector.data) {
        const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
        const numbers = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? bigIntNumbers(raw.subarray(0, data.length)) : (raw as ArrayLike<number>);
        for (let i = 0; i < data.length; i++, at++) values[at] = data.nullCount > 0 && !data.getValid(i) ? null : numbers[i];
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
