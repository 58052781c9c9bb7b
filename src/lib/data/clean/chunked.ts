/**
 * Cleaning a chunk of rows at a time, so that a page can say how many rows are cleaned so far. The report and
 * the transactions are those of cleanTransactions (report.ts), which runs as always: only the materialisation
 * of its classified rows (DuckDB tables) is done here, through its `classify` option:
 *
 *   1. repeated rows, one global pass over the raw table: the row numbers of every row that repeats an
 *      earlier one exactly, with its repeat number (classify.ts numbers them the same way: a hash of every
 *      column finds the candidates, a window over the candidates numbers them);
 *   2. each chunk of `chunkRows` raw rows (in file order) copied out and classified by classifySql on its
 *      own, with the rules that need no other row (1–6, 8, 9 of DROP_REASONS), appended to the classified
 *      table with its rows numbered as in the file; `progress` hears the rows done after each chunk;
 *   3. the rules that need other rows, applied to the few rows they touch: `duplicate` (rule 7, from pass 1:
 *      it comes before zero_amount and return), and with netReturns the returns kept (no `return` reason)
 *      and `return_without_purchase` for returns of customers with no kept purchase anywhere in the file.
 *
 * A file whose every row is kept is not classified at all: when the column statistics allow it,
 * cleanTransactions finds the rows that may repeat another (`progress` hears "repeats"; pass 1 above then
 * reuses them) and counts the file from statistics (statisticsTally); if it is clean, its transactions are
 * read straight from the raw rows (keptRowsSql, `keepEvery` here: a chunk of `chunkRows` rows at a time, or
 * by default in KEEP_CHUNKS chunks of at least CHUNK_ROWS, in file order, `progress` hearing the rows done),
 * without a classified copy of the file.
 *
 * tests/lib/data/clean/chunked.test.ts checks that the report and the transactions equal the one-pass
 * path's for any chunk size, on clean files and on files with flaws.
 */
import {DROP_REASONS, OPTIONAL_TEXT, TRANSACTION_COLUMNS, classifySql, keptRowsSql, transactionsSql, type ClassifyPlan, type DropReason} from "./classify.js";
import {sqlIdentifier, sqlString} from "../../sql/quote.js";
import {cleanTransactions, type CleanTransactionsOptions, type DataQualityReport} from "./report.js";
import {duckdbHost, type DuckRunner, type RelationHost} from "../../sql/relations.js";
import type {Mapping} from "../schema.js";

/** How far the chunked classification has got. */
export interface CleanProgress {
  /** Rows classified so far, and rows in the raw table. */
  rows: number;
  total: number;
  /** "repeats" while the repeated rows are found (before the first chunk), "rows" after each chunk, "rules" for the global rules. */
  stage: "repeats" | "rows" | "rules";
}

export interface ChunkedOptions {
  /** Raw rows per chunk. Default 250,000. */
  chunkRows?: number;
  /** Called before the work starts, after each chunk and before the global rules (may wait, e.g. to let a page draw). */
  progress?: (p: CleanProgress) => void | Promise<void>;
}

export const CHUNK_ROWS = 250_000;

/**
 * A clean file's transactions (keepEvery below) are read in at most this many chunks when no chunk size is
 * given: they are a projection of the raw rows, several times cheaper per row than the classification, and
 * each chunk's statement costs a pass of its own (1.6M rows in DuckDB-WASM: 7 chunks 1.9 s, one 1.1 s), while
 * three chunks still move the page's progress.
 */
export const KEEP_CHUNKS = 3;

async function exec(db: DuckRunner, sql: string): Promise<void> {
  if (db.run) await db.run(sql);
  else await db.query(sql);
}

/** The reasons checked after `duplicate` that a repeated row may hold before rule 7 is applied. */
const AFTER_DUPLICATE = DROP_REASONS.slice(DROP_REASONS.indexOf("duplicate") + 1).filter((r: DropReason) => r !== "return_without_purchase");

/**
 * A `classify` for cleanTransactions (CleanTransactionsOptions.classify) that materialises the classified rows
 * a chunk at a time (see the top of this file). DuckDB only.
 */
