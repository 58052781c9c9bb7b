/**
 * The RFM page's filters without DuckDB: a build-time table of the purchases per customer, day and filter
 * values (`rfm-cells.arrow`, a member of the derived archive), from which plain TypeScript makes the
 * per-customer summary of summary.ts for any filters (date range, region, province, customer segment,
 * category) and any analysis date, exactly as rfmSummarySql on the selected transactions would.
 *
 * Rows (one per customer × day × filter values, and × order when order ids repeat), sorted by customer then
 * day:
 *   customer  Int32, the row of the customer in `rfm-customers.arrow` (sorted by customer_id)
 *   day       days since 1970-01-01 (Int16 until 2059, else Int32)
 *   region, province, customer_segment, category: dictionaries (those the data has)
 *   order     Int32, a key per distinct order_id (-1: no order id); only when order ids repeat
 *   rows      the transactions of the cell (Int8/Int16/Int32)
 *   micros    Float64, the sum of the amounts rounded to millionths (exact integers)
 * Without repeated order ids every row with an order id is its own order, so the rows count the orders.
 */
import {Dictionary, Int16, Int32, Int8, Table, Utf8, makeVector, vectorFromArray, type Vector} from "apache-arrow";
import {LIST_FILTERS, toMicros, type Filters} from "../sql/filters.js";
import {sqlIdentifier} from "../sql/quote.js";
import {ordersRepeat} from "../explore/cells.js";
import {codedColumn, listFilterTests} from "../explore/cellTable.js";
import {checkIsoDay, dayNumber, isoDay} from "../time.js";
import type {SqlRunner} from "../types.js";
import type {RfmSummary} from "./summary.js";

export const RFM_CELLS = "rfm-cells.arrow";

export interface RfmCellsMetadata {
  /** Whether rows are split by order (order ids repeat). */
  orders: boolean;
  /** Whether the data has an order_id column (transactions then count orders). */
  orderId: boolean;
}

/** The cells, column by column. */
export interface RfmCells extends RfmCellsMetadata {
  length: number;
  customer: Int32Array;
  day: Int32Array;
  /** Dictionary columns: codes (-1 for null) into labels. */
  dims: Partial<Record<(typeof LIST_FILTERS)[number], {codes: ArrayLike<number>; labels: string[]}>>;
  order: Int32Array | null;
  rows: ArrayLike<number>;
  micros: Float64Array;
}

/** SQL for the cells, keyed by customer_id (the loader maps ids to rows of the summary). */
export function rfmCellsSql({table, columns, orders}: {table: string; columns: readonly string[]; orders: boolean}): string {
  const dims = LIST_FILTERS.filter((c) => columns.includes(c)).map(sqlIdentifier);
  const keys = [...dims, ...(orders ? ["order_id"] : [])];
  const groups = ["customer_id", "order_date", ...keys].join(", ");
  return `WITH tx AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(order_date AS DATE) AS order_date, ${keys.map((k) => `${k}, `).join("")}${toMicros("amount")} AS micros
  FROM ${sqlIdentifier(table)}
  WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL
)
SELECT customer_id, CAST(order_date - DATE '1970-01-01' AS INTEGER) AS day, ${dims.map((d) => `${d}, `).join("")}${orders ? "CAST(dense_rank() OVER (ORDER BY order_id) AS INTEGER) - 1 AS order_key, order_id IS NULL AS no_order, " : ""}CAST(count(*) AS INTEGER) AS rows, CAST(sum(micros) AS BIGINT) AS micros
FROM tx
GROUP BY ${groups}`;
}

/** Integers in the narrowest of Int8, Int16 and Int32 that holds them all (readers take any of the three). */
export function narrowInt(values: Int32Array): Vector {
  let min = 0, max = 0;
  for (const v of values) (min = v < min ? v : min), (max = v > max ? v : max);
  if (min >= -128 && max <= 127) return makeVector(Int8Array.from(values));
  if (min >= -32768 && max <= 32767) return makeVector(Int16Array.from(values));
  return makeVector(values);
}

/**
 * The cells of the transactions as an Arrow table, their customers numbered by `ids` (the customer_id column
 * of the summary of every purchase, in its row order).
 */
