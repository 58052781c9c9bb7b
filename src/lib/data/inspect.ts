/**
 * Inspecting an uploaded file's first bytes (64 KiB are plenty) in JS, before any engine reads it: inspectBytes
 * either throws a DataError naming the problem (empty, header only, binary, not UTF-8, NUL bytes, a spreadsheet
 * or archive) or says how to read it: CSV with a delimiter it sniffed itself and the header's column names,
 * whitespace-separated text, or Parquet. ingest.ts then reads the file as it says.
 */
import {DataError} from "../errors.js";

export type FileFormat = "csv" | "whitespace" | "parquet";

export interface Inspection {
  format: FileFormat;
  /** CSV only: the field delimiter. */
  delimiter?: string;
  /** Whether the first line is a header (false for files whose first line looks like data). */
  header: boolean;
  /** Column names as the raw table will have them (header names made unique; column0… without header). */
  columns: string[];
  /** Newlines seen in the inspected bytes; "mixed" files should go through normalizeNewlines (see below). */
  newline: "\n" | "\r\n" | "mixed" | "none";
  bom: boolean;
}

export interface InspectOptions {
  /** File name, for messages and the extension hint (.tsv prefers tabs, .parquet expects Parquet). */
  name?: string;
  /** True when `bytes` is the whole file (so one line means "header only"). Default true. */
  complete?: boolean;
  /** Force the CSV delimiter instead of sniffing it. */
  delimiter?: string;
}

/** How many bytes inspectBytes needs at most. */
export const INSPECT_BYTES = 65536;

const DELIMITERS = [",", "\t", ";", "|"];

export function describeDelimiter(d: string): string {
  return d === "\t" ? "tab" : d === " " ? "space" : `'${d}'`;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Offset of the first byte that is not valid UTF-8, or -1. A sequence cut at the end of `bytes` is fine. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) {
      // Truncated at the end of the inspected bytes: accept if what is there is well formed.
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k] & 0xc0) !== 0x80) return i;
      return -1;
    }
    let code = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 10) line++;
  return line;
}

/** Splits one CSV line on a delimiter, honouring double quotes ("" inside quotes is a quote). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Splits text into lines without breaking quoted values that contain newlines. */
function csvLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) {
      lines.push(text.slice(start, i).replace(/\r$/, ""));
      start = i + 1;
    }
  }
  if (lines.length < max && start < text.length) lines.push(text.slice(start).replace(/\r$/, ""));
  return lines;
}

/** Makes header names usable and unique: blanks become columnN, repeats get _1, _2… (as DuckDB does). */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    let name = raw.trim() === "" ? `column${i}` : raw.trim();
    if (seen.has(name)) {
      let k = 1;
      while (seen.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    seen.add(name);
    return name;
  });
}

const DATA_LIKE = /^\s*(-?[$€£]?\d[\d,]*(\.\d+)?|\d{4}-\d{1,2}-\d{1,2}.*|\d{1,2}\/\d{1,2}\/\d{2,4}.*)\s*$/;

function looksLikeData(fields: readonly string[]): boolean {
  return fields.length > 0 && fields.every((f) => DATA_LIKE.test(f));
}

function newlineKind(text: string): Inspection["newline"] {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  if (lf === 0) return "none";
  if (crlf === 0) return "\n";
  return crlf === lf ? "\r\n" : "mixed";
}

/**
 * Looks at the first bytes of a file and says how to read it, or throws a DataError naming what is wrong:
 * empty, header_only, binary (with the kind when recognisable: Excel, ZIP, gzip, PDF, image, UTF-16),
 * encoding (NUL bytes, or not UTF-8, with the line of the first bad byte).
 */
