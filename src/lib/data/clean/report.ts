/**
 * Cleaning run end to end, and what it reports. cleanTransactions reads a raw table (all text) through a
 * RelationHost (DuckDB tables in the page and in Node, or CTEs sent to a database server: see
 * src/lib/sql/relations.ts), decides how to read dates and numbers (parse.ts), classifies every row
 * (classify.ts), defines the canonical transactions relation and returns a DataQualityReport: how many rows
 * were kept, how many dropped for each reason with example rows, the returns, the customers, the date range,
 * the revenue and warnings. Every number comes from two queries on the classified rows (a tally, and the
 * examples when rows were dropped), so the same report comes out of any engine.
 */
import {dataCurrency} from "../../format/setting.js";
import type {SqlRunner} from "../../types.js";
import {DataError} from "../../errors.js";
import {duckdbHost, type DuckRunner, type RelationHost} from "../../sql/relations.js";
import {duckdb} from "../../sql/dialect.js";
import {MICROS, toMicros} from "../../sql/filters.js";
import {isNameKey, sourceColumns, validateMapping, type Mapping} from "../schema.js";
import {columnStatsSql, decideDateOrder, decideDecimalComma, missingExpr, numericColumns, parseColumnStats, trimExpr, type ColumnStats, type DateOrder} from "./parse.js";
import {sqlIdentifier, sqlString} from "../../sql/quote.js";
import {DROP_REASONS, changedTextsSql, classifySql, keptRowsSql, repeatedRowsSql, transactionsSql, type ClassifyPlan, type CleanOptions, type DropReason} from "./classify.js";

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
  /**
   * With a currency column: the one ISO 4217 code every kept row with a value holds (the site's default
   * currency, lib/format/setting.ts), else null (several codes, or a value that is no code: a warning says
   * which). Absent without a currency column.
   */
  currency?: string | null;
  warnings: string[];
}

export interface CleanTransactionsOptions extends CleanOptions {
  rawTable?: string;
  mapping: Mapping;
  /** Name of the relation to define. Default "transactions". */
  table?: string;
  /**
   * Define the transactions as a view over the classified rows instead of a table (DuckDB only; a server
   * host defines relations lazily anyway). For a caller that reads them once or twice, such as the CLI:
   * writing a million cleaned rows costs as much as classifying them. The classification is a view too,
   * `clv_classified_<table>` (each query over the transactions classifies the raw rows again as it streams
   * them: nothing per row is stored). Default false.
   */
  lazy?: boolean;
  /**
   * Materialises the classified rows (table `name`, the rows of classifySql(plan)) in place of one
   * CREATE TABLE AS: chunked.ts classifies a chunk of rows at a time to report progress. DuckDB tables only.
   * `repeats`, when given, names a table of the rows that may repeat another (repeatedRowsSql, made here
   * while looking for a clean file: see `statistics`), so that the hook need not hash every row again.
   */
  classify?: (name: string, plan: ClassifyPlan, repeats?: string) => Promise<void>;
  /**
   * With `lazy` (DuckDB tables): count a file whose every row is kept from aggregates of the raw table
   * (statisticsTally) instead of classifying every row for the report; the report is the same (tested in
   * tests/lib/data/clean/statistics.test.ts). With `classify` too: such a file is not classified at all, and
   * its transactions are made straight from the raw rows (keptRowsSql), by `keepEvery` when given.
   * Default true; false always counts the classified rows.
   */
  statistics?: boolean;
  /**
   * With `classify`: makes the transactions table `table` of a file whose every row is kept (the rows of
   * keptRowsSql(plan)) in place of one CREATE TABLE AS (chunked.ts: a chunk of rows at a time).
   */
  keepEvery?: (table: string, plan: ClassifyPlan) => Promise<void>;
  /** With `classify`: called before the rows that may repeat another are looked for, when cleanTransactions does so. */
  findingRepeats?: () => Promise<void>;
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

function isHost(db: SqlRunner): db is RelationHost {
  return typeof (db as RelationHost).define === "function" && typeof (db as RelationHost).dialect === "object";
}

/** The host for `db`: itself when it is one, else its DuckDB tables. */
export function relationHost(db: DuckRunner | RelationHost): RelationHost {
  return isHost(db) ? db : duckdbHost(db);
}

function checkAsOf(asOf: string | null | undefined): void {
  if (asOf === null || asOf === undefined) return;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new DataError("usage", `as-of date '${asOf}' is not a date (expected YYYY-MM-DD)`);
  }
}