export async function rfmCellsTable(db: SqlRunner, {table, columns, ids}: {table: string; columns: readonly string[]; ids: ArrayLike<string>}): Promise<Table> {
  const orderId = columns.includes("order_id");
  const orders = await ordersRepeat(db, {table, columns});
  const sql = rfmCellsSql({table, columns, orders});
  // Column by column (explore/derived.ts does the same; imported from there it would close an import cycle).
  let result: Record<string, ArrayLike<unknown>>;
  if (db.queryColumns) result = await db.queryColumns(sql);
  else {
    const found = await db.query<Record<string, unknown>>(sql);
    result = Object.fromEntries(Object.keys(found[0] ?? {}).map((name) => [name, found.map((row) => row[name] ?? null)]));
  }
  const n = (result.customer_id ?? []).length;
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  const customer = new Int32Array(n);
  const cid = result.customer_id as ArrayLike<string>;
  for (let i = 0; i < n; i++) {
    const row = index.get(String(cid[i]));
    if (row === undefined) throw new Error(`customer ${JSON.stringify(cid[i])} has purchases but no row in the RFM summary`);
    customer[i] = row;
  }
  const day = Int32Array.from(result.day as ArrayLike<number>);
  // Sorted by customer, then day (the page counts distinct days and orders in one pass).
  const perm = Int32Array.from({length: n}, (_, i) => i).sort((a, b) => customer[a] - customer[b] || day[a] - day[b]);
  const take = <T>(values: ArrayLike<T>): T[] => Array.from(perm, (i) => values[i]);
  const vectors: Record<string, Vector> = {
    customer: makeVector(Int32Array.from(perm, (i) => customer[i])),
    day: narrowInt(Int32Array.from(perm, (i) => day[i]))
  };
  for (const d of LIST_FILTERS) {
    if (!columns.includes(d)) continue;
    const values = take(result[d] as ArrayLike<string | null>).map((v) => (v == null ? null : String(v)));
    const distinct = new Set(values).size;
    vectors[d] = vectorFromArray(values, new Dictionary(new Utf8(), distinct <= 127 ? new Int8() : distinct <= 32767 ? new Int16() : new Int32()));
  }
  if (orders) {
    const keys = result.order_key as ArrayLike<number>;
    const none = result.no_order as ArrayLike<boolean>;
    vectors.order = makeVector(Int32Array.from(perm, (i) => (none[i] ? -1 : Number(keys[i]))));
  }
  vectors.rows = narrowInt(Int32Array.from(perm, (i) => Number((result.rows as ArrayLike<number>)[i])));
  vectors.micros = makeVector(Float64Array.from(perm, (i) => Number((result.micros as ArrayLike<number | bigint>)[i])));
  const out = new Table(vectors);
  const metadata: RfmCellsMetadata = {orders, orderId};
  out.schema.metadata.set("clv", JSON.stringify(metadata));
  return out;
}

/** The cells read back from their Arrow table (in the page: the archive member). */
export function rfmCellsFromTable(table: Table): RfmCells {
  const metadata = JSON.parse(table.schema.metadata.get("clv") ?? "null") as RfmCellsMetadata | null;
  if (!metadata) throw new Error("the RFM cells have no metadata");
  const int32 = (name: string): Int32Array => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`the RFM cells have no column ${name}`);
    const values = vector.toArray() as ArrayLike<number>;
    return values instanceof Int32Array ? values : Int32Array.from(values);
  };
  const dims: RfmCells["dims"] = {};
  for (const key of LIST_FILTERS) {
    const vector = table.getChild(key);
    if (!vector) continue;
    dims[key] = codedColumn(vector);
  }
  return {
    ...metadata,
    length: table.numRows,
    customer: int32("customer"),
    day: int32("day"),
    dims,
    order: metadata.orders ? int32("order") : null,
    rows: table.getChild("rows")!.toArray() as ArrayLike<number>,
    micros: table.getChild("micros")!.toArray() as Float64Array
  };
}

export interface CellsSelection {
  /** Transactions (orders when there are order ids), customers, first and last purchase of the selection. */
  transactions: number;
  customers: number;
  first: string | null;
  last: string | null;
}

