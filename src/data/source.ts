/**
 * Shared helpers of the data loaders (a plain module, not a loader): where the transactions come from
 * (the user's own file, or the generated demo), loading them into native DuckDB as the canonical
 * `transactions` table, and writing Parquet.
 *
 * Source choice, first match wins:
 * 1. the environment variable CLV_DATA names a .csv or .parquet file, or a folder or glob of them (a data
 *    lake, hive partitions included; relative to the project root), or is
 *    `demo` to force the demo;
 * 2. the folder data/ holds exactly one .csv or .parquet file;
 * 3. otherwise the deterministic demo (src/lib/data/demo.ts).
 */
import {sqlString} from "../lib/sql/quote.js";
import {existsSync, readdirSync, statSync} from "node:fs";
import {extname, join, resolve} from "node:path";
import {DOUBLE, DuckDBDataChunk, INTEGER, UTINYINT, type DuckDBVector} from "@duckdb/node-api";
import {demoBatches, type DemoBatch, type DemoOptions} from "../lib/data/demo.js";
import {CATEGORIES, OFFER_TYPES, PARTNERS, PROVINCES, SEGMENTS} from "../lib/data/demo-catalogue.js";
import type {NodeDuckDB} from "../node/duckdb.js";

export type DataSource = {kind: "demo"} | {kind: "file"; path: string};

const DATA_EXTENSIONS = new Set([".csv", ".parquet"]);

export interface ResolveSourceOptions {
  env?: Record<string, string | undefined>;
  /** The project root (Framework runs loaders with the root as working directory). */
  root?: string;
  /** The folder for the user's own data, relative to root. */
  dataDir?: string;
}

/** Which transactions the loaders should ship: the user's own file, or the demo. Throws on a bad CLV_DATA. */
export function resolveSource({env = process.env, root = process.cwd(), dataDir = "data"}: ResolveSourceOptions = {}): DataSource {
  const named = env.CLV_DATA?.trim();
  if (named?.toLowerCase() === "demo") return {kind: "demo"};
  if (named) {
    const path = resolve(root, named);
    // A folder or a glob is a data lake: its Parquet or CSV files are read as one table (src/node/load.ts).
    if (/[*?[]/.test(named) || (existsSync(path) && statSync(path).isDirectory())) return {kind: "file", path};
    if (!DATA_EXTENSIONS.has(extname(path).toLowerCase())) {
      throw new Error(`CLV_DATA must name a .csv or .parquet file, a folder or a glob of them, got ${JSON.stringify(named)}`);
    }
    if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`CLV_DATA names a missing file: ${path}`);
    return {kind: "file", path};
  }
  const dir = resolve(root, dataDir);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const files = readdirSync(dir)
      .filter((name) => !name.startsWith(".") && DATA_EXTENSIONS.has(extname(name).toLowerCase()))
      .filter((name) => statSync(join(dir, name)).isFile())
      .sort();
    if (files.length === 1) return {kind: "file", path: join(dir, files[0])};
  }
  return {kind: "demo"};
}

/** A SQL string literal. */
export {sqlString};

function sqlList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(", ")}]`;
}

/** Staging columns: the demo's numeric batch columns, in this order. */
const STAGING: readonly [keyof DemoBatch, string, typeof INTEGER | typeof DOUBLE | typeof UTINYINT][] = [
  ["customer", "customer", INTEGER],
  ["orderNumber", "order_number", INTEGER],
  ["day", "day", INTEGER],
  ["amount", "amount", DOUBLE],
  ["cost", "cost", DOUBLE],
  ["quantity", "quantity", INTEGER],
  ["province", "province", UTINYINT],
  ["segment", "segment", UTINYINT],
  ["category", "category", UTINYINT],
  ["partner", "partner", UTINYINT],
  ["offerType", "offer_type", UTINYINT]
];

/** SQL that turns the numeric staging table into the canonical columns, in canonical order. */
export function demoCanonicalSql(staging: string): string {
  return `SELECT
  printf('C%07d', customer + 1) AS customer_id,
  CAST(DATE '1970-01-01' + day AS DATE) AS order_date,
  amount,
  printf('C%07d-%03d', customer + 1, order_number) AS order_id,
  quantity,
  cost,
  ${sqlList(PROVINCES.map((p) => p.region))}[province + 1] AS region,
  ${sqlList(PROVINCES.map((p) => p.name))}[province + 1] AS province,
  ${sqlList(PARTNERS)}[partner + 1] AS partner,
  ${sqlList(OFFER_TYPES)}[offer_type + 1] AS offer_type,
  ${sqlList(CATEGORIES.map((c) => c.name))}[category + 1] AS category,
  ${sqlList(SEGMENTS)}[segment + 1] AS customer_segment
