/*
 * The pages run these queries in DuckDB-WASM 1.29 (DuckDB 1.1), Node in native DuckDB 1.5: every query of
 * src/lib/explore must give the same rows in both, to the bit (amounts are summed exactly, see MICROS).
 * Data: the Superstore sample (real, with regions and provinces), product sub-categories and ship modes
 * standing in for partners and offer types, and a leap-day fixture for year over year.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../../src/node/duckdb-wasm.js";
import type {SqlRunner} from "../../../src/lib/types.js";
import type {Filters} from "../../../src/lib/sql/filters.js";
import {dailySales, salesByPeriod, weekdayHeatmap, yearOverYear} from "../../../src/lib/explore/sales.js";
import {areaByMonth, salesByProvince, salesByRegion} from "../../../src/lib/explore/regions.js";
import {cohortMatrix, m1Retention} from "../../../src/lib/explore/cohorts.js";
import {favouriteSummary, favourites, favouritesByRegion, partnerMonthly, topPartners} from "../../../src/lib/explore/partners.js";
import {createSalesCells, type SalesCells} from "../../../src/lib/explore/cells.js";
import {salesCharts} from "../../../src/lib/explore/daily.js";
import {superstoreTable} from "./rows.js";



const LOAD = superstoreTable();

const LEAP = `CREATE TABLE leap AS
  SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount
  FROM (VALUES ('x', '2023-02-28', 3.1), ('x', '2023-03-01', 5.7), ('y', '2024-02-28', 6.3), ('y', '2024-02-29', 7.9),
               ('x', '2024-03-01', 10.01)) t(customer_id, d, amount)`;

const SEGMENTS = `CREATE TABLE rfm AS
  SELECT customer_id, CASE WHEN SUM(amount) > 20000 THEN 'Champions' WHEN COUNT(*) > 10 THEN 'Loyal' ELSE 'Others' END AS segment
  FROM transactions WHERE customer_id < 'M' GROUP BY customer_id`;

const FILTERS: Filters = {from: "2010-03-15", to: "2012-06-30", region: ["West", "Ontario", "Atlantic"], customer_segment: ["Corporate", "Consumer"]};

let native: NodeDuckDB;
let wasm: WasmDuckDB;
/** The cells of each database (made by createSalesCells in each). */
const cells = new Map<SqlRunner, {days: SalesCells; customers: SalesCells}>();

beforeAll(async () => {
  native = await openDuckDB();
  wasm = await openDuckDBWasm();
  for (const db of [native, wasm]) for (const sql of [LOAD, LEAP, SEGMENTS]) await db.run(sql);
  for (const db of [native, wasm]) {
    cells.set(db, {days: await createSalesCells(db, "day_cells"), customers: await createSalesCells(db, "customer_cells", {customers: true})});
  }
}, 120_000);

afterAll(() => {
  native?.close();
  wasm?.close();
});

type Query = (db: SqlRunner) => Promise<unknown[]>;

const QUERIES: Record<string, Query> = {
  dailySales: (db) => dailySales(db),
  dailySalesFiltered: (db) => dailySales(db, {filters: FILTERS}),
  weeks: (db) => salesByPeriod(db, {grain: "week", filters: FILTERS}),
  months: (db) => salesByPeriod(db, {grain: "month"}),
  heatmap: (db) => weekdayHeatmap(db, {filters: {province: ["Québec", "Quebec", "Ontario"]}}),
  yearOverYearDays: (db) => yearOverYear(db, {filters: FILTERS}),
  yearOverYearMonths: (db) => yearOverYear(db, {grain: "month"}),
  leapDays: (db) => yearOverYear(db, {table: "leap"}),
  provinces: (db) => salesByProvince(db),
  regionsFiltered: (db) => salesByRegion(db, {filters: FILTERS}),
  regionMonths: (db) => areaByMonth(db, {filters: {category: ["Furniture"]}}),
  cohorts: (db) => cohortMatrix(db),
  cohortsFiltered: (db) => cohortMatrix(db, {filters: FILTERS}),
  m1: (db) => m1Retention(db),
  m1Filtered: (db) => m1Retention(db, {filters: FILTERS}),
  topPartners: (db) => topPartners(db, {n: 8, filters: FILTERS}),
  partnerMonths: (db) => partnerMonthly(db, {n: 3}),
  favouritePartners: (db) => favourites(db),
  favouriteOffers: (db) => favourites(db, {column: "offer_type", filters: FILTERS}),
  byRegion: (db) => favouritesByRegion(db, {column: "offer_type"}),
  bySegmentTable: (db) => favouriteSummary(db, {segments: "rfm"}),
  bySegmentColumn: (db) => favouriteSummary(db, {by: "customer_segment", filters: {to: "2011-12-31"}}),
  cellsRegions: (db) => salesByRegion(db, {...cells.get(db)!.customers, filters: FILTERS}),
  cellsProvinces: (db) => salesByProvince(db, cells.get(db)!.customers),
  cellsRegionMonths: (db) => areaByMonth(db, {...cells.get(db)!.customers, filters: {category: ["Furniture"]}}),
  cellsYearOverYear: (db) => yearOverYear(db, {...cells.get(db)!.days, filters: FILTERS}),
  salesCharts: async (db) => Object.values(await salesCharts(db, {...cells.get(db)!.days, filters: FILTERS, grain: "week"}))
};

describe("DuckDB-WASM 1.29 and native DuckDB give the same rows", () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(name, async () => {
      const expected = await query(native);
      expect(expected.length).toBeGreaterThan(0);
      expect(await query(wasm)).toEqual(expected);
    });
  }
});
