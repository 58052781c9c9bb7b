/**
 * The exploration pages' charts from the derived cells (derived.ts, `cells.arrow`), in plain TypeScript over
 * typed arrays: no DuckDB, so a page draws as soon as the file is read, and a filter change is a loop over
 * the cells (a few milliseconds on the demo's 150,000).
 *
 * Each function returns exactly the rows of its SQL twin on the transactions (dailyTotals in daily.ts,
 * salesByRegion / salesByProvince / areaByMonth in regions.ts, filterChoices in choices.ts): sums are of
 * whole millionths (exact in a double below 2^53), distinct customers and orders are counted by key.
 * tests/lib/explore/cellTable.test.ts checks the equality against the SQL on the transactions.
 */
import type {Table, Vector} from "apache-arrow";
import {LIST_FILTERS, MICROS, type FilterChoiceValues, type Filters, type ListFilter} from "../sql/filters.js";
import {checkIsoDay, dayNumber, isoDay} from "../time.js";
import type {CellsMetadata} from "./derived.js";
import {CELL_EXTRAS} from "./cells.js";

/** The columns the cells are split by: the filter columns, and those of CELL_EXTRAS (cells.ts). */
export type CellDimension = ListFilter | (typeof CELL_EXTRAS)[number];
import type {DayTotal} from "./daily.js";
import {daysInRange, dailySalesFromDays, salesByPeriodFromDays, weekdayHeatmapFromDays, yearOverYearFromDays, type SalesCharts} from "./daily.js";
import type {Grain} from "./sales.js";
import type {AreaColumn, AreaMonthRow, ProvinceRow, RegionRow} from "./regions.js";

/** A dictionary column: one code per cell into `labels` (-1 for null). */
export interface CodedColumn {
  codes: Int8Array | Int16Array | Int32Array;
  labels: string[];
}

/** The cells, column by column. */
export interface CellTable extends CellsMetadata {
  length: number;
  /** Days since 1970-01-01. */
  day: Int32Array;
  /** The filter columns, and partner and offer_type (CELL_EXTRAS), those the data has. */
  dims: Partial<Record<CellDimension, CodedColumn>>;
  /** Customer key, 1..customerKeys; 0 for a missing customer. */
  customer: Int32Array;
  /** Order key (cells split by order), -1 for a missing order id; null when the cells are not split by order. */
  order: Int32Array | null;
  transactions: Int32Array;
  /** Millionths. */
  revenue: Float64Array;
}

/** A dictionary vector as codes into its distinct labels (-1 for null); the keys themselves when they already are such codes. */
export function codedColumn(vector: Vector): CodedColumn {
  // One chunk without nulls and a dictionary without repeats (as derived.ts writes them): the keys are the codes.
  if (vector.data.length === 1 && vector.data[0].nullCount === 0) {
    const labels = vector.data[0].dictionary!.toArray() as string[];
    const keys = vector.data[0].values;
    if (new Set(labels).size === labels.length && (keys instanceof Int8Array || keys instanceof Int16Array || keys instanceof Int32Array)) return {codes: keys, labels};
  }
  const labels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    const dictionary = data.dictionary!.toArray() as string[];
    const map = dictionary.map((label) => {
      let code = index.get(label);
      if (code === undefined) index.set(label, (code = labels.push(label) - 1));
      return code;
    });
    const keys = data.values as ArrayLike<number>;
    const nulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) codes[offset + i] = nulls && !data.getValid(i) ? -1 : map[keys[i]];
    offset += data.length;
  }
  return {codes, labels};
}

/** An integer column (Int8, Int16 or Int32) as Int32, nulls as `missing`. */
function intColumn(vector: Vector, missing: number): Int32Array {
  if (vector.data.length === 1 && vector.data[0].nullCount === 0 && vector.data[0].values instanceof Int32Array) return vector.data[0].values;
  const out = new Int32Array(vector.length);
  let offset = 0;
  for (const data of vector.data) {
    const values = data.values as Int8Array | Int16Array | Int32Array;
    const nulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) out[offset + i] = nulls && !data.getValid(i) ? missing : values[i];
    offset += data.length;
  }
  return out;
}

