/*
 * The exploration pages' level 2 (src/lib/explore/cellTable.ts): charts from the derived cells in plain
 * TypeScript (cellTable.ts, cellCohorts.ts, cellPartners.ts) give exactly the rows of the SQL queries on the transactions, in native DuckDB, on the demo, on
 * the Superstore data (order lines: orders repeat) and on a fixture with missing regions, customers and
 * order ids. The cells go through the loader's code (makeDerived) and Arrow IPC, as in the page.
 */
import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {makeDerived, presentColumns} from "../../../src/lib/explore/derived.js";
import {cellAreaByMonth, cellChoices, cellDailyTotals, cellSalesByArea, cellSalesCharts, cellTable, cellTotals, type CellTable} from "../../../src/lib/explore/cellTable.js";
import {dailyTotals, salesCharts} from "../../../src/lib/explore/daily.js";
import {areaByMonth, salesByProvince, salesByRegion} from "../../../src/lib/explore/regions.js";
import {cellCohortFigures, cellCohortMatrix, cellM1Retention} from "../../../src/lib/explore/cellCohorts.js";
import {cohortMatrix, m1Retention} from "../../../src/lib/explore/cohorts.js";
import {cellFavouriteCounts, cellFavourites, cellFavouriteSummary, cellPartnerMonthly, cellTopPartners} from "../../../src/lib/explore/cellPartners.js";
import {countFavourites} from "../../../src/lib/explore/favourites.js";
import {favouriteSummary, favourites, partnerMonthly, topPartners} from "../../../src/lib/explore/partners.js";
import {filterChoices} from "../../../src/lib/sql/choices.js";
import {money, toMicros, transactionCountSql, type Filters} from "../../../src/lib/sql/filters.js";
import type {Grain} from "../../../src/lib/explore/sales.js";
import {superstoreTable} from "./rows.js";

async function cellsOf(db: NodeDuckDB): Promise<CellTable> {
  const members = await makeDerived(db);
  return cellTable(tableFromIPC(members.get("cells.arrow")!));
}

/** Filters drawn from the data's own choices: none, one list, a date range, several lists with a range. */
function filterCases(choices: Awaited<ReturnType<typeof filterChoices>>): Filters[] {
  const v = choices.values;
  const mid = choices.first.slice(0, 4) === choices.last.slice(0, 4) ? choices.first : `${choices.last.slice(0, 4)}-01-01`;
  const cases: Filters[] = [{}, {from: mid}, {from: choices.first, to: mid}];
  if (v.region) cases.push({region: [v.region[0]]}, {region: v.region.slice(0, 2), to: mid});
  if (v.province) cases.push({province: v.province.slice(1, 3), category: v.category?.slice(0, 1) ?? null});
  if (v.customer_segment) cases.push({customer_segment: [v.customer_segment.at(-1)!], from: mid});
  if (v.region) cases.push({region: ["no such region"]});
  return cases;
}

