// @vitest-environment jsdom
import {beforeAll, describe, it} from "vitest";
import {ProbabilityMatrix} from "../../src/components/probabilityMatrix.js";
import {frequencyRecencyGrid} from "../../src/lib/clv/diagnostics.js";
import {expectSnapshot, installCanvasStub} from "./snapshot.js";

// The published BG/NBD estimates on CDNOW (Fader, Hardie & Lee 2005): no random draws needed.
const cells = frequencyRecencyGrid({model: "bgnbd", params: {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}}, {maxFrequency: 10, T: 38.86, recencyBins: 10});

describe("ProbabilityMatrix", () => {
  beforeAll(installCanvasStub);
  it("draws P(alive) by frequency and recency on a 0–1 scale", () => {
    expectSnapshot(ProbabilityMatrix(cells, {width: 480, value: "probabilityAlive", label: "P(alive)"}), "probabilityMatrix-alive");
  });
  it("draws expected purchases with another scheme", () => {
    expectSnapshot(ProbabilityMatrix(cells, {width: 480, value: "expectedPurchases", label: "Expected purchases", scheme: "magma"}), "probabilityMatrix-expected");
  });
});
