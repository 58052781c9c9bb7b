/**
 * The page's one DuckDB-WASM instance, holding the transactions every analysis reads in a `transactions`
 * table of the canonical schema. Its source is, in order:
 * 1. the file the user uploaded on the data page (kept in IndexedDB, read and cleaned here in the browser);
 * 2. the build's data: the generated demo, or the file named at build time, read from Parquet with
 *    parquet-wasm and handed to DuckDB as Arrow (DuckDB-WASM runs without network extensions).
 * If the upload cannot be read any more, the page falls back to the build's data and says why.
 */
import {DuckDBClient} from "npm:@observablehq/duckdb";
import {FileAttachment} from "observablehq:stdlib";
import {arrowColumns, arrowRows} from "../lib/sql/arrow.js";
import {CUSTOMERS_PER_RUN} from "../lib/sql/customerRuns.js";
import {createSalesCells, ordersRepeat, type SalesCells} from "../lib/explore/cells.js";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import type {Mapping} from "../lib/data/schema.js";
import {OPTIONAL_COLUMNS, type SqlRunner} from "../lib/types.js";
import {cleanUpload, parquetTable, readUploadRaw} from "./uploadReader.js";
import {loadUpload} from "./uploadStore.js";
import {publishedReport, RawRowsUnavailable, RAW_ROWS_MESSAGE} from "./published.js";
import {guard} from "./engineWatch.js";

export type DataSource =
  | {kind: "build"; name: string; problem?: string}
  | {kind: "upload"; name: string; mapping: Mapping; report: DataQualityReport; savedAt: string};

export interface TransactionsDatabase {
  client: DuckDBClient;
  /** The same database behind the library's SqlRunner interface: plain rows, dates as YYYY-MM-DD. */
  runner: SqlRunner;
  /** Where the transactions came from, for the page to say. */
  source: DataSource;
  /** The columns of the transactions table (optional canonical columns may be absent). */
  columns: string[];
}

export {arrowRows};

export function runnerOf(client: DuckDBClient): SqlRunner {
  return {
    async query<T>(sql: string) {
      return arrowRows<T>(await guard(client, client.query(sql)));
    },
    async queryColumns(sql: string) {
      return arrowColumns(await guard(client, client.query(sql)));
    },
    // DuckDB-WASM's memory only grows: per-customer queries read a run of customers at a time.
    customersPerRun: CUSTOMERS_PER_RUN
  };
}

/**
 * The columns of `transactions`, after dropping the optional ones that hold no value at all: cleaning gives
 * every canonical column, NULL where the file had none, and a page should say "no province in this data"
 * rather than offer an empty filter.
 */
async function columnsOf(runner: SqlRunner): Promise<string[]> {
  const described = await runner.query<{column_name: string}>(`DESCRIBE transactions`);
  const names = described.map((row) => row.column_name);
  const optional = names.filter((name) => (OPTIONAL_COLUMNS as readonly string[]).includes(name));
  if (optional.length === 0) return names;
  const [counts] = await runner.query<Record<string, number>>(
    `SELECT ${optional.map((name) => `count("${name}") AS "${name}"`).join(", ")} FROM transactions`
  );
  const empty = optional.filter((name) => Number(counts[name]) === 0);
  for (const name of empty) await runner.query(`ALTER TABLE transactions DROP COLUMN "${name}"`);
  return names.filter((name) => !empty.includes(name));
}

/** What a report build says of its data: no transactions, only the aggregate tables. */
function publishedSource(problem?: string): Pick<TransactionsDatabase, "source" | "columns"> {
  const note = `The transactions are not part of this site: ${RAW_ROWS_MESSAGE.replace(/^this report/, "it")}`;
  return {source: {kind: "build", name: "the aggregate tables this report was published with", problem: problem ? `${problem}. ${note}` : note}, columns: ["customer_id", "order_date", "amount"]};
}

/**
 * What the data page says of the built data without opening it: the file's name and its columns (from the
 * build's source.json, SourceFacts), or a report build's note; `problem` is why the built data is in use
 * instead of an upload. DuckDB then starts only for a file of the user's.
 */
