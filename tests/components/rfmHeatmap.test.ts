// @vitest-environment jsdom
import {beforeAll, describe, it} from "vitest";
import {RfmHeatmap} from "../../src/components/rfmHeatmap.js";
import type {GridCell} from "../../src/lib/rfm/page.js";
import {createRandom, gamma, poisson} from "../../src/lib/data/random.js";
import {expectSnapshot, installCanvasStub} from "./snapshot.js";

/** A k × k grid of customers and mean monetary value, higher for better scores; `selected` a random part. */
function grid(seed: number, k: number): GridCell[] {
  const random = createRandom(seed);
  const cells: GridCell[] = [];
  for (let r = 1; r <= k; r++) {
    for (let f = 1; f <= k; f++) {
      const customers = 10 + poisson(random, 30);
      cells.push({r_score: r, f_score: f, customers, monetary: gamma(random, 5, 5 / (40 * r * f)), selected: Math.floor(customers * random() * (r > 2 ? 1 : 0))});
    }
  }
  return cells;
}

describe("RfmHeatmap", () => {
  beforeAll(installCanvasStub);
  it("draws customers and mean monetary value per recency × frequency score", () => {
    expectSnapshot(RfmHeatmap(grid(4, 4), {width: 640, k: 4}), "rfmHeatmap");
  });
  it("counts a selected segment's customers in small cells, fading the cells without any", () => {
    expectSnapshot(RfmHeatmap(grid(4, 5), {width: 240, k: 5, selected: "Champions"}), "rfmHeatmap-selected");
  });
});
