/*
 * The derived tables (src/lib/explore/derived.ts) are made by native DuckDB in the data loader and by
 * DuckDB-WASM on the data page for an upload: both give the same tables. Customer and order keys may be
 * numbered differently by the two engines, so the tables are compared through what the pages draw from them
 * (cellTable.ts, cellCohorts.ts, cellPartners.ts), on the Superstore order lines, with and without filters.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../../src/node/duckdb-wasm.js";
import {DERIVED_MEMBERS, makeDerived} from "../../../src/lib/explore/derived.js";
import {cellAreaByMonth, cellChoices, cellSalesByArea, cellSalesCharts, cellTable, cellTotals, type CellTable} from "../../../src/lib/explore/cellTable.js";
import {cellCohortMatrix, cellM1Retention} from "../../../src/lib/explore/cellCohorts.js";
import {cellFavouriteSummary, cellPartnerMonthly, cellTopPartners} from "../../../src/lib/explore/cellPartners.js";
import type {Filters} from "../../../src/lib/sql/filters.js";
import {superstoreTable} from "./rows.js";

let native: NodeDuckDB;
let wasm: WasmDuckDB;
const made = new Map<string, CellTable>();

beforeAll(async () => {
  native = await openDuckDB();
  wasm = await openDuckDBWasm();
  for (const [name, db] of [["native", native], ["wasm", wasm]] as const) {
    await db.run(superstoreTable());
    const members = await makeDerived(db);
    expect([...members.keys()]).toEqual(DERIVED_MEMBERS.map((m) => m.name));
    made.set(name, cellTable(tableFromIPC(members.get("cells.arrow")!)));
  }
}, 180_000);

afterAll(() => {
  native?.close();
  wasm?.close();
});

const FILTERS: Filters[] = [{}, {from: "2010-03-15", to: "2012-06-30", region: ["West", "Ontario", "Atlantic"], customer_segment: ["Corporate", "Consumer"]}];

describe("derived cells made by DuckDB-WASM (uploads) and native DuckDB (the loader)", () => {
  it("hold the same facts", () => {
    const [a, b] = [made.get("native")!, made.get("wasm")!];
    expect(b.length).toBe(a.length);
    expect({...b, day: null, dims: null, customer: null, order: null, transactions: null, revenue: null}).toEqual({...a, day: null, dims: null, customer: null, order: null, transactions: null, revenue: null});
    expect(cellChoices(b)).toEqual(cellChoices(a));
    expect(cellTotals(b)).toEqual(cellTotals(a));
  });

  it("draw the same charts", () => {
    const [a, b] = [made.get("native")!, made.get("wasm")!];
    for (const filters of FILTERS) {
      expect(cellSalesCharts(b, {filters, grain: "week"})).toEqual(cellSalesCharts(a, {filters, grain: "week"}));
      expect(cellSalesByArea(b, {column: "province", filters})).toEqual(cellSalesByArea(a, {column: "province", filters}));
      expect(cellAreaByMonth(b, {filters})).toEqual(cellAreaByMonth(a, {filters}));
      expect(cellCohortMatrix(b, filters)).toEqual(cellCohortMatrix(a, filters));
      expect(cellM1Retention(b, filters)).toEqual(cellM1Retention(a, filters));
      expect(cellTopPartners(b, {filters, n: 8})).toEqual(cellTopPartners(a, {filters, n: 8}));
      expect(cellPartnerMonthly(b, {filters, n: 3})).toEqual(cellPartnerMonthly(a, {filters, n: 3}));
      expect(cellFavouriteSummary(b, {filters, column: "offer_type", by: "region"})).toEqual(cellFavouriteSummary(a, {filters, column: "offer_type", by: "region"}));
    }
  });
});
