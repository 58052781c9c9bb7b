/**
 * Reading text cells as values, in SQL: the trimmed text, whether it is a missing-value token, the DATE it
 * spells and the number it spells, plus the one statistics query that decides how to read ambiguous columns
 * (day-first or month-first slashed dates; decimal comma or point). Every expression is rendered for DuckDB or
 * PostgreSQL by src/lib/sql/dialect.ts (DuckDB by default), so a file and a database table are read by the
 * same rules: see classify.ts for how the values decide each row's fate.
 */
import {sqlIdentifier, sqlString} from "../../sql/quote.js";
import {duckdb, type Dialect} from "../../sql/dialect.js";
import {MICROS} from "../../sql/filters.js";
import {sourceColumns, type Mapping} from "../schema.js";

/** Month first (12/1/2010 is December 1) or day first (1/12/2010 is December 1) for D/M/Y-like dates. */
export type DateOrder = "mdy" | "dmy";

const MISSING_TOKENS = ["", "na", "n/a", "#n/a", "null", "none", "nan", "nil", "-"];
const MISSING_MAX_LENGTH = Math.max(...MISSING_TOKENS.map((t) => t.length));

/** Text with surrounding whitespace (spaces, tabs, CR, LF) removed. */
export function trimExpr(column: string, dialect: Dialect = duckdb): string {
  const trimmed = dialect.trim(column, "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)");
  if (dialect.name !== "duckdb") return trimmed;
  // DuckDB's trim with a character set costs about three times a plain read of the column: a text whose first
  // character is above the space (code point > 32) and whose last is none of the six trimmed characters needs
  // no trim and skips it. Exact: trim only removes those characters from the ends. (ascii and ends_with cost
  // less than half of slicing the first and last characters, [1] and [-1].) PostgreSQL always trims.
  return `(CASE WHEN ${notPadded(column)} THEN ${column} ELSE ${trimmed} END)`;
}

/** DuckDB: true when trimExpr leaves the text as it is (NULL for NULL). */
function notPadded(column: string): string {
  const ends = [32, 9, 10, 11, 12, 13].map((c) => `ends_with(${column}, chr(${c}))`).join(" OR ");
  return `(ascii(${column}) > 32 AND NOT (${ends}))`;
}

/**
 * DuckDB: true for a text that every reader of a column reads as DuckDB's cast does: no padding, and for
 * "date" a ten-character ISO day the cast accepts (dateExpr's fast path), for "number" a finite number the
 * cast accepts without an underscore (numberExpr's fast path). columnStatsSql counts the distinct values
 * that are not plain; a column without one is read with a bare cast (see ClassifyPlan.plain).
 */
export function plainExpr(column: string, kind: "date" | "number"): string {
  const value =
    kind === "date"
      ? `length(${column}) = 10 AND substr(${column}, 5, 1) = '-' AND substr(${column}, 8, 1) = '-' AND try_cast(${column} AS DATE) IS NOT NULL`
      : `NOT contains(${column}, '_') AND isfinite(try_cast(${column} AS DOUBLE))`;
  // Never NULL: a failed cast (NULL) is "not plain", so that NOT plainExpr counts it.
  return `coalesce(${notPadded(column)} AND ${value}, false)`;
}

/** True when trimmed text is empty or a missing-value token. */
export function missingExpr(text: string, dialect: Dialect = duckdb): string {
  const tokens = MISSING_TOKENS.map((t) => sqlString(t)).join(", ");
  if (dialect.name !== "duckdb") return `(${text} IS NULL OR lower(${text}) IN (${tokens}))`;
  // DuckDB plans a long IN list as a join against a constant table (about a second per column at a million
  // rows); list_contains is a plain function, and no token is longer than four characters.
  return `(${text} IS NULL OR (length(${text}) <= ${MISSING_MAX_LENGTH} AND list_contains([${tokens}], lower(${text}))))`;
}

const ISO = "(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})([T ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?)?";
const COMPACT = "\\d{8}";
/** D/M/Y-like: one or two digits, one or two digits, two or four digits, separated by / . or -. */
export const SLASHED = "(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4}|\\d{2})(\\s+\\d{1,2}:\\d{2}(:\\d{2})?(\\s*[AaPp][Mm])?)?";
const TEXT_FORMATS = ["%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d-%b-%y"];

