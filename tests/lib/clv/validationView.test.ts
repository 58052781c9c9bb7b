import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {CLV_MEMBERS, clvFromTable} from "../../../src/lib/clv/derived.js";
import {VALIDATION_DEFAULTS, validationPageFigures, validationRequest, type ValidationView} from "../../../src/lib/clv/validationView.js";
import {validateModels} from "../../../src/lib/clv/validateModels.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";

// The view crosses as JSON: compare the full tables' figures after the same trip.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
// Times differ from run to run: everything else must be equal.
const withoutTimes = <T>(value: T): T => JSON.parse(JSON.stringify(value, (key, v) => (key === "ms" ? undefined : v)));

for (const [name, create] of [
  ["the demo (1,500 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 1500}))],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const) {
  describe(`the Model validation page's first view on ${name}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    beforeAll(async () => {
      db = await openDuckDB();
      await create(db);
      members = await makeDerived(db, {members: CLV_MEMBERS.filter((m) => /validation|holdout\.arrow|training\.arrow/.test(m.name))});
    }, 120_000);
    afterAll(() => db?.close());

    it("equals the page's validation over the full calibration and training tables at the default inputs", () => {
      const view = JSON.parse(new TextDecoder().decode(members.get("clv-validation-view.json")!)) as ValidationView;
      const holdout = clvFromTable(tableFromIPC(members.get("clv-holdout.arrow")!));
      const training = clvFromTable(tableFromIPC(members.get("clv-training.arrow")!));
      expect(view).not.toBeNull();
      expect(view.settings).toEqual(VALIDATION_DEFAULTS);
      expect(view.customers).toBe(holdout.data.profiles.length);
      expect(view.trainingCustomers).toBe(training.data.profiles.length);
      const {daily: _, ...metadata} = holdout.metadata;
      expect(view.metadata).toEqual(asJson(metadata));
      // What the page runs when an input changes, here at the default inputs.
      const result = validateModels(validationRequest(holdout.data, training.data, {penalizer: view.settings.penalizer}));
      expect(withoutTimes(view.result.fits)).toEqual(withoutTimes(result.fits));
      expect(view.result.importance).toEqual(asJson(result.importance));
      expect(Object.keys(view.result.timings).sort()).toEqual(Object.keys(result.timings).sort());
      const figures = validationPageFigures(holdout.data, result);
      expect(view.figures).toEqual(asJson(figures));
      // Independent of validationPageFigures: the actual totals are the holdout table's sums.
      const actual = holdout.data.holdout!.reduce((s, d) => ({purchases: s.purchases + d.frequency_holdout, spend: s.spend + d.spend_holdout}), {purchases: 0, spend: 0});
      expect(view.figures.holdoutActual.purchases).toBe(actual.purchases);
      expect(view.figures.holdoutActual.spend).toBeCloseTo(actual.spend, 6);
      expect(view.figures.comparison.rows.map((r) => r.name)).toContain(view.figures.comparison.winner.name);
    }, 120_000);
  });
}
