/**
 * Derived tables: what the pages open on, computed once from the transactions, at build time by the data
 * loader src/data/derived.tar.ts (native DuckDB) and on the data page for an uploaded file (DuckDB-WASM).
 * Both run the same code below, over the library's SqlRunner, so there is one implementation of each table.
 *
 * A derived table is a member of the `derived` archive: a name (the file name in the archive, e.g.
 * "cells.arrow") and a function that makes its bytes from a runner holding the canonical `transactions`
 * table. The members are Arrow IPC files (apache-arrow reads them in the page with no wasm, column by
 * column into typed arrays, with no parsing: see cellTable.ts), or JSON for small facts.
 *
 * To add a table, add a member to DERIVED_MEMBERS: the loader, the upload path and the archive all follow.
 */
import {Dictionary, Int8, Int16, Int32, Table, Utf8, makeData, makeVector, tableFromIPC, tableToIPC, vectorFromArray, type Vector} from "apache-arrow";
import {CELL_EXTRAS, cellDimensions, ordersRepeat} from "./cells.js";
import {OPTIONAL_COLUMNS, type SqlRunner} from "../types.js";
import {sqlIdentifier} from "../sql/quote.js";
import {toMicros} from "../sql/filters.js";
import {RFM_MEMBERS} from "../rfm/derived.js";
import {CLV_MEMBERS} from "../clv/derived.js";
import {dataCurrency} from "../format/setting.js";
import {codedDictionary, dictionaryVector} from "../data/arrowColumns.js";
import {labelCodes, readCodes} from "../sql/labels.js";
import {queryColumns} from "../sql/slices.js";
import {CELL_CUSTOMERS_PER_RUN, byCustomerRuns, mergeOrder} from "../sql/customerRuns.js";
import {cellTable} from "./cellTable.js";
import {EXPLORE_PAGES, exploreView, exploreViewMember, viewJson, type ExplorePage} from "./firstView.js";
import type {FitClvOptions, FitClvResult} from "../clv/fitClv.js";
import type {SummaryArrays} from "../../workers/protocol.js";
import type {ValidateInput, ValidateResult} from "../clv/validateModels.js";

/**
 * Fits the CLV models for a member (src/lib/clv/derived.ts). Absent, the member calls fitClv directly (Node:
 * the data loader, the CLI); the data page passes one that runs the fit in the fit worker, off the main
 * thread and within a time budget, so the members stay one implementation.
 */
export type DerivedFit = ((summaries: SummaryArrays, options: Omit<FitClvOptions, "progress">) => Promise<FitClvResult>) & {
  /**
   * Fits and scores the validation page's models (validateModels) the same way: on the data page, in the fit
   * worker. Null when it was stopped: the view is then left out and the page fits when opened. Absent,
   * the member calls validateModels directly. The request is the hook's: it may take its typed arrays (the
   * data page moves them to the worker), the member reads none of it afterwards.
   */
  validate?: (request: ValidateInput) => Promise<ValidateResult | null>;
};

/** What a member's function gets: the runner and facts about `transactions` found once for all members. */
export interface DerivedContext {
  db: SqlRunner;
  /** The transactions table (canonical columns): "transactions" unless said otherwise. */
  table: string;
  /** The columns of `table` that hold a value (optional canonical columns that are all NULL left out). */
  columns: string[];
  /** How the CLV members fit (see DerivedFit); absent: fitClv in this thread. */
  fit?: DerivedFit;
  /** Set once makeDerived has let the engine go (MakeDerivedOptions.release): a member that still needs it says so. */
  released?: boolean;
}

export interface DerivedMember {
  /** File name inside the archive, e.g. "cells.arrow" (read as FileAttachment("data/derived/cells.arrow")). */
  name: string;
  /**
   * The member's engine work, when its `make` needs none of its own (it fits and draws what this read): when
   * every member after the first with a `prepare` has one, makeDerived runs every prepare (once per label)
   * before any member, and lets the engine go before the first of them is made (MakeDerivedOptions.release).
   */
  prepare?: {label: string; run(context: DerivedContext): Promise<void>};
  make(context: DerivedContext): Promise<Uint8Array>;
}

/**
 * The columns of `transactions` that hold a value: cleaning gives every canonical column, NULL where the
 * file had none, and a page should say "no province in this data" rather than offer an empty filter.
 */
