// @vitest-environment jsdom
import {describe, it} from "vitest";
import {RevenueTrend} from "../../src/components/revenueTrend.js";
import {rollingMean} from "../../src/lib/explore/timeseries.js";
import {dailySales} from "./seeded.js";
import {expectSnapshot} from "./snapshot.js";

describe("RevenueTrend", () => {
  it("draws daily revenue with a 7-day rolling mean", () => {
    const rows = rollingMean(dailySales(2, {start: "2023-03-01", days: 42}).map((d) => ({date: d.date, value: d.revenue})), {window: 7});
    expectSnapshot(RevenueTrend(rows, {width: 640, window: 7}), "revenueTrend");
  });
});
