/**
 * The RFM page's derived tables (members of the `derived` archive, src/lib/explore/derived.ts): the
 * per-customer summary of summary.ts over every transaction (the page's default analysis date, the day after
 * the last order, and any later date), and the same summary before the default earlier date of the
 * segment-movement chart (182 days before). Arrow IPC: the page reads the columns straight into typed arrays
 * with apache-arrow (no wasm, no parsing), and scores them with the Arquero code of scores.ts.
 *
 * The schema metadata (key "clv") holds RfmTablesMetadata: what the page needs before any query (the filter
 * choices, the selection's size) so it opens without DuckDB.
 */
import {Table, makeVector, tableToIPC} from "apache-arrow";
import {utf8Vector} from "../data/arrowColumns.js";
import {filterChoices} from "../sql/choices.js";
import {selectTransactions} from "../sql/selection.js";
import {byCustomerRuns, joinColumns} from "../sql/customerRuns.js";
import {ownedNumbers, stringColumn} from "../sql/slices.js";
import type {FilterChoiceValues} from "../sql/filters.js";
import {addDays, nextDay} from "../time.js";
import type {SqlRunner} from "../types.js";
import {rfmSummarySql, type RfmSummary} from "./summary.js";
import type {DerivedContext, DerivedMember} from "../explore/derived.js";
import {RFM_CELLS, narrowInt, rfmCellsTable} from "./cells.js";
import {decodeIds, encodeIds} from "./ids.js";
import {rfmFirstView} from "./firstView.js";

/** The member holding the page's first view (firstView.ts). */
export const RFM_VIEW = "rfm-view.json";

/** The default look-back of the page's segment-movement chart, in days. */
export const EARLIER_DAYS = 182;

export interface RfmTablesMetadata {
  /** The columns of `transactions` that hold a value. */
  columns: string[];
  /** Whether frequency "orders" counts distinct order ids. */
  orderId: boolean;
  choices: FilterChoiceValues;
  /** The unfiltered selection (selection.ts): transactions, customers, first and last order date. */
  selection: {transactions: number; customers: number; first: string | null; last: string | null};
  /** The summary holds the purchases before this day (null: all of them). */
  before: string | null;
}

/** The summary rows of rfmSummarySql as columns, read a run of customers at a time (customerRuns.ts). */
export async function rfmSummary(db: SqlRunner, {customersPerRun, ...options}: Parameters<typeof rfmSummarySql>[0] & {customersPerRun?: number} = {}): Promise<RfmSummary> {
  return byCustomerRuns(db, options.table ?? "transactions", (table) => rfmSummaryOf(db, {...options, table}), joinColumns, customersPerRun);
}

async function rfmSummaryOf(db: SqlRunner, options: Parameters<typeof rfmSummarySql>[0]): Promise<RfmSummary> {
  const sql = rfmSummarySql(options);
  // Column by column when the runner can (a million customers as row objects held several hundred MB).
  if (db.queryColumns) {
    const columns = await db.queryColumns(sql);
    const ints = (name: string) => ownedNumbers(Int32Array, columns[name]);
    return {
      customer_id: stringColumn(columns.customer_id),
      first_day: ints("first_day"),
      last_day: ints("last_day"),
      orders: ints("orders"),
      days: ints("days"),
      micros: ownedNumbers(Float64Array, columns.micros)
    };
  }
  const rows = await db.query<{customer_id: string; first_day: number; last_day: number; orders: number; days: number; micros: number}>(sql);
  return {
    customer_id: rows.map((r) => String(r.customer_id)),
    first_day: Int32Array.from(rows, (r) => r.first_day),
    last_day: Int32Array.from(rows, (r) => r.last_day),
    orders: Int32Array.from(rows, (r) => r.orders),
    days: Int32Array.from(rows, (r) => r.days),
    micros: Float64Array.from(rows, (r) => Number(r.micros))
  };
}

/** Micro-units as whole cents (Int32) when every value is a whole number of cents that fits, else null. */
function centsOf(micros: ArrayLike<number>): Int32Array | null {
  const cents = new Int32Array(micros.length);
  for (let i = 0; i < micros.length; i++) {
    const c = Number(micros[i]) / 10_000;
    if (!Number.isInteger(c) || Math.abs(c) > 2_147_483_647) return null;
    cents[i] = c;
  }
  return cents;
}

/**
 * A summary and its metadata as an Arrow table. Where the ids allow (ids.ts), customer_id holds integer codes
 * and the schema metadata key "customer_ids" their prefix and width; micros are whole cents (Int32) with the
 * key "micros_scale" 10000 when every revenue is; the page reads both back exactly (summaryFromTable).
 */
