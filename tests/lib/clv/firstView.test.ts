import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {FIRST_VIEW_ROWS, clvChecks, clvHistogramBins, clvPageFigures, defaultClvMargin, type ClvFirstView} from "../../../src/lib/clv/firstView.js";
import {DEFAULT_SEGMENTATION_SETTING} from "../../../src/lib/rfm/segmentation.js";
import {describeOnBuiltMembers} from "./builtMembers.js";

// JSON as the page reads it: the view crosses as JSON, so compare the full table's figures after the same trip.
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("clvHistogramBins", () => {
  it("counts every value up to the cap quantile once, in round bars that cover it", () => {
    const values = Array.from({length: 1000}, (_, i) => (i * 37) % 997 + (i === 999 ? 1e6 : 0));
    const bins = clvHistogramBins(values);
    const max = Float64Array.from(values).sort()[Math.floor(0.99 * values.length)];
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(values.filter((v) => v <= max).length);
    const step = bins[0].x2 - bins[0].x1;
    expect([1, 2, 5].some((m) => Math.abs(step / 10 ** Math.floor(Math.log10(step)) - m) < 1e-9)).toBe(true);
    expect(bins[0].x1).toBeLessThanOrEqual(0);
    expect(bins.at(-1)!.x2).toBeGreaterThan(max);
    for (const v of values.filter((v) => v <= max)) expect(bins.filter((b) => v >= b.x1 && v < b.x2).length).toBe(1);
    expect(clvHistogramBins([])).toEqual([]);
    expect(clvHistogramBins([5, 5, 5])).toEqual([{x1: 5, x2: 6, count: 3}]);
  });
});

describeOnBuiltMembers("the Predicted CLV page's first view", /^clv-holdout/, (member) => {
  it("equals the page's figures computed over the full per-customer table at the default inputs", () => {
    const view = JSON.parse(new TextDecoder().decode(member("clv-holdout-view.json"))) as ClvFirstView;
    const built = clvFromTable(tableFromIPC(member("clv-holdout.arrow")));
    expect(view).not.toBeNull();
    expect(view.metadata).toEqual(asJson(built.metadata));
    expect(view.settings.margin).toEqual(defaultClvMargin(built.metadata.columns));
    expect(view.settings.segmentation).toEqual(DEFAULT_SEGMENTATION_SETTING);
    const figures = clvPageFigures({
      data: built.data,
      calibrationEnd: built.metadata.calibrationEnd,
      columns: built.metadata.columns,
      probabilityAlive: built.fit.probabilityAlive,
      expectedPurchases: built.fit.expectedPurchases,
      expectedSpend: built.fit.expectedSpend,
      clv: built.fit.clv,
      margin: view.settings.margin,
      segmentation: view.settings.segmentation,
      note: ""
    });
    expect(view.customers).toBe(built.data.profiles.length);
    expect(view.kpis).toEqual(asJson(figures.kpis));
    expect(view.histogram).toEqual(asJson(figures.histogram));
    for (const key of ["bySegment", "byRegion", "byProvince", "byCohort"] as const) expect(view[key]).toEqual(asJson(figures[key]));
    expect(view.top).toEqual(asJson(figures.rows.slice(0, FIRST_VIEW_ROWS)));
    expect(view.top.length).toBe(Math.min(FIRST_VIEW_ROWS, built.data.profiles.length));
    const transaction = "error" in built.fit.transaction ? null : {model: built.fit.model, params: built.fit.transaction.params};
    expect(view.checks).toEqual(asJson(clvChecks(transaction as never, built.data, built.fit.expectedHoldout)));
    // Independent of clvPageFigures: the total is the sum over customers of CLV × margin, the bars add up to it.
    const total = Array.from(figures.clv!).reduce((a, b) => a + b, 0);
    expect(view.kpis.total).toBeCloseTo(total, 6);
    expect(view.bySegment!.reduce((s, g) => s + g.customers, 0)).toBe(view.customers);
    expect(view.byCohort!.reduce((s, g) => s + g.total, 0)).toBeCloseTo(total, 6);
    expect(view.histogram!.reduce((s, b) => s + b.count, 0)).toBeGreaterThanOrEqual(Math.floor(0.99 * view.customers));
  });

});

