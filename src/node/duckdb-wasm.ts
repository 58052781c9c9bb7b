/**
 * DuckDB-WASM 1.29 (the engine the pages run, DuckDB 1.1) in Node, behind the SqlRunner interface, for tests
 * that check the library's SQL gives the same answers there as in native DuckDB 1.5. Synchronous build,
 * one connection; values normalised as in the page (src/lib/sql/arrow.ts).
 */
import {createRequire} from "node:module";
import {fileURLToPath} from "node:url";
import type {Table} from "apache-arrow";
import {arrowColumns, arrowRows} from "../lib/sql/arrow.js";
import {CUSTOMERS_PER_RUN} from "../lib/sql/customerRuns.js";
import type {SqlRunner} from "../lib/types.js";

export interface WasmDuckDB extends SqlRunner {
  queryColumns(sql: string): Promise<Record<string, ArrayLike<unknown>>>;
  run(sql: string): Promise<void>;
  /** The engine's wasm memory, bytes: its high-water mark, since wasm memory never shrinks (for benchmarks). */
  memoryBytes(): number;
  customersPerRun: number;
  close(): void;
}

export async function openDuckDBWasm(): Promise<WasmDuckDB> {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/blocking");
  const dist = fileURLToPath(new URL("../../node_modules/@duckdb/duckdb-wasm/dist/", import.meta.url));
  const bundles = {
    mvp: {mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: `${dist}duckdb-node-mvp.worker.cjs`},
    eh: {mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-node-eh.worker.cjs`}
  };
  const instance = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await instance.instantiate();
  const connection = instance.connect();
  return {
    async query<T>(sql: string): Promise<T[]> {
      return arrowRows<T>(connection.query(sql) as Table);
    },
    async queryColumns(sql: string) {
      return arrowColumns(connection.query(sql) as Table);
    },
    async run(sql: string) {
      connection.query(sql);
    },
    // As the page's runner: per-customer queries a run of customers at a time (its memory only grows).
    customersPerRun: CUSTOMERS_PER_RUN,
    memoryBytes() {
      return instance.mod.HEAPU8.buffer.byteLength;
    },
    close() {
      connection.close();
    }
  };
}
