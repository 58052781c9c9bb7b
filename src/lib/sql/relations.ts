/**
 * Where the intermediate relations of a pipeline live. On DuckDB (in the page or in Node) a relation is a
 * table: `define` creates it and later queries read it. On a database server we must not write to (and on
 * PostgreSQL-compatible distributed engines, which may lack temporary tables) a relation is a common table
 * expression instead: `define` remembers its SELECT and every later query is sent with the definitions in
 * front of it, so the server recomputes what it needs and only the query's result comes back.
 */
import {duckdb, type Dialect} from "./dialect.js";
import {sqlIdentifier} from "./quote.js";
import {tableColumns} from "./filters.js";
import type {SqlRunner} from "../types.js";

export interface RelationHost extends SqlRunner {
  dialect: Dialect;
  /** Makes `name` a relation holding the rows of `select` for the queries that follow. */
  define(name: string, select: string): Promise<void>;
  /** Says `name` is no longer needed (a table is dropped; a CTE host forgets nothing others may use). */
  release(name: string): Promise<void>;
  /** The column names of a relation, in order. */
  columns(name: string): Promise<string[]>;
}

/** A DuckDB runner, with run() for statements when it has one. */
export type DuckRunner = SqlRunner & {run?(sql: string): Promise<void>};

async function exec(db: DuckRunner, sql: string): Promise<void> {
  if (db.run) await db.run(sql);
  else await db.query(sql);
}

/** Relations as DuckDB tables of `db`. */
export function duckdbHost(db: DuckRunner): RelationHost {
  return {
    dialect: duckdb,
    query: (sql) => db.query(sql),
    define: (name, select) => exec(db, `CREATE OR REPLACE TABLE ${sqlIdentifier(name)} AS\n${select}`),
    release: (name) => exec(db, `DROP TABLE IF EXISTS ${sqlIdentifier(name)}`),
    columns: (name) => tableColumns(db, sqlIdentifier(name))
  };
}

/** `sql` with the common table expressions `ctes` (text without WITH) in front, merged into its own WITH. */
export function withCtes(ctes: readonly string[], sql: string): string {
  if (ctes.length === 0) return sql;
  const head = ctes.join(",\n");
  const match = /^\s*WITH\s+/i.exec(sql);
  return match ? `WITH ${head},\n${sql.slice(match[0].length)}` : `WITH ${head}\n${sql}`;
}

/** A runner that can also tell the column names of a query's result without fetching rows. */
export interface ServerRunner extends SqlRunner {
  fields(sql: string): Promise<string[]>;
}

/** Relations as CTEs sent with every query to `db`, rendered in `dialect`; `initial` are defined first. */
export function cteHost(db: ServerRunner, dialect: Dialect, initial: readonly {name: string; select: string}[] = []): RelationHost & {ctes(): string[]} {
  const ctes: string[] = [];
  const names = new Set<string>();
  const add = (name: string, select: string) => {
    if (names.has(name)) throw new Error(`relation ${name} is already defined`);
    names.add(name);
    ctes.push(`${sqlIdentifier(name)} AS (\n${select}\n)`);
  };
  for (const {name, select} of initial) add(name, select);
  return {
    dialect,
    query: (sql) => db.query(withCtes(ctes, sql)),
    async define(name, select) {
      add(name, select);
    },
    async release() {},
    columns: (name) => db.fields(withCtes(ctes, `SELECT * FROM ${sqlIdentifier(name)} LIMIT 0`)),
    ctes: () => [...ctes]
  };
}
