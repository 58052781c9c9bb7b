import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {CLV_MEMBERS, clvFromTable, DEFAULT_FIT, DEFAULT_HOLDOUT_DAYS, defaultCalibrationEnd, defaultHoldoutEnd} from "../../../src/lib/clv/derived.js";
import {birthsAndRepeats, customerData} from "../../../src/lib/clv/customers.js";
import {fitClv} from "../../../src/lib/clv/fitClv.js";
import {DERIVED_MEMBERS, makeDerived, presentColumns} from "../../../src/lib/explore/derived.js";
import {filterChoices} from "../../../src/lib/sql/choices.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";
import {addDays} from "../../../src/lib/time.js";

const withoutTimes = <T extends {ms?: number}>(fit: T) => {
  const {ms: _, ...rest} = fit;
  const clean = (f: unknown) => (f && typeof f === "object" && "ms" in f ? {...(f as object), ms: 0} : f);
  return {...rest, transaction: clean((rest as any).transaction), spend: clean((rest as any).spend)};
};

for (const [name, create] of [
  ["the demo (1,500 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 1500}))],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const) {
  describe(`CLV members of the derived archive on ${name}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      members = await makeDerived(db, {members: CLV_MEMBERS.filter((m) => !/-view\.json$/.test(m.name) || m.name === "clv-holdout-view.json")});
    });
    afterAll(() => db?.close());

    it("are in the archive's member list", () => {
      for (const member of CLV_MEMBERS) expect(DERIVED_MEMBERS).toContain(member);
    });

    for (const variant of ["holdout", "full", "training"] as const) {
      it(`${variant}: the data the page prepares and the fit the worker makes on it`, async () => {
        const built = clvFromTable(tableFromIPC(members.get(`clv-${variant}.arrow`)!));
        const columns = await presentColumns(db);
        const selection = await selectTransactions(db, {filters: {}, columns, name: "clv_selection", dates: false});
        const calibrationEnd = defaultCalibrationEnd(variant, {first: selection.first!, last: selection.last!});
        expect(built.metadata.calibrationEnd).toBe(calibrationEnd);
        expect(variant === "full" ? calibrationEnd === selection.last : calibrationEnd < selection.last!).toBe(true);
        const range = {first: selection.first!, last: selection.last!};
        const holdoutEnd = defaultHoldoutEnd(variant, range);
        // The validation page's training set ends where its calibration (the holdout variant's) begins.
        expect(holdoutEnd).toBe(variant === "training" ? defaultCalibrationEnd("holdout", range) : selection.last);
        if (variant === "training") expect(calibrationEnd).toBe(addDays(holdoutEnd, -DEFAULT_HOLDOUT_DAYS));
        expect(built.metadata.holdoutEnd).toBe(holdoutEnd);
        expect(built.metadata.choices).toEqual(await filterChoices(db, columns));
        expect(built.metadata.selection).toEqual({transactions: selection.transactions, customers: selection.customers, first: selection.first, last: selection.last});
        const data = await customerData(db, {view: "clv_selection", columns, calibrationEnd, first: selection.first!, last: holdoutEnd});
        expect(built.data).toEqual(data);
        expect(built.metadata.daily).toEqual(await birthsAndRepeats(db, {view: "clv_selection", calibrationEnd}));
        // The in-page fit: the worker's code on the page's data, with the page's default settings.
        const {result, fitted} = fitClv(data.summaries, {...DEFAULT_FIT, holdoutWeeks: data.holdoutWeeks});
        expect(withoutTimes(built.fit)).toEqual(withoutTimes({type: "fit", id: 0, ...result}));
        expect(built.fitted).toEqual(fitted);
        expect(built.fit.clv?.length).toBe(data.profiles.length);
        expect("error" in built.fit.transaction).toBe(false);
        // Narrow storage: no prediction columns (recomputed bit for bit above), weeks as day counts, dates and
        // attributes as dictionaries with narrow keys.
        const table = tableFromIPC(members.get(`clv-${variant}.arrow`)!);
        for (const name of ["probability_alive", "expected_spend", "clv", "expected_purchases", "expected_holdout"]) expect(table.getChild(name)).toBeNull();
        expect(built.metadata.scales).toMatchObject({frequency: 1, recency: 7, T: 7});
        for (const name of ["frequency", "recency", "T", "orders", "purchase_days"]) expect(String(table.getChild(name)!.type)).toMatch(/^Int(8|16|32)$/);
        expect(String(table.getChild("first_purchase")!.type)).toMatch(/^Dictionary<Int(8|16), Utf8>$/);
      });
    }
  });
}

describe("RFM and CLV members of another table (the data page's cleaned upload)", () => {
  it("read that table, not `transactions`", async () => {
    const db = await openDuckDB();
    try {
      await loadDemo(db, {customers: 400});
      await db.run("ALTER TABLE transactions RENAME TO upload_preview");
      const {RFM_MEMBERS, summaryFromTable} = await import("../../../src/lib/rfm/derived.js");
      const members = await makeDerived(db, {members: [...RFM_MEMBERS, ...CLV_MEMBERS], table: "upload_preview"});
      const rfm = summaryFromTable(tableFromIPC(members.get("rfm-customers.arrow")!));
      const [{customers}] = await db.query<{customers: number}>("SELECT count(DISTINCT customer_id) AS customers FROM upload_preview");
      expect(rfm.summary.customer_id.length).toBe(customers);
      expect(rfm.metadata.choices).toEqual(await filterChoices(db, rfm.metadata.columns, "upload_preview"));
      const clv = clvFromTable(tableFromIPC(members.get("clv-full.arrow")!));
      expect(clv.data.profiles.length).toBe(customers);
    } finally {
      db.close();
    }
  });
});

describe("a CLV table whose revenue is whole cents for every customer", () => {
  it("stores it as cents (exactColumn) and reads it back in the currency, not in cents", async () => {
    const db = await openDuckDB();
    try {
      // Quarter amounts: every customer's revenue is exact in cents and not whole, so the column is stored as k / 100.
      await db.run(`CREATE TABLE transactions AS
        SELECT 'C' || (i % 40) AS customer_id, DATE '2024-01-01' + CAST(i * 3 % 300 AS INTEGER) AS order_date, 10.25 + (i % 7) * 0.5 AS amount
        FROM range(400) t(i)`);
      const table = tableFromIPC((await makeDerived(db, {members: CLV_MEMBERS.filter((m) => m.name === "clv-full.arrow")})).get("clv-full.arrow")!);
      expect(JSON.parse(table.schema.metadata.get("clv")!).scales.revenue).toBe(100);
      const built = clvFromTable(table);
      const sums = new Map((await db.query<{customer_id: string; revenue: number}>(`SELECT customer_id, sum(amount) AS revenue FROM transactions GROUP BY 1`)).map((r) => [r.customer_id, r.revenue]));
      expect(built.data.profiles.length).toBe(40);
      for (const profile of built.data.profiles) expect(profile.revenue).toBeCloseTo(sums.get(profile.customer_id)!, 9);
    } finally {
      db.close();
    }
  }, 60_000);
});
