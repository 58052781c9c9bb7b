/**
 * Cleaning rules as SQL: each row of a raw table (every column text) gets its parsed canonical values and
 * the one reason it is dropped for, and the kept rows become the canonical transactions. Pure functions write
 * SELECTs (rendered for DuckDB or PostgreSQL, see src/lib/sql/dialect.ts); report.ts runs them and counts.
 *
 * Every row of the raw table is either kept or dropped for exactly one reason: the first rule it fails, in
 * the order of DROP_REASONS. So rows = kept + sum(dropped), and nothing is dropped silently.
 *
 *  1. missing_customer_id       customer id empty, or NA / N/A / null / none / nan / nil / -
 *  2. missing_date              order date empty (same tokens)
 *  3. unparseable_date          not a date in any accepted form (see dateExpr in parse.ts)
 *  4. future_date               after options.asOf (only when asOf is given)
 *  5. missing_amount            amount empty (for quantity × unit price: either factor empty)
 *  6. non_numeric_amount        amount not a number in any accepted form (see numberExpr in parse.ts)
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
import {DataError} from "../../errors.js";
import {duckdb, type Dialect} from "../../sql/dialect.js";
import {sourceColumns, type Mapping, type Source} from "../schema.js";
import {dateExpr, missingExpr, numberExpr, trimExpr, type DateOrder} from "./parse.js";
import {sqlIdentifier, sqlString} from "../../sql/quote.js";

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
  dialect?: Dialect;
  /**
   * Leave the original columns out of the result and carry the canonical text columns instead (named
   * `__clv_text_<key>`, trimmed, missing tokens NULL); the examples then come from the raw table by row number
   * (see examplesSql in report.ts). DuckDB only: there the row number is the raw table's rowid, stable between
   * queries. Default false.
   */
  compact?: boolean;
  /**
   * DuckDB: the date column's every value is plain (parse.ts plainExpr), so it is read with a bare cast; and
   * the numeric columns whose every value is. Decided on the distinct values by columnStatsSql: the same
   * values as the general path gives, without its per-row tests.
   */
  plainDate?: boolean;
  plainNumbers?: readonly string[];
  /**
   * keptRowsSql only: file columns of optional texts (region, ...) whose every value reads as itself (no
   * padding, no missing-value token: changedTextsSql counts none), taken as they are.
   */
  asIsTexts?: readonly string[];
  /**
   * Number repeated rows (__clv_dup). Default true. Without dedupe only the report's count of identical kept
   * rows needs them, so a relation that only feeds the transactions can leave them out (__clv_dup = 1).
   */
  duplicates?: boolean;
  /**
   * DuckDB: a table (one column `__clv_row`) of the row numbers of the rows whose original columns hash like
   * another row's (repeatedRowsSql): the candidates, found by number, so that no row is hashed again.
   * Without dedupe, repeated rows are then not numbered: the candidates carry their original columns as one
   * value, `__clv_repeat` (NULL for every other row), so that the report counts the kept rows that repeat an
   * earlier row as kept candidates minus their distinct values (see tallySql): exact, since identical rows
   * share their fate when nothing is deduplicated, and a hash only picks the candidates; `__clv_dup` is 1.
   * With dedupe, only the candidates are numbered by all their columns (__clv_dup, as without the table).
   * Without this option and without duplicates, `__clv_repeat` is NULL.
   */
  repeats?: string;
}

/**
 * The row numbers (1-based, `__clv_row`; rowid + 1) of the rows of the raw table whose original columns hash
 * like another row's (DuckDB), for ClassifyPlan.repeats: every row is hashed once, a GROUP BY of one 64-bit
 * value per row finds the hashes that occur more than once, and the rows holding them are kept by number.
 * Empty for most files. Identical rows are among them (a hash collision only adds a candidate).
 */
export function repeatedRowsSql(rawTable: string, columns: readonly string[]): string {
  return `WITH hashed AS (
  SELECT rowid + 1 AS __clv_row, hash(${columns.map((c) => sqlIdentifier(c)).join(", ")}) AS h FROM ${sqlIdentifier(rawTable)}
)
SELECT __clv_row FROM hashed WHERE h IN (SELECT h FROM hashed GROUP BY h HAVING count(*) > 1)`;
}

/** Canonical text columns other than customer_id, in canonical order (order_id first). */
export const OPTIONAL_TEXT = ["order_id", "region", "province", "partner", "offer_type", "category", "customer_segment", "channel", "currency"] as const;

