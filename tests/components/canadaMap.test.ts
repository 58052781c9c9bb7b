// @vitest-environment jsdom
import {beforeAll, describe, it} from "vitest";
import canada from "@svg-maps/canada";
import {topology} from "topojson-server";
import {CanadaMap, type ProvincesTopology} from "../../src/components/canadaMap.js";
import {svgLocationsToGeoJSON} from "../../src/lib/explore/geo.js";
import type {ProvinceRow} from "../../src/lib/explore/regions.js";
import {createRandom, gamma, poisson} from "../../src/lib/data/random.js";
import {expectSnapshot, installCanvasStub} from "./snapshot.js";

// The boundaries as src/data/canada-provinces.json.ts makes them, quantised to a 100 × 100 grid rather than
// 10,000 × 10,000 to keep the snapshot small (the map's shape is not what this test is about).
const topo = topology({provinces: svgLocationsToGeoJSON(canada.locations)}, 100) as unknown as ProvincesTopology;

/** Sales in every province but the three territories (those stay grey), drawn at random. */
function provinces(seed: number): ProvinceRow[] {
  const random = createRandom(seed);
  const names = canada.locations.map((d) => d.name).filter((name) => !/Territories|Nunavut|Yukon/.test(name));
  const rows = names.map((province) => {
    const transactions = 1 + 10 * poisson(random, 30 * random());
    return {province, transactions, revenue: Math.round(transactions * gamma(random, 3, 0.02)), customers: Math.ceil(transactions / 3)};
  });
  const transactions = rows.reduce((s, d) => s + d.transactions, 0);
  const revenue = rows.reduce((s, d) => s + d.revenue, 0);
  return rows.map((d) => ({...d, transaction_share: d.transactions / transactions, revenue_share: d.revenue / revenue}));
}

describe("CanadaMap", () => {
  beforeAll(installCanvasStub);
  it("colours the provinces by revenue on a log scale, the territories without sales grey", () => {
    expectSnapshot(CanadaMap(topo, provinces(8), {width: 480}), "canadaMap");
  });
});
