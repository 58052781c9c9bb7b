/**
 * The partners page from the derived cells (cellTable.ts; the cells are split by partner and offer type too),
 * in TypeScript: the same rows as topPartners, partnerMonthly and favouriteSummary (partners.ts) on the
 * transactions, and each customer's favourite as favourites gives it, keyed by the cells' customer key
 * rather than the customer id (the cells carry no ids; the RFM spread, which needs them, stays in SQL).
 * tests/lib/explore/cellTable.test.ts checks the equality.
 */
import {checkIsoDay, dayNumber, isoDay} from "../time.js";
import {MICROS, type Filters} from "../sql/filters.js";
import {positiveInteger, type FavouriteColumn, type FavouriteRow, type FavouriteSummaryRow, type PartnerMonthRow, type TopPartnerRow} from "./partners.js";
import {byCodePoint, cellsByCustomer, selectCells, TransactionCounter, type CellTable} from "./cellTable.js";
import {favouriteCounts, type FavouriteCount} from "./favourites.js";

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

interface Ranked {
  code: number;
  partner: string;
  rank: number;
  transactions: number;
  revenue: number;
  customers: number;
}

/**
 * Partners ranked by revenue (then by name) over the selected cells, with the selection's totals. The cells
 * are in customer order (cellsByCustomer): a partner's distinct customers are counted as the customer key
 * changes, with no set of customers per partner.
 */
function rankPartners(cells: CellTable, selected: Int32Array): {ranked: Ranked[]; transactions: number; revenue: number} {
  const dim = cells.dims.partner!;
  const width = dim.labels.length;
  const counters: (TransactionCounter | undefined)[] = new Array(width);
  const revenues = new Float64Array(width);
  const customers = new Int32Array(width);
  const lastCustomer = new Int32Array(width).fill(-1);
  const total = new TransactionCounter(cells);
  const {codes} = dim;
  const {customer} = cells;
  let revenue = 0;
  for (let s = 0; s < selected.length; s++) {
    const i = selected[s];
    total.add(i);
    revenue += cells.revenue[i];
    const code = codes[i];
    if (code < 0) continue;
    (counters[code] ??= new TransactionCounter(cells)).add(i);
    revenues[code] += cells.revenue[i];
    const c = customer[i];
    if (c > 0 && lastCustomer[code] !== c) (lastCustomer[code] = c), customers[code]++;
  }
  const ranked: Ranked[] = [];
  counters.forEach((t, code) => t && ranked.push({code, partner: dim.labels[code], rank: 0, transactions: t.count, revenue: revenues[code], customers: customers[code]}));
  ranked.sort((a, b) => b.revenue - a.revenue || byCodePoint(a.partner, b.partner));
  ranked.forEach((r, i) => (r.rank = i + 1));
  return {ranked, transactions: total.count, revenue};
}

/**
 * The page asks for several figures of one selection in a row (top partners, their months, two favourites,
 * their spread): the selected cells (of the cells in customer order, cellsByCustomer), the ranking and each
 * column's picks are kept for the last few filters used on each cell table (SELECTIONS: a cleared filter
 * finds its figures again), and read, never changed, by the functions below.
 */
interface Selection {
  key: string;
  cells: CellTable;
  selected: Int32Array;
  ranked?: ReturnType<typeof rankPartners>;
  picks: Map<FavouriteColumn, Picks | null>;
}
const selections = new WeakMap<CellTable, Selection[]>();
const SELECTIONS = 3;

function selectionOf(cells: CellTable, filters: Filters | null | undefined): Selection {
  const key = JSON.stringify(filters ?? {});
  let recent = selections.get(cells);
  if (!recent) selections.set(cells, (recent = []));
  const at = recent.findIndex((s) => s.key === key);
  let found: Selection;
  if (at >= 0) found = recent.splice(at, 1)[0];
  else {
    const ordered = cellsByCustomer(cells);
    found = {key, cells: ordered, selected: selectCells(ordered, filters).slice(), picks: new Map()}; // a copy of its own length
  }
  recent.push(found); // the last used last
  if (recent.length > SELECTIONS) recent.shift();
  return found;
}

function rankedOf(cells: CellTable, filters: Filters | null | undefined): ReturnType<typeof rankPartners> {
  const found = selectionOf(cells, filters);
  return (found.ranked ??= rankPartners(found.cells, found.selected));
}

function picksOf(cells: CellTable, column: FavouriteColumn, filters: Filters | null | undefined, {detail = false}: {detail?: boolean} = {}): Picks | null {
  const found = selectionOf(cells, filters);
  const known = found.picks.get(column);
  if (known === undefined || (known && detail && !known.detail)) found.picks.set(column, pickFavourites(found.cells, column, found.selected, detail));
  return found.picks.get(column)!;
}