/** The columns of the canonical transactions relation transactionsSql makes, in order. */
export const TRANSACTION_COLUMNS = [
  "customer_id",
  "order_date",
  "amount",
  "order_id",
  "quantity",
  "cost",
  "acquisition_cost",
  ...OPTIONAL_TEXT.filter((k) => k !== "order_id"),
  "is_return",
  "source_row"
] as const;

/**
 * How classifySql reads the plan's columns: the numeric columns it reads with a bare cast (plain, see
 * ClassifyPlan.plainNumbers), and `text`, a column's text as it reads it (trimmed, unless the column is plain).
 */
function readers(plan: ClassifyPlan) {
  const {mapping, dialect = duckdb} = plan;
  const comma = new Set(plan.decimalComma ?? []);
  const plainNumbers = new Set(dialect.name === "duckdb" ? (plan.plainNumbers ?? []).filter((c) => !comma.has(c)) : []);
  const plainDate = dialect.name === "duckdb" && plan.plainDate === true;
  const plainText = new Set([...plainNumbers, ...(plainDate && typeof mapping.order_date === "string" ? [mapping.order_date] : [])]);
  const text = (column: string) => (plainText.has(column) ? sqlIdentifier(column) : trimExpr(sqlIdentifier(column), dialect));
  return {comma, plainNumbers, plainDate, text};
}

/** A canonical optional text (order id, region, ...) from its text as read: NULL for a missing-value token. */
function canonicalText(text: string, dialect: Dialect): string {
  return `CASE WHEN ${missingExpr(text, dialect)} THEN NULL ELSE ${text} END`;
}

/**
 * DuckDB, one row: for each file column of an optional text but the order id (OPTIONAL_TEXT), in the order of
 * `columns`, the distinct values that do not read as themselves (padded, which the classification trims, or
 * a missing-value token, which it makes NULL), as `changed_<i>`; a column with none is read as it is by
 * keptRowsSql (ClassifyPlan.asIsTexts). Each distinct value is tested once (a region or a category holds a
 * few); the order id is left out, since nearly every row holds one of its own. Null without such a column.
 */
export function changedTextsSql(plan: ClassifyPlan): {sql: string; columns: string[]} | null {
  const {rawTable, mapping, dialect = duckdb} = plan;
  const columns = [...new Set(OPTIONAL_TEXT.filter((key) => key !== "order_id").map((key) => mapping[key]).filter((c): c is string => typeof c === "string"))];
  if (columns.length === 0) return null;
  const changed = (column: string, i: number) => `(SELECT count(*) FROM (SELECT ${sqlIdentifier(column)} AS value FROM ${sqlIdentifier(rawTable)} GROUP BY 1) d
    WHERE value IS NOT NULL AND (${trimExpr("value", dialect)} <> value OR ${missingExpr("value", dialect)})) AS changed_${i}`;
  return {sql: `SELECT ${columns.map(changed).join(",\n  ")}`, columns};
}

/**
 * The canonical transactions (TRANSACTION_COLUMNS, as transactionsSql makes them from classifySql(plan)) of a
 * raw table whose every row is kept, read straight from the raw rows, in file order, without classifying them:
 * only for a plan and file that statisticsTally (report.ts) has shown to keep every row (DuckDB, compact,
 * plain date and numbers, an amount from one column, no return, no cancellation, no padded or missing
 * customer id; with dedupe, no repeated row). The values are those the classification gives such a row:
 * the customer id as it is (nothing to trim), the day and the numbers by their bare casts, the other texts
 * trimmed with missing-value tokens NULL, is_return false. With `rows`, only the raw rows [start, end) (by
 * rowid, 0-based).
 */
