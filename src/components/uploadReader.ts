/**
 * Reads a user's file into DuckDB-WASM the way src/node/load.ts does in Node, with the same library steps:
 * inspect the first bytes (clear messages for empty, header-only, binary, badly encoded files), read every
 * column as text into `raw`, check its shape, detect the column mapping, and clean it into `transactions`
 * with a data-quality report. CSV, TSV and whitespace-separated text are read by DuckDB itself; Parquet by
 * parquet-wasm (DuckDB-WASM runs without its network Parquet extension), handed over as Arrow.
 */
import {tableFromIPC, type Table} from "npm:apache-arrow";
import * as Parquet from "npm:parquet-wasm";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import {cleanTransactionsInChunks, type ChunkedOptions} from "../lib/data/clean/chunked.js";
import type {CleanOptions} from "../lib/data/clean/classify.js";
import {tableColumns} from "../lib/sql/filters.js";
import {sqlIdentifier} from "../lib/sql/quote.js";
import {DataError} from "../lib/errors.js";
import {ownsBuffer} from "../lib/sql/slices.js";
import {rawChunkSql, readRawTable, shiftErrorLine, toDataError} from "../lib/data/ingest.js";
import {RecordChunker, type Chunk} from "../lib/data/chunks.js";
import {EngineStopped, guard} from "./engineWatch.js";
import {checkRawShape, INSPECT_BYTES, inspectBytes, normalizeNewlines, type Inspection} from "../lib/data/inspect.js";
import {applyOverrides, detectMapping, validateMapping, type Mapping, type MappingOverrides} from "../lib/data/schema.js";
import {dateWarnings, isOutOfMemory, noRowsMessage, tooLargeMessage} from "../lib/data/uploadMessages.js";
import type {SqlRunner} from "../lib/types.js";

export interface RawRead {
  /** The file's name and size in bytes, for messages. */
  name: string;
  size: number;
  inspection: Inspection;
  columns: string[];
  rows: number;
  /** The detected mapping before the user's overrides. */
  detected: Mapping;
  samples: Record<string, unknown>[];
}

let parquetReady: Promise<unknown> | undefined;

