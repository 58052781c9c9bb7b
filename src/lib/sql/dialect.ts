/**
 * The few SQL spellings that differ between DuckDB and PostgreSQL, so that every query of src/lib has one
 * definition rendered for either engine. A query builder takes `dialect` in its options (DuckDB by default)
 * and asks it for regular-expression tests, safe casts from text, date parsing and formatting, arg_min,
 * date series, day differences, the source row number and byte-order sorting of text.
 *
 * The PostgreSQL rendering uses only built-in functions and operators of PostgreSQL 12 and later, in plain
 * SELECTs (no temporary table, no function or procedure created, no extension), so that the same text also
 * runs on PostgreSQL-compatible distributed engines such as Citus. Safe casts, which PostgreSQL lacks, are
 * written as CASE expressions whose guard (a regular expression, a range check) makes the cast unable to fail.
 */

export type DialectName = "duckdb" | "postgres";

export interface Dialect {
  name: DialectName;
  /** The DOUBLE type. */
  double: string;
  /**
   * Text that ends a subquery (after its FROM/WHERE) so that the engine computes the subquery's columns once
   * per row instead of copying their expressions into every place the outer query uses them. PostgreSQL
   * flattens simple subqueries and CTEs into the outer query, which repeats a parsed date or amount (a long
   * CASE of regular expressions) in every rule and filter that reads it, and pushes filters below the
   * cleaning so the same expression is evaluated again; `OFFSET 0` is the classic fence (no materialisation,
   * rows still stream). DuckDB computes projections once: nothing.
   */
  fence: string;
  /** Boolean: the whole text matches the pattern. */
  fullMatch(text: string, pattern: string): string;
  /** Boolean: some part of the text matches the pattern. */
  matches(text: string, pattern: string): string;
  /** Capture group `group` of the first match of `pattern` (anchor it yourself); '' or NULL when none. */
  extract(text: string, pattern: string, group: number): string;
  /** Boolean: the text contains `needle` (a SQL string literal). */
  contains(text: string, needle: string): string;
  /** The text with the characters of `chars` (an SQL text expression) removed at both ends. */
  trim(text: string, chars: string): string;
  /** Text of at most nine digits (or NULL, or '') as INTEGER; NULL when empty. */
  digitsToInteger(text: string): string;
  /** The DATE of year, month and day given as texts of digits; NULL when it is not a calendar day. */
  makeDate(year: string, month: string, day: string): string;
  /** A `YYYY-MM-DD` text as DATE, NULL when it is not one (only called on texts of length 10 with '-'). */
  isoDay(text: string): string;
  /** A text read with one of the strftime formats (%d %b %B %Y %y, spaces, punctuation), as DATE or NULL. */
  strptimeDate(text: string, formats: readonly string[]): string;
  /** Text matching the number pattern (see numberExpr) as DOUBLE; NULL when out of range (not finite). */
  toDouble(text: string): string;
  /** A direct cast of a plain finite number, NULL otherwise, tried before the regular expressions (or null). */
  fastDouble(text: string): string | null;
  /** A DATE formatted with a strftime pattern made of %Y, %m, %d and literal characters. */
  formatDate(date: string, format: string): string;
  /** The value of `value` on the row with the smallest `key` (aggregate). */
  argMin(value: string, key: string): string;
  /** Whole days from one DATE to another. */
  dayDiff(from: string, to: string): string;
  /** Last day of the month of a DATE. */
  lastDay(date: string): string;
  /** Set of DATEs from `from` to `to` by one day or one month, for a SELECT list (wrap in CAST … AS DATE). */
  dateSeries(from: string, to: string, step: "day" | "month"): string;
  /** 1-based number of a row of a base relation in the order the engine reads it. */
  sourceRow(): string;
  /** Integer division of two non-negative integers. */
  intDiv(a: string, b: string): string;
  /** A text expression for ORDER BY, compared byte by byte (as DuckDB does). */
  byteOrder(text: string): string;
  /**
   * A select list: every column of `columns` (all of them, in order), with those in `replace` computed by the
   * given expression. DuckDB needs no column list (`* REPLACE`); PostgreSQL does.
   */
  replaceColumns(replace: Record<string, string>, columns: readonly string[] | null | undefined): string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const duckdb: Dialect = {
  name: "duckdb",
  double: "DOUBLE",
  fence: "",
  fullMatch: (text, pattern) => `regexp_full_match(${text}, '${pattern}')`,
  matches: (text, pattern) => `regexp_matches(${text}, '${pattern}')`,
  extract: (text, pattern, group) => `regexp_extract(${text}, '${pattern}', ${group})`,
  contains: (text, needle) => `contains(${text}, ${needle})`,
  trim: (text, chars) => `trim(${text}, ${chars})`,
  digitsToInteger: (text) => `try_cast(${text} AS INTEGER)`,
  makeDate: (y, m, d) => `try_cast(concat(${y}, '-', lpad(${m}, 2, '0'), '-', lpad(${d}, 2, '0')) AS DATE)`,
  isoDay: (text) => `try_cast(${text} AS DATE)`,
  strptimeDate: (text, formats) => `CAST(COALESCE(${formats.map((f) => `try_strptime(${text}, '${f}')`).join(", ")}) AS DATE)`,
  toDouble: (text) => `(CASE WHEN isfinite(CAST(${text} AS DOUBLE)) THEN CAST(${text} AS DOUBLE) END)`,
  fastDouble: (text) => {
    const direct = `try_cast(${text} AS DOUBLE)`;
    // DuckDB's cast also takes 1_000, which the general path refuses, hence the guard.
    return `CASE WHEN NOT contains(${text}, '_') AND isfinite(${direct}) THEN ${direct} END`;
  },
  formatDate: (date, format) => `strftime(${date}, '${format}')`,
  argMin: (value, key) => `arg_min(${value}, ${key})`,
  dayDiff: (from, to) => `datediff('day', ${from}, ${to})`,
  lastDay: (date) => `last_day(${date})`,
  dateSeries: (from, to, step) => `unnest(generate_series(${from}, ${to}, INTERVAL 1 ${step.toUpperCase()}))`,
  sourceRow: () => "rowid + 1",
  intDiv: (a, b) => `${a} // ${b}`,
  byteOrder: (text) => text,
  replaceColumns: (replace) =>
    `* REPLACE (${Object.entries(replace)
      .map(([name, expression]) => `${expression} AS ${name}`)
      .join(", ")})`
};

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Month number of an English month name (full, or its first three letters), NULL for anything else. */
function monthNumber(text: string, full: boolean): string {
  const names = MONTHS.map((m) => (full ? m : m.slice(0, 3)));
  return `(CASE lower(${text}) ${names.map((name, i) => `WHEN '${name}' THEN '${i + 1}'`).join(" ")} END)`;
}

/** PostgreSQL regular expression syntax for one strftime format, with what each capture group holds. */
function formatPattern(format: string): {pattern: string; groups: string[]} {
  const groups: string[] = [];
  let pattern = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "%" && i + 1 < format.length) {
      const spec = format[++i];
      const part = {d: "(\\d{1,2})", m: "(\\d{1,2})", b: "([A-Za-z]{3})", B: "([A-Za-z]+)", Y: "(\\d{1,4})", y: "(\\d{1,2})"}[spec];
      if (!part) throw new Error(`dialect: strftime format ${JSON.stringify(format)} uses %${spec}, which is not supported`);
      pattern += part;
      groups.push(spec);
    } else if (c === " ") pattern += "\\s+";
    else pattern += /[A-Za-z0-9]/.test(c) ? c : `\\${c}`;
  }
  return {pattern, groups};
}

