// @vitest-environment jsdom
import {describe, it} from "vitest";
import {SegmentBars, type SegmentRow} from "../../src/components/segmentBars.js";
import {segmentColors} from "../../src/components/segmentColors.js";
import {createRandom, gamma, poisson} from "../../src/lib/data/random.js";
import {expectSnapshot} from "./snapshot.js";

const NAMES = ["Champions", "Loyal", "Potential", "At risk", "Hibernating", "Lost"];

function segments(seed: number): SegmentRow[] {
  const random = createRandom(seed);
  const rows = NAMES.map((segment, i) => {
    const customers = 5 + (i + 1) * poisson(random, 20);
    return {segment, customers, revenue: Math.round(customers * gamma(random, 4, 0.02 * (i + 1)))};
  });
  const customers = rows.reduce((s, d) => s + d.customers, 0);
  const revenue = rows.reduce((s, d) => s + d.revenue, 0);
  return rows.map((d) => ({...d, share: d.customers / customers, revenue_share: d.revenue / revenue}));
}

describe("SegmentBars", () => {
  const colors = segmentColors(NAMES);
  it("draws each segment's share of customers beside its share of revenue", () => {
    expectSnapshot(SegmentBars(segments(3), {width: 640, colors}), "segmentBars");
  });
  it("fades the other segments and outlines the selected one", () => {
    expectSnapshot(SegmentBars(segments(3), {width: 640, colors, selected: "At risk"}), "segmentBars-selected");
  });
});
