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

