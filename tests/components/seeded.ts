// Small deterministic inputs for the chart snapshot tests: fixed calendar dates (never today's) and values
// drawn from src/lib/random.ts with fixed seeds.
import {createRandom, gamma, poisson} from "../../src/lib/data/random.js";
import type {DailySalesRow, PeriodSalesRow} from "../../src/lib/explore/sales.js";
import type {CohortCellRow, M1Row} from "../../src/lib/explore/cohorts.js";

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The mean of the `n` values ending at index i, or null before n values exist. */
function trailing(values: readonly number[], i: number, n: number): number | null {
  if (i + 1 < n) return null;
  let sum = 0;
  for (let j = i - n + 1; j <= i; j++) sum += values[j];
  return sum / n;
}

/** `days` days of sales from `start` (busier weekends), with their 7- and 28-day trailing means. */
export function dailySales(seed: number, {start = "2024-01-01", days = 56} = {}): DailySalesRow[] {
  const random = createRandom(seed);
  const t0 = Date.parse(`${start}T00:00:00Z`);
  const base = Array.from({length: days}, (_, i) => {
    const weekday = new Date(t0 + i * DAY_MS).getUTCDay();
    const transactions = poisson(random, weekday === 0 || weekday === 6 ? 30 : 18);
    const customers = Math.max(0, transactions - poisson(random, 2));
    let revenue = 0;
    for (let k = 0; k < transactions; k++) revenue += gamma(random, 3, 0.08);
    return {date: isoDay(t0 + i * DAY_MS), transactions, revenue: round2(revenue), customers};
  });
  const series = (key: "transactions" | "revenue" | "customers") => base.map((d) => d[key]);
  return base.map((d, i) => ({
    ...d,
    transactions_7d: trailing(series("transactions"), i, 7),
    revenue_7d: trailing(series("revenue"), i, 7),
    customers_7d: trailing(series("customers"), i, 7),
    transactions_28d: trailing(series("transactions"), i, 28),
    revenue_28d: trailing(series("revenue"), i, 28),
    customers_28d: trailing(series("customers"), i, 28)
  }));
}

/** Daily rows summed per calendar month; a month the days do not cover to its end is partial. */
export function monthlySales(daily: readonly DailySalesRow[]): PeriodSalesRow[] {
  const months = new Map<string, PeriodSalesRow>();
  for (const d of daily) {
    const key = `${d.date.slice(0, 7)}-01`;
    const m = months.get(key) ?? {date: key, transactions: 0, revenue: 0, customers: 0, days: 0, complete: false};
    m.transactions += d.transactions;
    m.revenue = round2(m.revenue + d.revenue);
    m.customers = (m.customers ?? 0) + (d.customers ?? 0);
    m.days += 1;
    months.set(key, m);
  }
  return [...months.values()].map((m) => {
    const [y, mo] = m.date.split("-").map(Number);
    return {...m, complete: m.days === new Date(Date.UTC(y, mo, 0)).getUTCDate()};
  });
}

/**
 * Monthly cohorts from `first` for `cohorts` months, observed to the middle of the month after the last
 * cohort's last month (that month is partial): sizes, active customers and revenue drawn at random.
 */
export function cohortCells(seed: number, {first = "2023-01", cohorts = 6, months = 8} = {}): CohortCellRow[] {
  const random = createRandom(seed);
  const [y0, m0] = first.split("-").map(Number);
  const month = (k: number) => {
    const d = new Date(Date.UTC(y0, m0 - 1 + k, 1));
    return d.toISOString().slice(0, 7);
  };
  const rows: CohortCellRow[] = [];
  for (let c = 0; c < cohorts; c++) {
    const size = 60 + 2 * poisson(random, 30);
    let cumulative = 0;
    let revenue0 = 0;
    for (let k = 0; c + k < months; k++) {
      const active = k === 0 ? size : Math.min(size, Math.round(size * 0.45 * 0.8 ** (k - 1) * (0.7 + 0.6 * random())));
      let revenue = 0;
      for (let i = 0; i < active; i++) revenue += gamma(random, 2, 0.05);
      revenue = round2(revenue);
      if (k === 0) revenue0 = revenue;
      cumulative += revenue;
      rows.push({
        cohort: month(c),
        months_since_first: k,
        month: month(c + k),
        cohort_size: size,
        active_customers: active,
        retention: active / size,
        revenue,
        revenue_retention: revenue0 ? revenue / revenue0 : null,
        cumulative_revenue_per_customer: cumulative / size,
        complete: c + k < months - 1
      });
    }
  }
  return rows;
}

/** M1 retention per cohort, read off cohortCells' month-1 cells (cohorts without one are left out). */
export function m1Rows(cells: readonly CohortCellRow[]): M1Row[] {
  return cells
    .filter((d) => d.months_since_first === 1)
    .map((d) => ({cohort: d.cohort, cohort_size: d.cohort_size, m1_customers: d.active_customers, m1_retention: d.retention}));
}