/** A Parquet file's bytes as an Arrow table (parquet-wasm, started once); a file it cannot read is a DataError naming it. */
export async function parquetTable(bytes: Uint8Array, name: string): Promise<Table> {
  parquetReady ??= Parquet.default(import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm"));
  await parquetReady;
  try {
    return tableFromIPC(Parquet.readParquet(bytes).intoIPCStream());
  } catch (error) {
    throw new DataError("unreadable", `${name}: cannot read this Parquet file (${error instanceof Error ? error.message : error})`);
  }
}

async function readParquetInto(client: DuckDBClient, bytes: Uint8Array, name: string): Promise<void> {
  const table = await parquetTable(bytes, name);
  const connection = await client._db.connect();
  try {
    await connection.query(`DROP TABLE IF EXISTS clv_upload_typed`);
    await connection.insertArrowTable(table, {name: "clv_upload_typed", create: true});
    await connection.query(`CREATE OR REPLACE TABLE ${sqlIdentifier("raw")} AS SELECT COLUMNS(*)::VARCHAR FROM clv_upload_typed`);
    await connection.query(`DROP TABLE clv_upload_typed`);
  } finally {
    await connection.close();
  }
}

/** How far readUploadRaw has got: bytes of the file read, rows in `raw` so far. */
export interface ReadProgress {
  bytesRead: number;
  size: number;
  rows: number;
}

/** The size of the pieces a CSV file is read into DuckDB by (whole records, lib/data/chunks.ts). */
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** A buffer DuckDB-WASM may take over (registerFileBuffer transfers the whole underlying ArrayBuffer). */
function own(bytes: Uint8Array): Uint8Array {
  return ownsBuffer(bytes) ? bytes : bytes.slice();
}

async function countRows(runner: SqlRunner): Promise<number> {
  const [{n}] = await runner.query<{n: number}>(`SELECT count(*) AS n FROM ${sqlIdentifier("raw")}`);
  return Number(n);
}

/**
 * Reads a CSV file into `raw` a chunk of whole records at a time: the file is streamed, each chunk is
 * registered with DuckDB, appended and dropped, so neither the page nor DuckDB ever holds the whole file; the
 * next chunk is read while one is appended.
 */
async function readCsvChunks(
  client: DuckDBClient,
  runner: SqlRunner,
  file: Blob,
  name: string,
  inspection: Inspection,
  progress: (p: ReadProgress) => void
): Promise<void> {
  const chunker = new RecordChunker(CHUNK_BYTES);
  const reader = file.stream().getReader();
  let bytesRead = 0;
  let rows = 0;
  let index = 0;
  const insert = async (chunk: Chunk) => {
    const registered = `clv-upload-chunk-${index}.csv`;
    const bytes = inspection.newline === "mixed" ? normalizeNewlines(chunk.bytes) : chunk.bytes;
    await guard(client, client._db.registerFileBuffer(registered, own(bytes)));
    let added: unknown;
    try {
      // DuckDB answers a CREATE TABLE AS or an INSERT with the rows it wrote (Count).
      const [written] = await guard(client, runner.query<{Count?: unknown}>(rawChunkSql(registered, inspection, {first: index === 0})));
      added = written?.Count;
    } catch (error) {
      if (error instanceof EngineStopped || isOutOfMemory(error)) {
        throw new DataError("unreadable", tooLargeMessage({name, size: file.size, bytesRead: chunk.offset, rows, detail: (error as Error).message}));
      }
      throw toDataError(shiftErrorLine(error, chunk.linesBefore), {file: name});
    } finally {
      await client._db.dropFile(registered).catch(() => {});
    }
    index++;
    rows = added !== undefined && added !== null ? rows + Number(added) : await guard(client, countRows(runner));
    progress({bytesRead, size: file.size, rows});
  };
  // One chunk is inserted while the next is read and cut (DuckDB runs in its worker): at most two chunks
  // are held at a time, and chunks are inserted one after the other, in file order.
  let inserting: Promise<void> = Promise.resolve();
  let failed = false;
  const next = async (chunk: Chunk) => {
    await inserting;
    inserting = insert(chunk);
    inserting.catch(() => (failed = true));
  };
  try {
    for (;;) {
      if (failed) await inserting;
      const {done, value} = await reader.read();
      if (done) break;
      bytesRead += value.length;
      const ready = chunker.push(value);
      if (ready.length === 0) progress({bytesRead, size: file.size, rows});
      for (const chunk of ready) await next(chunk);
    }
    for (const chunk of chunker.finish()) await next(chunk);
    await inserting;
  } finally {
    reader.releaseLock();
  }
  if (bytesRead !== file.size) throw new DataError("unreadable", `${name} changed while it was being read (${bytesRead} of ${file.size} bytes)`);
}

/**
 * Reads the file into the table `raw` (all VARCHAR) and detects the mapping; `progress` hears how far it got
 * (CSV files are streamed in chunks; Parquet and whitespace-separated text are read whole). Throws DataError,
 * also when the file is more than the page's DuckDB can hold (with its size and what to do).
 */
export async function readUploadRaw(
  client: DuckDBClient,
  runner: SqlRunner,
  file: Blob,
  name: string,
  {progress = () => {}}: {progress?: (p: ReadProgress) => void} = {}
): Promise<RawRead> {
  const head = new Uint8Array(await file.slice(0, INSPECT_BYTES).arrayBuffer());
  const inspection = inspectBytes(head, {name, complete: file.size <= INSPECT_BYTES});
  try {
    if (inspection.format === "csv") {
      await readCsvChunks(client, runner, file, name, inspection, progress);
    } else {
      const bytes = new Uint8Array(await file.arrayBuffer());
      progress({bytesRead: bytes.length, size: file.size, rows: 0});
      if (inspection.format === "parquet") {
        await guard(client, readParquetInto(client, bytes, name));
      } else {
        const registered = `clv-upload-${inspection.format}.txt`;
        await guard(client, client._db.registerFileBuffer(registered, inspection.newline === "mixed" ? normalizeNewlines(bytes) : bytes));
        try {
          await guard(client, readRawTable(runner, registered, inspection, name));
        } finally {
          await client._db.dropFile(registered).catch(() => {});
        }
      }
    }
    const columns = await guard(client, tableColumns(runner, "raw"));
    const n = await guard(client, countRows(runner));
    checkRawShape(columns, n, name);
    const samples = await guard(client, runner.query<Record<string, unknown>>(`SELECT * FROM ${sqlIdentifier("raw")} LIMIT 200`));
    progress({bytesRead: file.size, size: file.size, rows: n});
    return {name, size: file.size, inspection, columns, rows: n, detected: detectMapping(columns, samples), samples};
  } catch (error) {
    if (error instanceof DataError) throw error;
    if (error instanceof EngineStopped || isOutOfMemory(error)) {
      throw new DataError("unreadable", tooLargeMessage({name, size: file.size, detail: (error as Error).message}));
    }
    throw toDataError(error, {file: name});
  }
}

/**
 * Applies the user's overrides, checks the mapping and cleans `raw` into `transactions`, a chunk of rows at a
 * time (`progress` hears the rows cleaned so far). Throws DataError.
 */
export async function cleanUpload(
  runner: SqlRunner,
  raw: RawRead,
  overrides: MappingOverrides,
  options: Pick<CleanOptions, "netReturns" | "dropZero" | "dedupe" | "asOf"> = {},
  {table = "transactions", progress, chunkRows}: {table?: string} & ChunkedOptions = {}
): Promise<{mapping: Mapping; report: DataQualityReport}> {
  const mapping = applyOverrides(raw.detected, overrides, raw.columns);
  const problems = validateMapping(mapping, raw.columns);
  if (problems.length > 0) throw new DataError("mapping", problems[0]);
  let cleaned;
  try {
    // A chunk of rows at a time, so that the page can count the rows cleaned so far (chunked.ts): the same
    // report and rows as one pass.
    // Lean: without the columns the mapping gives no source for (NULL in every row, yet held in memory).
    cleaned = await cleanTransactionsInChunks(runner, {rawTable: "raw", mapping, table, ...options, progress, chunkRows, lean: true});
  } catch (error) {
    if (error instanceof EngineStopped || isOutOfMemory(error)) {
      throw new DataError("unreadable", tooLargeMessage({name: raw.name, size: raw.size, rows: raw.rows, detail: (error as Error).message}));
    }
    throw error;
  }
  if (cleaned.kept === 0) throw new DataError("no_rows", noRowsMessage(cleaned));
  const report = {...cleaned, warnings: [...cleaned.warnings, ...dateWarnings(cleaned, {today: new Date().toISOString().slice(0, 10)})]};
  return {mapping, report};
}
