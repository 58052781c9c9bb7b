/**
 * Compact Arrow columns for the derived tables (src/lib/explore/derived.ts and its members): strings with few
 * distinct values as dictionaries, and numbers in the fewest bytes that still read back bit for bit
 * (arrowValues.ts reads them back).
 */
import {isUtf8Ids, type Utf8Ids} from "../fit/columns.js";
import {Dictionary, Float64, Int8, Int16, Int32, Utf8, makeData, makeVector, vectorFromArray, type Vector} from "apache-arrow";

/**
 * A string column as an Arrow dictionary, nulls kept, with the narrowest keys that hold its distinct values
 * (null counted as one): the labels in the order they first appear, as Arrow's dictionary builder numbers
 * them. Coded here, a value at a time, with no object per value (the builder made several: at 2M customers,
 * hundreds of MB to collect per column).
 */
export function dictionaryVector(values: ArrayLike<string | null>): Vector {
  const codes = new Int32Array(values.length);
  const index = new Map<string, number>();
  const labels: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value == null) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      index.set(value, (code = labels.length));
      labels.push(value);
    }
    codes[i] = code;
  }
  return codedDictionary(codes, labels);
}

/** A validity bitmap with the bit of every row that is not null set (`isNull` says which are), or null when none is. */
function validity(n: number, isNull: (i: number) => boolean): {bitmap: Uint8Array | null; nulls: number} {
  let bitmap: Uint8Array | null = null;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!isNull(i)) continue;
    if (!bitmap) bitmap = new Uint8Array(Math.ceil(n / 8)).fill(255);
    bitmap[i >> 3] &= ~(1 << (i & 7));
    nulls++;
  }
  return {bitmap, nulls};
}

/**
 * Strings (ids) as an Arrow Utf8 column, nulls kept: their UTF-8 bytes written one after the other into one
 * buffer (ASCII a character at a time, others by TextEncoder), with no object per value. Ids given as their
 * bytes already (Utf8Ids) are the column's buffers as they are.
 */
export function utf8Vector(values: ArrayLike<string | null> | Utf8Ids): Vector {
  if (isUtf8Ids(values)) {
    const length = values.offsets.length - 1;
    return makeVector(makeData({type: new Utf8(), length, nullCount: 0, valueOffsets: values.offsets, data: values.bytes}));
  }
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(1024, n * 8));
  const encoder = new TextEncoder();
  let at = 0;
  for (let i = 0; i < n; i++) {
    const raw: unknown = values[i];
    const value = raw == null ? null : typeof raw === "string" ? raw : String(raw);
    if (value != null) {
      if (at + 3 * value.length > bytes.length) {
        const grown = new Uint8Array(Math.max(2 * bytes.length, at + 3 * value.length));
        grown.set(bytes.subarray(0, at));
        bytes = grown;
      }
      let ascii = true;
      for (let k = 0; k < value.length && ascii; k++) {
        const code = value.charCodeAt(k);
        if (code < 128) bytes[at + k] = code;
        else ascii = false;
      }
      at += ascii ? value.length : encoder.encodeInto(value, bytes.subarray(at)).written;
    }
    offsets[i + 1] = at;
  }
  const {bitmap, nulls} = validity(n, (i) => values[i] == null);
  return makeVector(makeData({type: new Utf8(), length: n, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, data: bytes.slice(0, at)}));
}

/** Numbers that may be null as a Float64 column, null kept as null (NaN stays a value, as in Arrow's builder). */
export function nullableFloat64(values: ArrayLike<number | null>): Vector {
  const n = values.length;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = values[i] ?? 0;
  const {bitmap, nulls} = validity(n, (i) => values[i] == null);
  return makeVector(makeData({type: new Float64(), length: n, nullCount: nulls, nullBitmap: bitmap, data}));
}

/**
 * A dictionary column from codes (−1 for null) into `labels`, as dictionaryVector makes it from the strings:
 * the labels in the order given, keys in the narrowest type for the distinct values (null counted as one).
 */
export function codedDictionary(codes: Int32Array, labels: string[]): Vector {
  let nulls = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) nulls++;
  const distinct = labels.length + (nulls > 0 ? 1 : 0);
  const [array, type] = distinct <= 127 ? [Int8Array, new Int8()] as const : distinct <= 32_767 ? [Int16Array, new Int16()] as const : [Int32Array, new Int32()] as const;
  const keys = new array(codes.length);
  const valid = nulls ? new Uint8Array(Math.ceil(codes.length / 8)) : null;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] >= 0) {
      keys[i] = codes[i];
      if (valid) valid[i >> 3] |= 1 << (i & 7);
    }
  }
  const dictionary = vectorFromArray(labels, new Utf8());
  return makeVector(makeData({type: new Dictionary(new Utf8(), type), length: codes.length, nullCount: nulls, nullBitmap: valid, data: keys, dictionary}));
}

/**
 * A Float64 column stored as exactly as it is read back, in fewer bytes when it can be: as integers k with
 * value = k / scale (counts: scale 1; weeks counted in days: 7; money in cents: 100) in the narrowest of Int8,
 * Int16 and Int32, but only when every value is bit for bit k / scale (checked here), so the page reads the
 * same Float64 the fit saw; otherwise Float64. `scales` lists the divisors to try, in order.
 */
export function exactColumn(values: ArrayLike<number>, scales: readonly number[]): {vector: Vector; scale: number | null} {
  for (const scale of scales) {
    let min = 0, max = 0, ok = true;
    const ints = new Float64Array(values.length);
    for (let i = 0; i < values.length && ok; i++) {
      const k = Math.round(values[i] * scale);
      ok = Number.isFinite(values[i]) && k / scale === values[i] && Math.abs(k) <= 2_147_483_647;
      ints[i] = k;
      if (k < min) min = k;
      if (k > max) max = k;
    }
    if (!ok) continue;
    const array = min >= -128 && max <= 127 ? Int8Array : min >= -32768 && max <= 32767 ? Int16Array : Int32Array;
    return {vector: makeVector(array.from(ints)), scale};
  }
  return {vector: makeVector(Float64Array.from(values)), scale: null};
}