/** The same cells in a shuffled order (a fixed seed): the figures must not depend on the cells' order. */
function shuffled(cells: CellTable): CellTable {
  const perm = Int32Array.from({length: cells.length}, (_, i) => i);
  let seed = 12345;
  for (let i = perm.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const take = <T extends Int8Array | Int16Array | Int32Array | Float64Array>(values: T): T => {
    const out = new (values.constructor as new (n: number) => T)(values.length);
    for (let i = 0; i < perm.length; i++) out[i] = values[perm[i]];
    return out;
  };
  const dims = Object.fromEntries(Object.entries(cells.dims).map(([key, column]) => [key, {codes: take(column!.codes), labels: column!.labels}]));
  return {...cells, dims, day: take(cells.day), customer: take(cells.customer), order: cells.order && take(cells.order), transactions: take(cells.transactions), revenue: take(cells.revenue)};
}

/** Rows without their customer id, as a sorted list of JSON strings (the cells key customers differently). */
function sortedJson(rows: object[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

async function sameAsSql(db: NodeDuckDB): Promise<number> {
  const cells = await cellsOf(db);
  const columns = await presentColumns(db);
  const choices = await filterChoices(db, columns);
  expect(cellChoices(cells)).toEqual(choices);
  const [totals] = await db.query(`SELECT CAST(COUNT(DISTINCT customer_id) AS INTEGER) AS customers, ${transactionCountSql(columns)} AS transactions,
    CAST(COUNT(*) AS INTEGER) AS rows, ${money(`SUM(${toMicros("amount")})`)} AS revenue FROM transactions`);
  expect(cellTotals(cells)).toEqual(totals);
  let compared = 0;
  const mixed = shuffled(cells);
  for (const filters of filterCases(choices)) {
    const days = cellDailyTotals(cells, filters);
    expect(days).toEqual(await dailyTotals(db, {filters}));
    compared += days.length;
    for (const grain of ["day", "week", "month"] as Grain[]) {
      expect(cellSalesCharts(cells, {filters, grain})).toEqual(await salesCharts(db, {filters, grain}));
    }
    const regions = cellSalesByArea(cells, {column: "region", filters});
    expect(regions).toEqual(await salesByRegion(db, {filters}));
    expect(cellSalesByArea(cells, {column: "province", filters})).toEqual(await salesByProvince(db, {filters}));
    const months = cellAreaByMonth(cells, {filters});
    expect(months).toEqual(await areaByMonth(db, {filters}));
    expect(cellAreaByMonth(cells, {column: "province", filters})).toEqual(await areaByMonth(db, {filters, column: "province"}));
    const withoutCustomers = months.map((row) => ({...row, customers: null}));
    expect(cellAreaByMonth(cells, {filters, customers: false})).toEqual(withoutCustomers);
    const matrix = cellCohortMatrix(cells, filters);
    expect(matrix).toEqual(await cohortMatrix(db, {filters}));
    const m1 = cellM1Retention(cells, filters);
    expect(m1).toEqual(await m1Retention(db, {filters}));
    // One pass for both (the page's cohortFigures); cells out of day order take the general count of active customers.
    expect(cellCohortFigures(cells, filters)).toEqual({matrix, m1});
    expect(cellCohortFigures(mixed, filters)).toEqual({matrix, m1});
    const top = cellTopPartners(cells, {filters, n: 5});
    expect(top).toEqual(await topPartners(db, {filters, n: 5}));
    expect(cellTopPartners(cells, {filters, n: 40})).toEqual(await topPartners(db, {filters, n: 40}));
    expect(cellPartnerMonthly(cells, {filters, n: 4})).toEqual(await partnerMonthly(db, {filters, n: 4}));
    for (const column of ["partner", "offer_type"] as const) {
      // The page's bars: the counts over the picks, as countFavourites of the rows (asked first, then after the rows).
      const counts = cellFavouriteCounts(mixed, {filters, column});
      expect(counts).toEqual(countFavourites(cellFavourites(mixed, {filters, column})));
      expect(cellFavouriteCounts(mixed, {filters, column})).toEqual(counts);
      const mine = cellFavourites(cells, {filters, column}).map(({customer, ...row}) => row);
      expect(cellFavouriteCounts(cells, {filters, column})).toEqual(counts);
      const sql = (await favourites(db, {filters, column})).map(({customer_id, ...row}) => row);
      expect(sortedJson(mine)).toEqual(sortedJson(sql));
      expect(sortedJson(cellFavourites(mixed, {filters, column}).map(({customer, ...row}) => row))).toEqual(sortedJson(sql));
      compared += mine.length;
    }
    for (const [column, by] of [["partner", "region"], ["offer_type", "customer_segment"], ["partner", "province"]] as const) {
      expect(cellFavouriteSummary(cells, {filters, column, by})).toEqual(await favouriteSummary(db, {filters, column, by}));
    }
    compared += regions.length + months.length + matrix.length + top.length;
  }
  return compared;
}

describe("charts from the derived cells", () => {
  it("equal the SQL on the demo's transactions", async () => {
    const db = await openDuckDB();
    try {
      await loadDemo(db, {customers: 3000});
      expect(await sameAsSql(db)).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
  }, 120_000);

  it("equal the SQL on the Superstore order lines (orders counted once across cells)", async () => {
    const db = await openDuckDB();
    try {
      await db.run(superstoreTable());
      const cells = await cellsOf(db);
      expect(cells.orders, "Superstore order ids repeat").toBe(true);
      expect(await sameAsSql(db)).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
  }, 120_000);

  it("equal the SQL with missing regions, customers and order ids", async () => {
    const db = await openDuckDB();
    try {
      await db.run(`CREATE TABLE transactions AS
        SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, order_id, region, province
        FROM (VALUES
          ('a', '2024-01-30', 10.5, 'o1', 'West', 'BC'), ('a', '2024-01-30', 2.25, 'o1', 'West', 'AB'),
          ('b', '2024-02-01', 7, NULL, NULL, 'ON'), ('b', '2024-02-01', 1, NULL, NULL, 'ON'),
          (NULL, '2024-02-03', 4, 'o2', 'East', NULL), ('c', '2024-03-01', 0.1, 'o3', 'East', 'QC'),
          ('c', '2024-03-01', 0.2, 'o3', 'East', 'QC'), ('a', '2024-03-02', 3, 'o4', 'West', 'BC')
        ) t(customer_id, d, amount, order_id, region, province)`);
      const cells = await cellsOf(db);
      expect(cells.orders).toBe(true);
      expect(await sameAsSql(db)).toBeGreaterThan(10);
      expect(cellSalesByArea(cells, {column: "region"}).map((r) => [r.region, r.transactions, r.customers])).toEqual([
        ["West", 2, 1], [null, 2, 1], ["East", 2, 1]
      ]);
    } finally {
      db.close();
    }
  });
});