/** The cells of an Arrow table made by exploreCellsTable (derived.ts). */
export function cellTable(table: Table): CellTable {
  const raw = table.schema.metadata.get("clv");
  if (!raw) throw new Error("these cells carry no metadata: they were not made by exploreCellsTable");
  const metadata = JSON.parse(raw) as CellsMetadata;
  const dims: Partial<Record<CellDimension, CodedColumn>> = {};
  for (const key of [...LIST_FILTERS, ...CELL_EXTRAS]) {
    const vector = table.getChild(key);
    if (vector) dims[key] = codedColumn(vector);
  }
  const order = table.getChild("order");
  return {
    ...metadata,
    length: table.numRows,
    day: intColumn(table.getChild("day")!, 0),
    dims,
    customer: intColumn(table.getChild("customer")!, 0),
    order: order ? intColumn(order, -1) : null,
    transactions: intColumn(table.getChild("transactions")!, 0),
    revenue: table.getChild("revenue")!.toArray() as Float64Array
  };
}

/** What filterChoices gives on the transactions: each list column's values (when more than one), the span. */
export function cellChoices(cells: CellTable): FilterChoiceValues {
  const values: FilterChoiceValues["values"] = {};
  for (const key of LIST_FILTERS) {
    const column = cells.dims[key];
    if (!column) continue;
    const present = new Uint8Array(column.labels.length);
    for (let i = 0; i < column.codes.length; i++) if (column.codes[i] >= 0) present[column.codes[i]] = 1;
    const labels = column.labels.filter((_, i) => present[i]).sort(byCodePoint);
    if (labels.length > 1) values[key] = labels;
  }
  return {values, first: cells.first as string, last: cells.last as string};
}

/** Sorts as DuckDB sorts VARCHAR: by code point. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** A coded column's test for a list filter: a row passes when its code's flag in `allowed` is 1. */
export interface ListFilterTest {
  codes: ArrayLike<number>;
  allowed: Uint8Array;
}

/** The tests of the list filters set in `filters` on the coded columns that hold them (a filter on a column the table has not is ignored). */
export function listFilterTests(dims: Partial<Record<ListFilter, {codes: ArrayLike<number>; labels: string[]}>>, filters: Filters | null | undefined): ListFilterTest[] {
  const tests: ListFilterTest[] = [];
  for (const key of LIST_FILTERS) {
    const values = filters?.[key];
    const column = dims[key];
    if (!values || values.length === 0 || !column) continue;
    if (!Array.isArray(values)) throw new Error(`filter ${key} must be a list of strings, got ${JSON.stringify(values)}`);
    const wanted = new Set(values);
    tests.push({codes: column.codes, allowed: Uint8Array.from(column.labels, (label) => (wanted.has(label) ? 1 : 0))});
  }
  return tests;
}

/**
 * The cells the filters select, as indices. `dates: false` leaves the from/to range out. A list filter on a
 * column the cells lack is ignored, an empty list is no filter, and null never matches (as in SQL).
 */
