/**
 * CSV export for download buttons, safe to open in a spreadsheet.
 *
 * Quoting: a cell holding the delimiter, a double quote, CR or LF is wrapped in double quotes, with inner
 * quotes doubled. Formula injection: a text cell starting with = + - @, a tab or a carriage return is
 * prefixed with a single quote (') so that spreadsheet programs show it as text instead of evaluating it.
 * Numbers are written as numbers, so -5 stays -5; the text "-5" becomes '-5.
 * null, undefined and NaN become empty cells; Dates become ISO strings (YYYY-MM-DD at UTC midnight).
 */
import type {ColumnTable} from "arquero";

export interface CsvOptions {
  /** Column order; default: the table's columns, or the keys of the first row. */
  columns?: readonly string[];
  /** Header text of some columns (e.g. "revenue (CAD)" for revenue); the others are headed by their name. */
  headers?: Readonly<Record<string, string>>;
  /** One character other than a quote, CR or LF. */
  delimiter?: string;
  /** Line separator. */
  newline?: "\n" | "\r\n";
  /** Prefix risky text cells with a single quote. */
  escapeFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell's text, quoted and formula-escaped as needed. */
export function csvCell(value: unknown, {delimiter = ",", escapeFormulas = true}: Pick<CsvOptions, "delimiter" | "escapeFormulas"> = {}): string {
  if (value == null || (typeof value === "number" && Number.isNaN(value))) return "";
  let text: string;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    text = String(value);
  } else if (value instanceof Date) {
    const iso = value.toISOString();
    text = iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  } else {
    text = typeof value === "string" ? value : JSON.stringify(value);
    if (escapeFormulas && FORMULA_START.test(text)) text = `'${text}`;
  }
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text (header line, then one line per row, ending with a newline) of an Arquero table or an array of objects. */
export function toCsv(
  data: ColumnTable | readonly Record<string, unknown>[],
  {columns, headers = {}, delimiter = ",", newline = "\n", escapeFormulas = true}: CsvOptions = {}
): string {
  if (typeof delimiter !== "string" || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new Error(`delimiter must be one character other than a quote, CR or LF, got ${JSON.stringify(delimiter)}`);
  }
  if (newline !== "\n" && newline !== "\r\n") throw new Error(`newline must be "\\n" or "\\r\\n", got ${JSON.stringify(newline)}`);
  const table = Array.isArray(data) ? null : (data as ColumnTable);
  const rows = table ? null : (data as readonly Record<string, unknown>[]);
  const names = columns ?? (table ? table.columnNames() : rows!.length ? Object.keys(rows![0]) : []);
  const options = {delimiter, escapeFormulas};
  const lines = [names.map((name) => csvCell(Object.hasOwn(headers, name) ? headers[name] : name, options)).join(delimiter)];
  if (table) {
    const arrays = names.map((name) => {
      if (!table.columnNames().includes(name)) throw new Error(`the table has no column ${JSON.stringify(name)}`);
      return table.array(name) as ArrayLike<unknown>;
    });
    const n = table.numRows();
    for (let i = 0; i < n; ++i) lines.push(arrays.map((a) => csvCell(a[i], options)).join(delimiter));
  } else {
    for (const row of rows!) lines.push(names.map((name) => csvCell(row[name], options)).join(delimiter));
  }
  return lines.join(newline) + newline;
}
