/*
 * The sales page's time charts from one query (src/lib/explore/daily.ts): the rows derived from dailyTotals
 * equal, to the bit, those of dailySales, salesByPeriod, weekdayHeatmap and yearOverYear on the
 * transactions (customers null), on fixtures (ISO weeks across a year boundary, a leap day, partial periods)
 * and on the Superstore data, read from the transactions and from the cells.
 */
import {describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import type {Filters, QueryOptions} from "../../../src/lib/sql/filters.js";
import {createSalesCells} from "../../../src/lib/explore/cells.js";
import {
  dailySalesFromDays,
  dailyTotals,
  daysInRange,
  salesByPeriodFromDays,
  salesCharts,
  weekdayHeatmapFromDays,
  yearOverYearFromDays
} from "../../../src/lib/explore/daily.js";
import {dailySales, salesByPeriod, weekdayHeatmap, yearOverYear, type Grain} from "../../../src/lib/explore/sales.js";
import {salesFixture, superstoreTable, withoutCustomers} from "./rows.js";


const fixture = salesFixture;

/** Every derived result against its SQL twin, for each filter and grain; returns the number of rows compared. */
async function sameAsSql(db: NodeDuckDB, options: QueryOptions, filters: Filters[]): Promise<number> {
  let compared = 0;
  for (const f of filters) {
    const overview = {...f, from: null, to: null};
    const all = await dailyTotals(db, {...options, filters: overview});
    const range = daysInRange(all, f);
    expect(range, "a narrower date range is a slice of the days").toEqual(await dailyTotals(db, {...options, filters: f}));
    const sql = {...options, filters: f};
    const expectations: [unknown[], unknown[]][] = [
      [dailySalesFromDays(range), await dailySales(db, sql)],
      [weekdayHeatmapFromDays(range), await weekdayHeatmap(db, sql)],
      [yearOverYearFromDays(range, "day"), await yearOverYear(db, {...sql, grain: "day"})],
      [yearOverYearFromDays(range, "month"), await yearOverYear(db, {...sql, grain: "month"})]
    ];
    for (const grain of ["day", "week", "month"] as Grain[]) {
      expectations.push([salesByPeriodFromDays(range, grain), await salesByPeriod(db, {...sql, grain})]);
    }
    for (const [derived, rows] of expectations) {
      expect(derived).toEqual(withoutCustomers(rows as object[]));
      compared += rows.length;
    }
    for (const grain of ["day", "week", "month"] as Grain[]) {
      const charts = await salesCharts(db, {...options, filters: f, grain});
      const series = grain === "day" ? await dailySales(db, {...options, filters: overview}) : await salesByPeriod(db, {...options, filters: overview, grain});
      expect(charts.series).toEqual(withoutCustomers(series as object[]));
      expect(charts.heatmap).toEqual(withoutCustomers(await weekdayHeatmap(db, sql)));
      expect(charts.yearOverYear).toEqual(withoutCustomers(await yearOverYear(db, {...sql, grain: "month"})));
    }
  }
  return compared;
}

describe("daily totals", () => {
  it("fill every day of the span with zeros, revenue in millionths", async () => {
    const db = await fixture(`('a', '2024-01-01', 10.25, 'N'), ('b', '2024-01-01', 0.000001, 'S'), ('a', '2024-01-04', 5, 'N')`);
    expect(await dailyTotals(db)).toEqual([
      {date: "2024-01-01", transactions: 2, revenue_micros: 10_250_001},
      {date: "2024-01-02", transactions: 0, revenue_micros: 0},
      {date: "2024-01-03", transactions: 0, revenue_micros: 0},
      {date: "2024-01-04", transactions: 1, revenue_micros: 5_000_000}
    ]);
    expect(await dailyTotals(db, {filters: {region: ["S"], to: "2024-01-02"}})).toEqual([
      {date: "2024-01-01", transactions: 1, revenue_micros: 1},
      {date: "2024-01-02", transactions: 0, revenue_micros: 0}
    ]);
    db.close();
  });

  it("refuse sums a double cannot hold exactly, and the charts then come from the SQL queries", async () => {
    const db = await fixture(`('a', '2024-01-01', 5e9, 'N'), ('b', '2024-01-02', 5e9, 'N')`);
    await expect(dailyTotals(db)).rejects.toThrow(RangeError);
    const charts = await salesCharts(db, {grain: "week"});
    expect(charts.series).toEqual(await salesByPeriod(db, {grain: "week"}));
    expect(charts.heatmap).toEqual(await weekdayHeatmap(db));
    db.close();
  });
});

describe("charts derived from the days", () => {
  it("match the SQL on a year boundary, a leap day and partial periods", async () => {
    const db = await fixture(`('a', '2020-12-28', 1.1, 'N'), ('a', '2021-01-03', 2, 'N'), ('b', '2021-01-04', 3, 'S'),
      ('x', '2023-02-28', 3.1, 'N'), ('x', '2023-03-01', 5.7, 'S'), ('y', '2024-02-28', 6.3, 'N'), ('y', '2024-02-29', 7.9, 'N'),
      ('x', '2024-03-01', 10.01, 'S'), ('z', '2024-03-01', 0, 'S'), ('z', '2024-03-05', -4, 'N')`);
    const compared = await sameAsSql(db, {}, [
      {},
      {region: ["S"]},
      {from: "2021-01-02", to: "2024-02-29"},
      {from: "2023-03-01", region: ["N"]},
      {from: "2030-01-01"}
    ]);
    expect(compared).toBeGreaterThan(10_000);
    db.close();
  });

  it("match the SQL on the Superstore data, on the transactions and on the cells", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const filters: Filters[] = [
      {},
      {from: "2010-03-15", to: "2012-06-30", region: ["West", "Ontario", "Atlantic"], customer_segment: ["Corporate", "Consumer"]},
      {province: ["Quebec"], category: ["Technology", "Furniture"], from: "2011-01-01"}
    ];
    expect(await sameAsSql(db, {}, filters)).toBeGreaterThan(10_000);
    const cells = await createSalesCells(db, "cells", {orders: true});
    expect(await sameAsSql(db, cells, filters)).toBeGreaterThan(10_000);
    // The cells split by order count the same orders per day as the transactions: 5,496 in all.
    const days = await dailyTotals(db, cells);
    expect(days).toEqual(await dailyTotals(db));
    expect(days.reduce((s, d) => s + d.transactions, 0)).toBe(5496);
    db.close();
  }, 120_000);
});
