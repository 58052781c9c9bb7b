/**
 * Compact Arrow columns for the derived tables (src/lib/explore/derived.ts and its members): strings with few
 * distinct values as dictionaries, and numbers in the fewest bytes that still read back bit for bit
 * (arrowValues.ts reads them back).
 */
import {Dictionary, Int8, Int16, Int32, Utf8, makeData, makeVector, vectorFromArray, type Vector} from "apache-arrow";

/** A string column as an Arrow dictionary, nulls kept, with the narrowest keys that hold its distinct values. */
export function dictionaryVector(values: readonly (string | null)[]): Vector {
  const distinct = new Set(values).size;
  const keys = distinct <= 127 ? new Int8() : distinct <= 32_767 ? new Int16() : new Int32();
  return vectorFromArray(values as (string | null)[], new Dictionary(new Utf8(), keys));
}

/**
 * A dictionary column from codes (−1 for null) into `labels`, as dictionaryVector makes it from the strings:
 * the labels in the order given, keys in the narrowest type for the distinct values (null counted as one).
 */
export function codedDictionary(codes: Int32Array, labels: string[]): Vector {
  let nulls = 0;
  for (const code of codes) if (code < 0) nulls++;
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
