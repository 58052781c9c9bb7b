/**
 * Native DuckDB for Node (data loaders, CLI, tests, benchmarks), behind the same SqlRunner interface the
 * pages get from DuckDB-WASM. Values are normalised to what the browser side sees: BIGINT and HUGEINT become
 * numbers, DATE becomes "YYYY-MM-DD", TIMESTAMP an ISO string.
 */
import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import type {SqlRunner} from "../lib/types.js";

export interface NodeDuckDB extends SqlRunner {
  connection: DuckDBConnection;
  /**
   * The result as columns (name → values, normalised as query() does), for results too long to become one
   * object per row: an Arquero table is made from them without copying (aq.table).
   */
  queryColumns(sql: string): Promise<Record<string, unknown[]>>;
  /** Runs a statement that returns nothing useful (CREATE, COPY, INSERT). */
  run(sql: string): Promise<void>;
  close(): void;
}

function normalise(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  return value;
}

export async function openDuckDB(path = ":memory:"): Promise<NodeDuckDB> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return {
    connection,
    async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      const reader = await connection.runAndReadAll(sql);
      const rows = reader.getRowObjectsJS();
      for (const row of rows) for (const key in row) row[key] = normalise(row[key]) as never;
      return rows as T[];
    },
    async queryColumns(sql: string): Promise<Record<string, unknown[]>> {
      const reader = await connection.runAndReadAll(sql);
      const columns = reader.getColumnsObjectJS() as Record<string, unknown[]>;
      for (const name in columns) {
        const values = columns[name];
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (typeof v === "bigint" || v instanceof Date) values[i] = normalise(v);
        }
      }
      return columns;
    },
    async run(sql: string) {
      await connection.run(sql);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    }
  };
}
