/**
 * Loads a transactions file (CSV, TSV, whitespace-separated text, Parquet), or a data lake (a folder or glob
 * of Parquet or CSV files, hive-partitioned folders included), into native DuckDB: inspects the first bytes,
 * reads it into `raw` (all VARCHAR), detects the column mapping (overrides win), cleans it into
 * `transactions` and returns the data-quality report. mapRaw and cleanRaw do the same for any raw relation of
 * a RelationHost (src/node/warehouse.ts uses them for database tables). Every problem is a DataError with a
 * one-line message.
 */
import {open, stat, mkdtemp, rm, readdir} from "node:fs/promises";
import {createReadStream, createWriteStream} from "node:fs";
import {Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import type {NodeDuckDB} from "./duckdb.js";
import {DataError} from "../lib/errors.js";
import {lakeTableSql, readRawTable, toDataError} from "../lib/data/ingest.js";
import {checkRawShape, INSPECT_BYTES, inspectBytes} from "../lib/data/inspect.js";
import {duckdbHost, type RelationHost} from "../lib/sql/relations.js";
import {applyOverrides, detectMapping, resolveColumn, validateMapping, type Mapping} from "../lib/data/schema.js";
import {cleanTransactions, defineTransactions, type DataQualityReport} from "../lib/data/clean/report.js";
import {type DateOrder} from "../lib/data/clean/parse.js";
import {sqlIdentifier} from "../lib/sql/quote.js";

export interface LoadOptions {
  /** Overrides of the detected mapping: canonical name (or alias) → column name; see applyOverrides. */
  mapping?: Partial<Record<string, string>>;
  asOf?: string | null;
  netReturns?: boolean;
  /** Drop exact duplicates: true, false or "auto" (default: only when an order id is mapped). */
  dedupe?: boolean | "auto";
  /** Drop rows whose amount is 0 (kept as purchases by default). */
  dropZero?: boolean;
  dateOrder?: DateOrder;
  /** Force the CSV delimiter. */
  delimiter?: string;
  /** Define `transactions` as a view over the classified rows (see CleanTransactionsOptions.lazy). */
  lazy?: boolean;
  /** Called with short progress messages ("reading sales.csv (120 MB)"). */
  onProgress?: (message: string) => void;
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(INSPECT_BYTES);
    const {bytesRead} = await handle.read(buffer, 0, INSPECT_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Copies a file with every CRLF or lone CR turned into LF (streaming; a CR at a chunk end is carried over). */
async function copyWithLf(from: string, to: string): Promise<void> {
  let pendingCr = false;
  const fix = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out: number[] = [];
      let i = 0;
      if (pendingCr) {
        out.push(10);
        if (chunk[0] === 10) i = 1;
        pendingCr = false;
      }
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 13) {
          if (i === chunk.length - 1) pendingCr = true;
          else {
            out.push(10);
            if (chunk[i + 1] === 10) i++;
          }
        } else out.push(b);
      }
      callback(null, Buffer.from(out));
    },
    flush(callback) {
      callback(null, pendingCr ? Buffer.from([10]) : undefined);
    }
  });
  await pipeline(createReadStream(from), fix, createWriteStream(to));
}

function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/**
 * Reads `path` into the table `raw` of db and returns the detected mapping with overrides applied (not yet
 * validated). Exposed for callers that want to show the mapping before cleaning.
 */
