// @vitest-environment jsdom
import {describe, it} from "vitest";
import {ClvHistogram} from "../../src/components/clvHistogram.js";
import {createRandom, gamma} from "../../src/lib/data/random.js";
import {clvHistogramBins} from "../../src/lib/clv/firstView.js";
import {expectSnapshot} from "./snapshot.js";

describe("ClvHistogram", () => {
  it("bins predicted CLV up to the 99th percentile", () => {
    const random = createRandom(7);
    const values = Array.from({length: 400}, () => gamma(random, 0.8, 0.01));
    expectSnapshot(ClvHistogram(clvHistogramBins(values), {width: 640}), "clvHistogram");
  });
});