export function chunkedClassify(db: DuckRunner, {chunkRows = CHUNK_ROWS, progress}: ChunkedOptions = {}): (name: string, plan: ClassifyPlan, candidates?: string) => Promise<void> {
  if (!(chunkRows >= 1)) throw new Error(`chunkRows must be at least 1, not ${chunkRows}`);
  return async (name, plan, candidates) => {
    const table = sqlIdentifier(name);
    const raw = sqlIdentifier(plan.rawTable);
    const repeats = sqlIdentifier(`${name}_repeats`);
    const chunk = sqlIdentifier(`${name}_chunk`);
    const [{n}] = await db.query<{n: number | bigint}>(`SELECT count(*) AS n FROM ${raw}`);
    const total = Number(n);
    await progress?.({rows: 0, total, stage: "repeats"});
    // 1. Repeats: the row number (rowid + 1) and repeat number of every row that repeats an earlier one. The
    // rows whose hash another row shares are the candidates, numbered by all their columns; cleanTransactions
    // may have found them already (`candidates`: repeatedRowsSql, the same rows).
    const partition = plan.columns.map((c) => sqlIdentifier(c)).join(", ");
    const candidateRows = candidates
      ? `numbered AS (
  SELECT rowid + 1 AS __clv_row, * FROM ${raw} WHERE rowid + 1 IN (SELECT __clv_row FROM ${sqlIdentifier(candidates)})
), candidates AS (
  SELECT __clv_row, row_number() OVER (PARTITION BY ${partition} ORDER BY __clv_row) AS __clv_dup
  FROM numbered
)`
      : `numbered AS (
  SELECT rowid + 1 AS __clv_row, *, hash(${partition}) AS __clv_hash FROM ${raw}
), candidates AS (
  SELECT __clv_row, row_number() OVER (PARTITION BY ${partition} ORDER BY __clv_row) AS __clv_dup
  FROM numbered
  WHERE __clv_hash IN (SELECT __clv_hash FROM numbered GROUP BY __clv_hash HAVING count(*) > 1)
)`;
    await exec(db, `CREATE OR REPLACE TABLE ${repeats} AS
WITH ${candidateRows}
SELECT __clv_row, __clv_dup FROM candidates WHERE __clv_dup > 1`);
    try {
      // 2. Chunks: the per-row rules, every row numbered as in the file (its raw rowid + 1).
      const local: ClassifyPlan = {...plan, rawTable: `${name}_chunk`, dedupe: false, duplicates: false, netReturns: false};
      const select = classifySql(local);
      for (let start = 0, first = true; first || start < total; start += chunkRows, first = false) {
        await exec(db, `CREATE OR REPLACE TABLE ${chunk} AS SELECT * FROM ${raw} WHERE rowid >= ${start} AND rowid < ${start + chunkRows}`);
        const rows = `SELECT * REPLACE (__clv_row + ${start} AS __clv_row) FROM (${select}) classified`;
        await exec(db, first ? `CREATE OR REPLACE TABLE ${table} AS ${rows}` : `INSERT INTO ${table} ${rows}`);
        await progress?.({rows: Math.min(total, start + chunkRows), total, stage: "rows"});
      }
      await exec(db, `DROP TABLE IF EXISTS ${chunk}`);
      await progress?.({rows: total, total, stage: "rules"});
      // 3. The rules across rows, on the rows they concern.
      await exec(db, `UPDATE ${table} SET __clv_dup = r.__clv_dup FROM ${repeats} r WHERE ${table}.__clv_row = r.__clv_row`);
      if (plan.dedupe) {
        const later = AFTER_DUPLICATE.map((r) => sqlString(r)).join(", ");
        await exec(db, `UPDATE ${table} SET __clv_pre_reason = 'duplicate', __clv_reason = 'duplicate'
WHERE __clv_dup > 1 AND (__clv_pre_reason IS NULL OR __clv_pre_reason IN (${later}))`);
      }
      if (plan.netReturns) {
        await exec(db, `UPDATE ${table} SET __clv_pre_reason = NULL, __clv_reason = NULL WHERE __clv_pre_reason = 'return'`);
        await exec(db, `UPDATE ${table} SET __clv_reason = 'return_without_purchase'
WHERE __clv_pre_reason IS NULL AND __clv_is_return
  AND __clv_customer NOT IN (SELECT DISTINCT __clv_customer FROM ${table} WHERE __clv_pre_reason IS NULL AND NOT __clv_is_return AND __clv_customer IS NOT NULL)`);
      }
    } finally {
      await exec(db, `DROP TABLE IF EXISTS ${repeats}`);
      await exec(db, `DROP TABLE IF EXISTS ${chunk}`);
    }
  };
}