FROM ${staging}`;
}

/**
 * Generates the demo straight into DuckDB (appender, 2,048-row data chunks; memory in JS stays one batch)
 * and leaves it as table `table` in canonical form, sorted by order date and order id.
 */
export async function loadDemo(
  db: NodeDuckDB,
  {table = "transactions", ...options}: DemoOptions & {table?: string; batchCustomers?: number} = {}
): Promise<{rows: number}> {
  const staging = `${table}_demo_staging`;
  await db.run(`CREATE OR REPLACE TEMP TABLE ${staging} (${STAGING.map(([, name, type]) => `${name} ${type}`).join(", ")})`);
  const appender = await db.connection.createAppender(staging);
  const chunk = DuckDBDataChunk.create(STAGING.map(([, , type]) => type), 2048);
  let rows = 0;
  try {
    for (const batch of demoBatches(options)) {
      for (let offset = 0; offset < batch.length; offset += 2048) {
        const n = Math.min(2048, batch.length - offset);
        chunk.rowCount = n;
        STAGING.forEach(([key], j) => {
          const vector = chunk.getColumnVector(j) as DuckDBVector<number>;
          const source = batch[key] as Int32Array | Float64Array | Uint8Array;
          for (let i = 0; i < n; i++) vector.setItem(i, source[offset + i]);
          vector.flush();
        });
        appender.appendDataChunk(chunk);
        rows += n;
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await db.run(`CREATE OR REPLACE TABLE ${table} AS ${demoCanonicalSql(staging)} ORDER BY order_date, order_id`);
  await db.run(`DROP TABLE ${staging}`);
  return {rows};
}

/**
 * Loads the chosen source as the canonical table `transactions`. For a file, the column mapping and
 * cleaning are src/node/load.ts's (imported lazily so the demo path never needs it).
 */
export async function loadSource(db: NodeDuckDB, source: DataSource, demoOptions: DemoOptions = {}): Promise<void> {
  if (source.kind === "demo") {
    await loadDemo(db, demoOptions);
    return;
  }
  const {loadTransactionsFile} = await import("../node/load.js");
  const {report} = await loadTransactionsFile(db, source.path);
  process.stderr.write(`loaded ${source.path}: ${JSON.stringify(report)}\n`);
}

/**
 * Writes a query's rows to a Parquet file. By default single-threaded, so that the same data always gives
 * the same bytes (row groups are cut at the same rows); benchmarks pass `deterministic: false`.
 */
export async function writeParquet(
  db: NodeDuckDB,
  query: string,
  path: string,
  {
    compression = "zstd",
    rowGroupSize = 122_880,
    deterministic = true
  }: {compression?: "zstd" | "snappy"; rowGroupSize?: number; deterministic?: boolean} = {}
): Promise<void> {
  const copy = `COPY (${query}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE ${rowGroupSize})`;
  if (!deterministic) return db.run(copy);
  const [{threads}] = await db.query<{threads: number}>(`SELECT current_setting('threads') AS threads`);
  await db.run(`SET threads = 1`);
  try {
    await db.run(copy);
  } finally {
    await db.run(`SET threads = ${Number(threads)}`);
  }
}
