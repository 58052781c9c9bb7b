import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import * as aq from "arquero";
import {headline, rfmValuesSql, scoreGrid, segmentCustomers} from "../../../src/lib/rfm/page.js";
import {DEFAULT_SEGMENTATION_SETTING, segmentationScheme} from "../../../src/lib/rfm/segmentation.js";
import {nextDay} from "../../../src/lib/time.js";
import type {RfmFirstView} from "../../../src/lib/rfm/firstView.js";
import {valuesFromSummary} from "../../../src/lib/rfm/summary.js";
import {RFM_MEMBERS, RFM_VIEW, summaryFromTable} from "../../../src/lib/rfm/derived.js";
import {DERIVED_MEMBERS, makeDerived} from "../../../src/lib/explore/derived.js";
import {filterChoices} from "../../../src/lib/sql/choices.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";

for (const [name, create] of [
  ["the demo (2,000 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 2000}))],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const) {
  describe(`RFM members of the derived archive on ${name}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      members = await makeDerived(db, {members: RFM_MEMBERS});
    }, 120_000);
    afterAll(() => db?.close());

    it("are in the archive's member list", () => {
      for (const member of RFM_MEMBERS) expect(DERIVED_MEMBERS).toContain(member);
    });

    it("read back as the values the page's SQL gives, at the default dates", async () => {
      const current = summaryFromTable(tableFromIPC(members.get("rfm-customers.arrow")!));
      const earlier = summaryFromTable(tableFromIPC(members.get("rfm-customers-earlier.arrow")!));
      const selection = await selectTransactions(db, {filters: {}, columns: current.metadata.columns, name: "selection"});
      expect(current.metadata.selection).toEqual({transactions: selection.transactions, customers: selection.customers, first: selection.first, last: selection.last});
      expect(current.metadata.choices).toEqual(await filterChoices(db, current.metadata.columns));
      expect(current.metadata.orderId).toBe(true);
      expect(current.metadata.before).toBeNull();
      const orderId = true;
      for (const frequency of ["orders", "days"] as const) {
        const expected = await db.query(rfmValuesSql({table: "selection", orderId, frequency, monetary: "mean"}));
        expect(valuesFromSummary(current.summary, {frequency, monetary: "mean"}).objects()).toEqual(expected);
      }
      const before = earlier.metadata.before!;
      expect(before < selection.last!).toBe(true);
      const expected = await db.query(rfmValuesSql({table: "selection", orderId, analysisDate: before}));
      expect(valuesFromSummary(earlier.summary, {analysisDate: before}).objects()).toEqual(expected);
    });

    it("hold a first view equal to the page's figures over the SQL values at the default inputs", async () => {
      const view = JSON.parse(new TextDecoder().decode(members.get(RFM_VIEW)!)) as RfmFirstView;
      const current = summaryFromTable(tableFromIPC(members.get("rfm-customers.arrow")!));
      expect(view.metadata).toEqual(current.metadata);
      const analysisDate = nextDay(current.metadata.selection.last!);
      expect(view.settings).toEqual({scheme: DEFAULT_SEGMENTATION_SETTING.scheme, bins: DEFAULT_SEGMENTATION_SETTING.bins, frequency: "orders", monetary: "total", analysisDate});
      const values = aq.from(await db.query(rfmValuesSql({table: "transactions", orderId: true, analysisDate})));
      const segmented = segmentCustomers(values, {k: view.settings.bins, scheme: segmentationScheme(DEFAULT_SEGMENTATION_SETTING)});
      expect(view.names).toEqual(segmented.names);
      expect(view.summary).toEqual(segmented.summary.objects());
      expect(view.headline).toEqual(headline(segmented));
      expect(view.grid).toEqual(scoreGrid(segmented.customers));
    });
  });
}
