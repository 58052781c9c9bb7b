/**
 * The sales page's time charts from one query: `dailyTotals` gives each day of the span with its
 * transactions and revenue (in millionths), and the functions below derive from those days, in TypeScript,
 * exactly the rows that dailySales, salesByPeriod, weekdayHeatmap and yearOverYear (sales.ts) would return
 * with customers null (a customer cannot be added up across days). One query on the cells (cells.ts)
 * instead of four on the transactions is what keeps a filter change on a million orders quick.
 *
 * The same filters give the same rows: the date range only clips the span (a day is in or out as a whole),
 * so the days of a narrower range are a slice of the wider range's days (`daysInRange`). Revenue stays an
 * integer number of millionths until the one division that the SQL makes too (`CAST(x AS DOUBLE) / 1e6`),
 * so the numbers agree to the bit as long as the sums stay below 2^53 millionths (9 billion in currency
 * units per day, per period or per 28 days); past that `dailyTotals` throws rather than round.
 * tests/lib/explore/daily.test.ts checks the equality on fixtures and the Superstore data.
 */
import {baseCtes, measures, MICROS, resolveColumns, type Filters, type QueryOptions} from "../sql/filters.js";
import type {SqlRunner} from "../types.js";
import {checkIsoDay, DAY_MS, isoDayOf, utcDate} from "../time.js";
import {
  dailySales,
  salesByPeriod,
  weekdayHeatmap,
  yearOverYear,
  type DailySalesRow,
  type Grain,
  type HeatmapRow,
  type PeriodSalesRow,
  type YearOverYearRow
} from "./sales.js";

export interface DayTotal {
  /** YYYY-MM-DD, every day of the span. */
  date: string;
  transactions: number;
  /** Revenue in millionths of the currency unit (an integer). */
  revenue_micros: number;
}

/** SQL for every day of the span with its transactions and revenue in millionths (rows: DayTotal, by date). */
export function dailyTotalsSql(options: QueryOptions = {}): string {
  const m = measures(options);
  return `WITH ${baseCtes(options)},
daily AS (
  SELECT order_date AS day, ${m.transactions} AS transactions, ${m.revenue} AS revenue
  FROM base
  GROUP BY order_date
)
SELECT strftime(d.day, '%Y-%m-%d') AS date,
       CAST(COALESCE(x.transactions, 0) AS INTEGER) AS transactions,
       CAST(COALESCE(x.revenue, 0) AS BIGINT) AS revenue_micros
FROM days d LEFT JOIN daily x ON x.day = d.day
ORDER BY d.day`;
}

/** Largest sum of millionths a double holds exactly. */
const EXACT = Number.MAX_SAFE_INTEGER;

/** Every day of the span with transactions and revenue (millionths). */
export async function dailyTotals(db: SqlRunner, options: QueryOptions = {}): Promise<DayTotal[]> {
  return checkedTotals(await db.query<DayTotal>(dailyTotalsSql(await resolveColumns(db, options))));
}

function checkedTotals(rows: DayTotal[]): DayTotal[] {
  let total = 0;
  for (const row of rows) total += Math.abs(row.revenue_micros);
  if (!(total <= EXACT)) throw new RangeError("revenue too large to add up exactly in a double; use the queries of sales.ts");
  return rows;
}

/** The days whose date lies in the filters' from/to range (both inclusive, either may be absent). */
export function daysInRange<T extends {date: string}>(days: readonly T[], filters: Pick<Filters, "from" | "to"> | null | undefined): T[] {
  const from = filters?.from ? checkIsoDay(filters.from, "from") : null;
  const to = filters?.to ? checkIsoDay(filters.to, "to") : null;
  return days.filter((day) => (!from || day.date >= from) && (!to || day.date <= to));
}

const money = (micros: number) => micros / MICROS;

const utc = utcDate;
const iso = isoDayOf;
const DAY = DAY_MS;

