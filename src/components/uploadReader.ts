/**
 * Reads a user's file into DuckDB-WASM the way src/node/load.ts does in Node, with the same library steps:
 * inspect the first bytes (clear messages for empty, header-only, binary, badly encoded files), read every
 * column as text into `raw`, check its shape, detect the column mapping, and clean it into `transactions`
 * with a data-quality report. CSV, TSV and whitespace-separated text are read by DuckDB itself; Parquet by
 * parquet-wasm (DuckDB-WASM runs without its network Parquet extension), handed over as Arrow.
 */
import {tableFromIPC} from "npm:apache-arrow";
import * as Parquet from "npm:parquet-wasm";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import {cleanTransactions, type DataQualityReport} from "../lib/data/clean/report.js";
import type {CleanOptions} from "../lib/data/clean/classify.js";
import {tableColumns} from "../lib/sql/filters.js";
import {sqlIdentifier} from "../lib/sql/quote.js";
import {DataError} from "../lib/errors.js";
import {readRawTable} from "../lib/data/ingest.js";
import {checkRawShape, INSPECT_BYTES, inspectBytes, normalizeNewlines, type Inspection} from "../lib/data/inspect.js";
import {applyOverrides, detectMapping, validateMapping, type Mapping, type MappingOverrides} from "../lib/data/schema.js";
import {dateWarnings, noRowsMessage} from "../lib/data/uploadMessages.js";
import type {SqlRunner} from "../lib/types.js";

export interface RawRead {
  inspection: Inspection;
  columns: string[];
  rows: number;
  /** The detected mapping before the user's overrides. */
  detected: Mapping;
  samples: Record<string, unknown>[];
}

let parquetReady: Promise<unknown> | undefined;

async function readParquetInto(client: DuckDBClient, bytes: Uint8Array, name: string): Promise<void> {
  parquetReady ??= Parquet.default(import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm"));
  await parquetReady;
  let table;
  try {
    table = tableFromIPC(Parquet.readParquet(bytes).intoIPCStream());
  } catch (error) {
    throw new DataError("unreadable", `${name}: cannot read this Parquet file (${error instanceof Error ? error.message : error})`);
  }
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

/** Reads the file's bytes into the table `raw` (all VARCHAR) and detects the mapping. Throws DataError. */
export async function readUploadRaw(client: DuckDBClient, runner: SqlRunner, bytes: Uint8Array, name: string): Promise<RawRead> {
  const inspection = inspectBytes(bytes.subarray(0, INSPECT_BYTES), {name, complete: bytes.length <= INSPECT_BYTES});
  if (inspection.format === "parquet") {
    await readParquetInto(client, bytes, name);
  } else {
    const file = `clv-upload-${inspection.format}.txt`;
    await client._db.registerFileBuffer(file, inspection.newline === "mixed" ? normalizeNewlines(bytes) : bytes.slice());
    try {
      await readRawTable(runner, file, inspection, name);
    } finally {
      await client._db.dropFile(file).catch(() => {});
    }
  }
  const columns = await tableColumns(runner, "raw");
  const [{n}] = await runner.query<{n: number}>(`SELECT count(*) AS n FROM ${sqlIdentifier("raw")}`);
  checkRawShape(columns, Number(n), name);
  const samples = await runner.query<Record<string, unknown>>(`SELECT * FROM ${sqlIdentifier("raw")} LIMIT 200`);
  return {inspection, columns, rows: Number(n), detected: detectMapping(columns, samples), samples};
}

/** Applies the user's overrides, checks the mapping and cleans `raw` into `transactions`. Throws DataError. */
export async function cleanUpload(
  runner: SqlRunner,
  raw: RawRead,
  overrides: MappingOverrides,
  options: Pick<CleanOptions, "netReturns" | "dropZero" | "dedupe" | "asOf"> = {},
  {table = "transactions"}: {table?: string} = {}
): Promise<{mapping: Mapping; report: DataQualityReport}> {
  const mapping = applyOverrides(raw.detected, overrides, raw.columns);
  const problems = validateMapping(mapping, raw.columns);
  if (problems.length > 0) throw new DataError("mapping", problems[0]);
  const cleaned = await cleanTransactions(runner, {rawTable: "raw", mapping, table, ...options});
  if (cleaned.kept === 0) throw new DataError("no_rows", noRowsMessage(cleaned));
  const report = {...cleaned, warnings: [...cleaned.warnings, ...dateWarnings(cleaned, {today: new Date().toISOString().slice(0, 10)})]};
  return {mapping, report};
}
