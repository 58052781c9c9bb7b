/**
 * What most commands do first: load and clean the input into `transactions`, refuse an input whose every row
 * was dropped, and expose the purchases (returns kept by --net-returns are not purchases). The input is a
 * FILE (or lake) read into a native DuckDB, or, with --db, a PostgreSQL table that stays on the server: then
 * `engine` sends every query there (SQL rendered for PostgreSQL) and the local DuckDB only writes output
 * files. The caller closes the session.
 */
import {writeFile} from "node:fs/promises";
import type {ColumnTable} from "arquero";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {openDuckDB, type NodeDuckDB} from "../node/duckdb.js";
import {loadTransactionsFile, loadTransactionsView} from "../node/load.js";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import {toCsv} from "../lib/format/csv.js";
import {DataError} from "../lib/errors.js";
import {sqlString} from "../lib/sql/quote.js";
import type {Mapping} from "../lib/data/schema.js";
import {duckdbHost, type RelationHost} from "../lib/sql/relations.js";
import type {Dialect} from "../lib/sql/dialect.js";
import type {PostgresRunner} from "../node/postgres.js";
import {formatNumber, outputError, outputFormat, writeOut, type ParsedCommand} from "./args.js";

export interface Session {
  /** The local DuckDB: it holds a FILE's tables, and writes output files. */
  db: NodeDuckDB;
  /** Where the transactions and purchases are queried. */
  engine: RelationHost;
  dialect: Dialect;
  /** Names of the transactions and purchases relations in engine. */
  transactions: string;
  purchases: string;
  report: DataQualityReport;
  mapping: Mapping;
  /** The input's name for messages: the file name, or the table. */
  name: string;
  /** The PostgreSQL connection with --db. */
  server?: PostgresRunner;
  close(): Promise<void>;
}

/** Opens the input of args and cleans it; `refuseEmpty` (default true) fails when no row was kept. */
export async function openSession(args: ParsedCommand, {refuseEmpty = true}: {refuseEmpty?: boolean} = {}): Promise<Session> {
  const db = await openDuckDB();
  let server: PostgresRunner | undefined;
  const close = async () => {
    await server?.close();
    db.close();
  };
  try {
    let session: Session;
    if (args.database) {
      const {openPostgres} = await import("../node/postgres.js");
      const {loadServerTransactions, sourceName} = await import("../node/warehouse.js");
      const {url, table, query, timeout} = args.database;
      server = await openPostgres(url, {statementTimeout: timeout});
      const source = table !== undefined ? {table} : {query: query!};
      const {host, report, mapping} = await loadServerTransactions(server, source, args.load);
      session = {db, engine: host, dialect: host.dialect, transactions: "clv_transactions", purchases: "clv_purchases", report, mapping, name: sourceName(source), server, close};
    } else {
      // A command reads the transactions once or twice: a view over the classified rows, not a second table.
      const {report, mapping} = await loadTransactionsFile(db, args.file, {...args.load, lazy: true});
      await db.run("CREATE OR REPLACE VIEW purchases AS SELECT * FROM transactions WHERE NOT is_return");
      const engine = duckdbHost(db);
      session = {db, engine, dialect: engine.dialect, transactions: "transactions", purchases: "purchases", report, mapping, name: basename(args.file), close};
    }
    if (refuseEmpty && session.report.kept === 0) {
      throw new DataError("no_rows", `no usable rows in ${session.name} (all ${formatNumber(session.report.rows)} dropped; run clv check)`);
    }
    return session;
  } catch (error) {
    await close();
    throw error;
  }
}

/** openSession, refusing an input without usable rows. */
export const openPurchases = (args: ParsedCommand) => openSession(args);

/** A session without the data-quality report. */
export type PurchasesSession = Omit<Session, "report">;

/**
 * openPurchases for a command that shows no data-quality report (`clv summary`, `clv rfm`): a FILE's rows are
 * classified by the same rules and the same rows kept, but nothing is counted for a report (see
 * defineTransactions; `clv check` shows it). Refuses an input without usable rows. With --db, openPurchases.
 */
export async function openPurchasesOnly(args: ParsedCommand): Promise<PurchasesSession> {
  if (args.database) return openPurchases(args);
  const db = await openDuckDB();
  try {
    const name = basename(args.file);
    const {mapping, rows, anyKept} = await loadTransactionsView(db, args.file, args.load);
    if (!anyKept) throw new DataError("no_rows", `no usable rows in ${name} (all ${formatNumber(rows)} dropped; run clv check)`);
    await db.run("CREATE OR REPLACE VIEW purchases AS SELECT * FROM transactions WHERE NOT is_return");
    const engine = duckdbHost(db);
    return {db, engine, dialect: engine.dialect, transactions: "transactions", purchases: "purchases", mapping, name, close: async () => db.close()};
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Writes the result of `sql` (a query on the session's engine) to a .csv or .parquet file. From a server the
 * rows come back first and DuckDB writes them, with the column types the server gave, so that a file and a
 * database give the same bytes.
 */
export async function writeQuery(session: PurchasesSession, sql: string, path: string): Promise<number> {
  if (!session.server) {
    return writeOut(session.db, sql, path);
  }
  const rows = await session.engine.query<Record<string, unknown>>(sql);
  const fields = session.server.lastFields;
  await stageRows(session.db, "clv_result", rows, fields);
  await writeOut(session.db, `SELECT * FROM clv_result`, path);
  return rows.length;
}

/** Loads rows into a local DuckDB table with the given column types (through a scratch CSV file). */
async function stageRows(db: NodeDuckDB, table: string, rows: ColumnTable | readonly Record<string, unknown>[], fields: readonly {name: string; type: string}[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "clv-rows-"));
  try {
    const scratch = join(dir, "rows.csv");
    await writeFile(scratch, toCsv(rows, {columns: fields.map((f) => f.name), escapeFormulas: false}));
    const spec = fields.map((f) => `${sqlString(f.name)}: ${sqlString(f.type)}`).join(", ");
    await db.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(scratch)}, header = true, auto_detect = false, columns = {${spec}})`);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

/**
 * Writes rows computed in JavaScript to a .csv (formula-escaped, see src/lib/format/csv.ts) or, through DuckDB, a
 * .parquet file with the given column types.
 */
export async function writeRows(
  db: NodeDuckDB,
  rows: ColumnTable | readonly Record<string, unknown>[],
  columns: readonly string[],
  path: string,
  types: Record<string, string> = {}
): Promise<void> {
  if (outputFormat(path) === "csv") {
    await writeFile(path, toCsv(rows, {columns: [...columns], escapeFormulas: true})).catch((error) => {
      throw outputError(path, error);
    });
    return;
  }
  await stageRows(db, "clv_rows", rows, columns.map((name) => ({name, type: types[name] ?? "VARCHAR"})));
  await writeOut(db, "SELECT * FROM clv_rows", path);
}
