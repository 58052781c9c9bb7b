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
import {Table, makeVector, type Vector} from "apache-arrow";
import {LIST_FILTERS, toMicros, type Filters} from "../sql/filters.js";
import {sqlIdentifier} from "../sql/quote.js";
import {labelCodes, readCodes} from "../sql/labels.js";
import {leading, ownsBuffer, queryColumns} from "../sql/slices.js";
import {CELL_CUSTOMERS_PER_RUN, byCustomerRuns} from "../sql/customerRuns.js";
import {codedDictionary} from "../data/arrowColumns.js";
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

/** Integers in the narrowest of Int8, Int16 and Int32 that holds them all (readers take any of the three). */
export function narrowInt(values: Int32Array): Vector {
  let min = 0, max = 0;
  for (let i = 0; i < values.length; i++) (min = values[i] < min ? values[i] : min), (max = values[i] > max ? values[i] : max);
  // Copied by set (from a typed array, no walk through an iterator: an object per value with from).
  const narrowed = (Kind: typeof Int8Array | typeof Int16Array) => {
    const out = new Kind(values.length);
    out.set(values);
    return makeVector(out);
  };
  if (min >= -128 && max <= 127) return narrowed(Int8Array);
  if (min >= -32768 && max <= 32767) return narrowed(Int16Array);
  // A view of part of a larger buffer (a column cut to its rows) is copied: the vector would keep it all.
  return makeVector(ownsBuffer(values) ? values : values.slice());
}

let calls = 0;

/**
 * The cells of the transactions (rfmCellsSql's, grouped the same way) as an Arrow table, their customers
 * numbered as the rows of the summary of every purchase (rfmSummarySql: by customer_id, from 0), sorted by
 * customer then day. The engine numbers the customers and codes the dimensions (sql/labels.ts), groups and
 * sorts, a run of `customersPerRun` customers at a time (sql/customerRuns.ts: runs in customer_id order, so
 * the runs' cells follow each other in the table's order, and the engine's hash table and sort hold one run's
 * rows, not every row: at 5M orders in DuckDB-WASM one query grew its heap by 0.3 GB); the rows cross as
 * integers into columns made once for every cell: on 5M orders, grouping on the strings and mapping 2.5M ids
 * and sorting 5M rows in the page took over a gigabyte. `customers`, when given, is the summary's row count,
 * checked.
 */
