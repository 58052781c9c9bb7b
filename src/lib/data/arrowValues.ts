/**
 * Reading back the columns arrowColumns.ts writes. Apart from it because it needs no Arrow code of its own
 * (only the vector's methods): the CLV pages read their tables with it, and load the Arrow library only when
 * a table is read, not before their first chart.
 */
import type {Vector} from "apache-arrow";

/** A column written by exactColumn, read back as the Float64 values it was made from. */
export function exactValues(vector: Vector, scale: number | null | undefined): Float64Array {
  const raw = vector.toArray() as ArrayLike<number>;
  return scale ? Float64Array.from(raw, (k) => k / scale) : Float64Array.from(raw);
}


/**
 * A column's values as a plain array (null for a missing value), a dictionary column's labels decoded once
 * and shared by the rows that hold them: reading a dictionary vector row by row decodes a new string every
 * time, so a million customers' first-purchase days or regions would be a million strings each.
 */
export function vectorValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    if (data.dictionary) {
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
