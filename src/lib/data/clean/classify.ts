/**
 * Cleaning as DuckDB SQL. Pure functions write the SQL; cleanTransactions runs it through a SqlRunner, so the
 * same code cleans an upload in the page (DuckDB-WASM) and a file in Node (native DuckDB).
 *
 * Input: a raw table whose columns are all VARCHAR (read_csv with all_varchar, see ingest.ts), and a Mapping.
 * Output: a `transactions` table in the canonical schema and a DataQualityReport.
 *
 * Every row of the raw table is either kept or dropped for exactly one reason: the first rule it fails, in
 * the order of DROP_REASONS. So rows = kept + sum(dropped), and nothing is dropped silently.
 *
 *  1. missing_customer_id       customer id empty, or NA / N/A / null / none / nan / nil / -
 *  2. missing_date              order date empty (same tokens)
 *  3. unparseable_date          not a date in any accepted form (see dateExpr)
 *  4. future_date               after options.asOf (only when asOf is given)
 *  5. missing_amount            amount empty (for quantity × unit price: either factor empty)
 *  6. non_numeric_amount        amount not a number in any accepted form (see numberExpr)
 *  7. duplicate                 all original columns equal to an earlier row's (the first is kept); see dedupe
 *  8. zero_amount               amount is 0; only with dropZero (by default a $0 purchase is kept: see below)
 *  9. return                    amount < 0, or the order id is a cancellation (C followed by digits, as in
 *                               "C536379"); only when netReturns is false
 * 10. return_without_purchase   with netReturns: a return of a customer none of whose rows is a kept purchase
 *
 * Defaults chosen on real data. CDNOW has 21 pairs of identical lines (same customer, day, CDs and dollars)
 * and 8 customers whose only purchase was $0; the published analyses keep both (the cohort is 2,357
 * customers; Gamma-Gamma's mean spends include the repeated lines). A file without an order id cannot tell
 * a double export from two identical purchases, so dedupe "auto" (the default) drops exact duplicates only
 * when an order id is mapped (an invoice line repeated with its invoice number is a double export), and
 * $0 rows are kept as purchases unless dropZero. Both are counted in the report either way.
 *
 * With netReturns: true, returns are kept as rows with a negative amount (−|amount|, so a cancellation with a
 * positive amount is negated too) and is_return = true: per-customer revenue nets, but a return is not a
 * purchase, so summaries must count purchase days from rows with is_return = false only.
 */
import {sqlIdentifier, sqlString} from "../sql/quote.js";
import type {SqlRunner} from "../types.js";
import {DataError} from "../errors.js";
import {isNameKey, sourceColumns, validateMapping, type Mapping, type Source} from "./schema.js";