export async function presentColumns(db: SqlRunner, table = "transactions"): Promise<string[]> {
  const described = await db.query<{column_name: string}>(`DESCRIBE ${table}`);
  const names = described.map((row) => row.column_name);
  const optional = names.filter((name) => (OPTIONAL_COLUMNS as readonly string[]).includes(name));
  if (optional.length === 0) return names;
  const [counts] = await db.query<Record<string, number>>(
    `SELECT ${optional.map((name) => `count(${sqlIdentifier(name)}) AS ${sqlIdentifier(name)}`).join(", ")} FROM ${table}`
  );
  const empty = new Set(optional.filter((name) => Number(counts[name]) === 0));
  return names.filter((name) => !empty.has(name));
}

export {dictionaryVector};

/** The narrowest of Int8, Int16, Int32 that holds every value (they are small for most cells). */
function narrowest(values: ArrayLike<number | null>): typeof Int8Array | typeof Int16Array | typeof Int32Array {
  let min = 0, max = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value != null && !Number.isNaN(value)) (min = Math.min(min, value)), (max = Math.max(max, value));
  }
  return min >= -128 && max <= 127 ? Int8Array : min >= -32768 && max <= 32767 ? Int16Array : Int32Array;
}

function arrowInt(array: typeof Int8Array | typeof Int16Array | typeof Int32Array) {
  return array === Int8Array ? new Int8() : array === Int16Array ? new Int16() : new Int32();
}

/** Metadata stored in the cells' Arrow schema (key "clv"), as JSON. */
export interface CellsMetadata {
  /** The columns of `transactions` (see presentColumns). */
  columns: string[];
  /** Customer keys run from 1 to this number (0: no customer). */
  customerKeys: number;
  /** The cells are split by order (order ids repeat): `order` is a key standing for order_id. */
  orders: boolean;
  /** First and last order date of the whole data, YYYY-MM-DD. */
  first: string | null;
  last: string | null;
  /** Rows of the transactions. */
  rows: number;
}

/** Calls of exploreCellsTable so far: each names its tables after its number. */
let cellCalls = 0;

/**
 * The exploration cells (cells.ts, split by customer, and by order when order ids repeat) as an Arrow table:
 *
 *   day Int32 (days since 1970-01-01), region, province, customer_segment, category, partner, offer_type
 *   (dictionaries, those the data has), customer (1..customerKeys in customer_id order, null for a missing
 *   customer id), order (only when split by order; null for a missing order id), transactions (rows), revenue
 *   Float64 (millionths, an exact integer); customer, order and transactions in the narrowest of Int8, Int16
 *   and Int32 that holds them
 *
 * with CellsMetadata under the schema metadata key "clv", sorted by day, the dimensions' codes, customer and
 * order. The engine numbers the customers, groups and sorts a run of `customersPerRun` customers at a time
 * (sql/customerRuns.ts), each run's customers numbered after the last run's, so that its hash tables and sorts
 * hold one run's rows and no table of every customer's key: at 5M orders (2.16M customers) in DuckDB-WASM,
 * whose heap never shrinks, joining every row to such a table took the heap from 1.16 to 1.30 GB. The runs'
 * cells, each sorted by day, merge into day order here (mergeOrder); rows without a customer come last.
 */
