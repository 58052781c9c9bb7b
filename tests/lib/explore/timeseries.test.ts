import {describe, expect, it} from "vitest";
import {rollingMean} from "../../../src/lib/explore/timeseries.js";

const rows = [
  {date: "2024-01-03", value: 6},
  {date: "2024-01-01", value: 2},
  {date: "2024-01-02", value: 4},
  {date: "2024-01-04", value: 8}
];

describe("rollingMean", () => {
  it("averages the trailing window in date order, with shorter windows at the start", () => {
    expect(rollingMean(rows, {window: 2}).map((d) => [d.date, d.mean])).toEqual([
      ["2024-01-01", 2],
      ["2024-01-02", 3],
      ["2024-01-03", 5],
      ["2024-01-04", 7]
    ]);
  });
  it("is the identity for a window of one and the running mean for a long window", () => {
    expect(rollingMean(rows, {window: 1}).map((d) => d.mean)).toEqual([2, 4, 6, 8]);
    expect(rollingMean(rows, {window: 100}).map((d) => d.mean)).toEqual([2, 3, 4, 5]);
  });
  it("rejects a window that is not a positive integer", () => {
    expect(() => rollingMean(rows, {window: 0})).toThrow(/window/);
    expect(() => rollingMean(rows, {window: 2.5})).toThrow(/window/);
  });
  it("returns nothing for no rows", () => {
    expect(rollingMean([])).toEqual([]);
  });
});