/**
 * SQL turning trimmed text into a DATE, NULL when it is not a date. Accepted, in this order:
 * ISO `2010-12-01` (also with / or . and an optional time and zone, which are ignored: the date is the local
 * date as written); compact `20101201`; D/M/Y-like `12/1/2010`, `12/1/10`, `12/1/2010 8:26`, read month first
 * or day first as `order` says (two-digit years: 00–68 → 20xx, 69–99 → 19xx); `01-Dec-2010`, `Dec 1, 2010`.
 */
export function dateExpr(text: string, order: DateOrder, dialect: Dialect = duckdb): string {
  const part = (pattern: string, group: number) => dialect.extract(text, `^${pattern}`, group);
  const y2 = part(SLASHED, 3);
  const y2n = dialect.digitsToInteger(y2);
  const year = `(CASE WHEN length(${y2}) = 2 THEN CAST(CASE WHEN ${y2n} < 69 THEN 2000 ELSE 1900 END + ${y2n} AS VARCHAR) ELSE ${y2} END)`;
  const [m, d] = order === "mdy" ? [part(SLASHED, 1), part(SLASHED, 2)] : [part(SLASHED, 2), part(SLASHED, 1)];
  // Fast path first: a plain ten-character ISO date is cast directly, without any regular expression (the
  // common case, and the regular expressions are slow in DuckDB-WASM); anything else takes the general path.
  return `COALESCE(
      CASE WHEN length(${text}) = 10 AND substr(${text}, 5, 1) = '-' AND substr(${text}, 8, 1) = '-' THEN ${dialect.isoDay(text)} END,
      CASE WHEN ${dialect.fullMatch(text, ISO)} THEN ${dialect.makeDate(part(ISO, 1), part(ISO, 2), part(ISO, 3))} END,
      CASE WHEN ${dialect.fullMatch(text, COMPACT)} THEN ${dialect.makeDate(`substr(${text}, 1, 4)`, `substr(${text}, 5, 2)`, `substr(${text}, 7, 2)`)} END,
      CASE WHEN ${dialect.fullMatch(text, SLASHED)} THEN ${dialect.makeDate(year, m, d)} END,
      CASE WHEN ${dialect.matches(text, "[A-Za-z]")} THEN ${dialect.strptimeDate(text, TEXT_FORMATS)} END
    )`;
}

/**
 * SQL turning trimmed text into a DOUBLE, NULL when it is not a number. Spaces and currency signs ($ € £ ¥)
 * are ignored; `(12.00)` is −12 (accounting negative); `1,234.50` has thousands separators. With
 * decimalComma (decided per column, see decideDecimalComma) `1.234,50` and `12,5` use a decimal comma
 * instead. NaN and infinity are not numbers.
 */
export function numberExpr(text: string, decimalComma = false, dialect: Dialect = duckdb): string {
  // Fast path: a plain finite number is cast directly; the regular expressions below only see the rest. Not
  // with a decimal comma, where "1.234" means 1234.
  const fast = decimalComma ? null : dialect.fastDouble(text);
  const stripped = `regexp_replace(${text}, '[\\s$€£¥]', '', 'g')`;
  const signed = `(CASE WHEN ${dialect.fullMatch(stripped, "\\(.*\\)")} THEN '-' || substr(${stripped}, 2, length(${stripped}) - 2) ELSE ${stripped} END)`;
  const plain = decimalComma
    ? `(CASE WHEN ${dialect.fullMatch(signed, "[-+]?\\d{1,3}(\\.\\d{3})+(,\\d*)?")} THEN replace(replace(${signed}, '.', ''), ',', '.') ELSE replace(${signed}, ',', '.') END)`
    : `(CASE WHEN ${dialect.fullMatch(signed, "[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?")} THEN replace(${signed}, ',', '') ELSE ${signed} END)`;
  const general = `(CASE WHEN ${dialect.fullMatch(plain, "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")} THEN ${dialect.toDouble(plain)} END)`;
  return fast ? `COALESCE(${fast}, ${general})` : general;
}

