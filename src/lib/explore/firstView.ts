/**
 * What each exploration page draws first, computed once from the cells (cellTable.ts) with the page's default
 * inputs (no filter, the default grain, measure and number of partners), so that the page opens on a small
 * JSON file (the `explore-<page>-view.json` members of the derived archive, derived.ts) instead of waiting for
 * the whole cells table. The page reads the full table after its first paint, for the filters and inputs,
 * and then computes its figures with the same functions below: there is one implementation of each figure.
 *
 * tests/lib/explore/firstView.test.ts checks every view, as written by the loader and read back from JSON,
 * against the page's own computation over the full table.
 */
import {hasFilters, type FilterChoiceValues, type Filters} from "../sql/filters.js";
import {dayNumber, isoDay} from "../time.js";
import type {DayTotal, SalesCharts} from "./daily.js";
import type {Grain} from "./sales.js";
import type {AreaMonthRow, ProvinceRow, RegionRow} from "./regions.js";
import type {CohortCellRow, M1Row} from "./cohorts.js";
import type {PartnerMonthRow, TopPartnerRow} from "./partners.js";
import {cellAreaByMonth, cellChoices, cellDailyTotals, cellSalesByArea, salesChartsFromDays, cellTotals, type CellTable, type CellTotals} from "./cellTable.js";
import {cellCohortFigures} from "./cellCohorts.js";
import {cellPartnerMonthly, cellTopPartners} from "./cellPartners.js";

/** The pages with a first view, as named in their member (`explore-sales-view.json`). */
export const EXPLORE_PAGES = ["overview", "sales", "regions", "cohorts", "partners"] as const;
export type ExplorePage = (typeof EXPLORE_PAGES)[number];

/** The member of the derived archive holding a page's first view. */
export const exploreViewMember = (page: ExplorePage) => `explore-${page}-view.json`;

/** The default inputs the first views are computed with (the pages' own defaults). */
export const VIEW_DEFAULTS = {grain: "day" as Grain, partners: 10};

/** What every page reads from the cells before drawing: the columns of the data and the filter bar's choices. */
export interface ViewBase {
  columns: string[];
  choices: FilterChoiceValues;
}

/**
 * Every day of a span (DayTotal rows, one per day from `first`) as two columns: a third of the bytes of the
 * rows in JSON. daysOf reads them back.
 */
export interface DayColumns {
  first: string | null;
  transactions: number[];
  revenue_micros: number[];
}

export function dayColumns(days: readonly DayTotal[]): DayColumns {
  return {first: days[0]?.date ?? null, transactions: days.map((d) => d.transactions), revenue_micros: days.map((d) => d.revenue_micros)};
}

export function daysOf({first, transactions, revenue_micros}: DayColumns): DayTotal[] {
  if (first === null) return [];
  const start = dayNumber(first);
  return transactions.map((count, i) => ({date: isoDay(start + i), transactions: count, revenue_micros: revenue_micros[i]}));
}

/** The overview page (no filters): the totals, and every day of the data (overviewDaily gives its revenue). */
export interface OverviewFigures {
  summary: CellTotals & {first_date: string | null; last_date: string | null};
  days: DayColumns;
}

export function overviewFigures(cells: CellTable): OverviewFigures {
  return {summary: {...cellTotals(cells), first_date: cells.first, last_date: cells.last}, days: dayColumns(cellDailyTotals(cells))};
}

/** The overview's daily revenue in currency units, every day of the span. */
export function overviewDaily(days: readonly DayTotal[]): {date: string; value: number}[] {
  return days.map((day) => ({date: day.date, value: day.revenue_micros / 1e6}));
}

/**
 * The days the sales page's time charts are made of: the whole period under the list filters (the date range
 * applies later, in salesChartsFromDays). The first view holds them with no list filter, so that the grain
 * and the date range change the charts without the cells.
 */
export function salesDays(cells: CellTable, filters?: Filters | null): DayTotal[] {
  return cellDailyTotals(cells, {...(filters ?? {}), from: null, to: null});
}

/** The sales page's time charts (cellSalesCharts, in two steps: salesDays, then salesChartsFromDays). */
export function salesCharts(cells: CellTable, {filters, grain}: {filters?: Filters | null; grain: Grain}): SalesCharts {
  return salesChartsFromDays(salesDays(cells, filters), {filters, grain});
}

export function salesRegions(cells: CellTable, filters?: Filters | null): RegionRow[] | null {
  return cells.columns.includes("region") ? cellSalesByArea(cells, {column: "region", filters}) : null;
}