export const DROP_REASONS = [
  "missing_customer_id",
  "missing_date",
  "unparseable_date",
  "future_date",
  "missing_amount",
  "non_numeric_amount",
  "duplicate",
  "zero_amount",
  "return",
  "return_without_purchase"
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Month first (12/1/2010 is December 1) or day first (1/12/2010 is December 1) for D/M/Y-like dates. */
export type DateOrder = "mdy" | "dmy";

export interface CleanOptions {
  /** Rows dated after this day (YYYY-MM-DD) are dropped as future_date. Default: no check. */
  asOf?: string | null;
  /** Keep returns as negative rows instead of dropping them. Default false. */
  netReturns?: boolean;
  /**
   * Drop exact duplicate rows, keeping the first: true, false, or "auto" (the default): only when an order id
   * is mapped.
   */
  dedupe?: boolean | "auto";
  /** Drop rows whose amount is 0 (reason zero_amount). Default false: they are kept as purchases. */
  dropZero?: boolean;
  /** Force the order of day and month in slashed dates; default: decided from the data (decideDateOrder). */
  dateOrder?: DateOrder;
}

export interface ReturnsReport {
  /** Rows that are returns (negative amount or cancellation id), whatever happened to them. */
  rows: number;
  /** Of which identified by a cancellation order id. */
  cancellations: number;
  /** Sum of |amount| over those rows. */
  amount: number;
  customers: number;
  /** True when returns were kept as negative rows (netReturns). */
  netted: boolean;
  /** Return rows kept in transactions (0 unless netted). */
  kept: number;
}

export type ExampleRow = Record<string, string | number | null>;

export interface DataQualityReport {
  rows: number;
  kept: number;
  /** Every reason of DROP_REASONS, in that order, with its count (0 included). */
  dropped: Record<DropReason, number>;
  /** Up to 5 dropped rows per reason (reasons with drops only): original values, plus `_row`, 1-based. */
  examples: Partial<Record<DropReason, ExampleRow[]>>;
  returns: ReturnsReport;
  customers: number;
  firstDate: string | null;
  lastDate: string | null;
  /** Sum of amount over kept rows (net of returns with netReturns). */
  revenue: number;
  /** Kept rows with amount 0 (0 when dropZero). */
  zeroAmount: number;
  /** Whether exact duplicates were dropped (dedupe resolved), and how many kept rows repeat an earlier row. */
  dedupe: boolean;
  identicalRows: number;
  dateOrder: DateOrder | null;
  warnings: string[];
}

export interface CleanTransactionsOptions extends CleanOptions {
  rawTable?: string;
  mapping: Mapping;
  /** Name of the table to create. Default "transactions". */
  table?: string;
}

/** Quotes an identifier for DuckDB (src/lib/sql/quote.ts). */
export const ident = sqlIdentifier;

/** Quotes a string literal for DuckDB (src/lib/sql/quote.ts). */
export const literal = sqlString;

const MISSING_TOKENS = ["", "na", "n/a", "#n/a", "null", "none", "nan", "nil", "-"];

/** Text with surrounding whitespace (spaces, tabs, CR, LF) removed. */
export function trimExpr(column: string): string {
  return `trim(${column}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))`;
}

/** True when trimmed text is empty or a missing-value token. */
export function missingExpr(text: string): string {
  return `(${text} IS NULL OR lower(${text}) IN (${MISSING_TOKENS.map(literal).join(", ")}))`;
}

const ISO = "(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})([T ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?)?";
const COMPACT = "\\d{8}";
/** D/M/Y-like: one or two digits, one or two digits, two or four digits, separated by / . or -. */
export const SLASHED = "(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4}|\\d{2})(\\s+\\d{1,2}:\\d{2}(:\\d{2})?(\\s*[AaPp][Mm])?)?";
const TEXT_FORMATS = ["%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d-%b-%y"];

function isoDate(y: string, m: string, d: string): string {
  return `try_cast(concat(${y}, '-', lpad(${m}, 2, '0'), '-', lpad(${d}, 2, '0')) AS DATE)`;
}

/**
 * SQL turning trimmed text into a DATE, NULL when it is not a date. Accepted, in this order:
 * ISO `2010-12-01` (also with / or . and an optional time and zone, which are ignored: the date is the local
 * date as written); compact `20101201`; D/M/Y-like `12/1/2010`, `12/1/10`, `12/1/2010 8:26`, read month first
 * or day first as `order` says (two-digit years: 00–68 → 20xx, 69–99 → 19xx); `01-Dec-2010`, `Dec 1, 2010`.
 */
export function dateExpr(text: string, order: DateOrder): string {
  const part = (pattern: string, group: number) => `regexp_extract(${text}, '^${pattern}', ${group})`;
  const y2 = part(SLASHED, 3);
  const year = `(CASE WHEN length(${y2}) = 2 THEN CAST(CASE WHEN try_cast(${y2} AS INTEGER) < 69 THEN 2000 ELSE 1900 END + try_cast(${y2} AS INTEGER) AS VARCHAR) ELSE ${y2} END)`;
  const [m, d] = order === "mdy" ? [part(SLASHED, 1), part(SLASHED, 2)] : [part(SLASHED, 2), part(SLASHED, 1)];
  // Fast path first: a plain ten-character ISO date is cast directly, without any regular expression (the
  // common case, and the regular expressions are slow in DuckDB-WASM); anything else takes the general path.
  return `COALESCE(
      CASE WHEN length(${text}) = 10 AND substr(${text}, 5, 1) = '-' AND substr(${text}, 8, 1) = '-' THEN try_cast(${text} AS DATE) END,
      CASE WHEN regexp_full_match(${text}, '${ISO}') THEN ${isoDate(part(ISO, 1), part(ISO, 2), part(ISO, 3))} END,
      CASE WHEN regexp_full_match(${text}, '${COMPACT}') THEN ${isoDate(`substr(${text}, 1, 4)`, `substr(${text}, 5, 2)`, `substr(${text}, 7, 2)`)} END,
      CASE WHEN regexp_full_match(${text}, '${SLASHED}') THEN ${isoDate(year, m, d)} END,
      CASE WHEN regexp_matches(${text}, '[A-Za-z]') THEN CAST(COALESCE(${TEXT_FORMATS.map((f) => `try_strptime(${text}, ${literal(f)})`).join(", ")}) AS DATE) END
    )`;
}

/**
 * SQL turning trimmed text into a DOUBLE, NULL when it is not a number. Spaces and currency signs ($ € £ ¥)
 * are ignored; `(12.00)` is −12 (accounting negative); `1,234.50` has thousands separators. With
 * decimalComma (decided per column, see decideDecimalComma) `1.234,50` and `12,5` use a decimal comma
 * instead. NaN and infinity are not numbers.
 */
export function numberExpr(text: string, decimalComma = false): string {
  // Fast path: a plain finite number is cast directly (DuckDB's cast also takes 1_000, which the general
  // path refuses, hence the guard); the regular expressions below only see the rest. Not with a decimal
  // comma, where "1.234" means 1234.
  const direct = `try_cast(${text} AS DOUBLE)`;
  const fast = decimalComma ? null : `CASE WHEN NOT contains(${text}, '_') AND isfinite(${direct}) THEN ${direct} END`;
  const stripped = `regexp_replace(${text}, '[\\s$€£¥]', '', 'g')`;
  const signed = `(CASE WHEN regexp_full_match(${stripped}, '\\(.*\\)') THEN '-' || substr(${stripped}, 2, length(${stripped}) - 2) ELSE ${stripped} END)`;
  const plain = decimalComma
    ? `(CASE WHEN regexp_full_match(${signed}, '[-+]?\\d{1,3}(\\.\\d{3})+(,\\d*)?') THEN replace(replace(${signed}, '.', ''), ',', '.') ELSE replace(${signed}, ',', '.') END)`
    : `(CASE WHEN regexp_full_match(${signed}, '[-+]?\\d{1,3}(,\\d{3})+(\\.\\d*)?') THEN replace(${signed}, ',', '') ELSE ${signed} END)`;
  const general = `(CASE WHEN regexp_full_match(${plain}, '[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?') THEN CAST(${plain} AS DOUBLE) END)`;
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
}

function numericColumns(mapping: Mapping): string[] {
  const columns = [
    ...sourceColumns(mapping.amount),
    ...sourceColumns(mapping.quantity),
    ...sourceColumns(mapping.cost)
  ];
  return [...new Set(columns)];
}

/** One query that returns the statistics behind decideDateOrder and decideDecimalComma (one row). */
export function columnStatsSql(rawTable: string, mapping: Mapping): string {
  const date = typeof mapping.order_date === "string" ? mapping.order_date : undefined;
  const parts: string[] = [];
  if (date) {
    const v = trimExpr(ident(date));
    // The cheap test on the separator's position spares the regular expression most ISO dates.
    const m = `(substr(${v}, 2, 1) IN ('-', '/', '.') OR substr(${v}, 3, 1) IN ('-', '/', '.')) AND regexp_full_match(${v}, '${SLASHED}')`;
    parts.push(
      `count(*) FILTER (WHERE ${m}) AS slashed`,
      `count(*) FILTER (WHERE ${m} AND try_cast(regexp_extract(${v}, '^(\\d{1,2})', 1) AS INTEGER) > 12) AS first_over_12`,
      `count(*) FILTER (WHERE ${m} AND try_cast(regexp_extract(${v}, '^\\d{1,2}[-/.](\\d{1,2})', 1) AS INTEGER) > 12) AS second_over_12`
    );
  } else {
    parts.push("0 AS slashed", "0 AS first_over_12", "0 AS second_over_12");
  }
  numericColumns(mapping).forEach((column, i) => {
    const v = trimExpr(ident(column));
    parts.push(
      `count(*) FILTER (WHERE contains(${v}, ',') AND (regexp_matches(${v}, '\\d,\\d{1,2}\\)?\\D*$') OR regexp_matches(${v}, '\\d\\.\\d{3},'))) AS comma_${i}`,
      `count(*) FILTER (WHERE contains(${v}, '.') AND (regexp_matches(${v}, '\\d\\.(\\d{1,2}|\\d{4,})\\)?\\D*$') OR regexp_matches(${v}, '\\d,\\d{3}\\.'))) AS dot_${i}`
    );
  });
  return `SELECT ${parts.join(",\n  ")}\nFROM ${ident(rawTable)}`;
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
  numericColumns(mapping).forEach((column, i) => {
    stats.comma[column] = n(`comma_${i}`);
    stats.dot[column] = n(`dot_${i}`);
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

export interface ClassifyPlan {
  rawTable: string;
  /** All columns of the raw table, in order. */
  columns: readonly string[];
  mapping: Mapping;
  dateOrder: DateOrder;
  /** Numeric file columns read with a decimal comma. */
  decimalComma?: readonly string[];
  asOf?: string | null;
  netReturns?: boolean;
  dedupe?: boolean;
  dropZero?: boolean;
  /** Name of the intermediate table. */
  target?: string;
}

const OPTIONAL_TEXT = ["order_id", "region", "province", "partner", "offer_type", "category", "customer_segment"] as const;

/**
 * SQL creating the intermediate table: every raw row with its original columns, its parsed canonical values
 * (columns prefixed __clv_) and its drop reason (__clv_reason, NULL when kept).
 */
export function classifySql(plan: ClassifyPlan): string {
  const {rawTable, columns, mapping, dateOrder, asOf = null, netReturns = false, dedupe = true, dropZero = false} = plan;
  const target = plan.target ?? "clv_classified";
  const comma = new Set(plan.decimalComma ?? []);
  const text = (column: string) => trimExpr(ident(column));
  const num = (column: string) => numberExpr(`__clv_t_${safe(column)}`, comma.has(column));
  const textCols = new Set<string>();
  for (const key of Object.keys(mapping) as (keyof Mapping)[]) for (const c of sourceColumns(mapping[key])) textCols.add(c);
  const safeNames = new Map<string, string>();
  function safe(column: string): string {
    if (!safeNames.has(column)) safeNames.set(column, String(safeNames.size));
    return safeNames.get(column)!;
  }
  const t = (column: string) => `__clv_t_${safe(column)}`;
  const src = (s: Source | undefined) => (typeof s === "string" ? s : undefined);

  const customer = src(mapping.customer_id)!;
  const date = src(mapping.order_date)!;
  const amount = mapping.amount!;
  const order = src(mapping.order_id);

  // Amount: one column, or the product of two.
  let amountMissing: string;
  let amountValue: string;
  if (typeof amount === "string") {
    amountMissing = missingExpr(t(amount));
    amountValue = num(amount);
  } else if ("multiply" in amount) {
    const [a, b] = amount.multiply;
    amountMissing = `(${missingExpr(t(a))} OR ${missingExpr(t(b))})`;
    amountValue = `(${num(a)} * ${num(b)})`;
  } else {
    throw new DataError("mapping", "amount cannot be derived from itself");
  }
  const quantity = src(mapping.quantity);
  const cost = mapping.cost;
  const costValue =
    cost === undefined
      ? "CAST(NULL AS DOUBLE)"
      : typeof cost === "string"
        ? num(cost)
        : "amountMinus" in cost
          ? `(__clv_amount - ${num(cost.amountMinus)})`
          : "CAST(NULL AS DOUBLE)";
  const costText = cost === undefined ? undefined : sourceColumns(cost)[0];

  const cancellation = order ? `coalesce(regexp_full_match(${t(order)}, '[Cc]\\d+'), false)` : "false";
  const partition = columns.map(ident).join(", ");
  const rules: [DropReason, string][] = [
    ["missing_customer_id", missingExpr("__clv_customer")],
    ["missing_date", missingExpr(t(date))],
    ["unparseable_date", "__clv_date IS NULL"],
    ["future_date", asOf ? `__clv_date > DATE ${literal(asOf)}` : "false"],
    ["missing_amount", "__clv_amount_missing"],
    ["non_numeric_amount", "__clv_amount IS NULL"],
    ["duplicate", dedupe ? "__clv_dup > 1" : "false"],
    ["zero_amount", dropZero ? "__clv_amount = 0" : "false"],
    ["return", netReturns ? "false" : "__clv_is_return"]
  ];
  const preReason = `CASE ${rules.map(([reason, test]) => `WHEN ${test} THEN ${literal(reason)}`).join("\n      ")} END`;

  return `CREATE OR REPLACE TABLE ${ident(target)} AS
WITH src AS (
  SELECT rowid + 1 AS __clv_row, *,
    row_number() OVER (PARTITION BY ${partition} ORDER BY rowid) AS __clv_dup
  FROM ${ident(rawTable)}
), texts AS (
  SELECT *, ${[...textCols].map((c) => `${text(c)} AS ${t(c)}`).join(", ")}
  FROM src
), parsed AS (
  SELECT *,
    ${t(customer)} AS __clv_customer,
    ${dateExpr(t(date), dateOrder)} AS __clv_date,
    ${amountMissing} AS __clv_amount_missing,
    ${amountValue} AS __clv_amount,
    ${cancellation} AS __clv_cancellation,
    ${quantity ? num(quantity) : "CAST(NULL AS DOUBLE)"} AS __clv_quantity,
    ${quantity ? `NOT ${missingExpr(t(quantity))} AND ${num(quantity)} IS NULL` : "false"} AS __clv_bad_quantity
  FROM texts
), flagged AS (
  SELECT *,
    coalesce(__clv_amount < 0, false) OR __clv_cancellation AS __clv_is_return,
    ${costValue} AS __clv_cost,
    ${costText ? `NOT ${missingExpr(t(costText))} AND ${costValue} IS NULL AND __clv_amount IS NOT NULL` : "false"} AS __clv_bad_cost
  FROM parsed
), reasoned AS (
  SELECT *, ${preReason} AS __clv_pre_reason
  FROM flagged
)
SELECT *,
  CASE
    WHEN __clv_pre_reason IS NOT NULL THEN __clv_pre_reason
    ${netReturns ? `WHEN __clv_is_return AND NOT bool_or(__clv_pre_reason IS NULL AND NOT __clv_is_return) OVER (PARTITION BY __clv_customer) THEN 'return_without_purchase'` : ""}
  END AS __clv_reason
FROM reasoned`;
}

/** SQL creating the canonical transactions table from the intermediate table. */
export function transactionsSql({
  mapping,
  source = "clv_classified",
  table = "transactions"
}: {
  mapping: Mapping;
  source?: string;
  table?: string;
}): string {
  const text = (key: (typeof OPTIONAL_TEXT)[number]) => {
    const column = mapping[key];
    if (typeof column !== "string") return `CAST(NULL AS VARCHAR) AS ${key}`;
    // Texts were trimmed in classifySql; missing-value tokens become NULL.
    const t = `regexp_replace(${ident(column)}, '^\\s+|\\s+$', '', 'g')`;
    return `CASE WHEN ${missingExpr(t)} THEN NULL ELSE ${t} END AS ${key}`;
  };
  return `CREATE OR REPLACE TABLE ${ident(table)} AS
SELECT
  CAST(__clv_customer AS VARCHAR) AS customer_id,
  CAST(__clv_date AS DATE) AS order_date,
  CAST(CASE WHEN __clv_is_return THEN -abs(__clv_amount) ELSE __clv_amount END AS DOUBLE) AS amount,
  ${text("order_id")},
  CAST(__clv_quantity AS DOUBLE) AS quantity,
  CAST(__clv_cost AS DOUBLE) AS cost,
  ${OPTIONAL_TEXT.filter((k) => k !== "order_id").map(text).join(",\n  ")},
  __clv_is_return AS is_return,
  CAST(__clv_row AS BIGINT) AS source_row
FROM ${ident(source)}
WHERE __clv_reason IS NULL
ORDER BY __clv_row`;
}

type Runner = SqlRunner & {run?(sql: string): Promise<void>};

async function exec(db: Runner, sql: string): Promise<void> {
  if (db.run) await db.run(sql);
  else await db.query(sql);
}

function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function toDateString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return new Date(value).toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** The column names of a table, in order. */
export async function tableColumns(db: SqlRunner, table: string): Promise<string[]> {
  const rows = await db.query<{column_name: string}>(`DESCRIBE ${ident(table)}`);
  return rows.map((row) => String(row.column_name));
}

function checkAsOf(asOf: string | null | undefined): void {
  if (asOf === null || asOf === undefined) return;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new DataError("usage", `as-of date '${asOf}' is not a date (expected YYYY-MM-DD)`);
  }
}

/**
 * Cleans `rawTable` (all VARCHAR) into `table` (default "transactions") with the mapping, and reports what
 * happened to every row. Throws DataError("mapping") when the mapping does not fit the table, and
 * DataError("usage") for a bad asOf. Works with any SqlRunner; statements go through run() when there is one.
 */
export async function cleanTransactions(
  db: Runner,
  {
    rawTable = "raw",
    mapping,
    table = "transactions",
    asOf = null,
    netReturns = false,
    dedupe = "auto",
    dropZero = false,
    dateOrder
  }: CleanTransactionsOptions
): Promise<DataQualityReport> {
  checkAsOf(asOf);
  const columns = await tableColumns(db, rawTable);
  const problems = validateMapping(mapping, columns);
  if (problems.length > 0) throw new DataError("mapping", problems[0]);
  for (const key of ["customer_id", "order_date"] as const) {
    if (typeof mapping[key] !== "string") throw new DataError("mapping", `${key} must come from a single column`);
  }

  const warnings: string[] = [];
  const [statsRow] = await db.query(columnStatsSql(rawTable, mapping));
  const stats = parseColumnStats(statsRow ?? {}, mapping);
  let order: DateOrder = dateOrder ?? "mdy";
  if (!dateOrder) {
    const decided = decideDateOrder(stats, String(mapping.order_date));
    order = decided.order;
    if (decided.warning) warnings.push(decided.warning);
  }
  const decimalComma = numericColumns(mapping).filter((c) => decideDecimalComma(stats, c));
  for (const c of decimalComma) warnings.push(`${c}: read with a decimal comma (1.234,50 = 1234.5)`);
  if (isNameKey(mapping)) {
    warnings.push(`customer_id comes from '${mapping.customer_id}': customers are identified by name, and people with the same name are merged`);
  }

  const dedupeActive = dedupe === "auto" ? mapping.order_id !== undefined : dedupe;
  const intermediate = "clv_classified";
  await exec(
    db,
    classifySql({
      rawTable,
      columns,
      mapping,
      dateOrder: order,
      decimalComma,
      asOf,
      netReturns,
      dedupe: dedupeActive,
      dropZero,
      target: intermediate
    })
  );
  try {
    const counts = await db.query<{reason: string | null; n: unknown}>(
      `SELECT __clv_reason AS reason, count(*) AS n FROM ${ident(intermediate)} GROUP BY __clv_reason`
    );
    const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
    let kept = 0;
    for (const {reason, n} of counts) {
      if (reason === null) kept = toNumber(n);
      else dropped[reason as DropReason] = toNumber(n);
    }
    const rows = kept + DROP_REASONS.reduce((sum, r) => sum + dropped[r], 0);

    const examples: Partial<Record<DropReason, ExampleRow[]>> = {};
    if (rows > kept) {
      const list = columns.map(ident).join(", ");
      const exampleRows = await db.query<Record<string, unknown>>(
        `SELECT __clv_reason AS __clv_reason, __clv_row AS _row, ${list}
         FROM ${ident(intermediate)}
         WHERE __clv_reason IS NOT NULL
         QUALIFY row_number() OVER (PARTITION BY __clv_reason ORDER BY __clv_row) <= 5
         ORDER BY __clv_row`
      );
      for (const row of exampleRows) {
        const reason = String(row.__clv_reason) as DropReason;
        const example: ExampleRow = {_row: toNumber(row._row)};
        for (const c of columns) example[c] = row[c] === null || row[c] === undefined ? null : String(row[c]);
        (examples[reason] ??= []).push(example);
      }
    }

    // Returns are the rows that passed every check before the return rule (valid, not duplicates).
    const isReturn = "__clv_is_return AND (__clv_pre_reason IS NULL OR __clv_pre_reason = 'return')";
    const [flags] = await db.query(
      `SELECT count(*) FILTER (WHERE __clv_bad_quantity) AS bad_quantity,
              count(*) FILTER (WHERE __clv_bad_cost) AS bad_cost,
              count(*) FILTER (WHERE ${isReturn}) AS return_rows,
              count(*) FILTER (WHERE ${isReturn} AND __clv_cancellation) AS cancellations,
              sum(abs(__clv_amount)) FILTER (WHERE ${isReturn}) AS return_amount,
              count(DISTINCT __clv_customer) FILTER (WHERE ${isReturn}) AS return_customers,
              count(*) FILTER (WHERE __clv_is_return AND __clv_reason IS NULL) AS return_kept,
              count(*) FILTER (WHERE __clv_amount = 0 AND __clv_reason IS NULL) AS zero_kept,
              count(*) FILTER (WHERE __clv_dup > 1 AND __clv_reason IS NULL) AS identical_kept
       FROM ${ident(intermediate)}`
    );
    if (toNumber(flags.bad_quantity) > 0) {
      warnings.push(`quantity: ${toNumber(flags.bad_quantity)} value(s) are not numbers and were set to empty`);
    }
    if (toNumber(flags.identical_kept) > 0) {
      warnings.push(
        `${toNumber(flags.identical_kept)} row(s) repeat an earlier row exactly and were kept (${dedupe === "auto" ? "without an order id a double export looks like a repeated purchase" : "dedupe is off"})`
      );
    }
    if (toNumber(flags.zero_kept) > 0) {
      warnings.push(`${toNumber(flags.zero_kept)} row(s) with amount 0 were kept as purchases`);
    }
    if (toNumber(flags.bad_cost) > 0) {
      warnings.push(`cost: ${toNumber(flags.bad_cost)} value(s) are not numbers and were set to empty`);
    }

    await exec(db, transactionsSql({mapping, source: intermediate, table}));
    const [totals] = await db.query(
      `SELECT count(DISTINCT customer_id) AS customers, min(order_date) AS first_date, max(order_date) AS last_date,
              coalesce(sum(amount), 0) AS revenue
       FROM ${ident(table)}`
    );
    if (netReturns) {
      const [negative] = await db.query(
        `SELECT count(*) AS n FROM (SELECT customer_id FROM ${ident(table)} GROUP BY customer_id HAVING sum(amount) < 0)`
      );
      if (toNumber(negative.n) > 0) {
        warnings.push(`${toNumber(negative.n)} customer(s) returned more than they bought in this data (negative net revenue)`);
      }
    }
    if (kept === 0 && rows > 0) warnings.push("no row survived cleaning");

    return {
      rows,
      kept,
      dropped,
      examples,
      returns: {
        rows: toNumber(flags.return_rows),
        cancellations: toNumber(flags.cancellations),
        amount: toNumber(flags.return_amount),
        customers: toNumber(flags.return_customers),
        netted: netReturns,
        kept: toNumber(flags.return_kept)
      },
      customers: toNumber(totals.customers),
      firstDate: toDateString(totals.first_date),
      lastDate: toDateString(totals.last_date),
      revenue: toNumber(totals.revenue),
      zeroAmount: toNumber(flags.zero_kept),
      dedupe: dedupeActive,
      identicalRows: toNumber(flags.identical_kept),
      dateOrder: stats.slashed > 0 || dateOrder ? order : null,
      warnings
    };
  } finally {
    await exec(db, `DROP TABLE IF EXISTS ${ident(intermediate)}`);
  }
}
