/**
 * The page's one DuckDB-WASM instance, holding the transactions every analysis reads: the build's data
 * (the generated demo, or the file named at build time) read from Parquet with parquet-wasm and handed to
 * DuckDB as Arrow, so DuckDB needs no network extension.
 */
import {DuckDBClient} from "npm:@observablehq/duckdb";
import {FileAttachment} from "observablehq:stdlib";
import type {Table} from "apache-arrow";
import type {SqlRunner} from "../lib/types.js";

export interface TransactionsDatabase {
  client: DuckDBClient;
  /** The same database behind the library's SqlRunner interface: plain rows, dates as YYYY-MM-DD. */
  runner: SqlRunner;
  /** Where the transactions came from, for the page to say. */
  source: {kind: "build"; name: string};
}

/** Arrow result → plain rows with the value conventions of the Node runner (src/node/duckdb.ts). */
export function arrowRows<T>(table: Table): T[] {
  const fields = table.schema.fields.map((field) => ({name: field.name, type: String(field.type)}));
  const rows: T[] = [];
  for (const row of table) {
    const out: Record<string, unknown> = {};
    for (const {name, type} of fields) {
      let value = (row as unknown as Record<string, unknown>)[name];
      if (typeof value === "bigint") value = Number(value);
      else if (value != null && type.startsWith("Date")) value = new Date(value as number).toISOString().slice(0, 10);
      else if (value != null && type.startsWith("Timestamp")) value = new Date(value as number).toISOString();
      out[name] = value;
    }
    rows.push(out as T);
  }
  return rows;
}

export function runnerOf(client: DuckDBClient): SqlRunner {
  return {
    async query<T>(sql: string) {
      return arrowRows<T>(await client.query(sql));
    }
  };
}

let opened: Promise<TransactionsDatabase> | undefined;

/** Opens (once per page) the DuckDB database with a `transactions` table. */
export function transactionsDatabase(): Promise<TransactionsDatabase> {
  return (opened ??= (async () => {
    const file = FileAttachment("../data/transactions.parquet");
    const client = await DuckDBClient.of({transactions: await file.parquet()});
    return {client, runner: runnerOf(client), source: {kind: "build", name: file.name}};
  })());
}