export async function exploreCellsTable(
  {db, table: source, columns}: DerivedContext,
  {customersPerRun = db.customersPerRun === undefined ? undefined : CELL_CUSTOMERS_PER_RUN}: {customersPerRun?: number} = {}
): Promise<Table> {
  const orders = await ordersRepeat(db, {table: source, columns});
  const dims = [...cellDimensions(columns), ...CELL_EXTRAS.filter((name) => columns.includes(name))];
  // Names of this call's own: a build or page that makes cells again while these are read must not replace them.
  const call = ++cellCalls;
  const datedView = `derived_explore_cells_dated_${call}`;
  const dated = sqlIdentifier(datedView);
  const orderKeys = sqlIdentifier(`derived_explore_cells_orders_${call}`);
  const dayOf = (expression: string) => `CAST(date_diff('day', DATE '1970-01-01', CAST(${expression} AS DATE)) AS INTEGER)`;
  // Grouped and sorted on integer codes of the dimensions, not their strings (sql/labels.ts): on 5M orders
  // in DuckDB-WASM the strings grew the heap by 2.6 GB, the codes by 0.7 GB.
  const coded = await labelCodes(db, source, dims, {prefix: "derived_cells_labels", alias: "t"});
  try {
    const [extent] = await db.query<{first: string | null; last: string | null; rows: number}>(
      `SELECT CAST(MIN(order_date) AS DATE) AS first, CAST(MAX(order_date) AS DATE) AS last, COUNT(*) AS rows FROM ${source}`
    );
    const rows = Number(extent?.rows ?? 0);
    // A row without a day (cleaning drops them) is in no cell; those without a customer are read on their own.
    await db.query(`CREATE OR REPLACE VIEW ${dated} AS SELECT * FROM ${source} WHERE order_date IS NOT NULL AND customer_id IS NOT NULL`);
    // Order keys (when cells are split by order) in order_id order, numbered once so that every run joins the same keys.
    if (orders) {
      await db.query(`CREATE OR REPLACE TABLE ${orderKeys} AS
SELECT order_id, CAST(row_number() OVER (ORDER BY order_id) AS INTEGER) AS order_key
FROM (SELECT DISTINCT order_id FROM ${source} WHERE order_id IS NOT NULL) ids`);
    }
    const groups = ["day", ...dims.map(sqlIdentifier), "customer", ...(orders ? ["order_key"] : [])];
    // The cells of `from`'s rows: `customers` numbers them (a CTE over `from`), or none for rows without one.
    const cellsSql = (from: string, customers: string | null) => `WITH ${customers ? `customer_rows AS (${customers}),\n` : ""}coded AS (
  SELECT ${dayOf("t.order_date")} AS day,
         ${[...dims.map((d, k) => `${coded.codes[k]} AS ${sqlIdentifier(d)}`), customers ? "k.customer" : "CAST(NULL AS INTEGER) AS customer", ...(orders ? ["o.order_key"] : [])].join(", ")}, ${toMicros("t.amount")} AS micros
  FROM ${from} t ${customers ? "JOIN customer_rows k ON k.customer_id = t.customer_id " : ""}${coded.joins.join(" ")}${orders ? `\n  LEFT JOIN ${orderKeys} o ON o.order_id = t.order_id` : ""}
)
SELECT ${groups.join(", ")}, CAST(COUNT(*) AS INTEGER) AS transactions, CAST(SUM(micros) AS BIGINT) AS revenue
FROM coded
GROUP BY ${groups.join(", ")}
ORDER BY ${groups.join(", ")}`;
    // A cell comes from at least one transaction: columns for `rows` cells hold them all.
    const day = new Int32Array(rows);
    const dimCodes = dims.map(() => new Int32Array(rows)); // -1 for null, else the label's index in `labels`
    const customer = new Float64Array(rows); // NaN for null
    const order = orders ? new Float64Array(rows) : null;
    const transactions = new Int32Array(rows);
    const revenue = new Float64Array(rows);
    let n = 0;
    const ends: number[] = []; // where each run's cells end
    const take = (part: Record<string, ArrayLike<unknown>>) => {
      const m = part.day?.length ?? 0;
      if (n + m > rows) throw new Error(`the exploration cells came to more than the ${rows} transactions they group`);
      day.set(part.day as ArrayLike<number>, n);
      dims.forEach((d, k) => readCodes(part[d], dimCodes[k], n));
      const keyColumn = part.customer, orderColumn = part.order_key ?? [], counts = part.transactions, micros = part.revenue;
      for (let i = 0; i < m; i++) {
        customer[n + i] = keyColumn[i] == null ? NaN : Number(keyColumn[i]);
        if (order) order[n + i] = orderColumn[i] == null ? NaN : Number(orderColumn[i]);
        transactions[n + i] = Number(counts[i]);
        revenue[n + i] = Number(micros[i]);
      }
      ends.push((n += m));
    };
    let keys = 0; // customers numbered so far: the next run's first number is keys + 1
    await byCustomerRuns(
      db,
      datedView,
      async (run) => {
        const from = n;
        take(await queryColumns(db, cellsSql(sqlIdentifier(run), `SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) + ${keys} AS INTEGER) AS customer
  FROM (SELECT DISTINCT customer_id FROM ${sqlIdentifier(run)}) ids`)));
        // Every customer of the run has a cell (the run's rows all have a customer and a day): the largest key is the run's last.
        for (let i = from; i < n; i++) if (customer[i] > keys) keys = customer[i];
      },
      () => undefined,
      customersPerRun
    );
    take(await queryColumns(db, cellsSql(`(SELECT * FROM ${source} WHERE order_date IS NOT NULL AND customer_id IS NULL)`, null)));
    // Each run's cells are sorted by day, the dimensions' codes (a null code last, as DuckDB sorts it), customer
    // and order; a run's customers all come after the last run's (and those without one after every run), so the
    // merge, taking the earlier run first on a tie of day and codes, gives the order of one query over every row.
    const last = (code: number) => (code < 0 ? 0x7fffffff : code);
    const permutation = mergeOrder(ends, (a, b) => {
      if (day[a] !== day[b]) return day[a] - day[b];
      for (let k = 0; k < dimCodes.length; k++) {
        const codes = dimCodes[k];
        if (codes[a] !== codes[b]) return last(codes[a]) - last(codes[b]);
      }
      return 0;
    });
    const sorted = <A extends Int32Array | Float64Array>(values: A): A => {
      const out = new (values.constructor as new (length: number) => A)(n);
      for (let i = 0; i < n; i++) out[i] = values[permutation[i]];
      return out;
    };
    // Days stay Int32 (days since 1970); keys and counts take the narrowest integer type that holds them.
    const vectors: Record<string, Vector> = {day: makeVector(sorted(day))};
    dims.forEach((d, k) => (vectors[d] = codedDictionary(sorted(dimCodes[k]), coded.labels[k])));
    vectors.customer = nullableKeys(sorted(customer));
    if (order) vectors.order = nullableKeys(sorted(order));
    const counted = sorted(transactions);
    vectors.transactions = makeVector(narrowest(counted).from(counted));
    vectors.revenue = makeVector(sorted(revenue));
    const table = new Table(vectors);
    const metadata: CellsMetadata = {
      columns,
      customerKeys: keys,
      orders,
      first: extent?.first ?? null,
      last: extent?.last ?? null,
      rows
    };
    table.schema.metadata.set("clv", JSON.stringify(metadata));
    return table;
  } finally {
    // A failed drop (an engine out of memory) must not hide the query's own error, nor keep the others.
    await db.query(`DROP VIEW IF EXISTS ${dated}`).catch(() => {});
    await db.query(`DROP TABLE IF EXISTS ${orderKeys}`).catch(() => {});
    await coded.drop().catch(() => {});
  }
}

