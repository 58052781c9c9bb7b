/**
 * Loads a transactions file (CSV, TSV, whitespace-separated text, Parquet) into native DuckDB: inspects the
 * first bytes, reads it into `raw` (all VARCHAR), detects the column mapping (overrides win), cleans it into
 * `transactions` and returns the data-quality report. Every problem is a DataError with a one-line message.
 */
import {open, stat, mkdtemp, rm} from "node:fs/promises";
import {createReadStream, createWriteStream} from "node:fs";
import {Transform} from "node:stream";
import {pipeline} from "node:stream/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import type {NodeDuckDB} from "./duckdb.js";
import {DataError} from "../lib/errors.js";
import {INSPECT_BYTES, checkRawShape, finishRawSql, inspectBytes, rawTableSql, toDataError} from "../lib/data/ingest.js";
import {applyOverrides, detectMapping, validateMapping, type Mapping} from "../lib/data/schema.js";
import {cleanTransactions, tableColumns, type DataQualityReport} from "../lib/data/clean/report.js";
import {ident, type DateOrder} from "../lib/data/clean/parse.js";

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
    try {
      await db.run(rawTableSql(source, inspection));
      const finish = finishRawSql(inspection);
      if (finish) await db.run(finish);
    } catch (error) {
      throw toDataError(error, {file: name});
    }
  } finally {
    if (scratch) await rm(scratch, {recursive: true, force: true});
  }

  const columns = await tableColumns(db, "raw");
  const [{n}] = await db.query<{n: number}>(`SELECT count(*) AS n FROM ${ident("raw")}`);
  checkRawShape(columns, Number(n), name);
  const samples = await db.query<Record<string, unknown>>(`SELECT * FROM ${ident("raw")} LIMIT 200`);
  const mapping = applyOverrides(detectMapping(columns, samples), options.mapping ?? {}, columns);
  return {mapping, columns, rows: Number(n)};
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
  const problems = validateMapping(mapping, columns);
  if (problems.length > 0) throw new DataError("mapping", `${basename(path)}: ${problems[0]}`);
  options.onProgress?.(`cleaning ${rows.toLocaleString("en-US")} rows`);
  const report = await cleanTransactions(db, {
    rawTable: "raw",
    mapping,
    asOf: options.asOf ?? null,
    netReturns: options.netReturns ?? false,
    dedupe: options.dedupe ?? "auto",
    dropZero: options.dropZero ?? false,
    dateOrder: options.dateOrder
  });
  return {report, mapping};
}
