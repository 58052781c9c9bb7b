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
import {byCustomerRuns, joinArrays, joinColumns} from "../sql/customerRuns.js";
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
  options: {view: string; columns: readonly string[]; calibrationEnd: string; first: string; last: string; customersPerRun?: number}
): Promise<CustomerData> {
  const {profileColumns, ...data} = await customerColumns(runner, options);
  return {...data, profiles: profilesFromColumns(profileColumns)};
}

/** customerData with the profiles as columns (profile field → a value per customer, aligned with the summaries). */
export interface CustomerColumns extends Omit<CustomerData, "profiles"> {
  profileColumns: Record<string, ArrayLike<unknown>>;
}

/**
 * customerData's customers with their profiles left as the query's columns (numbers as numbers, nulls as
 * null: profileColumn), for what reads a field of every customer at a time (the CLV tables, derived.ts) and
 * need not hold an object per customer.
 */
export async function customerColumns(
  runner: SqlRunner,
  {view, columns, calibrationEnd, first, last, customersPerRun}: {view: string; columns: readonly string[]; calibrationEnd: string; first: string; last: string; customersPerRun?: number}
): Promise<CustomerColumns> {
  // Columns, not an object per customer (a million customers cross as five arrays), read a run of customers
  // at a time (byCustomerRuns: the engine's memory is set by one run, not by every customer).
  const hasHoldout = calibrationEnd < last;
  const {summary, profileColumns, holdout} = await byCustomerRuns(
    runner,
    view,
    async (source) => ({
      summary: await customerSummaryColumns(runner, {table: source, calibrationEnd, unit: "week"}),
      profileColumns: await queryColumns(runner, customerProfileSql({table: source, asOf: calibrationEnd, columns})),
      holdout: hasHoldout ? await customerHoldout(runner, {table: source, calibrationEnd, holdoutEnd: last, unit: "week"}) : null
    }),
    (parts) => ({
      summary: joinColumns(parts.map((part) => part.summary)),
      profileColumns: joinColumns(parts.map((part) => part.profileColumns)),
      holdout: hasHoldout ? joinArrays(parts.map((part) => part.holdout!)) : null
    }),
    customersPerRun
  );
  const ids = summary.customer_id;
  const n = ids.length;
  if (n === 0) throw new Error(`No customer in this selection bought by ${calibrationEnd}: clear some filters or choose a later date.`);
  const profileIds = profileColumns.customer_id ?? [];
  if (profileIds.length !== n || (holdout && holdout.length !== n)) throw new Error("customer summaries and profiles do not line up");
  for (let i = 0; i < n; i++) {
    if (profileIds[i] !== ids[i] || (holdout && holdout[i].customer_id !== ids[i])) {
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
    profileColumns,
    holdout
  };
}

/** Numeric profile fields that may be null (the others are never null: revenue, orders, purchase days). */
const NULLABLE_NUMBERS = new Set(["cost", "acquisition_cost", "partner_share"]);
const NUMBERS = new Set(["revenue", "orders", "purchase_days", ...NULLABLE_NUMBERS]);

/** One profile field's value as the profile holds it: numbers as numbers (null where a nullable one is missing). */
function profileValue(name: string, value: unknown): unknown {
  return !NUMBERS.has(name) ? value : NULLABLE_NUMBERS.has(name) && value == null ? null : Number(value);
}

/** One field of every customer's profile, as customerData's profile objects hold it (undefined: no such column). */
export function profileColumn(columns: Record<string, ArrayLike<unknown>>, name: string): unknown[] | undefined {
  const values = columns[name];
  return values && Array.from(values, (value) => profileValue(name, value));
}

/** customerProfileSql's result, one object per customer, its fields in the query's column order. */
function profilesFromColumns(columns: Record<string, ArrayLike<unknown>>): CustomerProfile[] {
  const names = Object.keys(columns);
  const n = columns.customer_id?.length ?? 0;
  const profiles = new Array<CustomerProfile>(n);
  for (let i = 0; i < n; i++) {
    const profile: Record<string, unknown> = {};
    for (const name of names) profile[name] = profileValue(name, columns[name][i]);
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
