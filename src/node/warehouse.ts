/**
 * Transactions that stay in a PostgreSQL database: the table (or query) is read as text columns, its mapping
 * detected from its first 200 rows, and cleaned by the SQL of src/lib/data/clean rendered for PostgreSQL. No
 * table is created on the server: the raw, classified, transactions and purchases relations are CTEs sent in
 * front of every query (src/lib/sql/relations.ts), so only counts, example rows and the commands' results
 * come back.
 */
import {DataError} from "../lib/errors.js";
import {sqlIdentifier} from "../lib/sql/quote.js";
import {cteHost, type RelationHost} from "../lib/sql/relations.js";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import type {Mapping} from "../lib/data/schema.js";
import {cleanRaw, mapRaw, type LoadOptions} from "./load.js";
import type {PostgresRunner} from "./postgres.js";

/** What to read: a table (optionally schema-qualified, `sales.orders`) or a query. */
export type ServerSource = {table: string; query?: undefined} | {query: string; table?: undefined};

/** A table name as SQL: each dot-separated part quoted, unless already quoted. */
export function qualifiedName(name: string): string {
  const parts = name.match(/"(?:[^"]|"")+"|[^.]+/g) ?? [];
  if (parts.length === 0 || parts.join(".").length !== name.length) throw new DataError("usage", `--table must be a table name, got '${name}'`);
  return parts.map((p) => (p.startsWith('"') ? p : sqlIdentifier(p))).join(".");
}

/** A short name of the source for messages. */
export function sourceName(source: ServerSource): string {
  return source.table ?? "the query";
}

/**
 * Defines `clv_raw` (every column as text), `clv_transactions` and `clv_purchases` on the server side of
 * runner and returns the host to query them with, the report and the mapping.
 */
export async function loadServerTransactions(
  runner: PostgresRunner,
  source: ServerSource,
  options: LoadOptions = {}
): Promise<{host: RelationHost; report: DataQualityReport; mapping: Mapping}> {
  const relation = source.table !== undefined ? qualifiedName(source.table) : `(${source.query.trim().replace(/;\s*$/, "")}) clv_query`;
  const name = sourceName(source);
  options.onProgress?.(`reading ${name}`);
  const columns = await runner.fields(`SELECT * FROM ${relation} LIMIT 0`);
  if (columns.length === 0) throw new DataError("empty", `${name} has no columns`);
  const raw = `SELECT ${columns.map((c) => `CAST(${sqlIdentifier(c)} AS VARCHAR) AS ${sqlIdentifier(c)}`).join(", ")} FROM ${relation}`;
  const host = cteHost(runner, runner.dialect, [{name: "clv_raw", select: raw}]);
  const mapped = await mapRaw(host, "clv_raw", name, options);
  const report = await cleanRaw(host, {raw: "clv_raw", table: "clv_transactions", name, ...mapped}, options);
  await host.define("clv_purchases", `SELECT * FROM ${sqlIdentifier("clv_transactions")} WHERE NOT is_return`);
  return {host, report, mapping: mapped.mapping};
}