/** Returns are the rows that passed every check before the return rule (valid, not duplicates). */
const IS_RETURN = "__clv_is_return AND (__clv_pre_reason IS NULL OR __clv_pre_reason = 'return')";

/** One row of counts over a classified relation: kept, each reason, the returns, flags and kept totals (revenue summed
 * exactly in millionths, so that every engine gives the same number). */
export function tallySql(source: string, double = "DOUBLE", {repeats = false}: {repeats?: boolean} = {}): string {
  const kept = "__clv_reason IS NULL";
  // With ClassifyPlan.repeats, identical rows are not numbered: the kept rows that repeat an earlier row are
  // the kept candidates (__clv_repeat, the original columns) less their distinct values.
  const identical = repeats
    ? `count(*) FILTER (WHERE __clv_repeat IS NOT NULL AND ${kept}) - count(DISTINCT __clv_repeat) FILTER (WHERE ${kept})`
    : `count(*) FILTER (WHERE __clv_dup > 1 AND ${kept})`;
  return `SELECT count(*) FILTER (WHERE ${kept}) AS kept,
  ${DROP_REASONS.map((r) => `count(*) FILTER (WHERE __clv_reason = ${sqlString(r)}) AS ${r}`).join(",\n  ")},
  count(*) FILTER (WHERE __clv_bad_quantity) AS bad_quantity,
  count(*) FILTER (WHERE __clv_bad_cost) AS bad_cost,
  count(*) FILTER (WHERE __clv_bad_acquisition_cost) AS bad_acquisition_cost,
  count(*) FILTER (WHERE ${IS_RETURN}) AS return_rows,
  count(*) FILTER (WHERE ${IS_RETURN} AND __clv_cancellation) AS cancellations,
  sum(abs(__clv_amount)) FILTER (WHERE ${IS_RETURN}) AS return_amount,
  count(DISTINCT __clv_customer) FILTER (WHERE ${IS_RETURN}) AS return_customers,
  count(*) FILTER (WHERE __clv_is_return AND ${kept}) AS return_kept,
  count(*) FILTER (WHERE __clv_amount = 0 AND ${kept}) AS zero_kept,
  ${identical} AS identical_kept,
  count(DISTINCT __clv_customer) FILTER (WHERE ${kept}) AS customers,
  min(__clv_date) FILTER (WHERE ${kept}) AS first_date,
  max(__clv_date) FILTER (WHERE ${kept}) AS last_date,
  coalesce(CAST(sum(${toMicros("CASE WHEN __clv_is_return THEN -abs(__clv_amount) ELSE __clv_amount END")}) FILTER (WHERE ${kept}) AS ${double}) / ${MICROS}, 0) AS revenue
FROM ${sqlIdentifier(source)}`;
}

/**
 * Whether the column statistics (columnStatsSql) allow a file whose every row is kept (DuckDB, compact plan,
 * an amount from one column): the date and every numeric column are plain (ClassifyPlan.plainDate,
 * plainNumbers: the classification reads them with bare casts, as the statistics do, and no value is flagged
 * as a bad number); the date and the amount hold no NULL, no amount is below zero (a return), none is 0 with
 * dropZero, no day is after asOf, every amount sums in millionths; with dedupe, no row may repeat another
 * (plan.repeats undefined).
 */