/** The regions page: provinces and regions (empty when the data lacks the column). */
export function regionsAreas(cells: CellTable, filters?: Filters | null): {provinces: ProvinceRow[]; regions: RegionRow[]} {
  return {
    provinces: cells.columns.includes("province") ? cellSalesByArea(cells, {column: "province", filters}) : [],
    regions: cells.columns.includes("region") ? cellSalesByArea(cells, {column: "region", filters}) : []
  };
}

/** The regions page's month-by-month trend (no customer counts: the chart shows none). */
export function regionsMonthly(cells: CellTable, filters?: Filters | null): AreaMonthRow[] {
  return cells.columns.includes("region") ? cellAreaByMonth(cells, {filters, column: "region", customers: false}) : [];
}

/** The cohorts page: the matrix and the M1 retention. */
export function cohortFigures(cells: CellTable, filters?: Filters | null): {matrix: CohortCellRow[]; m1: M1Row[]} {
  return cellCohortFigures(cells, filters);
}

/** The partners page: the top `n` partners and their months (empty when the data has no partner). */
export function partnerFigures(cells: CellTable, {filters, n}: {filters?: Filters | null; n: number}): {top: TopPartnerRow[]; monthly: PartnerMonthRow[]} {
  if (!cells.columns.includes("partner")) return {top: [], monthly: []};
  return {top: cellTopPartners(cells, {filters, n}), monthly: cellPartnerMonthly(cells, {filters, n})};
}

export interface ExploreViews {
  overview: OverviewFigures & {columns: string[]};
  sales: ViewBase & {days: DayColumns; regions: RegionRow[] | null};
  regions: ViewBase & ReturnType<typeof regionsAreas> & {monthly: AreaMonthRow[]};
  cohorts: ViewBase & ReturnType<typeof cohortFigures>;
  partners: ViewBase & ReturnType<typeof partnerFigures>;
}

/** A page's first view: its figures at the default inputs, with no filter. */
export function exploreView<P extends ExplorePage>(cells: CellTable, page: P): ExploreViews[P] {
  const base = (): ViewBase => ({columns: cells.columns, choices: cellChoices(cells)});
  const views: {[K in ExplorePage]: () => ExploreViews[K]} = {
    overview: () => ({columns: cells.columns, ...overviewFigures(cells)}),
    sales: () => ({...base(), days: dayColumns(salesDays(cells)), regions: salesRegions(cells)}),
    regions: () => ({...base(), ...regionsAreas(cells), monthly: regionsMonthly(cells)}),
    cohorts: () => ({...base(), ...cohortFigures(cells)}),
    partners: () => ({...base(), ...partnerFigures(cells, {n: VIEW_DEFAULTS.partners})})
  };
  return views[page]();
}

/** Whether the sales page's first-view days serve these filters: no list filter (any date range, any grain). */
export function inSalesDays(filters: Filters | null | undefined): boolean {
  return !hasFilters({...(filters ?? {}), from: null, to: null});
}

/** Whether the first view holds a page's figures for these inputs: no filter, and the inputs given are the defaults. */
export function inFirstView(filters: Filters | null | undefined, inputs: {grain?: Grain; partners?: number} = {}): boolean {
  if (hasFilters(filters)) return false;
  if (inputs.grain !== undefined && inputs.grain !== VIEW_DEFAULTS.grain) return false;
  if (inputs.partners !== undefined && inputs.partners !== VIEW_DEFAULTS.partners) return false;
  return true;
}

/**
 * A view as JSON, with each array of rows written column by column (`{"$rows": keys, "columns": [...]}`):
 * a cohort matrix or a monthly trend repeats its keys on every row otherwise, and is several times larger.
 * readViewJson gives back the same values.
 */
export function viewJson(view: unknown): string {
  return JSON.stringify(pack(view));
}

export function readViewJson<T>(text: string): T {
  return unpack(JSON.parse(text)) as T;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function pack(value: unknown): unknown {
  if (Array.isArray(value)) {
    const keys = value.length && isRecord(value[0]) ? Object.keys(value[0]) : null;
    const same = keys && value.every((row) => isRecord(row) && Object.keys(row).length === keys.length && keys.every((k) => k in row && row[k] !== undefined));
    if (keys && same) return {$rows: keys, columns: keys.map((k) => value.map((row) => pack((row as Record<string, unknown>)[k])))};
    return value.map(pack);
  }
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v)]));
  return value;
}

function unpack(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unpack);
  if (isRecord(value)) {
    if (Array.isArray(value.$rows) && Array.isArray(value.columns)) {
      const keys = value.$rows as string[];
      const columns = (value.columns as unknown[][]).map((column) => column.map(unpack));
      const n = columns[0]?.length ?? 0;
      return Array.from({length: n}, (_, i) => Object.fromEntries(keys.map((k, j) => [k, columns[j][i]])));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpack(v)]));
  }
  return value;
}
