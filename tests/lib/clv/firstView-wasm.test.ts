/*
 * The CLV members are made by the loader in native DuckDB and, for an upload, on the data page in DuckDB-WASM:
 * the same member functions (CLV_MEMBERS) must give the same first view and the same per-customer table in both.
 * Data: the Superstore sample (../shared/data).
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../../src/node/duckdb-wasm.js";
import {CLV_MEMBERS, clvFromTable} from "../../../src/lib/clv/derived.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {superstoreTable} from "../explore/rows.js";

let native: NodeDuckDB;
let wasm: WasmDuckDB;
let made: [Map<string, Uint8Array>, Map<string, Uint8Array>];

beforeAll(async () => {
  native = await openDuckDB();
  wasm = await openDuckDBWasm();
  for (const db of [native, wasm]) await db.run(superstoreTable());
  const members = CLV_MEMBERS.filter((m) => !/-view\.json$/.test(m.name) || m.name === "clv-holdout-view.json"); // the other pages' views have their own tests
  made = [await makeDerived(native, {members}), await makeDerived(wasm, {members})];
}, 180_000);

afterAll(() => {
  native?.close();
  wasm?.close();
});

const withoutTimes = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === "ms" ? 0 : v)));

describe("CLV members in native DuckDB and in DuckDB-WASM", () => {
  it("give the same first view (figures, top customers, checks; fit times aside)", () => {
    const [a, b] = made.map((members) => JSON.parse(new TextDecoder().decode(members.get("clv-holdout-view.json")!)));
    expect(a).not.toBeNull();
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
  });

  for (const variant of ["holdout", "full", "training"]) {
    it(`give the same ${variant} table, read back`, () => {
      const [a, b] = made.map((members) => clvFromTable(tableFromIPC(members.get(`clv-${variant}.arrow`)!)));
      expect(b.data).toEqual(a.data);
      expect(b.fitted).toEqual(a.fitted);
      expect(withoutTimes(b.metadata)).toEqual(withoutTimes(a.metadata));
    });
  }
});