export async function loadRawFile(
  db: NodeDuckDB,
  path: string,
  options: Pick<LoadOptions, "mapping" | "delimiter" | "onProgress"> = {}
): Promise<{mapping: Mapping; columns: string[]; rows: number}> {
  const lake = await lakeFormat(path);
  if (lake) return loadRawLake(db, lake, options);
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DataError("unreadable", `${path} is a directory, not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataError("not_found", `cannot open ${path}: no such file`);
    if (code === "EACCES") throw new DataError("unreadable", `cannot open ${path}: permission denied`);
    throw new DataError("unreadable", `cannot open ${path}: ${(error as Error).message}`);
  }
  const head = await readHead(path);
  const inspection = inspectBytes(head, {name, complete: size <= head.length, delimiter: options.delimiter});
  options.onProgress?.(`reading ${name} (${formatSize(size)})`);

  let source = path;
  let scratch: string | undefined;
  try {
    if (inspection.format === "csv" && inspection.newline === "mixed") {
      // Native DuckDB rejects files whose lines end in both LF and CRLF (CDNOW's CSV does): read an LF copy.
      scratch = await mkdtemp(join(tmpdir(), "clv-"));
      source = join(scratch, name);
      await copyWithLf(path, source);
    }
    await readRawTable(db, source, inspection, name);
  } finally {
    if (scratch) await rm(scratch, {recursive: true, force: true});
  }

  return mapRaw(duckdbHost(db), "raw", name, options);
}

/** True for a path that names a data lake: a glob (* ? [) or a folder. */
async function lakeFormat(path: string): Promise<{glob: string; format: "parquet" | "csv"} | null> {
  if (/[*?[]/.test(path)) {
    const ext = /\.(parquet|csv)$/i.exec(path)?.[1].toLowerCase();
    if (!ext) throw new DataError("usage", `a glob must end in .parquet or .csv, got '${path}'`);
    return {glob: path, format: ext === "parquet" ? "parquet" : "csv"};
  }
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    return null;
  }
  if (!isDir) return null;
  const files = (await readdir(path, {recursive: true})).map(String);
  const has = (ext: string) => files.some((f) => f.toLowerCase().endsWith(ext));
  if (has(".parquet") && has(".csv")) throw new DataError("usage", `${path} holds both .parquet and .csv files: name one kind with a glob such as '${join(path, "**", "*.parquet")}'`);
  if (has(".parquet")) return {glob: join(path, "**", "*.parquet"), format: "parquet"};
  if (has(".csv")) return {glob: join(path, "**", "*.csv"), format: "csv"};
  throw new DataError("not_found", `${path} is a folder without .parquet or .csv files`);
}

/** Reads a lake into `raw` of db and maps it; see loadRawFile. */
async function loadRawLake(
  db: NodeDuckDB,
  lake: {glob: string; format: "parquet" | "csv"},
  options: Pick<LoadOptions, "mapping" | "delimiter" | "onProgress">
): Promise<{mapping: Mapping; columns: string[]; rows: number}> {
  options.onProgress?.(`reading ${lake.glob}`);
  try {
    await db.run(lakeTableSql(lake.glob, lake.format, {delimiter: options.delimiter}));
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    if (/no files found/i.test(message)) throw new DataError("not_found", `no file matches ${lake.glob}`);
    throw toDataError(error, {file: lake.glob});
  }
  return mapRaw(duckdbHost(db), "raw", lake.glob, options);
}

/**
 * Detects the mapping of the raw relation `raw` of host (all VARCHAR) from its columns and first 200 rows,
 * with the overrides applied. An override naming a column the relation lacks is a usage error.
 */
export async function mapRaw(
  host: RelationHost,
  raw: string,
  name: string,
  options: Pick<LoadOptions, "mapping"> = {}
): Promise<{mapping: Mapping; columns: string[]; rows: number}> {
  const columns = await host.columns(raw);
  const [{n}] = await host.query<{n: number}>(`SELECT count(*) AS n FROM ${sqlIdentifier(raw)}`);
  checkRawShape(columns, Number(n), name);
  for (const [key, column] of Object.entries(options.mapping ?? {})) {
    for (const part of String(column).split("*").map((c) => c.trim())) {
      const unmapped = part === "" || part === "-" || part.toLowerCase() === "none";
      if (!unmapped && !columns.includes(resolveColumn(part, columns))) {
        throw new DataError("usage", `${name} has no column '${part}' (for ${key}; columns: ${columns.join(", ")})`);
      }
    }
  }
  const samples = await host.query<Record<string, unknown>>(`SELECT * FROM ${sqlIdentifier(raw)} LIMIT 200`);
  const mapping = applyOverrides(detectMapping(columns, samples), options.mapping ?? {}, columns);
  return {mapping, columns, rows: Number(n)};
}

/** Validates the mapping and cleans `raw` of host into `table`; see cleanTransactions. */
export async function cleanRaw(
  host: RelationHost,
  {raw, table, name, mapping, columns, rows}: {raw: string; table: string; name: string; mapping: Mapping; columns: string[]; rows: number},
  options: LoadOptions = {}
): Promise<DataQualityReport> {
  const problems = validateMapping(mapping, columns);
  if (problems.length > 0) throw new DataError("mapping", `${name}: ${problems[0]}`);
  options.onProgress?.(`cleaning ${rows.toLocaleString("en-US")} rows`);
  return cleanTransactions(host, {
    rawTable: raw,
    table,
    mapping,
    asOf: options.asOf ?? null,
    netReturns: options.netReturns ?? false,
    dedupe: options.dedupe ?? "auto",
    dropZero: options.dropZero ?? false,
    dateOrder: options.dateOrder,
    lazy: options.lazy ?? false
  });
}

/**
 * Loads `path` into db: `raw` holds the file as read, `transactions` the cleaned rows. Throws DataError with a
 * one-line message when the file cannot be read, the mapping does not fit, or an option is bad.
 */
export async function loadTransactionsFile(
  db: NodeDuckDB,
  path: string,
  options: LoadOptions = {}
): Promise<{report: DataQualityReport; mapping: Mapping}> {
  const {mapping, columns, rows} = await loadRawFile(db, path, options);
  const report = await cleanRaw(duckdbHost(db), {raw: "raw", table: "transactions", name: basename(path), mapping, columns, rows}, options);
  return {report, mapping};
}

/**
 * loadTransactionsFile without the data-quality report, for a command that shows none: `raw` holds the file,
 * `transactions` is a view of the kept rows (the same rows, see defineTransactions). Returns the mapping, the
 * rows read and whether any was kept.
 */
export async function loadTransactionsView(
  db: NodeDuckDB,
  path: string,
  options: LoadOptions = {}
): Promise<{mapping: Mapping; rows: number; anyKept: boolean}> {
  const {mapping, columns} = await loadRawFile(db, path, options);
  const problems = validateMapping(mapping, columns);
  if (problems.length > 0) throw new DataError("mapping", `${basename(path)}: ${problems[0]}`);
  const {rows, anyKept} = await defineTransactions(duckdbHost(db), {
    rawTable: "raw",
    table: "transactions",
    mapping,
    asOf: options.asOf ?? null,
    netReturns: options.netReturns ?? false,
    dedupe: options.dedupe ?? "auto",
    dropZero: options.dropZero ?? false,
    dateOrder: options.dateOrder
  });
  return {mapping, rows, anyKept};
}
