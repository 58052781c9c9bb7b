/**
 * The figures the Predicted CLV page shows, computed from the fit and the customers' profiles so that each
 * has a unit test: each customer's CLV at their gross margin, the headline numbers (customers, active
 * customers, total and average CLV, the top 10%'s share) and the rows of the customer table.
 *
 * A fit that failed leaves its arrays null, and every figure that needs it is null ("not available" on the
 * page); a fit that ran but is not identified still gives figures, which the page flags (`fitStatus`).
 */
import {topShare} from "./diagnostics.js";
import {costMargins, type CustomerProfile} from "./profiles.js";

/** A fit's outcome as the pages hold it: failed (an error message) or fitted, identified or not. */
export type FitOutcome = {error: string} | {identified: boolean};

/**
 * What the figures that need these fits are: "not available" when one failed, "not identified" when one
 * ran but the data do not pin its parameters down, null when all is well.
 */
export function fitStatus(...fits: FitOutcome[]): "not available" | "not identified" | null {
  if (fits.some((f) => "error" in f)) return "not available";
  if (fits.some((f) => !("error" in f) && !f.identified)) return "not identified";
  return null;
}

/**
 * Each customer's gross margin rate: from the cost column ((revenue − cost) ÷ revenue, the data's overall
 * rate where a customer's cost is missing, `rate` when none has a cost) or one rate for all.
 */
export function marginRates(profiles: readonly Pick<CustomerProfile, "revenue" | "cost">[], {fromCost, rate}: {fromCost: boolean; rate: number}): Float64Array {
  return fromCost ? costMargins(profiles, {fallback: rate}) : new Float64Array(profiles.length).fill(rate);
}

/** CLV in margin: the revenue CLV of each customer times their margin rate; null when CLV is not available. */
export function marginClv(clv: ArrayLike<number> | null, margins: ArrayLike<number>): Float64Array | null {
  if (!clv) return null;
  if (clv.length !== margins.length) throw new Error(`marginClv: ${clv.length} CLV values but ${margins.length} margins`);
  return Float64Array.from(clv, (v, i) => v * margins[i]);
}

export interface ClvKpis {
  customers: number;
  /** Customers whose P(alive) is above `activeAbove`; null without the transaction model. */
  active: number | null;
  /** active ÷ customers. */
  activeShare: number | null;
  /** Sum of the customers' CLV; null without both models. */
  total: number | null;
  /** total ÷ customers. */
  average: number | null;
  /** Share of the total CLV held by the top `top` of customers (diagnostics.topShare). */
  topShare: number | null;
}

/** The headline figures of `customers` customers from their P(alive) and CLV (either null when not available). */
export function clvKpis(
  {customers, probabilityAlive, clv}: {customers: number; probabilityAlive: ArrayLike<number> | null; clv: ArrayLike<number> | null},
  {activeAbove = 0.5, top = 0.1}: {activeAbove?: number; top?: number} = {}
): ClvKpis {
  for (const [name, values] of [["probabilityAlive", probabilityAlive], ["clv", clv]] as const) {
    if (values && values.length !== customers) throw new Error(`clvKpis: ${values.length} values of ${name} for ${customers} customers`);
  }
  let active: number | null = null;
  if (probabilityAlive) {
    active = 0;
    for (let i = 0; i < customers; i++) if (probabilityAlive[i] > activeAbove) active++;
  }
  let total: number | null = null;
  if (clv) {
    total = 0;
    for (let i = 0; i < customers; i++) total += clv[i];
  }
  const per = (x: number | null) => (x === null || customers === 0 ? null : x / customers);
  return {customers, active, activeShare: per(active), total, average: per(total), topShare: clv ? topShare(clv, {share: top}) : null};
}

/** One row of the customer table (src/components/customerTable.ts). */
export interface CustomerRow {
  customer_id: string;
  segment: string;
  region?: string | null;
  frequency: number;
  recency_weeks: number;
  tenure_weeks: number;
  /** Null (column left out) when the model it comes from could not be fitted. */
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: number | null;
  clv: number | null;
  /** Why a prediction of this row is missing (null when every prediction is there), so no cell is silently blank. */
  clv_note: string | null;
}

