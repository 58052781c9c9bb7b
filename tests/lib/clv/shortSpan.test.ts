/**
 * A data set shorter than the CLV pages' default 26-week holdout (found on a 14-week file of 1.6M orders: the
 * Model validation page showed "No customer in this selection bought by 2024-07-12", the calibration end 26
 * weeks before the last order, and the build clamped its calibration end to the first order day): the holdout
 * becomes a third of the span (holdoutWeeksFor), the same in the build's tables and on the pages.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {CLV_MEMBERS, clvFromTable, defaultCalibrationEnd, defaultHoldoutEnd, holdoutShortened, holdoutWeeksFor} from "../../../src/lib/clv/derived.js";
import type {ValidationView} from "../../../src/lib/clv/validationView.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";

describe("holdoutWeeksFor: the holdout a span of dates leaves room for", () => {
  it("is the wanted weeks when the span holds three of them, else a third of the span in whole weeks", () => {
    expect(holdoutWeeksFor({first: "2023-01-01", last: "2025-01-10"})).toBe(26);
    expect(holdoutWeeksFor({first: "2024-01-01", last: "2025-06-30"}, 26)).toBe(26); // 546 days = 78 weeks exactly
    expect(holdoutWeeksFor({first: "2024-01-02", last: "2025-06-30"}, 26)).toBe(25);
    expect(holdoutWeeksFor({first: "2024-10-01", last: "2025-01-10"})).toBe(4); // 101 days
    expect(holdoutWeeksFor({first: "2024-10-01", last: "2025-01-10"}, 3)).toBe(3);
    expect(holdoutWeeksFor({first: "2024-10-01", last: "2024-10-22"})).toBe(1);
    expect(holdoutWeeksFor({first: "2024-10-01", last: "2024-10-21"})).toBe(0);
    expect(holdoutWeeksFor({first: "2024-10-01", last: "2024-10-01"})).toBe(0);
  });

  it("sets the default calibration ends: each variant's holdout as long as the others, inside the data", () => {
    const range = {first: "2024-10-01", last: "2025-01-10"};
    expect(defaultCalibrationEnd("full", range)).toBe("2025-01-10");
    expect(defaultCalibrationEnd("holdout", range)).toBe("2024-12-13");
    expect(defaultHoldoutEnd("training", range)).toBe("2024-12-13");
    expect(defaultCalibrationEnd("training", range)).toBe("2024-11-15");
    const tiny = {first: "2024-10-01", last: "2024-10-15"};
    expect(defaultCalibrationEnd("holdout", tiny)).toBe(tiny.last);
    expect(defaultCalibrationEnd("training", tiny)).toBe(tiny.last);
  });

  it("says when and why the holdout was shortened", () => {
    expect(holdoutShortened({first: "2023-01-01", last: "2025-01-10"}, 26)).toBeNull();
    expect(holdoutShortened({first: "2024-10-01", last: "2025-01-10"}, 4)).toBeNull();
    expect(holdoutShortened({first: "2024-10-01", last: "2025-01-10"}, 26)).toBe(
      "The data covers only 14 weeks (2024-10-01 to 2025-01-10): a holdout of 26 weeks would leave no history to fit on, so the last 4 weeks are held back (a third of the span)."
    );
    expect(holdoutShortened({first: "2024-10-01", last: "2024-10-15"}, 26)).toMatch(/only 2 weeks .*nothing is held back/);
  });
});

for (const [label, end, weeks] of [
  ["14 weeks (2024-10-01 to 2025-01-10)", "2025-01-10", 4],
  ["2 weeks (2024-10-01 to 2024-10-15)", "2024-10-15", 0]
] as const) {
  describe(`the CLV tables and first views of a demo of ${label}`, () => {
    let db: NodeDuckDB;
    let members: Map<string, Uint8Array>;
    beforeAll(async () => {
      db = await openDuckDB();
      await loadDemo(db, {customers: 1200, start: "2024-10-01", arrivalEnd: end, end});
      members = await makeDerived(db, {members: CLV_MEMBERS});
    }, 120_000);
    afterAll(() => db?.close());

    it(`hold back ${weeks} weeks, with customers in every part`, () => {
      const holdout = clvFromTable(tableFromIPC(members.get("clv-holdout.arrow")!));
      const training = clvFromTable(tableFromIPC(members.get("clv-training.arrow")!));
      const {first, last} = holdout.metadata.selection;
      expect(first).toBe("2024-10-01");
      expect(last).toBe(end);
      expect(holdout.metadata.holdoutWeeks).toBe(weeks);
      expect(holdout.metadata.calibrationEnd).toBe(defaultCalibrationEnd("holdout", {first, last}));
      expect(training.metadata.calibrationEnd).toBe(defaultCalibrationEnd("training", {first, last}));
      // Every customer who bought by the calibration end is fitted (not only those of the first day).
      expect(holdout.data.profiles.length).toBeGreaterThan(holdout.metadata.selection.customers / 2);
      expect(holdout.fit.transaction).not.toHaveProperty("error");
      const view = JSON.parse(new TextDecoder().decode(members.get("clv-validation-view.json")!)) as ValidationView | null;
      if (weeks === 0) {
        expect(holdout.data.holdout).toBeNull();
        expect(view).toBeNull();
        return;
      }
      expect(training.data.profiles.length).toBeGreaterThan(0);
      expect(training.data.profiles.length).toBeLessThan(holdout.data.profiles.length);
      expect(view).not.toBeNull();
      expect(view!.settings).toEqual({holdoutWeeks: weeks, penalizer: 0});
      expect(view!.trainingEnd).toBe(training.metadata.calibrationEnd);
      expect(view!.figures.holdoutActual.purchases).toBeGreaterThan(0);
      expect(view!.figures.comparison.rows.length).toBeGreaterThan(1);
    }, 120_000);
  });
}
