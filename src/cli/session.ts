/**
 * What most commands do first: open a native DuckDB, load and clean FILE into `transactions`, refuse a file
 * whose every row was dropped, and expose the purchases (returns kept by --net-returns are not purchases) as
 * the view `purchases`. The caller closes the database.
 */
import {writeFile} from "node:fs/promises";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";
import {openDuckDB, type NodeDuckDB} from "../node/duckdb.js";
import {loadTransactionsFile} from "../node/load.js";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import {toCsv} from "../lib/format/csv.js";
import {DataError} from "../lib/errors.js";
import {literal} from "../lib/data/clean/parse.js";
import type {Mapping} from "../lib/data/schema.js";
import {formatNumber, outputFormat, writeOut, type ParsedCommand} from "./args.js";

export interface Session {
  db: NodeDuckDB;
  report: DataQualityReport;
  mapping: Mapping;
}

export async function openPurchases(args: ParsedCommand): Promise<Session> {
  const db = await openDuckDB();
  try {
    const {report, mapping} = await loadTransactionsFile(db, args.file, args.load);
    if (report.kept === 0) {
      throw new DataError("no_rows", `no usable rows in ${basename(args.file)} (all ${formatNumber(report.rows)} dropped; run clv check)`);
    }
    await db.run("CREATE OR REPLACE VIEW purchases AS SELECT * FROM transactions WHERE NOT is_return");
    return {db, report, mapping};
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Writes rows computed in JavaScript to a .csv (formula-escaped, see src/lib/format/csv.ts) or, through DuckDB, a
 * .parquet file with the given column types.
 */
export async function writeRows(
  db: NodeDuckDB,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  path: string,
  types: Record<string, string> = {}
): Promise<void> {
  const csv = toCsv(rows as Record<string, unknown>[], {columns: [...columns], escapeFormulas: outputFormat(path) === "csv"});
  if (outputFormat(path) === "csv") {
    await writeFile(path, csv);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "clv-out-"));
  try {
    const scratch = join(dir, "rows.csv");
    await writeFile(scratch, csv);
    const spec = columns.map((c) => `${literal(c)}: ${literal(types[c] ?? "VARCHAR")}`).join(", ");
    await writeOut(db, `SELECT * FROM read_csv(${literal(scratch)}, header = true, auto_detect = false, columns = {${spec}})`, path);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}
