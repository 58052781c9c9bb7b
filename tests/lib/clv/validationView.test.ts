import {expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {VALIDATION_DEFAULTS, validationPageFigures, validationRequest, type ValidationView} from "../../../src/lib/clv/validationView.js";
import {validateModels} from "../../../src/lib/clv/validateModels.js";
import {describeOnBuiltMembers} from "./builtMembers.js";

// The view crosses as JSON: compare the full tables' figures after the same trip.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
// Times differ from run to run: everything else must be equal.
const withoutTimes = <T>(value: T): T => JSON.parse(JSON.stringify(value, (key, v) => (key === "ms" ? undefined : v)));

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
    const figures = validationPageFigures(holdout.data, result);
    expect(view.figures).toEqual(asJson(figures));
    // Independent of validationPageFigures: the actual totals are the holdout table's sums.
    const actual = holdout.data.holdout!.reduce((s, d) => ({purchases: s.purchases + d.frequency_holdout, spend: s.spend + d.spend_holdout}), {purchases: 0, spend: 0});
    expect(view.figures.holdoutActual.purchases).toBe(actual.purchases);
    expect(view.figures.holdoutActual.spend).toBeCloseTo(actual.spend, 6);
    expect(view.figures.comparison.rows.map((r) => r.name)).toContain(view.figures.comparison.winner.name);
  }, 120_000);
});