export async function rfmCellsTable(
  db: SqlRunner,
  {
    table,
    columns,
    customers,
    customersPerRun = db.customersPerRun === undefined ? undefined : CELL_CUSTOMERS_PER_RUN
  }: {table: string; columns: readonly string[]; customers?: number; customersPerRun?: number}
): Promise<Table> {
  const orderId = columns.includes("order_id");
  const orders = await ordersRepeat(db, {table, columns});
  const dims = LIST_FILTERS.filter((c) => columns.includes(c));
  const source = sqlIdentifier(table);
  // Names of this call's own: a build or page that makes cells again while these are read must not replace them.
  const call = ++calls;
  const kept = `derived_rfm_cells_kept_${call}`;
  const orderKeys = sqlIdentifier(`derived_rfm_cells_orders_${call}`);
  const coded = await labelCodes(db, source, dims, {prefix: "derived_rfm_labels", alias: "t"});
  try {
    await db.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(kept)} AS
SELECT * FROM ${source} WHERE customer_id IS NOT NULL AND order_date IS NOT NULL AND amount IS NOT NULL`);
    // Order keys numbered once over every kept row, so that every run joins the same keys.
    if (orders) {
      await db.query(`CREATE OR REPLACE TABLE ${orderKeys} AS
SELECT order_id, CAST(row_number() OVER (ORDER BY order_id) - 1 AS INTEGER) AS order_key
FROM (SELECT DISTINCT order_id FROM ${sqlIdentifier(kept)} WHERE order_id IS NOT NULL) ids`);
    }
    const [{total}] = await db.query<{total: number}>(`SELECT count(*) AS total FROM ${sqlIdentifier(kept)}`);
    // A cell holds at least one transaction: columns for every kept row hold every cell.
    const capacity = Number(total);
    const customer = new Int32Array(capacity), day = new Int32Array(capacity), rows = new Int32Array(capacity);
    const order = orders ? new Int32Array(capacity) : null;
    const micros = new Float64Array(capacity);
    const codes = dims.map(() => new Int32Array(capacity));
    let length = 0;
    let keys = 0; // customers numbered so far: the next run's first number
    const groups = ["customer", "day", ...dims.map(sqlIdentifier), ...(orders ? ["order_key"] : [])];
    await byCustomerRuns(
      db,
      kept,
      async (run) => {
        const part = await queryColumns(db, `WITH customer_rows AS (
  SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 + ${keys} AS INTEGER) AS customer
  FROM (SELECT DISTINCT customer_id FROM ${sqlIdentifier(run)}) ids
),
tx AS (
  SELECT k.customer, CAST(CAST(t.order_date AS DATE) - DATE '1970-01-01' AS INTEGER) AS day,
    ${[...dims.map((d, i) => `${coded.codes[i]} AS ${sqlIdentifier(d)}`), ...(orders ? ["coalesce(o.order_key, -1) AS order_key"] : [])].map((c) => `${c}, `).join("")}${toMicros("t.amount")} AS micros
  FROM ${sqlIdentifier(run)} t JOIN customer_rows k ON k.customer_id = t.customer_id ${coded.joins.join(" ")}${orders ? ` LEFT JOIN ${orderKeys} o ON o.order_id = t.order_id` : ""}
)
SELECT ${groups.join(", ")}, CAST(count(*) AS INTEGER) AS rows, CAST(sum(micros) AS BIGINT) AS micros
FROM tx
GROUP BY ${groups.join(", ")}
ORDER BY ${groups.join(", ")}`);
        const m = part.customer?.length ?? 0;
        if (m === 0) return;
        if (length + m > capacity) throw new Error(`the RFM cells came to more than the ${capacity} transactions they group`);
        const numbers = part.customer as ArrayLike<number>;
        customer.set(numbers, length);
        day.set(part.day as ArrayLike<number>, length);
        rows.set(part.rows as ArrayLike<number>, length);
        if (order) order.set(part.order_key as ArrayLike<number>, length);
        const sums = part.micros as ArrayLike<number | bigint>;
        for (let i = 0; i < m; i++) micros[length + i] = Number(sums[i]);
        dims.forEach((d, k) => readCodes(part[d], codes[k], length));
        // Sorted by customer: the run's last cell has its last number.
        keys = Number(numbers[m - 1]) + 1;
        length += m;
      },
      () => undefined,
      customersPerRun
    );
    if (customers !== undefined && keys > customers) throw new Error(`the RFM cells number ${keys} customers, the summary ${customers}`);
    const vectors: Record<string, Vector> = {customer: makeVector(leading(customer, length)), day: narrowInt(day.subarray(0, length))};
    dims.forEach((d, k) => (vectors[d] = codedDictionary(codes[k].subarray(0, length), coded.labels[k])));
    if (order) vectors.order = makeVector(leading(order, length));
    vectors.rows = narrowInt(rows.subarray(0, length));
    vectors.micros = makeVector(leading(micros, length));
    const out = new Table(vectors);
    const metadata: RfmCellsMetadata = {orders, orderId};
    out.schema.metadata.set("clv", JSON.stringify(metadata));
    return out;
  } finally {
    // A failed drop (an engine out of memory) must not hide the query's own error, nor keep the others.
    await db.query(`DROP VIEW IF EXISTS ${sqlIdentifier(kept)}`).catch(() => {});
    await db.query(`DROP TABLE IF EXISTS ${orderKeys}`).catch(() => {});
    await coded.drop().catch(() => {});
  }
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
