/**
 * Reading uploaded files into a `raw` table of VARCHAR columns, the same way in the page (DuckDB-WASM, file
 * registered with registerFileBuffer) and in Node (native DuckDB, file on disk).
 *
 * Two steps. In JS, inspectBytes (inspect.ts) looks at the first bytes of the file and says how to read it.
 * Then rawTableSql writes the DuckDB statement: the CSV reader runs with
 * auto-detection off and every column VARCHAR, so both engines read the same dialect, and a row with too few
 * or too many fields is an error (never padded or cut). describeReadError and toDataError turn the errors
 * DuckDB raises into one-line messages.
 */
import {DataError, type DataErrorCode} from "../errors.js";
import {sqlIdentifier, sqlString} from "../sql/quote.js";
import type {SqlRunner} from "../types.js";
import {describeDelimiter, type Inspection} from "./inspect.js";

function delimiterLiteral(d: string): string {
  return d === "\t" ? "'\t'" : sqlString(d);
}

/**
 * The statement that creates `table` (default "raw") from a file DuckDB can open by `file` (a path in Node, a
 * registered name in the page), as inspectBytes described it. All columns are VARCHAR.
 */
export function rawTableSql(file: string, inspection: Inspection, {table = "raw"}: {table?: string} = {}): string {
  const target = sqlIdentifier(table);
  if (inspection.format === "parquet") {
    return `CREATE OR REPLACE TABLE ${target} AS SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${sqlString(file)})`;
  }
  if (inspection.format === "whitespace") {
    const n = inspection.columns.length;
    const select = inspection.columns.map((c, i) => `fields[${i + 1}] AS ${sqlIdentifier(c)}`).join(", ");
    return `CREATE OR REPLACE TABLE ${target} AS
WITH text AS (
  SELECT string_split(replace(content, chr(13), ''), chr(10)) AS lines FROM read_text(${sqlString(file)})
), numbered AS (
  SELECT generate_subscripts(lines, 1) AS line_no, unnest(lines) AS line FROM text
), split AS (
  SELECT line_no, regexp_split_to_array(regexp_replace(line, '^\\s+|\\s+$', '', 'g'), '\\s+') AS fields
  FROM numbered
  WHERE regexp_matches(line, '\\S')${inspection.header ? ` AND line_no > (SELECT min(line_no) FROM numbered WHERE regexp_matches(line, '\\S'))` : ""}
)
SELECT ${select}, CASE WHEN len(fields) <> ${n} THEN error('ragged: line ' || line_no || ' has ' || len(fields) || ' fields, expected ${n}') END AS __clv_check
FROM split
ORDER BY line_no`;
  }
  return `CREATE OR REPLACE TABLE ${target} AS ${readCsvSelect(file, inspection, inspection.header)}`;
}

function readCsvSelect(file: string, inspection: Inspection, header: boolean, newLine?: string): string {
  const columns = inspection.columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ");
  const lines = newLine ? `, new_line = ${sqlString(newLine === "\r\n" ? "\\r\\n" : "\\n")}` : "";
  return `SELECT * FROM read_csv(${sqlString(file)}, auto_detect = false, header = ${header}, delim = ${delimiterLiteral(inspection.delimiter ?? ",")}, quote = '"', escape = '"'${lines}, columns = {${columns}})`;
}

/**
 * The statement that reads one chunk of a CSV file (lib/data/chunks.ts: whole records) into `table`: the
 * first chunk creates it as rawTableSql does, the others, which have no header line, are appended. The page
 * normalises the newlines of a "mixed" file's chunks first, as it does for a whole file.
 */
export function rawChunkSql(file: string, inspection: Inspection, {first, table = "raw"}: {first: boolean; table?: string}): string {
  if (inspection.format !== "csv") throw new Error(`rawChunkSql reads CSV chunks, not ${inspection.format}`);
  // A chunk may begin with a quoted field holding a newline, which would mislead DuckDB's guess of the
  // file's newline: a CRLF file says so.
  const newLine = inspection.newline === "\r\n" ? "\r\n" : undefined;
  if (first) return `CREATE OR REPLACE TABLE ${sqlIdentifier(table)} AS ${readCsvSelect(file, inspection, inspection.header, newLine)}`;
  return `INSERT INTO ${sqlIdentifier(table)} ${readCsvSelect(file, inspection, false, newLine)}`;
}

/**
 * An error DuckDB raised on a chunk whose first line is the file's line `linesBefore + 1`, with its line
 * number made the file's ("CSV Error on Line: 3" in the third chunk line becomes the file's line).
 */
