/**
 * Per-customer summaries as the fits read them: rows of {frequency, recency, T, monetary?} or columns of those
 * names, validated into Float64Arrays (an empty input, NaN, a negative value, a non-integer frequency or a
 * recency larger than T throws, naming the customer by id when ids are given), and the customers the
 * Gamma-Gamma spend model is defined for (repeat customers with a positive mean spend), with the others
 * counted by reason.
 */

/** One customer's summary (time unit of your choice; monetary only for Gamma-Gamma). */
export interface SummaryRow {
  frequency: number;
  recency: number;
  T: number;
  monetary?: number;
}

/** Columns of customer summaries. */
export interface SummaryColumnsInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary?: ArrayLike<number>;
}

export type SummaryInput = ArrayLike<SummaryRow> | SummaryColumnsInput;

/** Customers Gamma-Gamma leaves out, by reason. */
export interface SpendExclusions {
  /** No repeat purchase (frequency 0): there is no mean repeat spend to model. */
  one_time_buyers: number;
  /** Repeat customers whose mean repeat spend is 0 or negative (free orders, returns). */
  zero_or_negative_spend: number;
  /** Repeat customers whose mean spend is missing or not a finite number. */
  non_finite_spend: number;
}

/**
 * Customer ids as UTF-8 bytes, id i being bytes[offsets[i]] up to bytes[offsets[i + 1]] (an Arrow Utf8
 * column's two buffers): millions of ids cross to a fit worker as two typed arrays, not millions of strings
 * to copy and collect, and a message that names a customer decodes that one.
 */
export interface Utf8Ids {
  offsets: Int32Array;
  bytes: Uint8Array;
}

/** The ids of the summaries' customers, for messages: one per customer, as values or as UTF-8 bytes. */
export type CustomerIds = ArrayLike<string | number> | Utf8Ids;

/** Whether ids come as UTF-8 bytes (Utf8Ids) rather than values. */
export const isUtf8Ids = (ids: CustomerIds | ArrayLike<string | null>): ids is Utf8Ids => "offsets" in ids && ArrayBuffer.isView((ids as Utf8Ids).offsets);
const utf8 = new TextDecoder();

/** How many ids `ids` holds. */
export function idCount(ids: CustomerIds): number {
  return isUtf8Ids(ids) ? Math.max(0, ids.offsets.length - 1) : ids.length;
}

/** Id i of `ids` as a string. */
export function idAt(ids: CustomerIds, i: number): string {
  return isUtf8Ids(ids) ? utf8.decode(ids.bytes.subarray(ids.offsets[i], ids.offsets[i + 1])) : String(ids[i]);
}

/** How an error message names customer i: by the data's id when known, else as a row of the summaries. */
export function customerName(i: number, ids?: CustomerIds): string {
  return ids && i < idCount(ids) ? `customer ${JSON.stringify(idAt(ids, i))}` : `summary row ${i}`;
}

export function isColumns(data: SummaryInput): data is SummaryColumnsInput {
  return !Array.isArray(data) && typeof (data as SummaryColumnsInput).frequency === "object" && (data as SummaryColumnsInput).frequency !== null;
}

/**
 * Validated columns as Float64Arrays. Throws on an empty input, a missing column, a non-finite or negative
 * value, a non-integer frequency or a recency larger than T.
 */
export function summaryColumns(data: SummaryInput, {monetary = false, ids}: {monetary?: boolean; ids?: CustomerIds} = {}): {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary: Float64Array | null;
} {
  let frequency: Float64Array;
  let recency: Float64Array;
  let T: Float64Array;
  let money: Float64Array | null = null;
  if (isColumns(data)) {
    const n = data.frequency.length;
    if (data.recency?.length !== n || data.T?.length !== n) throw new Error("summary columns frequency, recency and T must have the same length");
    frequency = new Float64Array(data.frequency);
    recency = new Float64Array(data.recency);
    T = new Float64Array(data.T);
    if (monetary) {
      if (!data.monetary || data.monetary.length !== n) throw new Error("a monetary column of the same length is required");
      money = new Float64Array(data.monetary);
    }
  } else {
    if (data == null || typeof data.length !== "number") throw new Error("summaries must be an array of rows or an object of columns");
    const n = data.length;
    frequency = new Float64Array(n);
    recency = new Float64Array(n);
    T = new Float64Array(n);
    if (monetary) money = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = data[i];
      if (row == null) throw new Error(`summary row ${i} is missing`);
      frequency[i] = row.frequency;
      recency[i] = row.recency;
      T[i] = row.T;
      if (money) money[i] = row.monetary ?? NaN;
    }
  }
  const n = frequency.length;
  if (n === 0) throw new Error("no customers: the summaries are empty");
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const t = recency[i];
    if (!validSummary(x, t, T[i])) invalidSummary(i, x, t, T[i], ids);
    if (x === 0 && t !== 0) recency[i] = 0; // recency is 0 by definition without repeat purchases
  }
  return {frequency, recency, T, monetary: money};
}

