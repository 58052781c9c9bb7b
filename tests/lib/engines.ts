// Native DuckDB and DuckDB-WASM (the page's engine) opened once for a test file, each set up by `setup`,
// closed at the end: for tests that check a derived table comes out the same in both.
import {afterAll, beforeAll} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../src/node/duckdb-wasm.js";

export interface BothEngines {
  native: NodeDuckDB;
  wasm: WasmDuckDB;
}

/** Registers the file's beforeAll/afterAll; the engines are on the returned object once beforeAll has run. */
export function bothEngines(setup: (db: NodeDuckDB | WasmDuckDB) => Promise<void>): BothEngines {
  const engines = {} as BothEngines;
  beforeAll(async () => {
    engines.native = await openDuckDB();
    engines.wasm = await openDuckDBWasm();
    for (const db of [engines.native, engines.wasm]) await setup(db);
  }, 120_000);
  afterAll(() => {
    engines.native?.close();
    engines.wasm?.close();
  });
  return engines;
}
