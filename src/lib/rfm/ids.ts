/**
 * Customer ids as integer codes where the ids allow it: every id is one common prefix followed by a number,
 * written either with a fixed width (zero-padded, "C0000014") or with no leading zero ("14"). The code is
 * that number; the id reads back as prefix + the number (padded to the width). Only when every id reads back
 * exactly as it was; otherwise null, and the ids stay text. A page then reads 4 bytes per customer, not the
 * id's text and its offset, and makes the strings in one loop instead of decoding UTF-8.
 */

export interface IdCodes {
  /** The text before the number, the same in every id. */
  prefix: string;
  /** The digits of every number (zero-padded); 0: variable, never a leading zero. */
  width: number;
  codes: Int32Array;
}

const DIGITS = /^[0-9]+$/;

/** The codes of `ids`, or null when some id is not prefix + number as above (or a number passes 2^31 − 1). */
export function encodeIds(ids: ArrayLike<string>): IdCodes | null {
  const n = ids.length;
  if (n === 0) return null;
  const first = String(ids[0]);
  let start = first.length;
  while (start > 0 && first.charCodeAt(start - 1) >= 48 && first.charCodeAt(start - 1) <= 57) start--;
  const prefix = first.slice(0, start);
  const digits = first.length - start;
  if (digits === 0 || digits > 10) return null;
  // A fixed width when the first id has a leading zero or every id has as many digits as the first.
  let fixed = true;
  for (let i = 0; i < n && fixed; i++) fixed = String(ids[i]).length === first.length;
  const width = fixed ? digits : 0;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = String(ids[i]);
    if (!id.startsWith(prefix)) return null;
    const tail = id.slice(prefix.length);
    if (!DIGITS.test(tail) || (width === 0 && tail.length > 1 && tail[0] === "0")) return null;
    const code = Number(tail);
    if (code > 2_147_483_647) return null;
    codes[i] = code;
  }
  return decodeIds({prefix, width, codes}).every((id, i) => id === String(ids[i])) ? {prefix, width, codes} : null;
}

/** The ids of encodeIds' codes. */
export function decodeIds({prefix, width, codes}: IdCodes): string[] {
  const ids = new Array<string>(codes.length);
  for (let i = 0; i < codes.length; i++) ids[i] = prefix + (width ? String(codes[i]).padStart(width, "0") : String(codes[i]));
  return ids;
}
