import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {budgetDefaults, budgetGroupings, budgetPageFigures, type BudgetView} from "../../../src/lib/clv/budgetView.js";
import {clvArrays} from "../../../src/lib/clv/value.js";
import {viewFromJson, viewToJson} from "../../../src/lib/clv/viewJson.js";
import {describeOnBuiltMembers} from "./builtMembers.js";

describe("viewToJson / viewFromJson", () => {
  it("keep Infinity, -Infinity and NaN, which plain JSON turns into null", () => {
    const value = {a: Infinity, b: [-Infinity, NaN, 1.5], c: "text", d: null};
    const back = viewFromJson<typeof value>(viewToJson(value));
    expect(back.a).toBe(Infinity);
    expect(back.b[0]).toBe(-Infinity);
    expect(back.b[1]).toBeNaN();
    expect(back).toEqual(value);
  });
});

describeOnBuiltMembers("the Acquisition budget page's first view", /budget|full\.arrow/, (member) => {
  it("equals the page's figures computed over the full per-customer table at the default inputs", () => {
    const view = viewFromJson<BudgetView>(new TextDecoder().decode(member("clv-budget-view.json")));
    const built = clvFromTable(tableFromIPC(member("clv-full.arrow")));
    expect(view).not.toBeNull();
    const settings = budgetDefaults(built.metadata.columns);
    expect(view.settings).toEqual(settings);
    expect(view.customers).toBe(built.data.profiles.length);
    // As the page does: the worker's CLV at the page's horizon and discount from the build's fit.
    const predicted = clvArrays(built.fitted, {horizonMonths: settings.horizon, discountRate: settings.discountRate});
    const groupings = budgetGroupings(built.data.profiles, {columns: built.metadata.columns, asOf: built.metadata.selection.last, segmentation: settings.segmentation});
    const {margins, ...figures} = budgetPageFigures({
      profiles: built.data.profiles,
      columns: built.metadata.columns,
      groupings,
      asOf: built.metadata.selection.last,
      predictedRevenue: predicted.clv,
      expectedOrders: predicted.expectedPurchases,
      inputs: settings
    });
    expect(view.segmentKey).toBe(groupings.segmentKey);
    expect(view.figures).toEqual(figures);
    expect(margins.every((m) => m === 1)).toBe(true); // the classic formula by default
    // Independent of budgetPageFigures: counts and revenue add up over the groups and the customers.
    const revenue = built.data.profiles.reduce((s, p) => s + p.revenue, 0);
    expect(view.figures.all.customers).toBe(built.data.profiles.length);
    expect(view.figures.meanRevenue).toBeCloseTo(revenue / built.data.profiles.length, 9);
    expect(view.figures.byCohort.reduce((s, g) => s + g.customers, 0)).toBe(view.customers);
    expect(view.figures.bySegment.reduce((s, g) => s + g.customers, 0)).toBe(view.customers);
    expect(view.figures.all.meanPredictedClv).not.toBeNull();
  }, 120_000);
});