export function keptRowsSql(plan: ClassifyPlan, {rows}: {rows?: [number, number]} = {}): string {
  const {rawTable, mapping, dialect = duckdb} = plan;
  const {plainNumbers, plainDate, text} = readers(plan);
  const customer = mapping.customer_id;
  const date = mapping.order_date;
  const amount = mapping.amount;
  if (dialect.name !== "duckdb" || !plan.compact || !plainDate || typeof customer !== "string" || typeof date !== "string" || typeof amount !== "string") {
    throw new Error("keptRowsSql: only for a file every row of which is kept (see statisticsTally)");
  }
  for (const column of [amount, ...sourceColumns(mapping.quantity), ...sourceColumns(mapping.cost), ...sourceColumns(mapping.acquisition_cost)]) {
    if (!plainNumbers.has(column)) throw new Error(`keptRowsSql: ${column} is not plain`);
  }
  const double = `CAST(NULL AS ${dialect.double})`;
  const num = (column: string) => `try_cast(${text(column)} AS DOUBLE)`;
  const asIs = new Set(plan.asIsTexts ?? []);
  const optional = (key: (typeof OPTIONAL_TEXT)[number]) => {
    const column = mapping[key];
    if (typeof column !== "string") return `CAST(NULL AS VARCHAR) AS ${key}`;
    return `${asIs.has(column) ? sqlIdentifier(column) : canonicalText(text(column), dialect)} AS ${key}`;
  };
  const cost = mapping.cost;
  const costValue = cost === undefined ? double : typeof cost === "string" ? num(cost) : "amountMinus" in cost ? `(${num(amount)} - ${num(cost.amountMinus)})` : double;
  const quantity = typeof mapping.quantity === "string" ? mapping.quantity : undefined;
  const acquisition = typeof mapping.acquisition_cost === "string" ? mapping.acquisition_cost : undefined;
  return `SELECT
  CAST(${sqlIdentifier(customer)} AS VARCHAR) AS customer_id,
  CAST(try_cast(${text(date)} AS DATE) AS DATE) AS order_date,
  CAST(${num(amount)} AS ${dialect.double}) AS amount,
  ${optional("order_id")},
  CAST(${quantity ? num(quantity) : double} AS ${dialect.double}) AS quantity,
  CAST(${costValue} AS ${dialect.double}) AS cost,
  CAST(${acquisition ? num(acquisition) : double} AS ${dialect.double}) AS acquisition_cost,
  ${OPTIONAL_TEXT.filter((k) => k !== "order_id").map(optional).join(",\n  ")},
  false AS is_return,
  CAST(${dialect.sourceRow()} AS BIGINT) AS source_row
FROM ${sqlIdentifier(rawTable)}${rows ? `\nWHERE rowid >= ${rows[0]} AND rowid < ${rows[1]}` : ""}`;
}

/**
 * A SELECT of every raw row with its original columns, its 1-based row number (__clv_row), its parsed
 * canonical values (columns prefixed __clv_) and its drop reason (__clv_reason, NULL when kept).
 */