export function builtSource(columns: readonly string[], problem?: string): Pick<TransactionsDatabase, "source" | "columns"> {
  if (publishedReport()) return publishedSource(problem);
  return {source: {kind: "build", name: FileAttachment("../data/transactions.parquet").name, problem}, columns: [...columns]};
}

async function openBuildData(problem?: string): Promise<TransactionsDatabase> {
  // A report build ships no transactions (scripts/publish.mjs removed the file): every need for them is told
  // that the raw rows are missing (the data page reads a file of the user's in a DuckDB of its own).
  if (publishedReport()) throw new RawRowsUnavailable();
  // DuckDB's start (a 36 MB wasm to compile) and the Parquet read (parquet-wasm) run side by side. Read as
  // bytes here (not FileAttachment.parquet(), whose name makes Framework preload parquet-wasm and npm Arrow on
  // every page that imports this module) and decoded by the upload reader's parquet-wasm.
  const bytes = FileAttachment("../data/transactions.parquet").arrayBuffer();
  const [client, table] = await Promise.all([DuckDBClient.of(), bytes.then((b) => parquetTable(new Uint8Array(b), "transactions.parquet"))]);
  const connection = await client._db.connect();
  try {
    await connection.insertArrowTable(table, {name: "transactions", create: true});
  } finally {
    await connection.close();
  }
  const runner = runnerOf(client);
  return {client, runner, source: {kind: "build", name: FileAttachment("../data/transactions.parquet").name, problem}, columns: await columnsOf(runner)};
}

async function openUpload(): Promise<TransactionsDatabase | null> {
  const upload = await loadUpload();
  if (!upload) return null;
  const client = await DuckDBClient.of();
  const runner = runnerOf(client);
  try {
    const raw = await readUploadRaw(client, runner, upload.file, upload.name);
    const {mapping, report} = await cleanUpload(runner, raw, upload.overrides, upload.options);
    await runner.query(`DROP TABLE IF EXISTS raw`);
    return {
      client,
      runner,
      source: {kind: "upload", name: upload.name, mapping, report, savedAt: upload.savedAt},
      columns: await columnsOf(runner)
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return openBuildData(`your uploaded file ${upload.name} could not be used (${message}); showing the built-in data`);
  }
}

/** The exploration pages' rollups of `transactions` (src/lib/explore/cells.ts), made once per page. */
export interface ExploreCells {
  /** By day and filter columns (and order, when order ids repeat): transactions and revenue. */
  days: SalesCells;
  /** By day, filter columns and customer: also distinct customers. */
  customers: SalesCells;
}

const cells = new WeakMap<TransactionsDatabase, Promise<ExploreCells>>();

/**
 * The cells of the database's `transactions`, made on first use (only the exploration pages need them);
 * `rebuild` makes them again, after `transactions` was replaced.
 */
export function exploreCells(db: TransactionsDatabase, {rebuild = false}: {rebuild?: boolean} = {}): Promise<ExploreCells> {
  const previous = cells.get(db);
  if (previous && !rebuild) return previous;
  const made = (async () => {
    const columns = (await db.runner.query<{column_name: string}>(`DESCRIBE transactions`)).map((row) => row.column_name);
    const orders = await ordersRepeat(db.runner, {columns});
    const customers = await createSalesCells(db.runner, "explore_customer_cells", {columns, customers: true, orders});
    const days = await createSalesCells(db.runner, "explore_day_cells", {table: customers.table, fromCells: true});
    // A rebuild updates the objects the page already holds, whose queries then read the new cells.
    const old = await previous?.catch(() => undefined);
    if (old) return {days: Object.assign(old.days, days), customers: Object.assign(old.customers, customers)};
    return {days, customers};
  })();
  cells.set(db, made);
  return made;
}

let opened: Promise<TransactionsDatabase> | undefined;

/**
 * Opens (once per page) the DuckDB database with a `transactions` table. In a report build without an upload
 * it rejects with RawRowsUnavailable.
 */
export function transactionsDatabase(): Promise<TransactionsDatabase> {
  return (opened ??= (async () => (await openUpload()) ?? (await openBuildData()))());
}
