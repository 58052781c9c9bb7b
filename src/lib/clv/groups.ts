/**
 * Groupings of the customers as integer codes (the bootstrap's sums and the budget's figures by group are
 * taken by them); a small module of its own so that the budget's figures need none of the models.
 */

/** Label of a missing group key. */
export const MISSING = "(missing)";

/** A grouping of the customers: each customer's group index into `labels`. */
export interface GroupCodes {
  labels: string[];
  codes: Int32Array;
}

/** Group codes of per-customer keys; a missing or empty key is the group "(missing)" (as valueByGroup). */
export function groupCodes(keys: ArrayLike<unknown>): GroupCodes {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const codes = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] == null || keys[i] === "" ? MISSING : String(keys[i]);
    let k = index.get(key);
    if (k === undefined) {
      index.set(key, (k = labels.length));
      labels.push(key);
    }
    codes[i] = k;
  }
  return {labels, codes};
}