export function classifySql(plan: ClassifyPlan): string {
  const {rawTable, columns, mapping, dateOrder, asOf = null, netReturns = false, dedupe = true, dropZero = false, dialect = duckdb, compact = false} = plan;
  const {comma, plainNumbers, plainDate, text} = readers(plan);
  const num = (column: string) =>
    plainNumbers.has(column) ? `try_cast(__clv_t_${safe(column)} AS DOUBLE)` : numberExpr(`__clv_t_${safe(column)}`, comma.has(column), dialect);
  const textCols = new Set<string>();
  for (const key of Object.keys(mapping) as (keyof Mapping)[]) for (const c of sourceColumns(mapping[key])) textCols.add(c);
  const optionalText = OPTIONAL_TEXT.filter((key) => typeof mapping[key] === "string");
  const safeNames = new Map<string, string>();
  function safe(column: string): string {
    if (!safeNames.has(column)) safeNames.set(column, String(safeNames.size));
    return safeNames.get(column)!;
  }
  const t = (column: string) => `__clv_t_${safe(column)}`;
  const src = (s: Source | undefined) => (typeof s === "string" ? s : undefined);
  const double = `CAST(NULL AS ${dialect.double})`;

  const customer = src(mapping.customer_id)!;
  const date = src(mapping.order_date)!;
  const amount = mapping.amount!;
  const order = src(mapping.order_id);

  // Amount: one column, or the product of two.
  let amountMissing: string;
  let amountValue: string;
  if (typeof amount === "string") {
    amountMissing = missingExpr(t(amount), dialect);
    amountValue = num(amount);
  } else if ("multiply" in amount) {
    const [a, b] = amount.multiply;
    amountMissing = `(${missingExpr(t(a), dialect)} OR ${missingExpr(t(b), dialect)})`;
    amountValue = `(${num(a)} * ${num(b)})`;
  } else {
    throw new DataError("mapping", "amount cannot be derived from itself");
  }
  const quantity = src(mapping.quantity);
  const cost = mapping.cost;
  const costValue =
    cost === undefined ? double : typeof cost === "string" ? num(cost) : "amountMinus" in cost ? `(__clv_amount - ${num(cost.amountMinus)})` : double;
  const costText = cost === undefined ? undefined : sourceColumns(cost)[0];
  const acquisition = src(mapping.acquisition_cost);

  const cancellation = order ? `coalesce(${dialect.fullMatch(t(order), "[Cc]\\d+")}, false)` : "false";
  const partition = columns.map((c) => sqlIdentifier(c)).join(", ");
  const rules: [DropReason, string][] = [
    ["missing_customer_id", missingExpr("__clv_customer", dialect)],
    ["missing_date", missingExpr(t(date), dialect)],
    ["unparseable_date", "__clv_date IS NULL"],
    ["future_date", asOf ? `__clv_date > DATE ${sqlString(asOf)}` : "false"],
    ["missing_amount", "__clv_amount_missing"],
    ["non_numeric_amount", "__clv_amount IS NULL"],
    ["duplicate", dedupe ? "__clv_dup > 1" : "false"],
    ["zero_amount", dropZero ? "__clv_amount = 0" : "false"],
    ["return", netReturns ? "false" : "__clv_is_return"]
  ];
  // Each stage computed once per row (see Dialect.fence).
  const fence = dialect.fence ? ` ${dialect.fence}` : "";
  const preReason = `CASE ${rules.map(([reason, test]) => `WHEN ${test} THEN ${sqlString(reason)}`).join("\n      ")} END`;

  // The result keeps the original columns and the parsed values, not the trimmed texts (__clv_t_*): a
  // classified row is materialised once per file, and carrying a second copy of every text column doubled it.
  // Compact: the canonical texts the transactions need, not the original columns (read back from the raw
  // table for the few examples), so a classified row holds each text once.
  const canonicalTexts = optionalText.map((key) => {
    const column = t(mapping[key] as string);
    return `${canonicalText(column, dialect)} AS __clv_text_${key}`;
  });
  const keep = [
    "__clv_row",
    ...(compact ? optionalText.map((key) => `__clv_text_${key}`) : columns.map((c) => sqlIdentifier(c))),
    "__clv_dup",
    ...(compact ? ["__clv_repeat"] : []),
    "__clv_customer",
    "__clv_date",
    "__clv_amount",
    "__clv_cancellation",
    "__clv_quantity",
    "__clv_bad_quantity",
    "__clv_is_return",
    "__clv_cost",
    "__clv_bad_cost",
    "__clv_acquisition_cost",
    "__clv_bad_acquisition_cost",
    "__clv_pre_reason"
  ].join(", ");

  // __clv_dup numbers the rows with the same original columns (1 for the first). In DuckDB a 64-bit hash of
  // the columns finds the few candidate rows first, and only those are partitioned by every column (exact);
  // partitioning a million rows by all their text columns cost more than the rest of the classification.
  const repeat = (value: string) => (compact ? `, ${value} AS __clv_repeat` : "");
  const duplicates = !dedupe && plan.repeats !== undefined && dialect.name === "duckdb"
    ? `numbered AS (
  SELECT ${dialect.sourceRow()} AS __clv_row, * FROM ${sqlIdentifier(rawTable)}
), src AS (
  SELECT *, 1 AS __clv_dup${repeat(`CASE WHEN __clv_row IN (SELECT __clv_row FROM ${sqlIdentifier(plan.repeats)}) THEN struct_pack(${columns.map((c, i) => `c${i} := ${sqlIdentifier(c)}`).join(", ")}) END`)} FROM numbered
)`
    : !dedupe && plan.duplicates === false
    ? `numbered AS (
  SELECT ${dialect.sourceRow()} AS __clv_row, * FROM ${sqlIdentifier(rawTable)}
), src AS (
  SELECT *, 1 AS __clv_dup${repeat("NULL")} FROM numbered
)`
    : dialect.name === "duckdb" && plan.repeats !== undefined
      ? `numbered AS (
  SELECT ${dialect.sourceRow()} AS __clv_row, * FROM ${sqlIdentifier(rawTable)}
), candidates AS (
  SELECT __clv_row, row_number() OVER (PARTITION BY ${partition} ORDER BY __clv_row) AS __clv_dup
  FROM numbered
  WHERE __clv_row IN (SELECT __clv_row FROM ${sqlIdentifier(plan.repeats)})
), src AS (
  SELECT numbered.*, coalesce(candidates.__clv_dup, 1) AS __clv_dup${repeat("NULL")}
  FROM numbered LEFT JOIN candidates ON numbered.__clv_row = candidates.__clv_row
)`
    : dialect.name === "duckdb"
      ? `numbered AS (
  SELECT ${dialect.sourceRow()} AS __clv_row, *, hash(${partition}) AS __clv_hash FROM ${sqlIdentifier(rawTable)}
), candidates AS (
  SELECT __clv_row, row_number() OVER (PARTITION BY ${partition} ORDER BY __clv_row) AS __clv_dup
  FROM numbered
  WHERE __clv_hash IN (SELECT __clv_hash FROM numbered GROUP BY __clv_hash HAVING count(*) > 1)
), src AS (
  SELECT numbered.*, coalesce(candidates.__clv_dup, 1) AS __clv_dup${repeat("NULL")}
  FROM numbered LEFT JOIN candidates ON numbered.__clv_row = candidates.__clv_row
)`
      : `numbered AS (
  SELECT ${dialect.sourceRow()} AS __clv_row, * FROM ${sqlIdentifier(rawTable)}
), src AS (
  SELECT *, row_number() OVER (PARTITION BY ${partition} ORDER BY __clv_row) AS __clv_dup
  FROM numbered${fence}
)`;

  return `WITH ${duplicates}, texts AS (
  SELECT *, ${[...textCols].map((c) => `${text(c)} AS ${t(c)}`).join(", ")}
  FROM src${fence}
), parsed AS (
  SELECT *,
    ${t(customer)} AS __clv_customer,
    ${plainDate ? `try_cast(${t(date)} AS DATE)` : dateExpr(t(date), dateOrder, dialect)} AS __clv_date,
    ${amountMissing} AS __clv_amount_missing,
    ${amountValue} AS __clv_amount,
    ${cancellation} AS __clv_cancellation,
    ${quantity ? num(quantity) : double} AS __clv_quantity,
    ${quantity ? `NOT ${missingExpr(t(quantity), dialect)} AND ${num(quantity)} IS NULL` : "false"} AS __clv_bad_quantity,
    ${acquisition ? num(acquisition) : double} AS __clv_acquisition_cost,
    ${acquisition ? `NOT ${missingExpr(t(acquisition), dialect)} AND ${num(acquisition)} IS NULL` : "false"} AS __clv_bad_acquisition_cost${compact ? canonicalTexts.map((c) => `,
    ${c}`).join("") : ""}
  FROM texts${fence}
), flagged AS (
  SELECT *,
    coalesce(__clv_amount < 0, false) OR __clv_cancellation AS __clv_is_return,
    ${costValue} AS __clv_cost,
    ${costText ? `NOT ${missingExpr(t(costText), dialect)} AND ${costValue} IS NULL AND __clv_amount IS NOT NULL` : "false"} AS __clv_bad_cost
  FROM parsed${fence}
), reasoned AS (
  SELECT *, ${preReason} AS __clv_pre_reason
  FROM flagged${fence}
)
SELECT ${keep},
  CASE
    WHEN __clv_pre_reason IS NOT NULL THEN __clv_pre_reason
    ${netReturns ? `WHEN __clv_is_return AND NOT bool_or(__clv_pre_reason IS NULL AND NOT __clv_is_return) OVER (PARTITION BY __clv_customer) THEN 'return_without_purchase'` : ""}
  END AS __clv_reason
FROM reasoned`;
}