/** ISO weekday, 1 = Monday … 7 = Sunday. */
function isoWeekday(date: Date): number {
  return ((date.getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the ISO week of a day. */
function weekStart(date: string): string {
  const day = utc(date);
  return iso(new Date(day.getTime() - (isoWeekday(day) - 1) * DAY));
}

/** ISO year and week: the week's Thursday decides the year. */
function isoWeek(date: string): {year: number; week: number} {
  const day = utc(date);
  const thursday = new Date(day.getTime() + (4 - isoWeekday(day)) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return {year, week};
}

function daysInMonth(date: string): number {
  const [y, m] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function periodOf(grain: Grain, date: string): string {
  return grain === "day" ? date : grain === "week" ? calendar(date).week_start : `${date.slice(0, 7)}-01`;
}

function periodLength(grain: Grain, period: string): number {
  return grain === "day" ? 1 : grain === "week" ? 7 : daysInMonth(period);
}

/** Same rows as dailySales on the same filters, from that span's days; customers are null. */
export function dailySalesFromDays(days: readonly DayTotal[]): DailySalesRow[] {
  const rows: DailySalesRow[] = [];
  let t7 = 0, r7 = 0, t28 = 0, r28 = 0;
  days.forEach((day, i) => {
    t7 += day.transactions;
    r7 += day.revenue_micros;
    t28 += day.transactions;
    r28 += day.revenue_micros;
    if (i >= 7) (t7 -= days[i - 7].transactions), (r7 -= days[i - 7].revenue_micros);
    if (i >= 28) (t28 -= days[i - 28].transactions), (r28 -= days[i - 28].revenue_micros);
    const full7 = i >= 6;
    const full28 = i >= 27;
    rows.push({
      date: day.date,
      transactions: day.transactions,
      revenue: money(day.revenue_micros),
      customers: null,
      transactions_7d: full7 ? t7 / 7 : null,
      revenue_7d: full7 ? money(r7) / 7 : null,
      customers_7d: null,
      transactions_28d: full28 ? t28 / 28 : null,
      revenue_28d: full28 ? money(r28) / 28 : null,
      customers_28d: null
    });
  });
  return rows;
}

interface PeriodSums {
  period: string;
  days: number;
  transactions: number;
  revenue_micros: number;
}

function periodSums(days: readonly DayTotal[], grain: Grain): PeriodSums[] {
  const periods: PeriodSums[] = [];
  for (const day of days) {
    const period = periodOf(grain, day.date);
    let last = periods.at(-1);
    if (!last || last.period !== period) periods.push((last = {period, days: 0, transactions: 0, revenue_micros: 0}));
    last.days += 1;
    last.transactions += day.transactions;
    last.revenue_micros += day.revenue_micros;
  }
  return periods;
}

/** Same rows as salesByPeriod on the same filters and grain, from that span's days; customers are null. */
export function salesByPeriodFromDays(days: readonly DayTotal[], grain: Grain = "day"): PeriodSalesRow[] {
  return periodSums(days, grain).map((p) => ({
    date: p.period,
    transactions: p.transactions,
    revenue: money(p.revenue_micros),
    customers: null,
    days: p.days,
    complete: p.days === periodLength(grain, p.period)
  }));
}

interface Calendar {
  iso_year: number;
  iso_week: number;
  week_start: string;
  weekday: number;
}

/** ISO calendar facts of a day; a pure function of the date, remembered (a page meets a few thousand days). */
const calendars = new Map<string, Calendar>();

function calendar(date: string): Calendar {
  let facts = calendars.get(date);
  if (!facts) {
    const {year, week} = isoWeek(date);
    facts = {iso_year: year, iso_week: week, week_start: weekStart(date), weekday: isoWeekday(utc(date))};
    if (calendars.size < 100_000) calendars.set(date, facts);
  }
  return facts;
}

/** Same rows as weekdayHeatmap on the same filters, from that span's days; customers are null. */
export function weekdayHeatmapFromDays(days: readonly DayTotal[]): HeatmapRow[] {
  return days.map((day) => {
    const {iso_year, iso_week, week_start, weekday} = calendar(day.date);
    return {
      date: day.date,
      iso_year,
      iso_week,
      week_start,
      weekday,
      transactions: day.transactions,
      revenue: money(day.revenue_micros),
      customers: null
    };
  });
}

/** The same calendar day or month one year earlier; null for 29 February. */
function yearBefore(period: string, grain: "day" | "month"): string | null {
  if (grain === "day" && period.slice(5) === "02-29") return null;
  return `${String(Number(period.slice(0, 4)) - 1).padStart(4, "0")}${period.slice(4)}`;
}

function dayOfYear(date: string): number {
  return Math.round((utc(date).getTime() - Date.UTC(Number(date.slice(0, 4)), 0, 1)) / DAY) + 1;
}

/** Same rows as yearOverYear on the same filters and grain, from that span's days; customers are null. */
export function yearOverYearFromDays(days: readonly DayTotal[], grain: "day" | "month" = "day"): YearOverYearRow[] {
  if (grain !== "day" && grain !== "month") throw new Error(`year over year grain must be day or month, got ${JSON.stringify(grain)}`);
  const series = periodSums(days, grain);
  const byPeriod = new Map(series.map((p) => [p.period, p]));
  return series.map((c) => {
    const before = yearBefore(c.period, grain);
    const p = before == null ? undefined : byPeriod.get(before);
    return {
      date: c.period,
      year: Number(c.period.slice(0, 4)),
      period: grain === "day" ? dayOfYear(c.period) : Number(c.period.slice(5, 7)),
      transactions: c.transactions,
      revenue: money(c.revenue_micros),
      customers: null,
      days: c.days,
      previous_transactions: p ? p.transactions : null,
      previous_revenue: p ? money(p.revenue_micros) : null,
      previous_customers: null,
      previous_days: p ? p.days : null,
      revenue_change: p && p.revenue_micros !== 0 ? c.revenue_micros / p.revenue_micros - 1 : null
    };
  });
}

/** What the sales page draws. */
export interface SalesCharts {
  /** The whole period (the date range left out), by `grain`: DailySalesRow for days, PeriodSalesRow otherwise. */
  series: DailySalesRow[] | PeriodSalesRow[];
  /** The days of the date range: weekdayHeatmap's rows. */
  heatmap: HeatmapRow[];
  /** The date range by month: yearOverYear's rows. */
  yearOverYear: YearOverYearRow[];
}

/**
 * The sales page's time charts for the filters: one dailyTotals query over the whole period, the rest
 * derived from its days. The rows are those of dailySales or salesByPeriod (without the date range),
 * weekdayHeatmap and yearOverYear by month (with it), customers null. Should the revenue be too large to add
 * up exactly in a double, it runs those four queries instead (same rows, customers as the relation allows).
 */
export async function salesCharts(db: SqlRunner, options: QueryOptions & {grain?: Grain} = {}): Promise<SalesCharts> {
  const resolved = await resolveColumns(db, options);
  const grain = options.grain ?? "day";
  if (!["day", "week", "month"].includes(grain)) throw new Error(`grain must be day, week or month, got ${JSON.stringify(grain)}`);
  const filters = resolved.filters ?? {};
  const overview = {...resolved, filters: {...filters, from: null, to: null}};
  let days: DayTotal[] | null;
  try {
    // Straight to the query (columns are resolved), so that it reaches DuckDB before the page's other queries.
    days = checkedTotals(await db.query<DayTotal>(dailyTotalsSql(overview)));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    days = null;
  }
  if (!days) {
    return {
      series: grain === "day" ? await dailySales(db, overview) : await salesByPeriod(db, {...overview, grain}),
      heatmap: await weekdayHeatmap(db, resolved),
      yearOverYear: await yearOverYear(db, {...resolved, grain: "month"})
    };
  }
  const range = daysInRange(days, filters);
  return {
    series: grain === "day" ? dailySalesFromDays(days) : salesByPeriodFromDays(days, grain),
    heatmap: weekdayHeatmapFromDays(range),
    yearOverYear: yearOverYearFromDays(range, "month")
  };
}
