import {fileURLToPath} from "node:url";
import canada from "@svg-maps/canada";
import {describe, expect, it} from "vitest";
import {normalizeName, pathRings, PROVINCES, provinceName, provincesOnMap, svgLocationsToGeoJSON} from "../../../src/lib/explore/geo.js";
import {salesByProvince} from "../../../src/lib/explore/regions.js";
import {openDuckDB} from "../../../src/node/duckdb.js";
import {superstoreTable} from "./rows.js";

const MISSPELT = fileURLToPath(new URL("../../fixtures/provinces/misspelt.csv", import.meta.url));
const MAP_NAMES = canada.locations.map((l: {name: string}) => l.name);

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

describe("provinceName", () => {
  it("knows every province of the map under its own name", () => {
    expect(PROVINCES.map((p) => p.name).sort()).toEqual([...MAP_NAMES].sort());
    for (const name of MAP_NAMES) expect(provinceName(name)).toBe(name);
  });
  it("reads case, accents, punctuation and abbreviations", () => {
    expect(normalizeName("  P.E.I. ")).toBe("pei");
    expect(normalizeName("Province of Québec")).toBe("quebec");
    const cases: [string, string][] = [
      ["ON", "Ontario"], ["Ont.", "Ontario"], ["ONTARIO", "Ontario"], ["Qc", "Quebec"], ["PQ", "Quebec"], ["Que.", "Quebec"],
      ["Québec", "Quebec"], ["Sask.", "Saskatchewan"], ["Saskachewan", "Saskatchewan"], ["Nfld", "Newfoundland and Labrador"],
      ["Newfoundland", "Newfoundland and Labrador"], ["NL", "Newfoundland and Labrador"], ["Newfoundland & Labrador", "Newfoundland and Labrador"],
      ["PEI", "Prince Edward Island"], ["P.E.I.", "Prince Edward Island"], ["BC", "British Columbia"], ["B.C.", "British Columbia"],
      ["Yukon Territory", "Yukon"], ["NWT", "Northwest Territories"], ["N.W.T.", "Northwest Territories"], ["NU", "Nunavut"],
      ["Nova-Scotia", "Nova Scotia"], ["Albreta", "Alberta"], ["Manitobah", "Manitoba"], ["Brittish Colombia", "British Columbia"]
    ];
    for (const [raw, name] of cases) expect(provinceName(raw), raw).toBe(name);
  });
  it("leaves names that are no province, or too short to guess, unmatched", () => {
    for (const raw of ["Atlantis", "Toronto", "Prarie", "West", "OX", "", "  ", null, undefined]) expect(provinceName(raw), String(raw)).toBeNull();
  });
});

describe("provincesOnMap", () => {
  it("puts a file of misspelt provinces on the map's names and lists the rest", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE transactions AS
      SELECT customer AS customer_id, CAST("order" AS VARCHAR) AS order_id, CAST(date AS DATE) AS order_date,
             CAST(amount AS DOUBLE) AS amount, province
      FROM read_csv('${MISSPELT}', header = true, all_varchar = true)`);
    const rows = await salesByProvince(db);
    db.close();
    const {byName, unmatched} = provincesOnMap(rows, {names: MAP_NAMES});
    const totals = Object.fromEntries([...byName].map(([name, d]) => [name, [d.transactions, d.revenue]]));
    expect(totals).toEqual({
      Ontario: [3, 175],
      Quebec: [3, 60],
      Saskatchewan: [2, 100],
      "Newfoundland and Labrador": [2, 150],
      "Prince Edward Island": [1, 5],
      "British Columbia": [1, 15],
      Yukon: [1, 35],
      "Northwest Territories": [1, 45],
      Nunavut: [1, 55]
    });
    // Order 16 has two lines in Atlantis: one order, $20.
    expect(unmatched.map((d) => [d.province, d.transactions, d.revenue])).toEqual([["Atlantis", 1, 20], ["Toronto", 1, 11], [null, 1, 9]]);
    const shares = [...byName.values(), ...unmatched].reduce((s, d) => s + (d.revenue_share ?? 0), 0);
    expect(shares).toBeCloseTo(1, 12);
  });
  it("puts every Superstore province on the map, Saskachewan and Newfoundland included", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const rows = await salesByProvince(db);
    db.close();
    const {byName, unmatched} = provincesOnMap(rows, {names: MAP_NAMES});
    expect(unmatched).toEqual([]);
    expect(byName.size).toBe(13);
    expect(byName.get("Saskatchewan")?.province).toBe("Saskachewan");
    expect(byName.get("Saskatchewan")?.revenue).toBeCloseTo(1_459_977.0, -4);
    expect(byName.get("Newfoundland and Labrador")?.province).toBe("Newfoundland");
  });
  it("leaves out provinces the map does not draw", () => {
    const row = {province: "ON", transactions: 1, revenue: 2, customers: 1, transaction_share: 1, revenue_share: 1};
    expect(provincesOnMap([row], {names: ["Quebec"]}).unmatched).toEqual([row]);
  });
});
