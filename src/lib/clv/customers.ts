/**
 * The CLV pages' customers: from the view of the selected transactions (src/lib/sql/selection.ts, with
 * `dates: false`), each customer's calibration summary (src/lib/fit/summary.ts) as typed arrays for the fit
 * worker, aligned by index with the customer's profile (profiles.ts) and, when the calibration period ends
 * before the data does, the holdout actuals. Runs on DuckDB-WASM in the pages, native DuckDB in the tests.
 */
import {birthsSql, customerProfileSql, repeatsSql, type CustomerProfile} from "./profiles.js";
import {holdoutRows, holdoutSql, summarySql, type CustomerHoldout, type HoldoutColumns} from "../fit/summary.js";
import {weeksBetween} from "../time.js";
import {ownedNumbers, queryColumns, stringColumn} from "../sql/slices.js";
import {byCustomerRuns, joinColumns} from "../sql/customerRuns.js";
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
  const {profileColumns, holdout, ...data} = await customerColumns(runner, options);
  return {...data, profiles: profilesFromColumns(profileColumns), holdout: holdout && holdoutRows(holdout)};
}

/** customerData with the profiles and the holdout actuals as columns (a value per customer, aligned with the summaries). */
export interface CustomerColumns extends Omit<CustomerData, "profiles" | "holdout"> {
  profileColumns: Record<string, ArrayLike<unknown>>;
  holdout: HoldoutColumns | null;
}

/**
 * One row per customer of `table` who bought on or before calibrationEnd: the calibration summary (summarySql:
 * frequency, recency, T, monetary in weeks), the profile as of calibrationEnd (customerProfileSql's columns
 * after customer_id) and, with a holdoutEnd, the holdout actuals (holdoutSql), joined on the customer, by
 * customer_id; `unmatched` is 1 for a customer one of them lacks (none should: customerColumns checks).
 */
function customerColumnsSql({table, columns, calibrationEnd, holdoutEnd}: {table: string; columns: readonly string[]; calibrationEnd: string; holdoutEnd: string | null}): string {
  const holdout = holdoutEnd === null ? null : holdoutSql({table, calibrationEnd, holdoutEnd, unit: "week"});
  const id = "coalesce(s.customer_id, p.customer_id)";
  return `SELECT ${id} AS customer_id, s.frequency, s.recency, s."T", s.monetary, p.* EXCLUDE (customer_id)${holdout ? ", h.frequency_holdout, h.spend_holdout, h.duration_holdout" : ""},
  CAST(s.customer_id IS NULL OR p.customer_id IS NULL${holdout ? " OR h.customer_id IS NULL" : ""} AS TINYINT) AS unmatched
FROM (${summarySql({table, calibrationEnd, unit: "week"})}) s
FULL JOIN (${customerProfileSql({table, asOf: calibrationEnd, columns})}) p ON p.customer_id = s.customer_id${
    holdout ? `\nFULL JOIN (${holdout}) h ON h.customer_id = ${id}` : ""
  }
ORDER BY 1`;
}

/** A numeric column as a Float64Array of its own (ownedNumbers; runs joined make one). */
const float64 = (values: ArrayLike<unknown> | undefined): Float64Array => ownedNumbers(Float64Array, values ?? []);

/**
 * customerData's customers with their profiles left as the query's columns (numbers as numbers, nulls as
 * null: profileColumn), for what reads a field of every customer at a time (the CLV tables, derived.ts) and
 * need not hold an object per customer.
 */
