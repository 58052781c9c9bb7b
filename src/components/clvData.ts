/**
 * The CLV pages' data flow: DuckDB-WASM selects the filtered transactions (a view) and aggregates them per
 * customer (src/lib/fit/summary.ts and src/lib/clv/profiles.ts); the page gets the summaries as typed arrays for the
 * fit worker, aligned by index with each customer's profile and, when the calibration period ends before the
 * data does, the holdout actuals.
 */
import {filterConditions, type Filters} from "../lib/sql/filters.js";
import {birthsSql, customerProfileSql, repeatsSql, type CustomerProfile} from "../lib/clv/profiles.js";
import {customerHoldout, customerSummary, type CustomerHoldout} from "../lib/fit/summary.js";
import type {SqlRunner} from "../lib/types.js";
import type {SummaryArrays} from "../workers/protocol.js";

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

const DAY_MS = 86_400_000;

/** The ISO day `days` after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weeksBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS / 7;
}

/** (Re)defines the view `name` as the filtered transactions; returns its first and last order dates. */
export async function selectTransactions(
  runner: SqlRunner,
  {filters, columns, name}: {filters: Filters; columns: readonly string[]; name: string}
): Promise<{first: string | null; last: string | null; customers: number}> {
  const where = ["customer_id IS NOT NULL", "order_date IS NOT NULL", "amount IS NOT NULL", ...filterConditions(filters, {columns, dates: false})];
  await runner.query(`CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM transactions WHERE ${where.join(" AND ")}`);
  const [stats] = await runner.query<{first: string | null; last: string | null; customers: number}>(
    `SELECT CAST(min(order_date) AS DATE) AS first, CAST(max(order_date) AS DATE) AS last, count(DISTINCT customer_id) AS customers FROM "${name}"`
  );
  return stats;
}

/** Summaries, profiles and holdout actuals of the customers of `view` who bought on or before calibrationEnd. */
export async function customerData(
  runner: SqlRunner,
  {view, columns, calibrationEnd, first, last}: {view: string; columns: readonly string[]; calibrationEnd: string; first: string; last: string}
): Promise<CustomerData> {
  const summary = await customerSummary(runner, {table: view, calibrationEnd, unit: "week"});
  const profiles = await runner.query<CustomerProfile>(customerProfileSql({table: view, asOf: calibrationEnd, columns}));
  const hasHoldout = calibrationEnd < last;
  const holdout = hasHoldout ? await customerHoldout(runner, {table: view, calibrationEnd, holdoutEnd: last, unit: "week"}) : null;
  const n = summary.length;
  if (n === 0) throw new Error(`No customer in this selection bought by ${calibrationEnd}: clear some filters or choose a later date.`);
  if (profiles.length !== n || (holdout && holdout.length !== n)) throw new Error("customer summaries and profiles do not line up");
  for (let i = 0; i < n; i++) {
    if (profiles[i].customer_id !== summary[i].customer_id || (holdout && holdout[i].customer_id !== summary[i].customer_id)) {
      throw new Error(`customer summaries and profiles do not line up at ${summary[i].customer_id}`);
    }
  }
  return {
    view,
    calibrationEnd,
    first,
    last,
    holdoutWeeks: hasHoldout ? weeksBetween(calibrationEnd, last) : 0,
    summaries: {
      frequency: Float64Array.from(summary, (d) => d.frequency),
      recency: Float64Array.from(summary, (d) => d.recency),
      T: Float64Array.from(summary, (d) => d.T),
      monetary: Float64Array.from(summary, (d) => d.monetary),
      ids: summary.map((d) => String(d.customer_id))
    },
    profiles: profiles.map((p) => ({...p, revenue: Number(p.revenue), orders: Number(p.orders), cost: p.cost == null ? null : Number(p.cost)})),
    holdout
  };
}

/** First purchases and repeat purchase days per day, for the cumulative transactions chart. */
export async function birthsAndRepeats(runner: SqlRunner, {view, calibrationEnd}: {view: string; calibrationEnd: string}) {
  const births = await runner.query<{day: string; customers: number}>(birthsSql({table: view, calibrationEnd}));
  const repeats = await runner.query<{day: string; purchases: number}>(repeatsSql({table: view, calibrationEnd}));
  return {births, repeats};
}