const DOUBLE_MAX = "1.7976931348623157e308";
const DOUBLE_MIN_NORMAL = "2.2250738585072014e-308";

export const postgres: Dialect = {
  name: "postgres",
  double: "DOUBLE PRECISION",
  fence: "OFFSET 0",
  fullMatch: (text, pattern) => `(${text} ~ '^(?:${pattern})$')`,
  matches: (text, pattern) => `(${text} ~ '${pattern}')`,
  extract: (text, pattern, group) => `(regexp_match(${text}, '${pattern}'))[${group}]`,
  contains: (text, needle) => `(strpos(${text}, ${needle}) > 0)`,
  trim: (text, chars) => `btrim(${text}, ${chars})`,
  digitsToInteger: (text) => `CAST(NULLIF(${text}, '') AS INTEGER)`,
  makeDate: (y, m, d) => {
    const [yi, mi, di] = [y, m, d].map((t) => `CAST(${t} AS INTEGER)`);
    const leap = `((${yi}) % 4 = 0 AND ((${yi}) % 100 <> 0 OR (${yi}) % 400 = 0))`;
    const days = `(CASE WHEN ${mi} IN (4, 6, 9, 11) THEN 30 WHEN ${mi} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END ELSE 31 END)`;
    const digits = [y, m, d].map((t) => `${t} ~ '^[0-9]{1,4}$'`).join(" AND ");
    // Nested CASEs: PostgreSQL does not promise to evaluate the conditions of an AND in order.
    return `(CASE WHEN ${digits} THEN CASE WHEN ${yi} >= 1 AND ${mi} BETWEEN 1 AND 12 THEN CASE WHEN ${di} BETWEEN 1 AND ${days} THEN make_date(${yi}, ${mi}, ${di}) END END END)`;
  },
  isoDay: (text) => {
    // The common case, so kept cheap (about a third of makeDate's cost): one regular expression, then the
    // month and day checked as two-digit texts (byte order), the year as a number only for 29 February. The
    // cast of a valid YYYY-MM-DD text cannot fail, whatever DateStyle is.
    const part = (from: number, length: number) => `substr(${text}, ${from}, ${length})`;
    const year = `CAST(${part(1, 4)} AS INTEGER)`;
    const lastDay = `(CASE ${part(6, 2)} WHEN '02' THEN '29' WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' ELSE '31' END)`;
    const valid = `${part(1, 4)} <> '0000' AND ${part(6, 2)} COLLATE "C" BETWEEN '01' AND '12' AND ${part(9, 2)} COLLATE "C" BETWEEN '01' AND ${lastDay}`;
    const leap = `(${year} % 4 = 0 AND (${year} % 100 <> 0 OR ${year} % 400 = 0))`;
    // Nested CASEs: PostgreSQL does not promise to evaluate the conditions of an AND in order.
    return `(CASE WHEN ${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN CASE WHEN ${valid} THEN CASE WHEN ${part(6, 5)} <> '02-29' OR ${leap} THEN CAST(${text} AS DATE) END END END)`;
  },
  strptimeDate: (text, formats) =>
    `COALESCE(${formats
      .map((format) => {
        const {pattern, groups} = formatPattern(format);
        const group = (spec: string) => `(regexp_match(${text}, '^${pattern}\\s*$'))[${groups.indexOf(spec) + 1}]`;
        const year = groups.includes("Y")
          ? group("Y")
          : `CAST(CASE WHEN CAST(${group("y")} AS INTEGER) < 69 THEN 2000 ELSE 1900 END + CAST(${group("y")} AS INTEGER) AS VARCHAR)`;
        const month = groups.includes("b") ? monthNumber(group("b"), false) : groups.includes("B") ? monthNumber(group("B"), true) : group("m");
        return `CASE WHEN ${text} ~ '^${pattern}\\s*$' THEN ${postgres.makeDate(year, month, group("d"))} END`;
      })
      .join(", ")})`,
  toDouble: (text) => {
    // A cast of text out of the DOUBLE range fails in PostgreSQL (DuckDB gives ±infinity, made NULL, or 0): the
    // value is first read as NUMERIC, and exponents of four digits or more are not numbers.
    const numeric = `CAST(${text} AS NUMERIC)`;
    return `(CASE WHEN ${text} ~ '[eE][-+]?0*[0-9]{4,}' THEN NULL ELSE CASE WHEN abs(${numeric}) > ${DOUBLE_MAX} THEN NULL WHEN abs(${numeric}) < ${DOUBLE_MIN_NORMAL} THEN 0 ELSE CAST(${text} AS DOUBLE PRECISION) END END)`;
  },
  fastDouble: (text) => `(CASE WHEN ${text} ~ '^-?[0-9]{1,15}(\\.[0-9]{1,6})?$' THEN CAST(${text} AS DOUBLE PRECISION) END)`,
  formatDate: (date, format) => `to_char(${date}, '${format.replace(/%Y/g, "YYYY").replace(/%m/g, "MM").replace(/%d/g, "DD")}')`,
  argMin: (value, key) => `(array_agg(${value} ORDER BY ${key}))[1]`,
  dayDiff: (from, to) => `(${to} - ${from})`,
  lastDay: (date) => `CAST(date_trunc('month', ${date}) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)`,
  dateSeries: (from, to, step) => `generate_series(${from}, ${to}, INTERVAL '1 ${step}')`,
  sourceRow: () => "row_number() OVER ()",
  intDiv: (a, b) => `(${a}) / (${b})`,
  byteOrder: (text) => `${text} COLLATE "C"`,
  replaceColumns: (replace, columns) => {
    if (!columns) throw new Error("dialect: PostgreSQL needs the column list of the relation");
    return columns.map((c) => (Object.hasOwn(replace, c) ? `${replace[c]} AS ${quote(c)}` : quote(c))).join(", ");
  }
};

export const DIALECTS: Record<DialectName, Dialect> = {duckdb, postgres};