/**
 * The columns of TRANSACTION_COLUMNS that are NULL in every row by construction of transactionsSql: optional
 * columns the mapping gives no source for. (DuckDB keeps a NULL column in memory at several bytes a row: ten
 * of them on 2M rows held 157 MB.)
 */
export function unmappedColumns(mapping: Mapping): string[] {
  return TRANSACTION_COLUMNS.filter((name) => {
    if (name === "cost") return mapping.cost === undefined;
    if (name === "quantity" || name === "acquisition_cost" || (OPTIONAL_TEXT as readonly string[]).includes(name)) {
      return typeof mapping[name as keyof Mapping] !== "string";
    }
    return false;
  });
}

/**
 * cleanTransactions with its classified rows made a chunk at a time (see the top of this file). DuckDB tables
 * only (not lazy). With `lean`, the transactions table leaves out the columns unmappedColumns names (every
 * reader of an upload's transactions takes the columns it has: see presentColumns in explore/derived.ts).
 */
export async function cleanTransactionsInChunks(
  db: DuckRunner,
  options: Omit<CleanTransactionsOptions, "classify" | "lazy"> & ChunkedOptions & {lean?: boolean}
): Promise<DataQualityReport> {
  const {chunkRows, progress, lean = false, ...clean} = options;
  const table = clean.table ?? "transactions";
  const base = duckdbHost(db);
  const absent = new Set(lean ? unmappedColumns(clean.mapping) : []);
  const keep = TRANSACTION_COLUMNS.filter((name) => !absent.has(name)).map((name) => sqlIdentifier(name)).join(", ");
  // The transactions, from the classified rows the hook made (CLASSIFIED): those rows are already in file
  // order, so the SELECT needs no ORDER BY (which sorted every kept row once more: the cleaning's largest
  // transient memory). A DuckDB table scan keeps insertion order.
  let classified: string | null = null;
  const size = chunkRows ?? CHUNK_ROWS;
  const classify = chunkedClassify(db, {chunkRows, progress});
  const host: RelationHost = {
    ...base,
    define: (name, select) => {
      if (name !== table || classified === null) return base.define(name, select);
      const rows = transactionsSql({mapping: clean.mapping, source: classified, compact: true, ordered: false});
      return exec(db, `CREATE OR REPLACE TABLE ${sqlIdentifier(name)} AS SELECT ${keep} FROM (${rows}) t`);
    }
  };
  const count = async (rawTable: string) => {
    const [{n}] = await db.query<{n: number | bigint}>(`SELECT count(*) AS n FROM ${sqlIdentifier(rawTable)}`);
    return Number(n);
  };
  let rawRows: number | undefined;
  return cleanTransactions(host, {
    ...clean,
    classify: async (name, plan, candidates) => {
      await classify(name, plan, candidates);
      if (plan.compact) classified = name;
    },
    findingRepeats: async () => {
      rawRows = await count(clean.rawTable ?? "raw");
      await progress?.({rows: 0, total: rawRows, stage: "repeats"});
    },
    // A file whose every row is kept (the column statistics say so): its transactions read straight from the
    // raw rows, a chunk at a time in file order, so that the progress counts them as the classification would.
    keepEvery: async (name, plan) => {
      const n = rawRows ?? (await count(plan.rawTable));
      const target = sqlIdentifier(name);
      const step = chunkRows ?? Math.max(size, Math.ceil(n / KEEP_CHUNKS));
      for (let start = 0, first = true; first || start < n; start += step, first = false) {
        const rows = `SELECT ${keep} FROM (${keptRowsSql(plan, {rows: [start, start + step]})}) t`;
        await exec(db, first ? `CREATE OR REPLACE TABLE ${target} AS ${rows}` : `INSERT INTO ${target} ${rows}`);
        await progress?.({rows: Math.min(n, start + step), total: n, stage: "rows"});
      }
      await progress?.({rows: n, total: n, stage: "rules"});
    }
  });
}
