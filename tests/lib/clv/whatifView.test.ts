import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {WHATIF_PICK_ROWS, whatIfPageData, type WhatIfView} from "../../../src/lib/clv/whatifView.js";
import {rfmPopulation, rfmPopulationCuts, scoreCuts, scoreWithCuts, whatIfSegment} from "../../../src/lib/clv/whatif.js";
import {scoreAgainst} from "../../../src/lib/clv/diagnostics.js";
import {createRandom} from "../../../src/lib/data/random.js";
import {viewFromJson} from "../../../src/lib/clv/viewJson.js";
import {describeOnBuiltMembers} from "./builtMembers.js";

describe("scoreWithCuts", () => {
  it("gives scoreAgainst's score over the whole population, for every k, both directions, with ties and NaN", () => {
    const random = createRandom(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = trial < 10 ? trial : 1 + Math.floor(random() * 300);
      // Few distinct values (ties) in half the trials.
      const values = Array.from({length: n}, () => (trial % 2 ? Math.floor(random() * 6) : random() * 100));
      if (trial % 7 === 3 && n > 0) values[0] = NaN;
      const cuts = scoreCuts(values);
      const probes = [...values, -1, 0, 3, 5, 50, 101, ...Array.from({length: 8}, () => random() * 110 - 5)].filter((v) => !Number.isNaN(v));
      for (let k = 2; k <= 10; k++) {
        for (const descending of [false, true]) {
          for (const v of probes) expect(scoreWithCuts(cuts, v, {k, descending})).toBe(scoreAgainst(values, v, {k, descending}));
        }
      }
    }
  });
});

describeOnBuiltMembers("the What-if page's first view", /whatif|full\.arrow/, (member) => {
  it("equals the page's data computed over the full per-customer table, and scores the form as the whole population does", () => {
    const view = viewFromJson<WhatIfView>(new TextDecoder().decode(member("clv-whatif-view.json")));
    const built = clvFromTable(tableFromIPC(member("clv-full.arrow")));
    expect(view).not.toBeNull();
    const {daily: _, ...metadata} = built.metadata;
    expect(view.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
    const asOf = built.metadata.selection.last;
    const page = whatIfPageData(built.data, {columns: built.metadata.columns, asOf});
    expect(view.customers).toBe(built.data.profiles.length);
    expect(view.dataMargin).toBe(page.dataMargin);
    expect(view.population).toEqual(page.population);
    expect(view.pick).toEqual(page.customers.slice(0, WHATIF_PICK_ROWS));
    // The segment of any entry from the view's cuts equals the one against every customer.
    const population = rfmPopulation(built.data.profiles, {asOf});
    expect(rfmPopulationCuts(population)).toEqual(view.population);
    for (const customer of built.data.profiles.slice(0, 200)) {
      const values = {recencyDays: 1 + (Date.parse(asOf) - Date.parse(customer.last_purchase)) / 864e5, orders: customer.orders, revenue: customer.revenue};
      for (const k of [3, 5, 7]) expect(whatIfSegment(values, view.population, {k})).toEqual(whatIfSegment(values, population, {k}));
    }
  }, 120_000);
});