/** True when (frequency, recency, T) is a valid summary: finite, non-negative, integer frequency, recency <= T. */
export function validSummary(x: number, t: number, tt: number): boolean {
  // NaN fails every comparison; an infinite T fails tt < Infinity, and t <= tt then bounds t.
  return x >= 0 && t >= 0 && t <= tt && tt < Infinity && x < Infinity && x === Math.floor(x);
}

/** Throws the message naming what is wrong with customer i's summary (called only when validSummary fails). */
export function invalidSummary(i: number, x: number, t: number, tt: number, ids?: CustomerIds): never {
  const who = customerName(i, ids);
  if (!Number.isFinite(x) || !Number.isFinite(t) || !Number.isFinite(tt)) {
    throw new Error(`${who}: frequency, recency and T must be finite numbers (got ${x}, ${t}, ${tt})`);
  }
  if (x < 0 || t < 0 || tt < 0) throw new Error(`${who}: negative value (frequency ${x}, recency ${t}, T ${tt})`);
  if (x !== Math.floor(x)) throw new Error(`${who}: frequency must be an integer count of repeat purchases (got ${x})`);
  throw new Error(`${who}: recency ${t} is larger than T ${tt}`);
}

/**
 * The customers Gamma-Gamma is defined for, as in the literature and lifetimes: repeat customers (frequency > 0)
 * whose mean repeat spend is a positive finite number. Returns a 0/1 mask aligned with the input, the number
 * selected and the number left out by reason. Every fit of Gamma-Gamma selects its customers with this.
 */
export function spendEligible(data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>}): {
  mask: Uint8Array;
  customers: number;
  excluded: SpendExclusions;
} {
  const columns = !Array.isArray(data) && typeof (data as {frequency: unknown}).frequency === "object";
  const cols = data as {frequency: ArrayLike<number>; monetary?: ArrayLike<number>};
  const rows = data as ArrayLike<{frequency: number; monetary?: number}>;
  const n = columns ? cols.frequency.length : rows.length;
  const mask = new Uint8Array(n);
  const excluded: SpendExclusions = {one_time_buyers: 0, zero_or_negative_spend: 0, non_finite_spend: 0};
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const x = columns ? cols.frequency[i] : rows[i].frequency;
    const m = (columns ? cols.monetary?.[i] : rows[i].monetary) ?? NaN;
    if (!(x > 0)) excluded.one_time_buyers++;
    else if (!Number.isFinite(m)) excluded.non_finite_spend++;
    else if (m <= 0) excluded.zero_or_negative_spend++;
    else {
      mask[i] = 1;
      customers++;
    }
  }
  return {mask, customers, excluded};
}

/** "68 one-time buyers, 2 with zero or negative mean spend" (the reasons with a count; "" when none). */
export function describeExclusions(excluded: SpendExclusions): string {
  const parts: string[] = [];
  const count = (n: number) => n.toLocaleString("en-US");
  if (excluded.one_time_buyers) parts.push(`${count(excluded.one_time_buyers)} one-time buyer${excluded.one_time_buyers === 1 ? "" : "s"} (no repeat purchase)`);
  if (excluded.zero_or_negative_spend) parts.push(`${count(excluded.zero_or_negative_spend)} repeat customer${excluded.zero_or_negative_spend === 1 ? "" : "s"} with a zero or negative mean spend`);
  if (excluded.non_finite_spend) parts.push(`${count(excluded.non_finite_spend)} repeat customer${excluded.non_finite_spend === 1 ? "" : "s"} without a finite mean spend`);
  return parts.join(", ");
}

/** (frequency, monetary) columns for Gamma-Gamma; frequency is validated, monetary is judged by spendEligible. */
export function spendColumns(
  data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>},
  ids?: CustomerIds
): {
  frequency: Float64Array;
  monetary: Float64Array;
} {
  let frequency: Float64Array;
  let monetary: Float64Array;
  if (!Array.isArray(data) && typeof (data as {frequency: unknown}).frequency === "object") {
    const d = data as {frequency: ArrayLike<number>; monetary?: ArrayLike<number>};
    if (!d.monetary || d.monetary.length !== d.frequency.length) throw new Error("a monetary column of the same length as frequency is required");
    frequency = new Float64Array(d.frequency);
    monetary = new Float64Array(d.monetary);
  } else {
    const rows = data as ArrayLike<{frequency: number; monetary?: number}>;
    frequency = new Float64Array(rows.length);
    monetary = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      frequency[i] = rows[i].frequency;
      monetary[i] = rows[i].monetary ?? NaN;
    }
  }
  if (frequency.length === 0) throw new Error("no customers: the summaries are empty");
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (!Number.isFinite(x) || x < 0 || x !== Math.floor(x)) throw new Error(`${customerName(i, ids)}: frequency must be a non-negative integer (got ${x})`);
  }
  return {frequency, monetary};
}