function mayKeepEveryRow(plan: ClassifyPlan, stats: ColumnStats): boolean {
  const {mapping, asOf = null, dropZero = false, dedupe = true, repeats, dialect} = plan;
  if (dialect?.name !== "duckdb" || !plan.compact || !plan.plainDate || stats.nullDate !== 0 || (dedupe && repeats !== undefined)) return false;
  if (typeof mapping.order_date !== "string" || typeof mapping.customer_id !== "string" || typeof mapping.amount !== "string") return false;
  const plain = new Set(plan.plainNumbers ?? []);
  if (!numericColumns(mapping).every((c) => plain.has(c))) return false;
  // A cost that is neither a column nor amount minus a column is NULL for every row, and flagged as bad.
  if (mapping.cost !== undefined && typeof mapping.cost !== "string" && !("amountMinus" in mapping.cost)) return false;
  const amount = mapping.amount;
  if (stats.nulls?.[amount] !== 0 || stats.negative?.[amount] !== 0 || stats.unsummed?.[amount] !== 0) return false;
  if (dropZero && stats.zero?.[amount] !== 0) return false;
  const last = toDateString(stats.lastDate);
  return !(asOf && last !== null && last > asOf);
}

/**
 * The rest of a clean file's tally (statisticsTally), one row: the distinct customer texts (`customers`) and
 * those that fail a rule (`bad_customers`: missing, or padded, which the classification trims, so that two
 * texts could be one customer), each tested once; the rows whose order id is a cancellation; and without
 * dedupe the kept rows that repeat an earlier row: every row being kept, the repeat candidates
 * (ClassifyPlan.repeats, read by rowid) less their distinct values.
 */
export function statisticsTallySql(plan: ClassifyPlan): string {
  const {rawTable, columns, mapping, dedupe = true, repeats, dialect = duckdb} = plan;
  const raw = sqlIdentifier(rawTable);
  const order = typeof mapping.order_id === "string" ? mapping.order_id : undefined;
  const cancellations = order
    ? `(SELECT count(*) FROM ${raw} WHERE ${dialect.fullMatch(trimExpr(sqlIdentifier(order), dialect), "[Cc]\\d+")})`
    : "0";
  const identical = !dedupe && repeats !== undefined
    ? `(SELECT count(*) - count(DISTINCT struct_pack(${columns.map((c, i) => `c${i} := ${sqlIdentifier(c)}`).join(", ")}))
    FROM ${raw} WHERE rowid IN (SELECT __clv_row - 1 FROM ${sqlIdentifier(repeats)}))`
    : "0";
  return `SELECT count(*) FILTER (WHERE NOT bad) AS customers, count(*) FILTER (WHERE bad) AS bad_customers,
  ${cancellations} AS cancellations, ${identical} AS identical_kept
FROM (
  SELECT value IS NULL OR ${trimExpr("value", dialect)} <> value OR ${missingExpr("value", dialect)} AS bad
  FROM (SELECT ${sqlIdentifier(String(mapping.customer_id))} AS value FROM ${raw} GROUP BY 1) distinct_customers
) tested`;
}

/**
 * The tally (as tallySql names its columns) of a file whose every row is kept, without classifying a row:
 * the rows, days, amounts and $0 rows come from the column statistics already read (columnStatsSql, see
 * mayKeepEveryRow), the customers, cancellations and repeats from statisticsTallySql. Null when the file is
 * not clean: then its rows must be classified.
 */
async function statisticsTally(host: RelationHost, plan: ClassifyPlan, stats: ColumnStats): Promise<Record<string, unknown> | null> {
  if (!mayKeepEveryRow(plan, stats)) return null;
  const [row] = await host.query(statisticsTallySql(plan));
  if (row === undefined || toNumber(row.bad_customers) > 0 || toNumber(row.cancellations) > 0) return null;
  const amount = String(plan.mapping.amount);
  return {
    ...Object.fromEntries(DROP_REASONS.map((r) => [r, 0])),
    kept: stats.dateRows,
    bad_quantity: 0,
    bad_cost: 0,
    bad_acquisition_cost: 0,
    return_rows: 0,
    cancellations: 0,
    return_amount: 0,
    return_customers: 0,
    return_kept: 0,
    zero_kept: stats.zero?.[amount],
    identical_kept: row.identical_kept,
    customers: row.customers,
    first_date: stats.firstDate,
    last_date: stats.lastDate,
    revenue: stats.sum?.[amount]
  };
}