export async function customerColumns(
  runner: SqlRunner,
  {view, columns, calibrationEnd, first, last, customersPerRun}: {view: string; columns: readonly string[]; calibrationEnd: string; first: string; last: string; customersPerRun?: number}
): Promise<CustomerColumns> {
  // Columns, not an object per customer (a million customers cross as a few arrays), read a run of customers
  // at a time (byCustomerRuns: the engine's memory is set by one run, not by every customer). The summary,
  // the profile and the holdout are one query, joined on the customer in the engine: each id crosses once
  // (three queries decoded every id three times, hundreds of MB of strings to collect at 2M customers).
  const hasHoldout = calibrationEnd < last;
  const joined = await byCustomerRuns(
    runner,
    view,
    (source) => queryColumns(runner, customerColumnsSql({table: source, columns, calibrationEnd, holdoutEnd: hasHoldout ? last : null})),
    joinColumns,
    customersPerRun
  );
  const {customer_id: idColumn = [], frequency, recency, T, monetary, unmatched = [], frequency_holdout, spend_holdout, duration_holdout, ...profile} = joined;
  // The joined column is this call's own: kept when it holds strings already (no copy of 2M ids).
  const ids = stringColumn(idColumn);
  const n = ids.length;
  if (n === 0) throw new Error(`No customer in this selection bought by ${calibrationEnd}: clear some filters or choose a later date.`);
  for (let i = 0; i < n; i++) {
    if (Number(unmatched[i]) !== 0) throw new Error(`customer summaries and profiles do not line up at ${ids[i]}`);
  }
  // The profile's fields in its query's order, the id first (profilesFromColumns makes objects in that order).
  const profileColumns: Record<string, ArrayLike<unknown>> = {customer_id: ids, ...profile};
  const holdout: HoldoutColumns | null = hasHoldout
    ? {customer_id: ids, frequency_holdout: float64(frequency_holdout), spend_holdout: float64(spend_holdout), duration_holdout: float64(duration_holdout)}
    : null;
  return {
    view,
    calibrationEnd,
    first,
    last,
    holdoutWeeks: hasHoldout ? weeksBetween(calibrationEnd, last) : 0,
    summaries: {
      frequency: float64(frequency),
      recency: float64(recency),
      T: float64(T),
      monetary: float64(monetary),
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

/**
 * One field of every customer's profile, as customerData's profile objects hold it (undefined: no such
 * column). A column that holds them so already (numbers in a typed array; a plain array of a field that is not
 * a number) is given as it is: a copy of each would be tens of MB to collect at 2M customers.
 */
export function profileColumn(columns: Record<string, ArrayLike<unknown>>, name: string): ArrayLike<unknown> | undefined {
  const values = columns[name];
  if (!values) return undefined;
  if (NUMBERS.has(name) ? ArrayBuffer.isView(values) : Array.isArray(values)) return values;
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = profileValue(name, values[i]);
  return out;
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

/** Rows of counts per day from several runs of customers, summed per day, by day. */
function sumByDay<K extends string>(parts: readonly ({day: string} & Record<K, number>)[][], count: K): ({day: string} & Record<K, number>)[] {
  const sums = new Map<string, number>();
  for (const part of parts) for (const row of part) sums.set(row.day, (sums.get(row.day) ?? 0) + Number(row[count]));
  return [...sums.keys()].sort().map((day) => ({day, [count]: sums.get(day)!}) as {day: string} & Record<K, number>);
}

/**
 * First purchases and repeat purchase days per day, for the cumulative transactions chart: counted a run of
 * customers at a time where the engine reads in runs (byCustomerRuns; the pairs of customer and day of every
 * order, held at once, took DuckDB-WASM's heap from 1.16 to 1.30 GB at 5M orders), the runs' counts summed per day.
 */
export async function birthsAndRepeats(runner: SqlRunner, {view, calibrationEnd, customersPerRun}: {view: string; calibrationEnd: string; customersPerRun?: number}) {
  return byCustomerRuns(
    runner,
    view,
    async (source) => ({
      births: await runner.query<{day: string; customers: number}>(birthsSql({table: source, calibrationEnd})),
      repeats: await runner.query<{day: string; purchases: number}>(repeatsSql({table: source, calibrationEnd}))
    }),
    (parts) => (parts.length === 1 ? parts[0] : {births: sumByDay(parts.map((p) => p.births), "customers"), repeats: sumByDay(parts.map((p) => p.repeats), "purchases")}),
    customersPerRun
  );
}