/** Integer keys with nulls (NaN) in the narrowest type, as nullableInt makes them from an array. */
function nullableKeys(values: Float64Array): Vector {
  const array = narrowest(values);
  const data = new array(values.length);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) nulls++;
    else (data[i] = values[i]), (valid[i >> 3] |= 1 << (i & 7));
  }
  return makeVector(makeData({type: arrowInt(array), length: values.length, nullCount: nulls, nullBitmap: nulls ? valid : null, data}));
}

/** Facts about the data that every page needs before it formats a figure. */
export interface SourceFacts {
  /** The currency of a `currency` column whose values are all one ISO 4217 code (the pages' default), else null. */
  currency: string | null;
  /** The columns of the transactions (the canonical ones the data has), so that the data page can say what a transaction is without opening them. */
  columns: string[];
}

/** The data's SourceFacts (source.json). */
export async function sourceFacts({db, table, columns}: DerivedContext): Promise<SourceFacts> {
  if (!columns.includes("currency")) return {currency: null, columns};
  const rows = await db.query<{code: string}>(`SELECT DISTINCT upper(trim(currency)) AS code FROM ${sqlIdentifier(table)} WHERE currency IS NOT NULL ORDER BY 1 LIMIT 6`);
  return {currency: dataCurrency(rows.map((row) => row.code)), columns};
}

/**
 * The exploration cells as an Arrow IPC file, and the exploration pages' first views (firstView.ts) computed
 * from those very bytes read back as the page reads them: kept per context as small JSON, not the table, so
 * that the view members that follow cost no second pass over the transactions.
 */
const viewsMade = new WeakMap<DerivedContext, Map<ExplorePage, Uint8Array>>();

async function cellsMember(context: DerivedContext): Promise<Uint8Array> {
  const bytes = tableToIPC(await exploreCellsTable(context), "file");
  viewsMade.set(context, exploreViewBytes(bytes));
  return bytes;
}

/** Each exploration page's first view, as JSON bytes, from the cells member's bytes. */
export function exploreViewBytes(cellsBytes: Uint8Array): Map<ExplorePage, Uint8Array> {
  const cells = cellTable(tableFromIPC(cellsBytes));
  return new Map(EXPLORE_PAGES.map((page) => [page, new TextEncoder().encode(viewJson(exploreView(cells, page)))]));
}

async function viewMember(context: DerivedContext, page: ExplorePage): Promise<Uint8Array> {
  let views = viewsMade.get(context);
  if (!views) viewsMade.set(context, (views = exploreViewBytes(tableToIPC(await exploreCellsTable(context), "file"))));
  return views.get(page)!;
}

/**
 * The members of the derived archive, in order. Each is produced by its own function from the same
 * `transactions`; add a member here to ship another table.
 */
export const DERIVED_MEMBERS: DerivedMember[] = [
  {name: "source.json", make: async (context) => new TextEncoder().encode(JSON.stringify(await sourceFacts(context)))},
  {name: "cells.arrow", make: cellsMember},
  ...EXPLORE_PAGES.map((page): DerivedMember => ({name: exploreViewMember(page), make: (context) => viewMember(context, page)})),
  ...RFM_MEMBERS,
  ...CLV_MEMBERS
];