export function summaryTable(summary: RfmSummary, metadata: RfmTablesMetadata): Table {
  const ids = encodeIds(summary.customer_id);
  const cents = centsOf(summary.micros);
  const table = new Table({
    customer_id: ids ? narrowInt(ids.codes) : utf8Vector(summary.customer_id),
    // Days and counts in the narrowest integer type that holds them (days since 1970 fit Int16 until 2059);
    // the revenue stays an exact Float64 of millionths, so values and the CSV export keep every cent.
    first_day: narrowInt(ownedNumbers(Int32Array, summary.first_day)),
    last_day: narrowInt(ownedNumbers(Int32Array, summary.last_day)),
    orders: narrowInt(ownedNumbers(Int32Array, summary.orders)),
    days: narrowInt(ownedNumbers(Int32Array, summary.days)),
    micros: cents ? narrowInt(cents) : makeVector(ownedNumbers(Float64Array, summary.micros))
  });
  table.schema.metadata.set("clv", JSON.stringify(metadata));
  if (ids) table.schema.metadata.set("customer_ids", JSON.stringify({prefix: ids.prefix, width: ids.width}));
  if (cents) table.schema.metadata.set("micros_scale", "10000");
  return table;
}

/** `values` times `scale`, as Float64. */
function scaled(values: ArrayLike<number>, scale: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * scale;
  return out;
}

/** A summary read back from its Arrow table (in the page: FileAttachment(…).arrow()). */
export function summaryFromTable(table: Table): {summary: RfmSummary; metadata: RfmTablesMetadata} {
  const column = (name: string) => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`the RFM summary has no column ${name}`);
    return vector.toArray();
  };
  const metadata = JSON.parse(table.schema.metadata.get("clv") ?? "null") as RfmTablesMetadata | null;
  if (!metadata) throw new Error("the RFM summary has no metadata");
  const idCodes = JSON.parse(table.schema.metadata.get("customer_ids") ?? "null") as {prefix: string; width: number} | null;
  // Copies by index: TypedArray.from walks its source through an iterator (an object per value, 70 MB to
  // collect at 1M orders).
  const customerId = idCodes ? decodeIds({...idCodes, codes: ownedNumbers(Int32Array, column("customer_id"))}) : column("customer_id");
  const scale = Number(table.schema.metadata.get("micros_scale") ?? 1);
  const micros = scale === 1 ? column("micros") : scaled(column("micros") as ArrayLike<number>, scale);
  return {
    summary: {customer_id: customerId, first_day: column("first_day"), last_day: column("last_day"), orders: column("orders"), days: column("days"), micros},
    metadata
  };
}

/**
 * The summary of every purchase, or (earlier) of those before the default earlier date of the movement
 * chart, with the metadata, as an Arrow table.
 */
export async function rfmTable({db, columns, table = "transactions"}: DerivedContext, {earlier = false}: {earlier?: boolean} = {}): Promise<Table> {
  const orderId = columns.includes("order_id");
  const view = "derived_rfm_selection";
  const selection = await selectTransactions(db, {filters: {}, columns, name: view, table});
  try {
    const choices = await filterChoices(db, columns, table);
    const meta = {columns, orderId, choices, selection: {transactions: selection.transactions, customers: selection.customers, first: selection.first, last: selection.last}};
    if (!earlier) return summaryTable(await rfmSummary(db, {table: view, orderId}), {...meta, before: null});
    // Without transactions there is no earlier date: an empty summary ("before" the first possible day).
    const before = selection.last ? addDays(nextDay(selection.last), -EARLIER_DAYS) : "0001-01-01";
    return summaryTable(await rfmSummary(db, {table: view, orderId, before}), {...meta, before});
  } finally {
    await db.query(`DROP VIEW IF EXISTS ${view}`);
  }
}

/**
 * The cells behind the page's filters and other analysis dates (cells.ts), their customers numbered as the
 * rows of the summary of every purchase.
 */
export async function rfmCells({db, columns, table = "transactions"}: DerivedContext): Promise<Table> {
  const view = "derived_rfm_cells_selection";
  await selectTransactions(db, {filters: {}, columns, name: view, table});
  try {
    return await rfmCellsTable(db, {table: view, columns});
  } finally {
    await db.query(`DROP VIEW IF EXISTS ${view}`);
  }
}

/** The RFM page's members of the derived archive. */
export const RFM_MEMBERS: DerivedMember[] = [
  {name: RFM_CELLS, make: async (context) => tableToIPC(await rfmCells(context), "file")},
  {name: "rfm-customers.arrow", make: async (context) => tableToIPC(await rfmTable(context), "file")},
  {name: "rfm-customers-earlier.arrow", make: async (context) => tableToIPC(await rfmTable(context, {earlier: true}), "file")},
  // The page's first charts, from the summary as the page reads it back (firstView.ts).
  {name: RFM_VIEW, make: async (context) => new TextEncoder().encode(JSON.stringify(rfmFirstView(summaryFromTable(await rfmTable(context)))))}
];
