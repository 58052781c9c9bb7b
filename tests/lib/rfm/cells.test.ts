/**
 * The RFM page's filters and analysis dates from the build's cells (src/lib/rfm/cells.ts), in TypeScript,
 * against the SQL the page ran in DuckDB-WASM before: the selection (selectTransactions) and the RFM values
 * (rfmValuesSql on the selected transactions), on the demo and on Superstore (order ids repeat there).
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {rfmValuesSql} from "../../../src/lib/rfm/page.js";
import {valuesFromSummary} from "../../../src/lib/rfm/summary.js";
import {RFM_MEMBERS, summaryFromTable} from "../../../src/lib/rfm/derived.js";
import {cutChangesNothing, RFM_CELLS, rfmCellsFromTable, summaryFromCells} from "../../../src/lib/rfm/cells.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import type {Filters} from "../../../src/lib/sql/filters.js";
import {addDays} from "../../../src/lib/time.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";

for (const [name, create] of [
  ["the demo (2,000 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 2000}))],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const) {
  describe(`RFM values from the cells on ${name}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      members = await makeDerived(db, {members: RFM_MEMBERS});
    }, 120_000);
    afterAll(() => db?.close());

    it("equal the SQL on the selected transactions, for filters and analysis dates", async () => {
      const current = summaryFromTable(tableFromIPC(members.get("rfm-customers.arrow")!));
      const cells = rfmCellsFromTable(tableFromIPC(members.get(RFM_CELLS)!));
      const {columns, choices, orderId} = current.metadata;
      const values = choices.values;
      const lists = Object.entries(values) as [keyof Filters, string[]][];
      expect(lists.length).toBeGreaterThan(0);
      const [first, second] = lists;
      const last = choices.last!;
      const cases: Filters[] = [
        {},
        {[first[0]]: [first[1][0]]},
        {[first[0]]: first[1].slice(0, 2), ...(second ? {[second[0]]: [second[1][1]]} : {})},
        {from: addDays(last, -200), to: addDays(last, -30)},
        {from: addDays(last, -400), [first[0]]: [first[1][first[1].length - 1]]},
        {[first[0]]: ["no such value"]}
      ];
      let compared = 0;
      for (const filters of cases) {
        const selection = await selectTransactions(db, {filters, columns, name: "selection"});
        for (const before of [null, addDays(last, -90)]) {
          const {summary, selection: got} = summaryFromCells(cells, current.summary.customer_id, filters, {before});
          if (before === null) expect(got).toEqual({transactions: selection.transactions, customers: selection.customers, first: selection.first, last: selection.last});
          const analysisDate = before ?? addDays(last, 1);
          for (const frequency of ["orders", "days"] as const) {
            const expected = await db.query(rfmValuesSql({table: "selection", orderId, analysisDate, frequency, monetary: "mean"}));
            const actual = summary.customer_id.length ? valuesFromSummary(summary, {analysisDate, frequency, monetary: "mean"}).objects() : [];
            expect(actual).toEqual(expected);
            compared += expected.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(1000);
    }, 120_000);

    it("cutChangesNothing: a cut it passes gives the summary without the cut; one it refuses drops purchases", () => {
      const current = summaryFromTable(tableFromIPC(members.get("rfm-customers.arrow")!));
      const cells = rfmCellsFromTable(tableFromIPC(members.get(RFM_CELLS)!));
      const ids = current.summary.customer_id;
      const [key, labels] = Object.entries(current.metadata.choices.values)[0] as [keyof Filters, string[]];
      const last = current.metadata.choices.last!;
      let refused = 0;
      for (const filters of [{}, {[key]: [labels[0]]}, {to: addDays(last, -45)}, {[key]: ["no such value"]}] as Filters[]) {
        const all = summaryFromCells(cells, ids, filters);
        expect(cutChangesNothing(all.selection, null)).toBe(true);
        for (const before of [addDays(last, 1), addDays(last, 0), addDays(last, -44), addDays(last, -45), addDays(last, -90)]) {
          const cut = summaryFromCells(cells, ids, filters, {before});
          if (cutChangesNothing(all.selection, before)) expect(cut.summary).toEqual(all.summary);
          else {
            refused++;
            // The day before the cut is the selection's last purchase or later: the cut drops that day's purchases.
            expect(all.selection.last! >= before).toBe(true);
            const kept = cut.summary.last_day;
            expect(Array.from(kept).every((d) => d < Math.floor(Date.parse(before) / 86_400_000))).toBe(true);
            expect(cut.summary).not.toEqual(all.summary);
          }
        }
      }
      expect(refused).toBeGreaterThan(3);
      expect(cutChangesNothing({last: null}, "2020-01-01")).toBe(true);
      expect(cutChangesNothing({last: "2020-01-01"}, "2020-01-02")).toBe(true);
      expect(cutChangesNothing({last: "2020-01-01"}, "2020-01-01")).toBe(false);
    });
  });
}