/**
 * The row numbers of the first five dropped rows of each reason (a compact classified relation has no
 * original columns: rawRowsSql reads them back). Only dropped rows are numbered, so nothing is sorted when
 * every row is kept.
 */
export function exampleRowsSql(source: string): string {
  return `SELECT __clv_reason, _row
FROM (
  SELECT __clv_reason, __clv_row AS _row, row_number() OVER (PARTITION BY __clv_reason ORDER BY __clv_row) AS __clv_pick
  FROM ${sqlIdentifier(source)}
  WHERE __clv_reason IS NOT NULL
) picked
WHERE __clv_pick <= 5
ORDER BY _row`;
}

/** The original columns of the given 1-based rows of a DuckDB table (row n is rowid n − 1), with `_row`. */
export function rawRowsSql(rawTable: string, columns: readonly string[], rows: readonly number[]): string {
  const ids = rows.map((r) => String(Math.trunc(r) - 1)).join(", ");
  return `SELECT rowid + 1 AS _row, ${columns.map((c) => sqlIdentifier(c)).join(", ")}
FROM ${sqlIdentifier(rawTable)}
WHERE rowid IN (${ids || "NULL"})
ORDER BY rowid`;
}

/** The first five dropped rows of each reason, by row number, with the original columns. */
export function examplesSql(source: string, columns: readonly string[]): string {
  return `SELECT __clv_reason, _row, ${columns.map((c) => sqlIdentifier(c)).join(", ")}
FROM (
  SELECT __clv_reason, __clv_row AS _row, ${columns.map((c) => sqlIdentifier(c)).join(", ")},
    row_number() OVER (PARTITION BY __clv_reason ORDER BY __clv_row) AS __clv_pick
  FROM ${sqlIdentifier(source)}
  WHERE __clv_reason IS NOT NULL
) picked
WHERE __clv_pick <= 5
ORDER BY _row`;
}

/** What cleanTransactions and defineTransactions decide before classifying: the plan's reading of each column. */
async function prepareCleaning(
  host: RelationHost,
  {rawTable = "raw", mapping, table = "transactions", asOf = null, netReturns = false, dedupe = "auto", dropZero = false, dateOrder, lazy = false}: CleanTransactionsOptions
) {
  checkAsOf(asOf);
  const dialect = host.dialect;
  const columns = await host.columns(rawTable);
  const problems = validateMapping(mapping, columns);
  if (problems.length > 0) throw new DataError("mapping", problems[0]);
  for (const key of ["customer_id", "order_date"] as const) {
    if (typeof mapping[key] !== "string") throw new DataError("mapping", `${key} must come from a single column`);
  }

  const warnings: string[] = [];
  const [statsRow] = await host.query(columnStatsSql(rawTable, mapping, dialect));
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
  // A view only where relations are tables (a CTE host, on a server, is lazy by itself).
  const view = lazy && dialect.name === "duckdb" && typeof (host as {ctes?: unknown}).ctes !== "function";
  const intermediate = view ? `clv_classified_${table}` : "clv_classified";
  // In DuckDB tables the classified rows carry the canonical texts only, not a copy of every original
  // column: the examples are read back from the raw table by row number (its rowid).
  const compact = dialect.name === "duckdb" && typeof (host as {ctes?: unknown}).ctes !== "function";
  // Columns whose every distinct value is plain are read with a bare cast (see ClassifyPlan.plainDate).
  const plainDate = stats.notPlainDate === 0;
  const plainNumbers = numericColumns(mapping).filter((c) => stats.notPlain?.[c] === 0 && !decimalComma.includes(c));
  const plan = {rawTable, columns, mapping, dateOrder: order, decimalComma, asOf, netReturns, dedupe: dedupeActive, dropZero, dialect, compact, plainDate, plainNumbers};
  return {columns, warnings, stats, order, decimalComma, dedupeActive, view, intermediate, compact, plan};
}

