/**
 * The CLV pages' customers: from the view of the selected transactions (src/lib/sql/selection.ts, with
 * `dates: false`), each customer's calibration summary (src/lib/fit/summary.ts) as typed arrays for the fit
 * worker, aligned by index with the customer's profile (profiles.ts) and, when the calibration period ends
 * before the data does, the holdout actuals. Runs on DuckDB-WASM in the pages, native DuckDB in the tests.
 */
import {birthsSql, customerProfileSql, repeatsSql, type CustomerProfile} from "./profiles.js";
import {customerHoldout, customerSummaryColumns, type CustomerHoldout} from "../fit/summary.js";
import {weeksBetween} from "../time.js";
import type {SqlRunner} from "../types.js";
import type {SummaryArrays} from "../../workers/protocol.js";

export interface CustomerData {
  view: string;
  /** Last day of calibration (inclusive). */
  calibrationEnd: string;
  /** First and last order dates of the selection. */
  first: string;
  last: string;
  /** Holdout length in weeks (0 when calibration runs to the last order). */
  holdoutWeeks: number;
  summaries: SummaryArrays;
  profiles: CustomerProfile[];
  /** Holdout actuals by index (null without a holdout). */
  holdout: CustomerHoldout[] | null;
}

/** Summaries, profiles and holdout actuals of the customers of `view` who bought on or before calibrationEnd. */
export async function customerData(
  runner: SqlRunner,
  {view, columns, calibrationEnd, first, last}: {view: string; columns: readonly string[]; calibrationEnd: string; first: string; last: string}
): Promise<CustomerData> {
  // Columns, not an object per customer (a million customers cross as five arrays).
  const summary = await customerSummaryColumns(runner, {table: view, calibrationEnd, unit: "week"});
  const ids = summary.customer_id;
  const profiles = await runner.query<CustomerProfile>(customerProfileSql({table: view, asOf: calibrationEnd, columns}));
  const hasHoldout = calibrationEnd < last;
  const holdout = hasHoldout ? await customerHoldout(runner, {table: view, calibrationEnd, holdoutEnd: last, unit: "week"}) : null;
  const n = ids.length;
  if (n === 0) throw new Error(`No customer in this selection bought by ${calibrationEnd}: clear some filters or choose a later date.`);
  if (profiles.length !== n || (holdout && holdout.length !== n)) throw new Error("customer summaries and profiles do not line up");
  for (let i = 0; i < n; i++) {
    if (profiles[i].customer_id !== ids[i] || (holdout && holdout[i].customer_id !== ids[i])) {
      throw new Error(`customer summaries and profiles do not line up at ${ids[i]}`);
    }
  }
  return {
    view,
    calibrationEnd,
    first,
    last,
    holdoutWeeks: hasHoldout ? weeksBetween(calibrationEnd, last) : 0,
    summaries: {
      frequency: summary.frequency,
      recency: summary.recency,
      T: summary.T,
      monetary: summary.monetary,
      ids
    },
    profiles: profiles.map((p) => ({
      ...p,
      revenue: Number(p.revenue),
      orders: Number(p.orders),
      cost: p.cost == null ? null : Number(p.cost),
      ...(p.acquisition_cost !== undefined ? {acquisition_cost: p.acquisition_cost == null ? null : Number(p.acquisition_cost)} : {}),
      ...(p.partner_share !== undefined ? {partner_share: p.partner_share == null ? null : Number(p.partner_share)} : {})
    })),
    holdout
  };
}

/** First purchases and repeat purchase days per day, for the cumulative transactions chart. */
export async function birthsAndRepeats(runner: SqlRunner, {view, calibrationEnd}: {view: string; calibrationEnd: string}) {
  const births = await runner.query<{day: string; customers: number}>(birthsSql({table: view, calibrationEnd}));
  const repeats = await runner.query<{day: string; purchases: number}>(repeatsSql({table: view, calibrationEnd}));
  return {births, repeats};
}
