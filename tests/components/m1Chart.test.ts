// @vitest-environment jsdom
import {describe, it} from "vitest";
import {M1Chart} from "../../src/components/m1Chart.js";
import {cohortCells, m1Rows} from "./seeded.js";
import {expectSnapshot} from "./snapshot.js";

describe("M1Chart", () => {
  it("draws M1 retention per cohort with the customer-weighted mean", () => {
    expectSnapshot(M1Chart(m1Rows(cohortCells(6, {cohorts: 8, months: 10})), {width: 640}), "m1Chart");
  });
});