/**
 * The per-customer summary (summary.ts, rows in the order of `ids`) of the transactions that pass the
 * filters and fall before `before` (YYYY-MM-DD; default: all), with the selection's size, in one pass.
 * A list filter on a column the cells lack is ignored, an empty list is no filter, null never matches.
 */
export function summaryFromCells(cells: RfmCells, ids: ArrayLike<string>, filters: Filters | null | undefined, {before}: {before?: string | null} = {}): {summary: RfmSummary; selection: CellsSelection} {
  const from = filters?.from ? dayNumber(checkIsoDay(filters.from, "from")) : -Infinity;
  let to = filters?.to ? dayNumber(checkIsoDay(filters.to, "to")) : Infinity;
  if (before) to = Math.min(to, dayNumber(checkIsoDay(before, "before")) - 1);
  const tests = listFilterTests(cells.dims, filters);
  const {customer, day, order, rows, micros} = cells;
  const customers = ids.length;
  // The cells are sorted by customer, then day: a customer's selected cells are one run, summed in locals and
  // written out at the run's end, in customer order (no column per customer to fill at random, then pick from).
  const rowOf = new Int32Array(customers), first = new Int32Array(customers), last = new Int32Array(customers), orders = new Int32Array(customers), days = new Int32Array(customers);
  const money = new Float64Array(customers);
  let orderKeys = 0;
  if (order) for (let i = 0; i < order.length; i++) if (order[i] >= orderKeys) orderKeys = order[i] + 1;
  const stamp = order ? new Int32Array(orderKeys).fill(-1) : null; // the last customer that counted the order
  const seen = order ? new Uint8Array(orderKeys) : null; // orders counted in the selection
  let transactions = 0, selected = 0, minDay = Infinity, maxDay = -Infinity;
  let c = -1, j = -1; // the current run's customer and output row
  // The tests as plain arrays read by index (a destructuring for…of per cell cost a third of the pass).
  const testCodes = tests.map((test) => test.codes), testAllowed = tests.map((test) => test.allowed), nTests = tests.length;
  outer: for (let i = 0; i < cells.length; i++) {
    const d = day[i];
    if (d < from || d > to) continue;
    for (let t = 0; t < nTests; t++) {
      const code = testCodes[t][i];
      if (code < 0 || !testAllowed[t][code]) continue outer;
    }
    if (customer[i] !== c) {
      if (customer[i] < c) throw new Error("the RFM cells are not sorted by customer");
      c = customer[i];
      j = selected++;
      rowOf[j] = c;
      first[j] = d;
      days[j] = 1;
    } else if (d !== last[j]) {
      days[j]++; // rows are sorted by day within a customer
    }
    last[j] = d;
    money[j] += micros[i];
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    const key = order ? order[i] : -1;
    if (key < 0) {
      orders[j] += rows[i];
      transactions += rows[i];
    } else {
      if (stamp![key] !== c) (stamp![key] = c), orders[j]++;
      if (!seen![key]) (seen![key] = 1), transactions++;
    }
  }
  const customerIds = new Array<string>(selected);
  for (let k = 0; k < selected; k++) customerIds[k] = ids[rowOf[k]];
  return {
    summary: {
      customer_id: customerIds,
      first_day: first.slice(0, selected),
      last_day: last.slice(0, selected),
      orders: orders.slice(0, selected),
      days: days.slice(0, selected),
      micros: money.slice(0, selected)
    },
    selection: {transactions, customers: selected, first: selected ? isoDay(minDay) : null, last: selected ? isoDay(maxDay) : null}
  };
}


/**
 * Whether cutting a selection at `before` (YYYY-MM-DD, exclusive; null: no cut) leaves every one of its
 * purchases in: then summaryFromCells with that `before` gives exactly the summary without it, and the page
 * reuses the one it already has (a filter change scores the selection at the day after its last purchase).
 */
export function cutChangesNothing(selection: Pick<CellsSelection, "last">, before: string | null | undefined): boolean {
  if (before == null || selection.last === null) return true;
  return dayNumber(checkIsoDay(before, "before")) > dayNumber(selection.last);
}
