/**
 * The CLV pages' customers: from the view of the selected transactions (src/lib/sql/selection.ts, with
 * `dates: false`), each customer's calibration summary (src/lib/fit/summary.ts) as typed arrays for the fit
 * worker, aligned by index with the customer's profile (profiles.ts) and, when the calibration period ends
 * before the data does, the holdout actuals. Runs on DuckDB-WASM in the pages, native DuckDB in the tests.
 */
import {birthsSql, customerProfileSql, repeatsSql, type CustomerProfile} from "./profiles.js";
import {customerHoldout, customerSummaryColumns, type CustomerHoldout} from "../fit/summary.js";
import {weeksBetween} from "../time.js";
import {queryColumns} from "../sql/slices.js";
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
  // Read as columns and made into one object per customer (rows read as objects and then copied held two).
  const profiles = profilesFromColumns(await queryColumns(runner, customerProfileSql({table: view, asOf: calibrationEnd, columns})));
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
    profiles,
    holdout
  };
}

/** Numeric profile fields that may be null (the others are never null: revenue, orders, purchase days). */
const NULLABLE_NUMBERS = new Set(["cost", "acquisition_cost", "partner_share"]);
const NUMBERS = new Set(["revenue", "orders", "purchase_days", ...NULLABLE_NUMBERS]);

/** customerProfileSql's result, one object per customer, its fields in the query's column order. */
function profilesFromColumns(columns: Record<string, ArrayLike<unknown>>): CustomerProfile[] {
  const names = Object.keys(columns);
  const n = columns.customer_id?.length ?? 0;
  const profiles = new Array<CustomerProfile>(n);
  for (let i = 0; i < n; i++) {
    const profile: Record<string, unknown> = {};
    for (const name of names) {
      const value = columns[name][i];
      profile[name] = !NUMBERS.has(name) ? value : NULLABLE_NUMBERS.has(name) && value == null ? null : Number(value);
    }
    profiles[i] = profile as unknown as CustomerProfile;
  }
  return profiles;
}

/** First purchases and repeat purchase days per day, for the cumulative transactions chart. */
export async function birthsAndRepeats(runner: SqlRunner, {view, calibrationEnd}: {view: string; calibrationEnd: string}) {
  const births = await runner.query<{day: string; customers: number}>(birthsSql({table: view, calibrationEnd}));
  const repeats = await runner.query<{day: string; purchases: number}>(repeatsSql({table: view, calibrationEnd}));
  return {births, repeats};
}