/** Statistics that decide how to read the date column and the numeric columns. */
export interface ColumnStats {
  slashed: number;
  firstOver12: number;
  secondOver12: number;
  /** Per numeric column: values that only make sense with a decimal comma / a decimal point. */
  comma: Record<string, number>;
  dot: Record<string, number>;
  /**
   * Distinct non-empty values of the date column and of each numeric column that are not plain (see
   * plainExpr); absent outside DuckDB (there every value takes the general path).
   */
  notPlainDate?: number;
  notPlain?: Record<string, number>;
  /**
   * DuckDB: rows whose date is NULL, all rows, and the first and last day the cast reads (DATE values as the
   * engine returns them); per numeric column, rows whose value is NULL, rows whose value the cast reads as a
   * number below zero / equal to zero, the sum of the values as the report sums amounts (in millionths, exact,
   * then divided: see tallySql) and the distinct values that cast to a number but not to millionths (too
   * large: the report's sum would fail). With the counts of plain values above they tell, before any row is
   * classified, whether every row may be kept, and count such a file (see statisticsTally in report.ts).
   */
  nullDate?: number;
  dateRows?: number;
  firstDate?: unknown;
  lastDate?: unknown;
  nulls?: Record<string, number>;
  negative?: Record<string, number>;
  zero?: Record<string, number>;
  sum?: Record<string, number>;
  unsummed?: Record<string, number>;
}

/** The file columns read as numbers (amount, or its factors; quantity; cost; acquisition cost), without repeats. */
export function numericColumns(mapping: Mapping): string[] {
  const columns = [
    ...sourceColumns(mapping.amount),
    ...sourceColumns(mapping.quantity),
    ...sourceColumns(mapping.cost),
    ...sourceColumns(mapping.acquisition_cost)
  ];
  return [...new Set(columns)];
}

/**
 * One query that returns the statistics behind decideDateOrder and decideDecimalComma (one row). Each column
 * is tested once per distinct value and the counts are weighted by how often the value occurs: a million
 * orders hold a few hundred distinct dates and some thousands of distinct amounts, so the regular
 * expressions see those, not every row.
 */
export function columnStatsSql(rawTable: string, mapping: Mapping, dialect: Dialect = duckdb): string {
  const date = typeof mapping.order_date === "string" ? mapping.order_date : undefined;
  const count = (test: string) => `CAST(coalesce(sum(n) FILTER (WHERE ${test}), 0) AS BIGINT)`;
  const distinct = (column: string) => `(SELECT ${sqlIdentifier(column)} AS value, count(*) AS n FROM ${sqlIdentifier(rawTable)} GROUP BY 1) d`;
  const parts: string[] = [];
  const v = trimExpr("value", dialect);
  const plain = dialect.name === "duckdb";
  // A value in millionths as the report sums amounts (lib/sql/filters.ts toMicros), NULL where that cast fails.
  const micros = `try_cast(round(try_cast(value AS DOUBLE) * ${MICROS}) AS BIGINT)`;
  if (date) {
    // The cheap test on the separator's position spares the regular expression most ISO dates.
    const m = `(substr(${v}, 2, 1) IN ('-', '/', '.') OR substr(${v}, 3, 1) IN ('-', '/', '.')) AND ${dialect.fullMatch(v, SLASHED)}`;
    parts.push(`(SELECT ${count(m)} AS slashed,
    ${count(`${m} AND ${dialect.digitsToInteger(dialect.extract(v, "^(\\d{1,2})", 1))} > 12`)} AS first_over_12,
    ${count(`${m} AND ${dialect.digitsToInteger(dialect.extract(v, "^\\d{1,2}[-/.](\\d{1,2})", 1))} > 12`)} AS second_over_12${plain ? `,
    ${count(`value IS NOT NULL AND NOT ${plainExpr("value", "date")}`)} AS not_plain_date,
    ${count("value IS NULL")} AS null_date,
    CAST(coalesce(sum(n), 0) AS BIGINT) AS date_rows,
    min(try_cast(value AS DATE)) AS first_date,
    max(try_cast(value AS DATE)) AS last_date` : ""}
  FROM ${distinct(date)}) date_stats`);
  } else {
    parts.push("(SELECT 0 AS slashed, 0 AS first_over_12, 0 AS second_over_12) date_stats");
  }
  numericColumns(mapping).forEach((column, i) => {
    parts.push(`(SELECT ${count(`${dialect.contains(v, "','")} AND (${dialect.matches(v, "\\d,\\d{1,2}\\)?\\D*$")} OR ${dialect.matches(v, "\\d\\.\\d{3},")})`)} AS comma_${i},
    ${count(`${dialect.contains(v, "'.'")} AND (${dialect.matches(v, "\\d\\.(\\d{1,2}|\\d{4,})\\)?\\D*$")} OR ${dialect.matches(v, "\\d,\\d{3}\\.")})`)} AS dot_${i}${plain ? `,
    ${count(`value IS NOT NULL AND NOT ${plainExpr("value", "number")}`)} AS not_plain_${i},
    ${count("value IS NULL")} AS null_${i},
    ${count("try_cast(value AS DOUBLE) < 0")} AS negative_${i},
    ${count("try_cast(value AS DOUBLE) = 0")} AS zero_${i},
    coalesce(CAST(sum(CAST(${micros} AS HUGEINT) * n) AS DOUBLE) / ${MICROS}, 0) AS sum_${i},
    count(*) FILTER (WHERE try_cast(value AS DOUBLE) IS NOT NULL AND ${micros} IS NULL) AS unsummed_${i}` : ""}
  FROM ${distinct(column)}) number_stats_${i}`);
  });
  return `SELECT * FROM ${parts.join("\nCROSS JOIN ")}`;
}