/**
 * The transactions of cleanTransactions as a view (DuckDB tables only, see CleanTransactionsOptions.lazy),
 * without the report: for a caller that shows none (`clv summary`, `clv rfm`), so that nothing is counted and no
 * row is hashed for it; every row still gets the same reason as there, and the same rows are kept. Returns the
 * raw rows and whether any row was kept (the classification stops at the first kept row).
 */
export async function defineTransactions(db: DuckRunner | RelationHost, options: CleanTransactionsOptions): Promise<{rows: number; anyKept: boolean}> {
  const host = relationHost(db);
  const {rawTable = "raw", table = "transactions", mapping} = options;
  const {view, intermediate, compact, plan} = await prepareCleaning(host, {...options, lazy: true});
  if (!view || !compact) throw new Error("defineTransactions: the transactions can only be a view over DuckDB tables (use cleanTransactions)");
  // Without dedupe nothing numbers repeated rows (ClassifyPlan.duplicates); with it, as cleanTransactions does.
  await host.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(intermediate)} AS\n${classifySql({...plan, duplicates: false})}`);
  await host.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(table)} AS\n${transactionsSql({mapping, source: intermediate, dialect: host.dialect, ordered: false, compact})}`);
  const [{rows}] = await host.query(`SELECT count(*) AS rows FROM ${sqlIdentifier(rawTable)}`);
  const [{kept}] = await host.query(`SELECT count(*) AS kept FROM (SELECT 1 FROM ${sqlIdentifier(table)} LIMIT 1) first_kept`);
  return {rows: toNumber(rows), anyKept: toNumber(kept) > 0};
}

/**
 * Cleans `rawTable` (all VARCHAR) into the relation `table` (default "transactions") with the mapping, and
 * reports what happened to every row. Throws DataError("mapping") when the mapping does not fit the table,
 * and DataError("usage") for a bad asOf. `db` is a RelationHost, or any DuckDB SqlRunner (statements go
 * through run() when there is one).
 */