/** Same rows as topPartners (partners.ts) on the transactions; [] without a partner column. */
export function cellTopPartners(cells: CellTable, {filters, n = 10}: {filters?: Filters | null; n?: number} = {}): TopPartnerRow[] {
  positiveInteger(n, "n");
  if (!cells.dims.partner) return [];
  const {ranked, transactions, revenue} = rankedOf(cells, filters);
  return ranked.slice(0, n).map((r) => ({
    rank: r.rank,
    partner: r.partner,
    revenue: r.revenue / MICROS,
    transactions: r.transactions,
    customers: r.customers,
    revenue_share: ratio(r.revenue, revenue),
    transaction_share: ratio(r.transactions, transactions) as number
  }));
}

/** Same rows as partnerMonthly (partners.ts) on the transactions; [] without a partner column. */
export function cellPartnerMonthly(cells: CellTable, {filters, n = 10}: {filters?: Filters | null; n?: number} = {}): PartnerMonthRow[] {
  positiveInteger(n, "n");
  const dim = cells.dims.partner;
  if (!dim || !cells.first || !cells.last) return [];
  const {cells: ordered, selected} = selectionOf(cells, filters);
  const top = rankedOf(cells, filters).ranked.slice(0, n);
  let first = dayNumber(cells.first), last = dayNumber(cells.last);
  if (filters?.from) first = Math.max(first, dayNumber(checkIsoDay(filters.from, "from")));
  if (filters?.to) last = Math.min(last, dayNumber(checkIsoDay(filters.to, "to")));
  if (first > last) return [];
  const months: string[] = [];
  const monthOf = new Int32Array(last - first + 1);
  for (let d = first; d <= last; d++) {
    const month = isoDay(d).slice(0, 7);
    if (months.at(-1) !== month) months.push(month);
    monthOf[d - first] = months.length - 1;
  }
  // The slot of each partner code among the top (-1: not among them); per (month, slot): transactions,
  // revenue and distinct customers, counted as the customer key changes (the cells are in customer order).
  const slot = new Int32Array(dim.labels.length).fill(-1);
  top.forEach((r, i) => (slot[r.code] = i));
  const size = months.length * top.length;
  const counters: (TransactionCounter | undefined)[] = new Array(size);
  const revenues = new Float64Array(size);
  const customers = new Int32Array(size);
  const lastCustomer = new Int32Array(size).fill(-1);
  const {codes} = ordered.dims.partner!; // the labels are the same
  const {customer, day, revenue} = ordered;
  for (let s = 0; s < selected.length; s++) {
    const i = selected[s];
    const code = codes[i];
    const p = code < 0 ? -1 : slot[code];
    if (p < 0) continue;
    const key = monthOf[day[i] - first] * top.length + p;
    (counters[key] ??= new TransactionCounter(ordered)).add(i);
    revenues[key] += revenue[i];
    const c = customer[i];
    if (c > 0 && lastCustomer[key] !== c) (lastCustomer[key] = c), customers[key]++;
  }
  const rows: PartnerMonthRow[] = [];
  months.forEach((month, m) => {
    top.forEach((r, p) => {
      const key = m * top.length + p;
      rows.push({month, date: `${month}-01`, partner: r.partner, rank: r.rank, revenue: revenues[key] / MICROS, transactions: counters[key]?.count ?? 0, customers: customers[key]});
    });
  });
  return rows;
}

/** A customer's favourite as favourites (partners.ts) gives it, keyed by the cells' customer key. */
export interface CellFavourite extends Omit<FavouriteRow, "customer_id"> {
  /** The cells' customer key; 0 stands for the rows without a customer id. */
  customer: number;
}

/** Each customer's favourite code (-1: none); with `detail`, its spend, last day and the customer's distinct values and total. */
interface Picks {
  code: Int32Array;
  detail: {spend: Float64Array; last: Int32Array; distinct: Int32Array; total: Float64Array} | null;
}

/**
 * Each customer's favourite value of `column` in the selection (key 0, no customer, included), or null.
 * The cells are in customer order (cellsByCustomer), so each customer's selected cells are one run of
 * `selected`; the run's values are summed in a scratch array the width of the column's labels: typed arrays
 * read in order (a map of customer × value pairs took seconds on the 1.6M-order build's cells, and grouping
 * the day-ordered cells by customer most of a second). Sums are of whole millionths, exact in any order.
 */