export function shiftErrorLine(error: unknown, linesBefore: number): unknown {
  if (linesBefore === 0 || error instanceof DataError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const shifted = message.replace(/CSV Error on Line:\s*(\d+)/i, (_, line: string) => `CSV Error on Line: ${Number(line) + linesBefore}`);
  return shifted === message ? error : new Error(shifted);
}

/**
 * SQL reading a data lake into `table` (all VARCHAR): every file a glob matches (every .parquet file under a folder, say), as one
 * table, with hive partitions (`year=2024/month=01/`) as columns and columns matched by name across files.
 */
export function lakeTableSql(glob: string, format: "parquet" | "csv", {table = "raw", delimiter}: {table?: string; delimiter?: string} = {}): string {
  const options = "hive_partitioning = true, union_by_name = true";
  const source =
    format === "parquet"
      ? `read_parquet(${sqlString(glob)}, ${options})`
      : `read_csv(${sqlString(glob)}, ${options}, header = true, all_varchar = true${delimiter ? `, delim = ${delimiterLiteral(delimiter)}` : ""})`;
  return `CREATE OR REPLACE TABLE ${sqlIdentifier(table)} AS SELECT COLUMNS(*)::VARCHAR FROM ${source}`;
}

/** Drops the helper column the whitespace reader adds (call after rawTableSql for whitespace files). */
export function finishRawSql(inspection: Inspection, {table = "raw"}: {table?: string} = {}): string | null {
  return inspection.format === "whitespace" ? `ALTER TABLE ${sqlIdentifier(table)} DROP COLUMN __clv_check` : null;
}

/**
 * Reads `file` (already readable by the engine: on disk in Node, registered in DuckDB-WASM) into the table
 * `raw`, all VARCHAR; an engine error becomes a DataError naming the user's file.
 */
export async function readRawTable(runner: SqlRunner, file: string, inspection: Inspection, name: string): Promise<void> {
  try {
    await runner.query(rawTableSql(file, inspection));
    const finish = finishRawSql(inspection);
    if (finish) await runner.query(finish);
  } catch (error) {
    throw toDataError(error, {file: name});
  }
}


function firstLine(message: string): string {
  return message
    .split("\n")[0]
    .replace(/^(Invalid Input|IO|Conversion|Binder|Parser|Invalid) Error:\s*/i, "")
    .trim();
}

/** The DataError code for an error DuckDB raised while reading a file. */
export function readErrorCode(error: unknown): DataErrorCode {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DataError) return error.code;
  if (/Invalid unicode|not utf-8/i.test(message)) return "encoding";
  if (/Expected Number of Columns|ragged:/i.test(message)) return "ragged";
  if (/No files found|No such file|Cannot open file|does not exist/i.test(message)) return "not_found";
  if (/parquet|magic bytes/i.test(message)) return "binary";
  return "unreadable";
}

/**
 * One line for a person, from an error DuckDB raised while reading `context.file`: which line, what is wrong.
 * Examples: "sales.csv line 3 has 2 fields, the header has 3"; "sales.csv is not UTF-8 text (line 7)".
 */
export function describeReadError(error: unknown, context: {file?: string} = {}): string {
  const name = context.file ?? "file";
  if (error instanceof DataError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const line = /CSV Error on Line:\s*(\d+)/i.exec(message)?.[1];
  const at = line ? ` line ${line}` : "";
  const columns = /Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)/i.exec(message);
  if (columns) return `${name}${at} has ${columns[2]} fields, the header has ${columns[1]} (ragged rows)`;
  const ragged = /ragged: line (\d+) has (\d+) fields, expected (\d+)/.exec(message);
  if (ragged) return `${name} line ${ragged[1]} has ${ragged[2]} fields, the first line has ${ragged[3]} (ragged rows)`;
  if (/Invalid unicode|not utf-8/i.test(message)) return `${name} is not UTF-8 text${line ? ` (line ${line})` : ""}: re-save it as UTF-8`;
  if (/unterminated quote/i.test(message)) return `${name}${at} has a quoted value that is never closed`;
  if (/No files found|No such file|Cannot open file|does not exist/i.test(message)) return `cannot open ${name}: no such file`;
  if (/Maximum line size/i.test(message)) return `${name}${at} has a line too long to be CSV (binary data or no newlines?)`;
  if (/magic bytes|not a parquet file/i.test(message)) return `${name} is not a valid Parquet file`;
  if (/state machine|not RFC 4180|invalid state/i.test(message)) return `${name}${at} is not well-formed CSV (stray quote or mixed line endings?)`;
  return `${name}${at}: ${firstLine(message)}`;
}

/** A DataError with describeReadError's message and readErrorCode's code. */
export function toDataError(error: unknown, context: {file?: string} = {}): DataError {
  if (error instanceof DataError) return error;
  return new DataError(readErrorCode(error), describeReadError(error, context));
}
