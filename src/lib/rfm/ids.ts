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
  // Each id read a character at a time (no string cut per id, no id made again to compare): an id reads back
  // exactly (decodeIds) when its tail is all digits, of the width when fixed, with no leading zero when not.
  const from = prefix.length;
  for (let i = 0; i < n; i++) {
    const id = String(ids[i]);
    const length = id.length - from;
    if (!id.startsWith(prefix) || length < 1 || length > 10 || (width !== 0 && length !== width)) return null;
    if (width === 0 && length > 1 && id.charCodeAt(from) === 48) return null;
    let code = 0;
    for (let k = from; k < id.length; k++) {
      const digit = id.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) return null;
      code = code * 10 + digit;
    }
    if (code > 2_147_483_647) return null;
    codes[i] = code;
  }
  return {prefix, width, codes};
}

/** The ids of encodeIds' codes. */
export function decodeIds({prefix, width, codes}: IdCodes): string[] {
  const ids = new Array<string>(codes.length);
  for (let i = 0; i < codes.length; i++) ids[i] = prefix + (width ? String(codes[i]).padStart(width, "0") : String(codes[i]));
  return ids;
}