/** What a member is, in words, for a progress line: "CLV fit (full data)" for clv-full.arrow. */
export function memberLabel(name: string): string {
  const base = name.replace(/\.(arrow|json)$/, "");
  if (base === "source") return "source facts";
  if (base === "cells") return "exploration cells";
  if (base.startsWith("explore-")) return `first view (${base.slice(8, -5)} page)`;
  if (base.startsWith("rfm-")) return `RFM table (${base.slice(4).replace(/-/g, " ")})`;
  if (base.startsWith("clv-")) return `CLV fit (${base.slice(4).replace(/-/g, " ")})`;
  return base.replace(/-/g, " ");
}

/** Which member (or which prepare: DerivedMember.prepare) makeDerived starts next (index from 1), and how long those before took. */
export interface DerivedStep {
  /** The member's name, or the prepare's label. */
  name: string;
  label: string;
  index: number;
  total: number;
  /** Wall times of the steps done so far, ms, by member name or prepare label. */
  timings: Record<string, number>;
}

export interface MakeDerivedOptions {
  members?: readonly DerivedMember[];
  table?: string;
  /** See DerivedFit. */
  fit?: DerivedFit;
  /** Called before each member and each prepare (and may wait, e.g. to let a page draw the line). */
  progress?: (step: DerivedStep) => void | Promise<void>;
  /**
   * Called once the engine is asked nothing more: before the members that fit and draw what their prepares
   * read (see DerivedMember.prepare), or after the last member. The data page ends its DuckDB-WASM here, so that the CLV fits
   * and views have the memory the engine held (the wasm heap only grows: 1.6 GB at 5M orders).
   */
  release?: () => void | Promise<void>;
}

/**
 * makeDerived's options with `keep`: what is kept of each member's bytes as soon as it is made, in place of
 * the bytes (the data page keeps a Blob, which the browser holds outside the page's heap, so that the
 * members of a large upload do not pile up in the page's memory while the rest are made).
 */
export interface KeepDerivedOptions<T> extends MakeDerivedOptions {
  keep: (bytes: Uint8Array, name: string) => T;
}

/** Makes every member (or those given) from the runner's transactions table: name → bytes (or what `keep` keeps of them). */
export async function makeDerived(db: SqlRunner, options?: MakeDerivedOptions): Promise<Map<string, Uint8Array>>;
export async function makeDerived<T>(db: SqlRunner, options: KeepDerivedOptions<T>): Promise<Map<string, T>>;
export async function makeDerived<T>(
  db: SqlRunner,
  {members = DERIVED_MEMBERS, table = "transactions", fit, progress, release, keep}: MakeDerivedOptions & {keep?: (bytes: Uint8Array, name: string) => T} = {}
): Promise<Map<string, T | Uint8Array>> {
  const context: DerivedContext = {db, table, columns: await presentColumns(db, table), ...(fit ? {fit} : {})};
  const out = new Map<string, T | Uint8Array>();
  const timings: Record<string, number> = {};
  const letGo = async () => {
    context.released = true;
    await release?.();
  };
  // The members from `tail` on make their bytes from what their prepares read. The prepares run first of all,
  // while the engine holds only the cleaned rows (the exploration cells' query then grows its heap by a
  // third at 5M orders, and the wasm heap never shrinks); the engine goes before the first of those members.
  let tail = members.length;
  while (tail > 0 && members[tail - 1].prepare) tail--;
  // Each label's prepares (each reads what its member needs; a read already made costs nothing), one line per label.
  const prepares = new Map<string, NonNullable<DerivedMember["prepare"]>[]>();
  for (const member of members.slice(tail)) prepares.set(member.prepare!.label, [...(prepares.get(member.prepare!.label) ?? []), member.prepare!]);
  const total = members.length + prepares.size;
  let index = 0;
  const step = (name: string, label: string) => progress?.({name, label, index: ++index, total, timings: {...timings}});
  for (const [label, runs] of prepares) {
    await step(label, label);
    const started = performance.now();
    for (const prepare of runs) await prepare.run(context);
    timings[label] = Math.round(performance.now() - started);
  }
  for (const [i, member] of members.entries()) {
    if (i === tail) await letGo();
    await step(member.name, memberLabel(member.name));
    const started = performance.now();
    const bytes = await member.make(context);
    out.set(member.name, keep ? keep(bytes, member.name) : bytes);
    timings[member.name] = Math.round(performance.now() - started);
  }
  if (tail === members.length) await letGo();
  return out;
}
