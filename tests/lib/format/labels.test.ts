import {describe, expect, it} from "vitest";
import {labelMargin, rotatedLabelHeight, textWidth} from "../../../src/lib/format/labels.js";

describe("textWidth", () => {
  it("grows with the text and with the font size; wide letters take more room than narrow ones", () => {
    expect(textWidth("")).toBe(0);
    expect(textWidth("Northwest Territories")).toBeGreaterThan(textWidth("Nunavut"));
    expect(textWidth("WWW")).toBeGreaterThan(textWidth("iii"));
    expect(textWidth("Ontario", 20)).toBeGreaterThanOrEqual(2 * textWidth("Ontario", 10) - 1);
  });
});

describe("labelMargin", () => {
  it("makes room for the longest label plus the padding, within the bounds", () => {
    const regions = ["West", "Ontario", "Prarie", "Atlantic", "Quebec", "Yukon", "Northwest Territories", "Nunavut"];
    expect(labelMargin(regions, {pad: 14})).toBe(textWidth("Northwest Territories") + 14);
    // The fixed 90 px the region bars had is too little for "Northwest Territories".
    expect(labelMargin(regions)).toBeGreaterThan(90);
    expect(labelMargin(["A"], {min: 40})).toBe(40);
    expect(labelMargin(["x".repeat(200)], {max: 240})).toBe(240);
    expect(labelMargin([], {min: 50})).toBe(50);
  });
});

describe("rotatedLabelHeight", () => {
  it("is the diagonal's height of the longest label plus the tick", () => {
    expect(rotatedLabelHeight(["2009-Q1", "2012-Q4"])).toBe(Math.ceil(textWidth("2009-Q1") * Math.SQRT1_2) + 10);
    expect(rotatedLabelHeight(["a long cohort label"])).toBeGreaterThan(rotatedLabelHeight(["Q1"]));
    expect(rotatedLabelHeight([])).toBe(10);
  });
});