export interface CustomerRowsInput {
  profiles: readonly Pick<CustomerProfile, "customer_id" | "region">[];
  /** Calibration summaries in weeks, aligned with the profiles. */
  summaries: {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>};
  segments: readonly string[];
  probabilityAlive: ArrayLike<number> | null;
  expectedPurchases: ArrayLike<number> | null;
  expectedSpend: ArrayLike<number> | null;
  clv: ArrayLike<number> | null;
  /** Why predictions are missing (the fit's `unavailable` text or the failed fit); used only when one is. */
  note?: string | null;
}

/** The note a row gets when a prediction is missing and the caller gave no reason. */
export const PREDICTIONS_MISSING = "not available: a model could not be fitted";

/**
 * The customer table's rows, highest CLV first (by P(alive) when CLV is not available, then by customer
 * id); a prediction whose model failed is null in every row. With `limit`, only the first `limit` rows: the
 * customers are ordered by index and a row is made for those only (the first view keeps 100 of 2M).
 */
export function customerRows({profiles, summaries, segments, probabilityAlive, expectedPurchases, expectedSpend, clv, note}: CustomerRowsInput, {limit}: {limit?: number} = {}): CustomerRow[] {
  const missing = !probabilityAlive || !expectedPurchases || !expectedSpend || !clv;
  const clvNote = missing ? note || PREDICTIONS_MISSING : null;
  const row = (i: number): CustomerRow => {
    const p = profiles[i];
    return {
      customer_id: p.customer_id,
      segment: segments[i],
      region: p.region ?? null,
      frequency: summaries.frequency[i],
      recency_weeks: summaries.recency[i],
      tenure_weeks: summaries.T[i],
      p_alive: probabilityAlive ? probabilityAlive[i] : null,
      expected_purchases: expectedPurchases ? expectedPurchases[i] : null,
      expected_spend: expectedSpend ? expectedSpend[i] : null,
      clv: clv ? clv[i] : null,
      clv_note: clvNote
    };
  };
  // The order of the rows' own comparison, read from the columns: (clv ?? p_alive ?? 0) descending, then the
  // id. Sorted as a plain array of indices by the same sort, so that the order is the rows' order exactly.
  const key = (i: number) => (clv ? clv[i] : probabilityAlive ? probabilityAlive[i] : 0);
  const order = Array.from({length: profiles.length}, (_, i) => i);
  order.sort((a, b) => key(b) - key(a) || (profiles[a].customer_id < profiles[b].customer_id ? -1 : 1));
  const n = limit === undefined ? order.length : Math.min(limit, order.length);
  const rows = new Array<CustomerRow>(n);
  for (let k = 0; k < n; k++) rows[k] = row(order[k]);
  return rows;
}

/** The prediction columns: always shown ("n/a" in the table, empty in the CSV) so a failed fit is never a missing column. */
export const PREDICTION_COLUMNS = ["p_alive", "expected_purchases", "expected_spend", "clv"] as const;
const FACT_COLUMNS = ["customer_id", "segment", "region", "frequency", "recency_weeks", "tenure_weeks"] as const;

/**
 * The customer table's columns in order: the facts (region only when some customer has one), every prediction
 * column, and, with `note`, clv_note when some row has a note (the CSV, which must say on each row why a
 * prediction is empty; the table says it once above).
 */
export function customerColumns(rows: readonly CustomerRow[], {note = false}: {note?: boolean} = {}): string[] {
  const facts = FACT_COLUMNS.filter((c) => c !== "region" || rows.some((r) => r.region != null));
  const withNote = note && rows.some((r) => r.clv_note != null);
  return [...facts, ...PREDICTION_COLUMNS, ...(withNote ? ["clv_note"] : [])];
}

/** The line shown once above the table when predictions are missing, "n/a: <reason>." (null when none is). */
export function customerTableNote(rows: readonly CustomerRow[]): string | null {
  const note = rows.find((r) => r.clv_note != null)?.clv_note;
  return note == null ? null : `n/a: ${note.replace(/^not available[:,]\s*/i, "").replace(/\.$/, "")}.`;
}
