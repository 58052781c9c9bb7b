// @vitest-environment jsdom
import {beforeAll, describe, it} from "vitest";
import {CohortMatrix} from "../../src/components/cohortMatrix.js";
import {cohortCells} from "./seeded.js";
import {expectSnapshot, installCanvasStub} from "./snapshot.js";

describe("CohortMatrix", () => {
  beforeAll(installCanvasStub);
  const cells = cohortCells(5);
  it("draws customer retention with the values written in the cells", () => {
    expectSnapshot(CohortMatrix(cells, {width: 640}), "cohortMatrix-retention");
  });
  it("draws cumulative revenue per customer in cells too small for text", () => {
    expectSnapshot(CohortMatrix(cells, {width: 200, metric: "cumulative_revenue_per_customer"}), "cohortMatrix-cumulative");
  });
});
