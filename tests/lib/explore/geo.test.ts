import {describe, expect, it} from "vitest";
import {pathRings, svgLocationsToGeoJSON} from "../../../src/lib/explore/geo.js";

describe("pathRings", () => {
  it("follows relative move-to and implicit line-to pairs and closes each ring", () => {
    expect(pathRings("m 10,10 5,0 0,5 z m 20,0 1,0 0,1 z")).toEqual([
      [[10, 10], [15, 10], [15, 15], [10, 10]],
      [[30, 10], [31, 10], [31, 11], [30, 10]]
    ]);
  });
  it("reads absolute, horizontal and vertical commands", () => {
    expect(pathRings("M0 0 L4 0 V3 H0 Z")).toEqual([[[0, 0], [4, 0], [4, 3], [0, 3], [0, 0]]]);
  });
  it("rejects curves rather than drawing a wrong outline", () => {
    expect(() => pathRings("M0 0 C1 1 2 2 3 3 Z")).toThrow(/unsupported path command "C"/);
  });
});

describe("svgLocationsToGeoJSON", () => {
  it("makes one multipolygon feature per location", () => {
    const geo = svgLocationsToGeoJSON([{id: "pe", name: "Prince Edward Island", path: "m 0,0 1,0 0,1 z"}]);
    expect(geo.features).toHaveLength(1);
    expect(geo.features[0].properties.name).toBe("Prince Edward Island");
    expect(geo.features[0].geometry.coordinates).toEqual([[[[0, 0], [1, 0], [1, 1], [0, 0]]]]);
  });
});
