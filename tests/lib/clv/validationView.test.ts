import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {CLV_MEMBERS, clvFromTable} from "../../../src/lib/clv/derived.js";
import {fitClv} from "../../../src/lib/clv/fitClv.js";
import {makeDerived, type DerivedFit} from "../../../src/lib/explore/derived.js";
import {openDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {VALIDATION_DEFAULTS, holdoutActuals, validationPageFigures, validationRequest, type ValidationView} from "../../../src/lib/clv/validationView.js";
import {validateModels, type ValidateInput} from "../../../src/lib/clv/validateModels.js";
import {describeOnBuiltMembers} from "./builtMembers.js";
import {isPackedProfiles, unpackProfiles, validateMessage, type PackedProfiles} from "../../../src/lib/clv/packedProfiles.js";
import {validationViewRequest} from "../../../src/lib/clv/validationFirstView.js";
import {idAt, idCount, type CustomerIds} from "../../../src/lib/fit/columns.js";

// The view crosses as JSON: compare the full tables' figures after the same trip.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
// Times differ from run to run: everything else must be equal.
const withoutTimes = <T>(value: T): T => JSON.parse(JSON.stringify(value, (key, v) => (key === "ms" ? undefined : v)));
// The ids as strings, whether they came as values (the page's profiles) or as UTF-8 bytes (the tables' columns).
const idStrings = (ids: CustomerIds) => Array.from({length: idCount(ids)}, (_, i) => idAt(ids, i));
const withIdStrings = <T extends {ids?: CustomerIds}>(split: T) => (split.ids ? {...split, ids: idStrings(split.ids)} : split);

describeOnBuiltMembers("the Model validation page's first view", /validation|holdout\.arrow|training\.arrow/, (member) => {
  it("equals the page's validation over the full calibration and training tables at the default inputs", () => {
    const view = JSON.parse(new TextDecoder().decode(member("clv-validation-view.json"))) as ValidationView;
    const holdout = clvFromTable(tableFromIPC(member("clv-holdout.arrow")));
    const training = clvFromTable(tableFromIPC(member("clv-training.arrow")));
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
    const figures = validationPageFigures(holdoutActuals(holdout.data.holdout), result);
    expect(view.figures).toEqual(asJson(figures));
    // Independent of validationPageFigures: the actual totals are the holdout table's sums.
    const actual = holdout.data.holdout!.reduce((s, d) => ({purchases: s.purchases + d.frequency_holdout, spend: s.spend + d.spend_holdout}), {purchases: 0, spend: 0});
    expect(view.figures.holdoutActual.purchases).toBe(actual.purchases);
    expect(view.figures.holdoutActual.spend).toBeCloseTo(actual.spend, 6);
    expect(view.figures.comparison.rows.map((r) => r.name)).toContain(view.figures.comparison.winner.name);
  }, 120_000);

  it("is asked from the tables' columns: the page's request of the tables' customers, packed, and facts of their own", () => {
    const tables = [tableFromIPC(member("clv-holdout.arrow")), tableFromIPC(member("clv-training.arrow"))] as const;
    const asked = validationViewRequest(...tables)!;
    const [holdout, training] = tables.map(clvFromTable);
    const page = validationRequest(holdout.data, training.data, {penalizer: VALIDATION_DEFAULTS.penalizer});
    const {learned, ...request} = asked.request;
    const {learned: pageLearned, ...pageRequest} = page;
    // The tables' ids cross as UTF-8 bytes (utf8Ids): the same customers, in the same order.
    expect({...request, calibration: withIdStrings(request.calibration)}).toEqual({...pageRequest, calibration: withIdStrings(pageRequest.calibration)});
    for (const split of ["training", "calibration"] as const) {
      const {profiles, ...rest} = learned![split];
      const {profiles: pageProfiles, ...pageRest} = pageLearned![split];
      expect(rest).toEqual(pageRest);
      // Packed from the columns: numbers as numbers, days and labels as codes (no object, no string per customer).
      expect(isPackedProfiles(profiles)).toBe(true);
      const kinds = Object.fromEntries((profiles as PackedProfiles).fields.map((f) => [f.name, f.kind]));
      expect(kinds).toMatchObject({orders: "number", revenue: "number", last_purchase: "label"});
      expect(unpackProfiles(profiles as PackedProfiles)).toEqual(pageProfiles);
    }
    expect(asked.holdoutWeeks).toBe(holdout.metadata.holdoutWeeks);
    expect(asked.facts.holdout.actual).toEqual(holdoutActuals(holdout.data.holdout));
    expect(asked.facts.holdout.customers).toBe(holdout.data.profiles.length);
    expect(asked.facts.training).toEqual({customers: training.data.profiles.length, calibrationEnd: training.metadata.calibrationEnd});
    // The worker may take the request's arrays: the facts share none.
    expect((asked.facts.holdout.actual.spend as Float64Array).buffer).not.toBe(asked.request.actualSpend.buffer);
    // The fits read the calibration's ids only: the training split's are not decoded nor sent.
    expect(idCount(asked.request.calibration.ids!)).toBe(holdout.data.profiles.length);
    expect(asked.request.training).not.toHaveProperty("ids");
  });
});


describe("the validation view made through DerivedFit.validate (on the data page: in the fit worker)", () => {
  it("is the view made in this thread, and is left out (null) when that fit was stopped", async () => {
    const db = await openDuckDB();
    try {
      await loadDemo(db, {customers: 1500});
      const members = CLV_MEMBERS.filter((m) => m.name === "clv-validation-view.json");
      const fitHere: DerivedFit = async (summaries, options) => fitClv(summaries, options).result;
      const asked: number[] = [];
      const validating: DerivedFit = Object.assign(fitHere.bind(null), {
        // As the data page's hook does: the request crosses packed, its arrays moved (empty here after), so
        // the member must read none of it once asked.
        validate: async (request: ValidateInput) => {
          asked.push(request.calibration.frequency.length);
          const message = validateMessage(request, {transfer: true});
          const arrived = structuredClone(message.request, {transfer: message.transfer});
          expect(request.calibration.frequency.length).toBe(0);
          return validateModels(arrived);
        }
      });
      // Times differ from run to run; every other figure is the same.
      const view = (made: Map<string, Uint8Array>) =>
        JSON.parse(new TextDecoder().decode(made.get("clv-validation-view.json")), (key, value) => (key === "ms" || key === "timings" ? undefined : value));
      const here = view(await makeDerived(db, {members}));
      expect(here).not.toBeNull();
      expect(view(await makeDerived(db, {members, fit: validating}))).toEqual(here);
      expect(asked).toEqual([here.customers]);
      expect(view(await makeDerived(db, {members, fit: Object.assign(fitHere.bind(null), {validate: async () => null})}))).toBeNull();
    } finally {
      db.close();
    }
  }, 120_000);
});
