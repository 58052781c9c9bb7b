/**
 * Reading back the columns arrowColumns.ts writes. Apart from it because it needs no Arrow code of its own
 * (only the vector's methods): the CLV pages read their tables with it, and load the Arrow library only when
 * a table is read, not before their first chart.
 */
import type {Data, Vector} from "apache-arrow";
import type {Utf8Ids} from "../fit/columns.js";

/** A column written by exactColumn, read back as the Float64 values it was made from. */
export function exactValues(vector: Vector, scale: number | null | undefined): Float64Array {
  const raw = vector.toArray() as ArrayLike<number>;
  return scale ? Float64Array.from(raw, (k) => k / scale) : Float64Array.from(raw);
}


const utf8 = new TextDecoder();

/**
 * A Utf8 batch's strings (from its row `from` on) written into `out` from `at` (null for a missing value),
 * each given to `keep` with its row (an interner, say). The batch's bytes are decoded at once when they are ASCII (one string a batch,
 * each value a part of it), else a value at a time: no view of the bytes per row, as reading a value through
 * Arrow's get makes (a million ids read back were hundreds of MB to collect).
 */
export function utf8Strings(data: Data, out: unknown[], at: number, keep: (value: string, row: number) => unknown = (value) => value, from = 0): void {
  const offsets = data.valueOffsets as Int32Array, bytes = data.values as Uint8Array;
  const start = offsets[from], end = offsets[data.length];
  let ascii = true;
  for (let k = start; k < end && ascii; k++) ascii = bytes[k] < 128;
  const text = ascii ? utf8.decode(bytes.subarray(start, end)) : null;
  for (let i = from; i < data.length; i++) {
    if (data.nullCount > 0 && !data.getValid(i)) out[at + i] = null;
    else out[at + i] = keep(text !== null ? text.slice(offsets[i] - start, offsets[i + 1] - start) : utf8.decode(bytes.subarray(offsets[i], offsets[i + 1])), at + i);
  }
}

/**
 * A Utf8 column without nulls (a CLV table's ids) as its UTF-8 bytes and offsets from 0, arrays of their own
 * (they may move to a worker without taking the table's buffers): no string is made.
 */
export function utf8Ids(vector: Vector): Utf8Ids {
  if (String(vector.type) !== "Utf8") throw new Error(`ids must be a Utf8 column, not ${String(vector.type)}`);
  if (vector.nullCount > 0) throw new Error(`ids must have no missing value (${vector.nullCount} missing)`);
  let size = 0;
  for (const data of vector.data) size += (data.valueOffsets as Int32Array)[data.length] - (data.valueOffsets as Int32Array)[0];
  const offsets = new Int32Array(vector.length + 1);
  const bytes = new Uint8Array(size);
  let row = 0, at = 0;
  for (const data of vector.data) {
    const from = data.valueOffsets as Int32Array, start = from[0], end = from[data.length];
    bytes.set((data.values as Uint8Array).subarray(start, end), at);
    for (let i = 1; i <= data.length; i++) offsets[row + i] = at + from[i] - start;
    row += data.length;
    at += end - start;
  }
  return {offsets, bytes};
}

/**
 * A column's values as a plain array (null for a missing value), a dictionary column's labels decoded once
 * and shared by the rows that hold them: reading a dictionary vector row by row decodes a new string every
 * time, so a million customers' first-purchase days or regions would be a million strings each. A Utf8
 * column's strings are decoded a batch at a time (utf8Strings).
 */
export function vectorValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  const text = String(vector.type) === "Utf8";
  let offset = 0;
  for (const data of vector.data) {
    if (text) {
      utf8Strings(data, out, offset);
    } else if (data.dictionary) {
      const labels = Array.from(data.dictionary as Iterable<unknown>);
      const keys = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) out[offset + i] = data.getValid(i) ? labels[keys[i]] : null;
    } else {
      for (let i = 0; i < data.length; i++) out[offset + i] = vector.get(offset + i) ?? null;
    }
    offset += data.length;
  }
  return out;
}