/** Reads the one row of columnStatsSql into ColumnStats. */
export function parseColumnStats(row: Record<string, unknown>, mapping: Mapping): ColumnStats {
  const n = (key: string) => Number(row[key] ?? 0);
  const stats: ColumnStats = {
    slashed: n("slashed"),
    firstOver12: n("first_over_12"),
    secondOver12: n("second_over_12"),
    comma: {},
    dot: {}
  };
  if ("not_plain_date" in row) stats.notPlainDate = n("not_plain_date");
  if ("null_date" in row) {
    stats.nullDate = n("null_date");
    stats.dateRows = n("date_rows");
    stats.firstDate = row.first_date ?? null;
    stats.lastDate = row.last_date ?? null;
  }
  numericColumns(mapping).forEach((column, i) => {
    stats.comma[column] = n(`comma_${i}`);
    stats.dot[column] = n(`dot_${i}`);
    if (`not_plain_${i}` in row) (stats.notPlain ??= {})[column] = n(`not_plain_${i}`);
    if (`null_${i}` in row) {
      (stats.nulls ??= {})[column] = n(`null_${i}`);
      (stats.negative ??= {})[column] = n(`negative_${i}`);
      (stats.zero ??= {})[column] = n(`zero_${i}`);
      (stats.sum ??= {})[column] = n(`sum_${i}`);
      (stats.unsummed ??= {})[column] = n(`unsummed_${i}`);
    }
  });
  return stats;
}

/**
 * Day first or month first, per column: day first only when some value has a first part above 12 and none a
 * second part above 12 (so it cannot be month first). Otherwise month first; a warning says when that was a
 * guess (no value above 12 either way) or when values contradict each other (some rows will not parse).
 */
export function decideDateOrder(stats: Pick<ColumnStats, "slashed" | "firstOver12" | "secondOver12">, column = "date"): {
  order: DateOrder;
  warning?: string;
} {
  if (stats.slashed === 0) return {order: "mdy"};
  if (stats.firstOver12 > 0 && stats.secondOver12 === 0) return {order: "dmy"};
  if (stats.firstOver12 > 0 && stats.secondOver12 > 0) {
    return {
      order: "mdy",
      warning: `${column}: some dates read only day first and others only month first; read month first, ${stats.firstOver12} day-first value(s) will not parse`
    };
  }
  if (stats.secondOver12 > 0) return {order: "mdy"};
  return {
    order: "mdy",
    warning: `${column}: no day above 12 tells day-first from month-first dates; assumed month first (M/D/Y)`
  };
}

/** Decimal comma for a column when some value needs it and none needs a decimal point. */
export function decideDecimalComma(stats: ColumnStats, column: string): boolean {
  return (stats.comma[column] ?? 0) > 0 && (stats.dot[column] ?? 0) === 0;
}