export function selectCells(cells: CellTable, filters: Filters | null | undefined, {dates = true}: {dates?: boolean} = {}): Int32Array {
  const from = dates && filters?.from ? dayNumber(checkIsoDay(filters.from, "from")) : -Infinity;
  const to = dates && filters?.to ? dayNumber(checkIsoDay(filters.to, "to")) : Infinity;
  const tests = listFilterTests(cells.dims, filters);
  const out = new Int32Array(cells.length);
  let n = 0;
  const day = cells.day;
  outer: for (let i = 0; i < cells.length; i++) {
    const d = day[i];
    if (d < from || d > to) continue;
    for (let t = 0; t < tests.length; t++) {
      const {codes, allowed} = tests[t];
      const code = codes[i];
      if (code < 0 || !allowed[code]) continue outer;
    }
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/**
 * The same cells in customer order (a stable counting sort by customer key: a customer's cells keep their
 * order), made once per cells table and remembered. The built cells are sorted by day, so a customer's cells
 * lie all over the table and every per-customer figure (favourites, distinct customers per partner) reads
 * and writes at random in columns of a million: on the 1.6M-order build that was most of a Partners filter
 * change. Over this copy a customer's selected cells are neighbours, read in order. Already sorted cells are
 * returned as they are. Every figure here is independent of the cells' order (tests/lib/explore/cellTable.test.ts
 * checks them on shuffled cells), so the copy gives the same rows.
 */
export function cellsByCustomer(cells: CellTable): CellTable {
  let ordered = byCustomer.get(cells);
  if (!ordered) byCustomer.set(cells, (ordered = sortByCustomer(cells)));
  return ordered;
}
const byCustomer = new WeakMap<CellTable, CellTable>();

function sortByCustomer(cells: CellTable): CellTable {
  const {customer, length: n} = cells;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (customer[i] < customer[i - 1]) sorted = false;
  if (sorted) return cells;
  let keys = cells.customerKeys;
  for (let i = 0; i < n; i++) if (customer[i] > keys) keys = customer[i]; // keys beyond the metadata's, if any
  const next = new Int32Array(keys + 2);
  for (let i = 0; i < n; i++) next[customer[i] + 1]++;
  for (let c = 0; c <= keys; c++) next[c + 1] += next[c];
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[next[customer[i]]++] = i;
  const take = <T extends Int8Array | Int16Array | Int32Array | Float64Array>(values: T): T => {
    const out = new (values.constructor as new (length: number) => T)(n);
    for (let j = 0; j < n; j++) out[j] = values[perm[j]];
    return out;
  };
  const dims: CellTable["dims"] = {};
  for (const [key, column] of Object.entries(cells.dims) as [CellDimension, CodedColumn][]) dims[key] = {codes: take(column.codes), labels: column.labels};
  return {...cells, dims, day: take(cells.day), customer: take(customer), order: cells.order && take(cells.order), transactions: take(cells.transactions), revenue: take(cells.revenue)};
}

/** Counts transactions (orders when split by order: distinct order keys, plus cells without one). */
export class TransactionCounter {
  private seen: Set<number> | null;
  count = 0;
  constructor(private cells: CellTable) {
    this.seen = cells.order ? new Set() : null;
  }
  add(i: number): void {
    const order = this.cells.order;
    if (!order) this.count += this.cells.transactions[i];
    else if (order[i] < 0) this.count += this.cells.transactions[i];
    else if (!this.seen!.has(order[i])) this.seen!.add(order[i]), this.count++;
  }
}

/** A set of customer keys as a bitmap. */
export class CustomerCounter {
  private bits: Uint32Array;
  count = 0;
  constructor(keys: number) {
    this.bits = new Uint32Array((keys >> 5) + 1);
  }
  add(key: number): void {
    if (key <= 0) return;
    const word = key >> 5, bit = 1 << (key & 31);
    if (!(this.bits[word] & bit)) (this.bits[word] |= bit), this.count++;
  }
}

const EXACT = Number.MAX_SAFE_INTEGER;

/** The span dailyTotals covers: the data's days clipped to the from/to filter (null when empty). */
function span(cells: CellTable, filters: Filters | null | undefined): [number, number] | null {
  if (!cells.first || !cells.last) return null;
  let first = dayNumber(cells.first), last = dayNumber(cells.last);
  if (filters?.from) first = Math.max(first, dayNumber(checkIsoDay(filters.from, "from")));
  if (filters?.to) last = Math.min(last, dayNumber(checkIsoDay(filters.to, "to")));
  return first <= last ? [first, last] : null;
}

/** Same rows as dailyTotals (daily.ts) on the transactions with these filters. */
export function cellDailyTotals(cells: CellTable, filters: Filters | null | undefined = {}): DayTotal[] {
  const range = span(cells, filters);
  if (!range) return [];
  const [first, last] = range;
  const n = last - first + 1;
  const revenue = new Float64Array(n);
  const counts = new Float64Array(n);
  const orders = cells.order ? new Map<number, Set<number>>() : null;
  const chosen = selectCells(cells, filters);
  for (let s = 0; s < chosen.length; s++) {
    const i = chosen[s];
    const d = cells.day[i] - first;
    revenue[d] += cells.revenue[i];
    if (orders && cells.order![i] >= 0) {
      let set = orders.get(d);
      if (!set) orders.set(d, (set = new Set()));
      set.add(cells.order![i]);
    } else counts[d] += cells.transactions[i];
  }
  if (orders) for (const [d, set] of orders) counts[d] += set.size;
  const rows: DayTotal[] = new Array(n);
  let total = 0;
  for (let d = 0; d < n; d++) {
    total += Math.abs(revenue[d]);
    rows[d] = {date: isoDay(first + d), transactions: counts[d], revenue_micros: revenue[d]};
  }
  if (!(total <= EXACT)) throw new RangeError("revenue too large to add up exactly in a double");
  return rows;
}

/** Same as salesCharts (daily.ts) on the transactions: the time series without the date range, the rest with it. */
export function cellSalesCharts(cells: CellTable, {filters = {}, grain = "day"}: {filters?: Filters | null; grain?: Grain} = {}): SalesCharts {
  if (!["day", "week", "month"].includes(grain)) throw new Error(`grain must be day, week or month, got ${JSON.stringify(grain)}`);
  const f = filters ?? {};
  return salesChartsFromDays(cellDailyTotals(cells, {...f, from: null, to: null}), {filters: f, grain});
}

/**
 * The sales page's time charts from the whole period's days under the list filters (cellDailyTotals without
 * the date range): the series by `grain`, the heatmap and year over year over the date range of `filters`.
 */
export function salesChartsFromDays(days: readonly DayTotal[], {filters = {}, grain = "day"}: {filters?: Filters | null; grain?: Grain} = {}): SalesCharts {
  if (!["day", "week", "month"].includes(grain)) throw new Error(`grain must be day, week or month, got ${JSON.stringify(grain)}`);
  const range = daysInRange(days, filters ?? {});
  return {
    series: grain === "day" ? dailySalesFromDays(days) : salesByPeriodFromDays(days, grain),
    heatmap: weekdayHeatmapFromDays(range),
    yearOverYear: yearOverYearFromDays(range, "month")
  };
}

interface Group {
  area: string | null;
  transactions: TransactionCounter;
  customers: CustomerCounter | null;
  revenue: number;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Same rows as salesByRegion / salesByProvince (regions.ts) on the transactions; [] without the column. */
export function cellSalesByArea<C extends AreaColumn>(cells: CellTable, {column, filters}: {column: C; filters?: Filters | null}): C extends "region" ? RegionRow[] : ProvinceRow[] {
  type Out = C extends "region" ? RegionRow[] : ProvinceRow[];
  const dim = cells.dims[column];
  if (!dim) return [] as unknown as Out;
  const groups = new Map<number, Group>();
  const chosen = selectCells(cells, filters);
  for (let s = 0; s < chosen.length; s++) {
    const i = chosen[s];
    const code = dim.codes[i];
    let g = groups.get(code);
    if (!g) groups.set(code, (g = {area: code < 0 ? null : dim.labels[code], transactions: new TransactionCounter(cells), customers: new CustomerCounter(cells.customerKeys), revenue: 0}));
    g.transactions.add(i);
    g.customers!.add(cells.customer[i]);
    g.revenue += cells.revenue[i];
  }
  const list = [...groups.values()];
  const totalT = list.reduce((s, g) => s + g.transactions.count, 0);
  const totalR = list.reduce((s, g) => s + g.revenue, 0);
  list.sort((a, b) => b.revenue - a.revenue || (a.area === null ? 1 : b.area === null ? -1 : byCodePoint(a.area, b.area)));
  return list.map((g) => ({
    [column]: g.area,
    transactions: g.transactions.count,
    revenue: g.revenue / MICROS,
    customers: g.customers!.count,
    transaction_share: ratio(g.transactions.count, totalT),
    revenue_share: ratio(g.revenue, totalR)
  })) as unknown as Out;
}

/**
 * Same rows as areaByMonth (regions.ts) on the transactions; [] without the column. With `customers: false`
 * customers are null (as on cells without a customer key), which saves a set of customers per month and area.
 */
export function cellAreaByMonth(
  cells: CellTable,
  {column = "region", filters, customers = true}: {column?: AreaColumn; filters?: Filters | null; customers?: boolean} = {}
): AreaMonthRow[] {
  const dim = cells.dims[column];
  if (!dim) return [];
  const range = span(cells, filters);
  const months: string[] = [];
  if (range) {
    for (let d = range[0]; d <= range[1]; d++) {
      const month = isoDay(d).slice(0, 7);
      if (months.at(-1) !== month) months.push(month);
    }
  }
  // The month (index in `months`) of each day of the span.
  const monthOf = new Int32Array(range ? range[1] - range[0] + 1 : 0);
  if (range) for (let d = range[0], m = -1, last = ""; d <= range[1]; d++) {
    const month = isoDay(d).slice(0, 7);
    if (month !== last) (last = month), m++;
    monthOf[d - range[0]] = m;
  }
  // A group per month and area, keyed by a number (a string per cell was 50 MB of garbage at 1M orders).
  const width = dim.labels.length + 1;
  const groupKey = (m: number, code: number) => m * width + code + 1;
  const groups = new Map<number, Group>();
  const areas = new Map<number, string | null>();
  const chosen = selectCells(cells, filters);
  for (let s = 0; s < chosen.length; s++) {
    const i = chosen[s];
    const code = dim.codes[i];
    areas.set(code, code < 0 ? null : dim.labels[code]);
    const m = monthOf[cells.day[i] - range![0]];
    const key = groupKey(m, code);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = {area: null, transactions: new TransactionCounter(cells), customers: customers ? new CustomerCounter(cells.customerKeys) : null, revenue: 0}));
    g.transactions.add(i);
    g.customers?.add(cells.customer[i]);
    g.revenue += cells.revenue[i];
  }
  const sorted = [...areas.entries()].sort(([, a], [, b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : byCodePoint(a, b)));
  const rows: AreaMonthRow[] = [];
  months.forEach((month, m) => {
    let total = 0;
    for (const [code] of sorted) total += groups.get(groupKey(m, code))?.revenue ?? 0;
    for (const [code, area] of sorted) {
      const g = groups.get(groupKey(m, code));
      const revenue = g?.revenue ?? 0;
      rows.push({
        month,
        date: `${month}-01`,
        area,
        transactions: g?.transactions.count ?? 0,
        revenue: revenue / MICROS,
        customers: customers ? (g?.customers!.count ?? 0) : null,
        revenue_share: ratio(revenue, total)
      });
    }
  });
  return rows;
}

/** Totals over all the data, as the overview page shows them. */
export interface CellTotals {
  /** Distinct customers. */
  customers: number;
  /** Transactions: orders when the data has order ids (see transactionUnit), rows otherwise. */
  transactions: number;
  rows: number;
  revenue: number;
}

/**
 * The data's totals from its cells: the same numbers as COUNT(DISTINCT customer_id), transactionCountSql,
 * COUNT(*) and the sum of the amounts in millionths on the transactions.
 */
export function cellTotals(cells: CellTable): CellTotals {
  const counter = new TransactionCounter(cells);
  let rows = 0, revenue = 0;
  for (let i = 0; i < cells.length; i++) {
    counter.add(i);
    rows += cells.transactions[i];
    revenue += cells.revenue[i];
  }
  return {customers: cells.customerKeys, transactions: counter.count, rows, revenue: revenue / MICROS};
}