export async function cleanTransactions(db: DuckRunner | RelationHost, options: CleanTransactionsOptions): Promise<DataQualityReport> {
  const {rawTable = "raw", mapping, table = "transactions", netReturns = false, dedupe = "auto", classify, statistics = true} = options;
  const host = relationHost(db);
  const dialect = host.dialect;
  const prepared = await prepareCleaning(host, options);
  const {columns, warnings, stats, order, dedupeActive, view, intermediate, compact} = prepared;
  const dateOrder = options.dateOrder;
  // DuckDB: the numbers of the rows that may repeat an earlier one come first (each row hashed once, see
  // repeatedRowsSql); most files have none. Without dedupe repeated rows are then only counted and the
  // classification numbers nothing (see ClassifyPlan.repeats); with dedupe only the candidates are numbered, and
  // when there is none, no row is a duplicate and nothing is numbered at all.
  // A `classify` hook numbers the repeated rows itself (chunked.ts). The table is not TEMP: a temporary table
  // lives in one connection, and a page's DuckDBClient runs each query on a connection of its own.
  const repeatsTable = `clv_repeated_${table}`;
  let repeats: string | undefined;
  const countRepeats = compact && !classify;
  if (countRepeats) {
    await host.query(`CREATE OR REPLACE TABLE ${sqlIdentifier(repeatsTable)} AS ${repeatedRowsSql(rawTable, columns)}`);
    const [{n}] = await host.query(`SELECT count(*) AS n FROM ${sqlIdentifier(repeatsTable)}`);
    if (toNumber(n) > 0) repeats = repeatsTable;
    else await host.query(`DROP TABLE ${sqlIdentifier(repeatsTable)}`);
  }
  const plan: ClassifyPlan = !countRepeats
    ? prepared.plan
    : dedupeActive && repeats === undefined
      ? {...prepared.plan, dedupe: false, duplicates: false}
      : {...prepared.plan, duplicates: false, repeats};
  // Without dedupe the tally counts repeats from the candidates (__clv_repeat), with it from __clv_dup.
  const repeatCandidates = repeats !== undefined && !dedupeActive;
  // A `classify` hook (chunked.ts) on a file the column statistics allow to be clean: its repeat candidates
  // are found as above, and when statisticsTally counts the file (every row kept) no row is classified: the
  // transactions are read straight from the raw rows (keptRowsSql). Otherwise the hook classifies, given the
  // candidates.
  let candidates: string | undefined;
  let counted: Record<string, unknown> | null = null;
  let keptPlan: ClassifyPlan | undefined;
  try {
    if (classify && statistics && compact && !view && mayKeepEveryRow(prepared.plan, stats)) {
      await options.findingRepeats?.();
      await host.query(`CREATE OR REPLACE TABLE ${sqlIdentifier(repeatsTable)} AS ${repeatedRowsSql(rawTable, columns)}`);
      candidates = repeatsTable;
      const [{n}] = await host.query(`SELECT count(*) AS n FROM ${sqlIdentifier(repeatsTable)}`);
      const found = toNumber(n) > 0 ? repeatsTable : undefined;
      const cleanPlan: ClassifyPlan = dedupeActive && found === undefined ? {...prepared.plan, dedupe: false, duplicates: false} : {...prepared.plan, duplicates: false, repeats: found};
      counted = await statisticsTally(host, cleanPlan, stats);
      if (counted) {
        // The optional texts whose every value reads as itself are taken as they are (changedTextsSql).
        const texts = changedTextsSql(cleanPlan);
        const [changed] = texts ? await host.query(texts.sql) : [];
        const asIsTexts = texts ? texts.columns.filter((_, i) => changed !== undefined && toNumber(changed[`changed_${i}`]) === 0) : [];
        keptPlan = {...cleanPlan, asIsTexts};
      }
    }
    // Lazy: the classified rows are a view too, so nothing per row is stored beside the raw table; each reader
    // (the tally, the examples when rows were dropped, the command's one query over the transactions) classifies
    // as it streams. Materialising them held a second copy of the file (over 4 GB at 10M rows).
    if (view) await host.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(intermediate)} AS\n${classifySql(plan)}`);
    else if (classify && !keptPlan) await classify(intermediate, plan, candidates);
    else if (!keptPlan) await host.define(intermediate, classifySql(plan));
    // A file whose every row is kept is counted without classifying its rows (statisticsTallySql).
    const clean = counted ?? (view && statistics ? await statisticsTally(host, plan, stats) : null);
    const tally = clean ?? (await host.query(tallySql(intermediate, dialect.double, {repeats: repeatCandidates})))[0];
    const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, toNumber(tally[r])])) as Record<DropReason, number>;
    const kept = toNumber(tally.kept);
    const rows = kept + DROP_REASONS.reduce((sum, r) => sum + dropped[r], 0);

    const examples: Partial<Record<DropReason, ExampleRow[]>> = {};
    if (rows > kept) {
      let picked: Record<string, unknown>[];
      if (compact) {
        const reasons = await host.query<Record<string, unknown>>(exampleRowsSql(intermediate));
        const originals = new Map<number, Record<string, unknown>>();
        const numbers = reasons.map((r) => toNumber(r._row));
        for (const row of numbers.length ? await host.query<Record<string, unknown>>(rawRowsSql(rawTable, columns, numbers)) : []) originals.set(toNumber(row._row), row);
        picked = reasons.map((r) => ({...originals.get(toNumber(r._row)), __clv_reason: r.__clv_reason, _row: r._row}));
      } else {
        picked = await host.query<Record<string, unknown>>(examplesSql(intermediate, columns));
      }
      for (const row of picked) {
        const reason = String(row.__clv_reason) as DropReason;
        const example: ExampleRow = {_row: toNumber(row._row)};
        for (const c of columns) example[c] = row[c] === null || row[c] === undefined ? null : String(row[c]);
        (examples[reason] ??= []).push(example);
      }
    }

    if (toNumber(tally.bad_quantity) > 0) {
      warnings.push(`quantity: ${toNumber(tally.bad_quantity)} value(s) are not numbers and were set to empty`);
    }
    if (toNumber(tally.identical_kept) > 0) {
      warnings.push(
        `${toNumber(tally.identical_kept)} row(s) repeat an earlier row exactly and were kept (${dedupe === "auto" ? "without an order id a double export looks like a repeated purchase" : "dedupe is off"})`
      );
    }
    if (toNumber(tally.zero_kept) > 0) {
      warnings.push(`${toNumber(tally.zero_kept)} row(s) with amount 0 were kept as purchases`);
    }
    if (toNumber(tally.bad_cost) > 0) {
      warnings.push(`cost: ${toNumber(tally.bad_cost)} value(s) are not numbers and were set to empty`);
    }
    if (toNumber(tally.bad_acquisition_cost) > 0) {
      warnings.push(`acquisition_cost: ${toNumber(tally.bad_acquisition_cost)} value(s) are not numbers and were set to empty`);
    }

    if (view) {
      // Without dedupe the transactions do not depend on repeated rows: their view classifies without
      // numbering them (a hash of every column and a GROUP BY over all rows saved on every query).
      const source = dedupeActive || !repeatCandidates ? intermediate : `${intermediate}_rows`;
      if (source !== intermediate) await host.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(source)} AS\n${classifySql({...plan, duplicates: false, repeats: undefined})}`);
      await host.query(`CREATE OR REPLACE VIEW ${sqlIdentifier(table)} AS\n${transactionsSql({mapping, source, dialect, ordered: false, compact})}`);
    }
    else if (keptPlan) {
      if (options.keepEvery) await options.keepEvery(table, keptPlan);
      else await host.define(table, keptRowsSql(keptPlan));
    } else await host.define(table, transactionsSql({mapping, source: intermediate, dialect, compact}));
    // Only a kept return makes a customer's net revenue negative (every other kept amount is at least 0).
    if (netReturns && toNumber(tally.return_kept) > 0) {
      const [negative] = await host.query(
        `SELECT count(*) AS n FROM (SELECT customer_id FROM ${sqlIdentifier(table)} GROUP BY customer_id HAVING sum(amount) < 0) negative`
      );
      if (toNumber(negative.n) > 0) {
        warnings.push(`${toNumber(negative.n)} customer(s) returned more than they bought in this data (negative net revenue)`);
      }
    }
    if (kept === 0 && rows > 0) warnings.push("no row survived cleaning");
    let currency: string | null | undefined;
    if (typeof mapping.currency === "string") {
      const codes = await host.query(`SELECT DISTINCT upper(trim(currency)) AS code FROM ${sqlIdentifier(table)} WHERE currency IS NOT NULL ORDER BY 1 LIMIT 6`);
      const values = codes.map((row) => String(row.code));
      currency = dataCurrency(values);
      if (currency === null && values.length > 1) {
        warnings.push(`currency: the kept rows hold ${values.length > 5 ? "more than 5" : values.length} codes (${values.slice(0, 5).join(", ")}): their amounts are added as they are, and no currency is shown by default`);
      } else if (currency === null && values.length === 1) {
        warnings.push(`currency: '${values[0]}' is not an ISO 4217 code, so no currency is shown by default`);
      }
    }

    return {
      rows,
      kept,
      dropped,
      examples,
      returns: {
        rows: toNumber(tally.return_rows),
        cancellations: toNumber(tally.cancellations),
        amount: toNumber(tally.return_amount),
        customers: toNumber(tally.return_customers),
        netted: netReturns,
        kept: toNumber(tally.return_kept)
      },
      customers: toNumber(tally.customers),
      firstDate: toDateString(tally.first_date),
      lastDate: toDateString(tally.last_date),
      revenue: toNumber(tally.revenue),
      zeroAmount: toNumber(tally.zero_kept),
      dedupe: dedupeActive,
      identicalRows: toNumber(tally.identical_kept),
      dateOrder: stats.slashed > 0 || dateOrder ? order : null,
      ...(currency !== undefined ? {currency} : {}),
      warnings
    };
  } finally {
    if (!view) await host.release(intermediate);
    if (!view && (repeats ?? candidates) !== undefined) await host.query(`DROP TABLE IF EXISTS ${sqlIdentifier(repeatsTable)}`);
  }
}