/** A SELECT of the canonical transactions (TRANSACTION_COLUMNS) from the kept rows of a classified relation. */
export function transactionsSql({
  mapping,
  source = "clv_classified",
  dialect = duckdb,
  ordered = true,
  compact = false
}: {
  mapping: Mapping;
  source?: string;
  dialect?: Dialect;
  /** The source is a compact classified relation (ClassifyPlan.compact): canonical texts, no original columns. */
  compact?: boolean;
  /** In file order (by source_row); false for a view whose readers sort by source_row when they need to. */
  ordered?: boolean;
}): string {
  const text = (key: (typeof OPTIONAL_TEXT)[number]) => {
    const column = mapping[key];
    if (typeof column !== "string") return `CAST(NULL AS VARCHAR) AS ${key}`;
    if (compact) return `__clv_text_${key} AS ${key}`;
    // Trimmed as classifySql trims; missing-value tokens become NULL.
    const t = trimExpr(sqlIdentifier(column), dialect);
    return `CASE WHEN ${missingExpr(t, dialect)} THEN NULL ELSE ${t} END AS ${key}`;
  };
  return `SELECT
  CAST(__clv_customer AS VARCHAR) AS customer_id,
  CAST(__clv_date AS DATE) AS order_date,
  CAST(CASE WHEN __clv_is_return THEN -abs(__clv_amount) ELSE __clv_amount END AS ${dialect.double}) AS amount,
  ${text("order_id")},
  CAST(__clv_quantity AS ${dialect.double}) AS quantity,
  CAST(__clv_cost AS ${dialect.double}) AS cost,
  CAST(__clv_acquisition_cost AS ${dialect.double}) AS acquisition_cost,
  ${OPTIONAL_TEXT.filter((k) => k !== "order_id").map(text).join(",\n  ")},
  __clv_is_return AS is_return,
  CAST(__clv_row AS BIGINT) AS source_row
FROM ${sqlIdentifier(source)}
WHERE __clv_reason IS NULL${ordered ? "\nORDER BY __clv_row" : ""}`;
}
