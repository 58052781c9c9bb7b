/**
 * Acquisition cohorts from the derived cells (cellTable.ts), in TypeScript: the same rows as cohortMatrix
 * and m1Retention (cohorts.ts) on the transactions, with the same rules for the filters (a customer's cohort
 * is the month of their first purchase in the whole data; the from/to filter is a window on first purchases
 * and purchases; the list filters select customers, who then count with all their purchases in the window).
 * The cells carry each customer's key and day, which is all a cohort needs; revenue stays in millionths
 * until the divisions the SQL makes. tests/lib/explore/cellTable.test.ts checks the equality.
 */
import {checkIsoDay, dayNumber} from "../time.js";
import type {Filters} from "../sql/filters.js";
import {MICROS} from "../sql/filters.js";
import type {CohortCellRow, M1Row} from "./cohorts.js";
import {selectCells, type CellTable} from "./cellTable.js";

/** Months are counted as year * 12 + month index (0–11). */
function monthOfDay(day: number): number {
  const date = new Date(day * 86_400_000);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function monthLabel(month: number): string {
  return `${String(Math.floor(month / 12)).padStart(4, "0")}-${String((month % 12) + 1).padStart(2, "0")}`;
}

/** Day number of the last day of a month. */
function lastDayOfMonth(month: number): number {
  return Date.UTC(Math.floor(month / 12), (month % 12) + 1, 0) / 86_400_000;
}

interface CohortGrid {
  cohort: number;
  size: number;
  /** From the cohort's month to the data's last month: active customers and revenue (millionths) per month. */
  active: number[];
  revenue: number[];
}

function cohortGrid(cells: CellTable, filters: Filters | null | undefined): {grids: CohortGrid[]; lastDay: number} | null {
  if (!cells.first || !cells.last) return null;
  const from = filters?.from ? dayNumber(checkIsoDay(filters.from, "from")) : -Infinity;
  const to = filters?.to ? dayNumber(checkIsoDay(filters.to, "to")) : Infinity;
  const lastDay = Math.min(dayNumber(cells.last), to);
  const first = dayNumber(cells.first);
  // A month per day of the data, looked up rather than computed per cell.
  const months = new Int32Array(dayNumber(cells.last) - first + 1);
  for (let d = 0; d < months.length; d++) months[d] = monthOfDay(first + d);

  const keys = cells.customerKeys;
  const firstDay = new Int32Array(keys + 1).fill(2 ** 31 - 1);
  for (let i = 0; i < cells.length; i++) {
    const c = cells.customer[i];
    if (c > 0 && cells.day[i] < firstDay[c]) firstDay[c] = cells.day[i];
  }
  // Customers found by the list filters among the window's purchases, whose first purchase is in the window.
  const selected = new Uint8Array(keys + 1);
  const chosen = selectCells(cells, filters);
  for (let s = 0; s < chosen.length; s++) {
    const i = chosen[s];
    const c = cells.customer[i];
    if (c > 0 && firstDay[c] >= from && firstDay[c] <= to) selected[c] = 1;
  }
  const lastMonth = monthOfDay(lastDay);
  const byCohort = new Map<number, CohortGrid>();
  for (let c = 1; c <= keys; c++) {
    if (!selected[c]) continue;
    const cohort = months[firstDay[c] - first];
    let grid = byCohort.get(cohort);
    if (!grid) {
      const n = Math.max(0, lastMonth - cohort + 1);
      byCohort.set(cohort, (grid = {cohort, size: 0, active: new Array(n).fill(0), revenue: new Array(n).fill(0)}));
    }
    grid.size++;
  }
  // Activity: the window's purchases of selected customers, whatever their list columns. A customer counts
  // once per month: the cells come in day order (derived.ts sorts them by day first), so a customer's months
  // never go back and the last month counted for each customer is enough; cells in another order take a set
  // of (month, customer) pairs per cohort.
  const window = selectCells(cells, {from: filters?.from ?? null, to: filters?.to ?? null});
  let byDay = true;
  for (let j = 1; j < window.length && byDay; j++) byDay = cells.day[window[j]] >= cells.day[window[j - 1]];
  const counted = byDay ? new Int32Array(keys + 1).fill(-1) : null;
  const seen = byDay ? null : new Map<number, Set<number>>();
  for (let s = 0; s < window.length; s++) {
    const i = window[s];
    const c = cells.customer[i];
    if (c <= 0 || !selected[c]) continue;
    const cohort = months[firstDay[c] - first];
    const grid = byCohort.get(cohort)!;
    const m = months[cells.day[i] - first] - cohort;
    if (m >= grid.revenue.length) continue;
    grid.revenue[m] += cells.revenue[i];
    if (counted) {
      if (counted[c] !== m) (counted[c] = m), grid.active[m]++;
      continue;
    }
    const key = m * (keys + 1) + c;
    let set = seen!.get(cohort);
    if (!set) seen!.set(cohort, (set = new Set()));
    if (!set.has(key)) set.add(key), grid.active[m]++;
  }
  return {grids: [...byCohort.values()].sort((a, b) => a.cohort - b.cohort), lastDay};
}

/** The matrix and the M1 retention from one pass (the cohorts page draws both): as cellCohortMatrix and cellM1Retention. */
export function cellCohortFigures(cells: CellTable, filters: Filters | null | undefined = {}): {matrix: CohortCellRow[]; m1: M1Row[]} {
  const made = cohortGrid(cells, filters);
  return {matrix: matrixRows(made), m1: m1Rows(made)};
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Same rows as cohortMatrix (cohorts.ts) on the transactions with these filters. */
export function cellCohortMatrix(cells: CellTable, filters: Filters | null | undefined = {}): CohortCellRow[] {
  return matrixRows(cohortGrid(cells, filters));
}

function matrixRows(made: ReturnType<typeof cohortGrid>): CohortCellRow[] {
  if (!made) return [];
  const rows: CohortCellRow[] = [];
  for (const g of made.grids) {
    let cumulative = 0;
    g.revenue.forEach((revenue, m) => {
      cumulative += revenue;
      const month = g.cohort + m;
      rows.push({
        cohort: monthLabel(g.cohort),
        months_since_first: m,
        month: monthLabel(month),
        cohort_size: g.size,
        active_customers: g.active[m],
        retention: g.active[m] / g.size,
        revenue: revenue / MICROS,
        revenue_retention: ratio(revenue, g.revenue[0]),
        cumulative_revenue_per_customer: cumulative / (MICROS * g.size),
        complete: made.lastDay >= lastDayOfMonth(month)
      });
    });
  }
  return rows;
}

/** Same rows as m1Retention (cohorts.ts) on the transactions with these filters. */
export function cellM1Retention(cells: CellTable, filters: Filters | null | undefined = {}): M1Row[] {
  return m1Rows(cohortGrid(cells, filters));
}

function m1Rows(made: ReturnType<typeof cohortGrid>): M1Row[] {
  if (!made) return [];
  return made.grids
    .filter((g) => g.revenue.length > 1 && made.lastDay >= lastDayOfMonth(g.cohort + 1))
    .map((g) => ({cohort: monthLabel(g.cohort), cohort_size: g.size, m1_customers: g.active[1], m1_retention: g.active[1] / g.size}));
}