export function inspectBytes(bytes: Uint8Array, {name = "file", complete = true, delimiter}: InspectOptions = {}): Inspection {
  const head = bytes.subarray(0, INSPECT_BYTES);
  if (head.length === 0) throw new DataError("empty", `${name} is empty`);
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) {
    return {format: "parquet", header: true, columns: [], newline: "none", bom: false};
  }
  if (/\.parquet$/i.test(name)) throw new DataError("binary", `${name} is not a Parquet file (no PAR1 magic bytes)`);
  const kinds: [number[], string][] = [
    [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (an .xlsx workbook?): export it as CSV"],
    [[0xd0, 0xcf, 0x11, 0xe0], "an Excel .xls workbook: export it as CSV"],
    [[0x1f, 0x8b], "gzip-compressed: decompress it first"],
    [[0x25, 0x50, 0x44, 0x46], "a PDF document, not a data file"],
    [[0x89, 0x50, 0x4e, 0x47], "a PNG image, not a data file"],
    [[0xff, 0xd8, 0xff], "a JPEG image, not a data file"],
    [[0xff, 0xfe], "UTF-16 text: re-save it as UTF-8"],
    [[0xfe, 0xff], "UTF-16 text: re-save it as UTF-8"]
  ];
  for (const [magic, what] of kinds) {
    if (startsWith(head, magic)) {
      throw new DataError(what.startsWith("UTF-16") ? "encoding" : "binary", `${name} is ${what}`);
    }
  }
  let controls = 0;
  let firstNul = -1;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0 && firstNul < 0) firstNul = i;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) controls++;
  }
  if (controls > head.length * 0.05 || (firstNul >= 0 && firstInvalidUtf8(head) >= 0)) {
    throw new DataError("binary", `${name} is a binary file, not CSV, TSV or Parquet`);
  }
  if (firstNul >= 0) {
    throw new DataError("encoding", `${name} contains NUL bytes (first on line ${lineOf(head, firstNul)}): not a plain text file`);
  }
  const bad = firstInvalidUtf8(head);
  if (bad >= 0) {
    const byte = head[bad].toString(16).toUpperCase().padStart(2, "0");
    throw new DataError(
      "encoding",
      `${name} is not UTF-8 text (byte 0x${byte} on line ${lineOf(head, bad)}; Latin-1 or Windows-1252?): re-save it as UTF-8`
    );
  }
  const bom = startsWith(head, [0xef, 0xbb, 0xbf]);
  let text = new TextDecoder("utf-8").decode(bom ? head.subarray(3) : head);
  // Drop a possibly cut last line when the bytes are only the beginning of the file.
  if (!complete && text.lastIndexOf("\n") > 0) text = text.slice(0, text.lastIndexOf("\n") + 1);
  const lines = csvLines(text, 50).filter((line) => line.trim() !== "");
  if (lines.length === 0) throw new DataError("empty", `${name} has no data (only blank lines)`);
  const newline = newlineKind(text);

  const preferTab = /\.tsv$/i.test(name);
  const candidates = delimiter ? [delimiter] : preferTab ? ["\t", ...DELIMITERS.filter((d) => d !== "\t")] : DELIMITERS;
  let best: {delimiter: string; fields: number; consistent: boolean} | undefined;
  for (const d of candidates) {
    const counts = lines.map((line) => splitCsvLine(line, d).length);
    const fields = counts[0];
    if (fields < 2 && !delimiter) continue;
    const consistent = counts.every((c) => c === fields);
    const better =
      !best || (consistent && !best.consistent) || (consistent === best.consistent && fields > best.fields);
    if (better) best = {delimiter: d, fields, consistent};
  }
  if (!delimiter && !best) {
    // Whitespace-separated text (like CDNOW_sample.txt): same number of tokens on every line.
    const tokens = lines.map((line) => line.trim().split(/\s+/).length);
    if (tokens[0] > 1 && tokens.every((n) => n === tokens[0])) {
      const first = lines[0].trim().split(/\s+/);
      const header = !looksLikeData(first);
      if (header && lines.length === 1 && complete) throw new DataError("header_only", `${name} has a header but no data rows`);
      return {
        format: "whitespace",
        header,
        columns: header ? uniqueColumnNames(first) : first.map((_, i) => `column${i}`),
        newline,
        bom
      };
    }
  }
  const d = best?.delimiter ?? ",";
  const first = splitCsvLine(lines[0], d);
  if (first.length === 1) checkRawShape(first, 1, name);
  const header = !(lines.length > 1 && looksLikeData(first));
  if (header && lines.length === 1 && complete) {
    throw new DataError("header_only", `${name} has a header but no data rows`);
  }
  return {
    format: "csv",
    delimiter: d,
    header,
    columns: header ? uniqueColumnNames(first) : first.map((_, i) => `column${i}`),
    newline,
    bom
  };
}

/** Replaces CRLF and lone CR by LF (for files whose lines end differently, which native DuckDB rejects). */
export function normalizeNewlines(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 13) {
      out[n++] = 10;
      if (bytes[i + 1] === 10) i++;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Checks the raw table's shape: no rows means header only; a single column whose name holds ';', tab or '|'
 * means the wrong delimiter was used. Throws DataError, or returns nothing.
 */
export function checkRawShape(columns: readonly string[], rows: number, name = "file"): void {
  if (columns.length === 1) {
    const found = [";", "\t", "|", ","].find((d) => columns[0].includes(d));
    if (found) {
      throw new DataError(
        "delimiter",
        `${name} was read as a single column '${columns[0].slice(0, 40)}': the fields seem separated by ${describeDelimiter(found)}, not the delimiter used`
      );
    }
  }
  if (rows === 0) throw new DataError("header_only", `${name} has a header but no data rows`);
}
