/*
 * The exploration pages' first views (src/lib/explore/firstView.ts), as the loader writes them (native DuckDB,
 * makeDerived) and the page reads them (JSON), equal what each page computes over the full cells table with
 * its default inputs and an empty filter bar; and the pages take the first view only for those inputs.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {DERIVED_MEMBERS, makeDerived} from "../../../src/lib/explore/derived.js";
import {cellChoices, cellDailyTotals, cellSalesCharts, cellTable, salesChartsFromDays, type CellTable} from "../../../src/lib/explore/cellTable.js";
import {
  EXPLORE_PAGES,
  cohortFigures,
  daysOf,
  exploreViewMember,
  inFirstView,
  inSalesDays,
  overviewDaily,
  overviewFigures,
  partnerFigures,
  readViewJson,
  viewJson,
  regionsAreas,
  regionsMonthly,
  salesCharts,
  salesDays,
  salesRegions,
  type ExploreViews
} from "../../../src/lib/explore/firstView.js";
import type {Filters} from "../../../src/lib/sql/filters.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "./rows.js";

// The view crosses as JSON: compare the full table's figures after the same trip.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

// What the filter bar gives when nothing is chosen (filterBar.ts: dates null, list filters empty).
const EMPTY_BAR: Filters = {from: null, to: null, region: [], province: [], customer_segment: [], category: []};

describe("viewJson", () => {
  it("writes arrays of rows column by column and reads back the same values", () => {
    const value = {a: [{x: 1, y: "p", z: null}, {x: 2, y: "q", z: [{u: 1}]}], b: [1, 2], c: [], d: [{x: 1}, {y: 2}], e: "s", f: null};
    expect(readViewJson(viewJson(value))).toEqual(value);
    expect(JSON.parse(viewJson(value)).a).toEqual({$rows: ["x", "y", "z"], columns: [[1, 2], ["p", "q"], [null, {$rows: ["u"], columns: [[1]]}]]});
    expect(readViewJson(viewJson([{x: 1, y: undefined}]))).toEqual(JSON.parse(JSON.stringify([{x: 1, y: undefined}])));
  });
});

describe("inFirstView", () => {
  it("holds for no filter and the default inputs only", () => {
    expect(inFirstView({})).toBe(true);
    expect(inFirstView(null)).toBe(true);
    expect(inFirstView(EMPTY_BAR, {grain: "day", partners: 10})).toBe(true);
    expect(inFirstView({...EMPTY_BAR, region: ["West"]})).toBe(false);
    expect(inFirstView({from: "2020-01-01"})).toBe(false);
    expect(inFirstView({to: "2020-01-01"})).toBe(false);
    expect(inFirstView({}, {grain: "week"})).toBe(false);
    expect(inFirstView({}, {partners: 11})).toBe(false);
  });
});

for (const [name, create] of [
  ["the demo (2,000 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 2000}))],
  ["Superstore (../shared/data: order lines, no partner)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const) {
  describe(`the exploration pages' first views on ${name}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    let cells: CellTable;
    const view = <P extends keyof ExploreViews>(page: P): ExploreViews[P] =>
      readViewJson<ExploreViews[P]>(new TextDecoder().decode(members.get(exploreViewMember(page))!));

    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      const wanted = new Set(["cells.arrow", ...EXPLORE_PAGES.map(exploreViewMember)]);
      members = await makeDerived(db, {members: DERIVED_MEMBERS.filter((m) => wanted.has(m.name))});
      cells = cellTable(tableFromIPC(members.get("cells.arrow")!));
    }, 120_000);
    afterAll(() => db?.close());

    it("are members of the archive, each small beside the cells", () => {
      for (const page of EXPLORE_PAGES) {
        const bytes = members.get(exploreViewMember(page))!;
        expect(bytes.length).toBeGreaterThan(0);
        expect(bytes.length).toBeLessThan(members.get("cells.arrow")!.length);
        console.log(`${name}: ${exploreViewMember(page)} ${bytes.length} bytes (cells.arrow ${members.get("cells.arrow")!.length})`);
      }
    });

    it("overview: the totals and the daily revenue", () => {
      const {columns, ...figures} = view("overview");
      expect(columns).toEqual(cells.columns);
      expect(figures).toEqual(asJson(overviewFigures(cells)));
      expect(figures.summary.transactions).toBeGreaterThan(0);
      // The page's daily revenue, every day of the span, from the view's days.
      const daily = overviewDaily(daysOf(figures.days));
      expect(daily).toEqual(cellDailyTotals(cells).map((day) => ({date: day.date, value: day.revenue_micros / 1e6})));
      expect(daily[0].date).toBe(cells.first);
      expect(daily.at(-1)!.date).toBe(cells.last);
    });

    it("sales: the days, which give the time charts for any grain and date range with no list filter, and revenue by region", () => {
      const v = view("sales");
      expect(v.columns).toEqual(cells.columns);
      expect(v.choices).toEqual(asJson(cellChoices(cells)));
      expect(v.regions).toEqual(asJson(salesRegions(cells, EMPTY_BAR)));
      const days = daysOf(v.days);
      expect(days.length).toBeGreaterThan(300);
      const {first, last} = v.choices;
      const mid = days[Math.floor(days.length / 2)].date;
      for (const dates of [{}, {from: mid}, {to: mid}, {from: first, to: mid}, {from: mid, to: last}]) {
        const filters = {...EMPTY_BAR, ...dates};
        expect(inSalesDays(filters)).toBe(true);
        for (const grain of ["day", "week", "month"] as const) {
          expect(salesChartsFromDays(days, {filters, grain})).toEqual(cellSalesCharts(cells, {filters, grain}));
          expect(salesCharts(cells, {filters, grain})).toEqual(cellSalesCharts(cells, {filters, grain}));
        }
      }
      // With a list filter the days are not the view's: the page reads the cells.
      const region = v.choices.values.region?.[0] ?? v.choices.values.category![0];
      const listed = {...EMPTY_BAR, [v.choices.values.region ? "region" : "category"]: [region]};
      expect(inSalesDays(listed)).toBe(false);
      expect(salesDays(cells, listed)).not.toEqual(days);
    });

    it("regions: provinces, regions and the monthly trend", () => {
      const v = view("regions");
      expect(v.choices).toEqual(asJson(cellChoices(cells)));
      expect({provinces: v.provinces, regions: v.regions}).toEqual(asJson(regionsAreas(cells, EMPTY_BAR)));
      expect(v.monthly).toEqual(asJson(regionsMonthly(cells, EMPTY_BAR)));
      expect(v.provinces.length).toBeGreaterThan(1);
    });

    it("cohorts: the matrix and M1 retention", () => {
      const v = view("cohorts");
      expect(v.choices).toEqual(asJson(cellChoices(cells)));
      expect({matrix: v.matrix, m1: v.m1}).toEqual(asJson(cohortFigures(cells, EMPTY_BAR)));
      expect(v.matrix.length).toBeGreaterThan(10);
    });

    it("partners: the top 10 and their months (none without a partner column)", () => {
      const v = view("partners");
      expect(v.choices).toEqual(asJson(cellChoices(cells)));
      expect({top: v.top, monthly: v.monthly}).toEqual(asJson(partnerFigures(cells, {filters: EMPTY_BAR, n: 10})));
      expect(v.top.length > 0).toBe(cells.columns.includes("partner"));
    });
  });
}