function pickFavourites(cells: CellTable, column: FavouriteColumn, selected: Int32Array, detail: boolean): Picks | null {
  const dim = cells.dims[column];
  if (!dim) return null;
  const keys = cells.customerKeys;
  const {customer, revenue, day} = cells;
  const codes = dim.codes;
  const code = new Int32Array(keys + 1).fill(-1);
  const more = detail ? {spend: new Float64Array(keys + 1), last: new Int32Array(keys + 1), distinct: new Int32Array(keys + 1), total: new Float64Array(keys + 1)} : null;
  const width = dim.labels.length;
  const spend = new Float64Array(width);
  const last = new Int32Array(width);
  const seen = new Uint8Array(width);
  const touched = new Int32Array(width);
  const m = selected.length;
  for (let j = 0; j < m; ) {
    const c = customer[selected[j]];
    let n = 0;
    let total = 0;
    for (; j < m && customer[selected[j]] === c; j++) {
      const i = selected[j], code = codes[i];
      total += revenue[i];
      if (code < 0) continue;
      if (!seen[code]) (seen[code] = 1), (touched[n++] = code), (spend[code] = revenue[i]), (last[code] = day[i]);
      else (spend[code] += revenue[i]), (last[code] = Math.max(last[code], day[i]));
    }
    if (more) more.total[c] = total;
    let best = -1;
    for (let t = 0; t < n; t++) {
      const code = touched[t];
      seen[code] = 0;
      const better =
        best < 0 ||
        spend[code] > spend[best] ||
        (spend[code] === spend[best] && (last[code] > last[best] || (last[code] === last[best] && byCodePoint(dim.labels[code], dim.labels[best]) < 0)));
      if (better) best = code;
    }
    if (best < 0) continue;
    code[c] = best;
    if (more) (more.spend[c] = spend[best]), (more.last[c] = last[best]), (more.distinct[c] = n);
  }
  return {code, detail: more};
}

/**
 * Each customer's favourite partner (or offer type …) in the selection, as favourites (partners.ts) gives it
 * for customers with an id, by customer key; [] without the column.
 */
export function cellFavourites(cells: CellTable, {filters, column = "partner"}: {filters?: Filters | null; column?: FavouriteColumn} = {}): CellFavourite[] {
  const picks = picksOf(cells, column, filters, {detail: true});
  if (!picks) return [];
  const {spend, total, last, distinct} = picks.detail!;
  const labels = cells.dims[column]!.labels;
  const rows: CellFavourite[] = [];
  const days = new Map<number, string>(); // each day's text made once
  const dayText = (d: number) => days.get(d) ?? (days.set(d, isoDay(d)), days.get(d)!);
  for (let c = 1; c < picks.code.length; c++) {
    if (picks.code[c] < 0) continue;
    rows.push({
      customer: c,
      favourite: labels[picks.code[c]],
      spend: spend[c] / MICROS,
      total_spend: total[c] / MICROS,
      share: ratio(spend[c], total[c]),
      last_purchase: dayText(last[c]),
      distinct_values: distinct[c]
    });
  }
  return rows;
}

/**
 * countFavourites (favourites.ts) of cellFavourites, counted over the customers' picks with no row per
 * customer: the favourite bars of the page, redrawn on each filter change ([] without the column).
 */
export function cellFavouriteCounts(cells: CellTable, {filters, column = "partner"}: {filters?: Filters | null; column?: FavouriteColumn} = {}): FavouriteCount[] {
  const picks = picksOf(cells, column, filters);
  if (!picks) return [];
  const labels = cells.dims[column]!.labels;
  const counts = new Float64Array(labels.length);
  // Key 0 (the rows without a customer id) is no customer of cellFavourites either.
  for (let c = 1; c < picks.code.length; c++) if (picks.code[c] >= 0) counts[picks.code[c]]++;
  return favouriteCounts(Array.from(labels, (label, code) => [label, counts[code]] as const));
}

/**
 * Same rows as favouriteSummary (partners.ts) with `by` a column of the data: each customer's favourite
 * `column`, grouped by the customer's own favourite `by` (same rule); [] when a column is missing.
 */
export function cellFavouriteSummary(
  cells: CellTable,
  {filters, column = "partner", by = "region"}: {filters?: Filters | null; column?: FavouriteColumn; by?: FavouriteColumn} = {}
): FavouriteSummaryRow[] {
  const fav = picksOf(cells, column, filters);
  const group = picksOf(cells, by, filters);
  if (!fav || !group) return [];
  const labels = cells.dims[column]!.labels, groupLabels = cells.dims[by]!.labels;
  const counts = new Map<string | null, Map<string, number>>();
  // Key 0 is the rows without a customer id: in SQL they form one customer of their own, whose group is unknown.
  for (let c = 0; c < fav.code.length; c++) {
    if (fav.code[c] < 0) continue;
    const segment = c > 0 && group.code[c] >= 0 ? groupLabels[group.code[c]] : null;
    let inner = counts.get(segment);
    if (!inner) counts.set(segment, (inner = new Map()));
    const favourite = labels[fav.code[c]];
    inner.set(favourite, (inner.get(favourite) ?? 0) + 1);
  }
  const rows: FavouriteSummaryRow[] = [];
  for (const [segment, inner] of counts) {
    let total = 0;
    for (const n of inner.values()) total += n;
    for (const [favourite, customers] of inner) rows.push({segment, favourite, customers, share: customers / total});
  }
  const bySegment = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : byCodePoint(a, b));
  return rows.sort((a, b) => bySegment(a.segment, b.segment) || b.customers - a.customers || byCodePoint(a.favourite, b.favourite));
}
