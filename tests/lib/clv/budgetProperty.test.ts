/**
 * Property tests of the column-wise budget (issue 15): on seeded random customers, budgetByGroup and
 * budgetSummary give the figures of a reference written here from the module comment's formulas, and the
 * page's figures (budgetPageFigures, on group codes) are those of the object path the page took before (a
 * customer object per profile through budgetSummary and budgetByGroup).
 */
import {describe, expect, it} from "vitest";
import {
  acquisitionCohort,
  budgetByGroup,
  budgetSummary,
  type BudgetCustomer,
  type BudgetGroup,
  type BudgetGroupOptions
} from "../../../src/lib/clv/budget.js";
import {budgetDefaults, budgetGroupings, budgetPageFigures, type BudgetInputs, type BudgetPageFigures, type BudgetPageInput} from "../../../src/lib/clv/budgetView.js";
import {costMargins, type CustomerProfile} from "../../../src/lib/clv/profiles.js";
import {createRandom, type Random} from "../../../src/lib/data/random.js";
import {addDays, daysBetween} from "../../../src/lib/time.js";

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];
const money = (random: Random, max: number) => Math.round(random() * max * 100) / 100;

const REGIONS = ["West", "East", "North", null, ""] as const;
const CHANNELS = ["search", "email", "referral", null] as const;
const START = "2022-01-01";

/** `n` random customers: some with a missing region or channel, a cost, an own CAC (valid or not). */
function randomCustomers(random: Random, n: number, {allCost = false} = {}): CustomerProfile[] {
  return Array.from({length: n}, (_, i) => {
    const first = Math.floor(random() * 700);
    const last = first + Math.floor(random() * (730 - first));
    const orders = random() < 0.1 ? 0 : 1 + Math.floor(random() * 6);
    const revenue = random() < 0.05 ? -money(random, 50) : money(random, 900);
    const own = random();
    return {
      customer_id: `c${i}`,
      revenue,
      orders,
      cost: allCost || random() < 0.7 ? money(random, 600) : null,
      purchase_days: orders,
      first_purchase: addDays(START, first),
      last_purchase: addDays(START, last),
      region: pick(random, REGIONS),
      channel: pick(random, CHANNELS),
      customer_segment: pick(random, ["Retail", "Business", null]),
      // Own CAC: none, a valid one, or a bad one (negative, NaN) that falls back.
      acquisition_cost: own < 0.4 ? null : own < 0.85 ? money(random, 90) : own < 0.93 ? -5 : NaN
    };
  });
}

/** Relative closeness at 1e-12, exact for null and non-finite values. */
function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || !Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

function expectGroupsClose(actual: readonly BudgetGroup[], expected: readonly BudgetGroup[], what: string): void {
  expect(actual.map((g) => [g.group, g.customers, g.predictedCustomers]), what).toEqual(expected.map((g) => [g.group, g.customers, g.predictedCustomers]));
  actual.forEach((g, j) => {
    for (const field of Object.keys(expected[j]) as (keyof BudgetGroup)[]) {
      if (field === "group") continue;
      expectClose(g[field] as number | null, expected[j][field] as number | null, `${what} ${g.group} ${field}`);
    }
  });
}

/** The module comment's formulas, written out plainly. */
function reference(customers: readonly BudgetCustomer[], options: BudgetGroupOptions, label: (c: BudgetCustomer) => string): BudgetGroup[] {
  const {margin, useCost, costToServe = 0, cac = 0, cacColumn, target = 3, horizonMonths = 12, cacByGroup, predicted} = options;
  const asOf = options.asOf ?? customers.map((c) => c.last_purchase ?? c.first_purchase).reduce((a, b) => (a > b ? a : b));
  const valid = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
  const groupTable = cacByGroup instanceof Map ? Object.fromEntries(cacByGroup) : ((cacByGroup ?? {}) as Record<string, number>);
  const prediction = (id: string) => (predicted instanceof Map ? predicted.get(id) : (predicted as Record<string, number> | undefined)?.[id]);
  const groups = new Map<string, {n: number; revenue: number; contribution: number; clv: number; cac: number; tenure: number; predicted: number[]}>();
  for (const c of customers) {
    const gross = margin !== undefined ? margin * c.revenue : useCost ? c.revenue - (c.cost as number) : c.revenue;
    const contribution = gross - costToServe * c.orders;
    const g = label(c);
    const own = cacColumn === undefined ? undefined : c[cacColumn];
    const customerCac = valid(own) ? own : Object.hasOwn(groupTable, g) ? groupTable[g] : cac;
    const tenure = Math.max(1, daysBetween(c.first_purchase, asOf) / (365.25 / 12));
    const sums = groups.get(g) ?? {n: 0, revenue: 0, contribution: 0, clv: 0, cac: 0, tenure: 0, predicted: []};
    groups.set(g, sums);
    sums.n++;
    sums.revenue += c.revenue;
    sums.contribution += contribution;
    sums.clv += contribution - customerCac;
    sums.cac += customerCac;
    sums.tenure += tenure;
    const p = prediction(c.customer_id);
    if (p !== undefined) sums.predicted.push(p);
  }
  return [...groups.keys()].sort().map((group) => {
    const s = groups.get(group)!;
    const meanContribution = s.contribution / s.n;
    const meanPredictedClv = s.predicted.length ? s.predicted.reduce((a, b) => a + b, 0) / s.predicted.length : null;
    const ltv = meanContribution + (meanPredictedClv ?? 0);
    const groupCac = s.cac / s.n;
    const spanMonths = s.tenure / s.n + (meanPredictedClv === null ? 0 : horizonMonths);
    const meanMonthlyMargin = ltv / spanMonths;
    return {
      group,
      customers: s.n,
      revenue: s.revenue,
      cac: groupCac,
      meanHistoricalClv: s.clv / s.n,
      meanPredictedClv,
      predictedCustomers: s.predicted.length,
      meanContribution,
      ltv,
      ltvToCac: groupCac > 0 ? ltv / groupCac : null,
      affordableCac: Math.max(0, ltv / target),
      spanMonths,
      meanMonthlyMargin,
      paybackMonths: groupCac === 0 ? 0 : meanMonthlyMargin > 0 ? groupCac / meanMonthlyMargin : Infinity
    };
  });
}

const labelOf = (key: BudgetGroupOptions["key"]) => (c: BudgetCustomer) => {
  const raw = key === undefined ? "All" : typeof key === "function" ? key(c) : c[key];
  return raw == null || raw === "" ? "(missing)" : String(raw);
};

describe("budgetByGroup and budgetSummary against the module comment's formulas", () => {
  const cohort = (c: BudgetCustomer) => acquisitionCohort(c.first_purchase, {unit: "quarter"});
  const optionSets: {name: string; options: Omit<BudgetGroupOptions, "key" | "predicted">; allCost?: boolean}[] = [
    {name: "defaults", options: {}},
    {name: "margin rate", options: {margin: 0.35, costToServe: 4, cac: 30, target: 2.5, horizonMonths: 6}},
    {name: "useCost, own CAC", options: {useCost: true, costToServe: 2.5, cac: 50, cacColumn: "acquisition_cost", asOf: "2024-06-30"}, allCost: true},
    {name: "CAC by group, own CAC", options: {costToServe: 3, cac: 40, cacColumn: "acquisition_cost", cacByGroup: {West: 70, "(missing)": 15, search: 0, "2022-Q3": 12}, horizonMonths: 0}},
    {name: "no CAC", options: {margin: 0.6, cac: 0, target: 4, cacByGroup: new Map([["East", 25]])}}
  ];
  const keys: BudgetGroupOptions["key"][] = [undefined, "region", "channel", cohort];
  for (const [seed, n] of [[1, 0], [2, 1], [3, 40], [4, 300], [5, 1000]] as const) {
    for (const {name, options, allCost} of optionSets) {
      it(`seed ${seed}, ${n} customers, ${name}`, () => {
        const random = createRandom(seed);
        const customers = randomCustomers(random, n, {allCost}) as unknown as BudgetCustomer[];
        const predictions = [
          undefined,
          new Map(customers.map((c) => [c.customer_id, money(random, 400) - 100])),
          Object.fromEntries(customers.filter(() => random() < 0.5).map((c) => [c.customer_id, money(random, 300)]))
        ];
        for (const predicted of predictions) {
          for (const key of keys) {
            const groups = budgetByGroup(customers, {...options, key, predicted});
            expectGroupsClose(groups, n ? reference(customers, {...options, predicted}, labelOf(key)) : [], `${typeof key === "function" ? "cohort" : key ?? "all"}`);
          }
          const summary = budgetSummary(customers, {...options, predicted});
          if (n) expectGroupsClose([summary], reference(customers, {...options, predicted, cacByGroup: undefined}, () => "All"), "summary");
          else expect(summary).toMatchObject({group: "All", customers: 0, cac: null, ltv: null, paybackMonths: null});
        }
      });
    }
  }
});

/** The page's figures as it computed them before issue 15: a customer object per profile through the object API. */
function objectPath({profiles, columns, groupings: {keys, groupings}, asOf, predictedRevenue, expectedOrders, inputs}: BudgetPageInput): BudgetPageFigures {
  const {cac, cacBy, cacTable, cacOwn, costToServe, target, marginSource, marginRate, horizon} = inputs;
  const hasCost = columns.includes("cost");
  const hasAcquisition = columns.includes("acquisition_cost");
  const margins = marginSource === "cost" && hasCost ? costMargins(profiles, {fallback: marginRate}) : new Float64Array(profiles.length).fill(marginSource === "rate" ? marginRate : 1);
  const grouping = cacBy !== "none" ? groupings[cacBy] : undefined;
  const customers = profiles.map((p, i) => ({
    ...p,
    cost: p.revenue * (1 - margins[i]),
    cohort: keys.cohort[i],
    region: keys.region ? keys.region[i] : null,
    segment: keys.segment[i],
    channel: keys.channel ? keys.channel[i] : null,
    acquisition_cost: (cacOwn && hasAcquisition && Number.isFinite(p.acquisition_cost) ? (p.acquisition_cost as number) : null) ?? (grouping ? cacTable[grouping.labels[grouping.codes[i]]] ?? null : null)
  }));
  const ownCacCustomers = cacOwn && hasAcquisition ? profiles.filter((p) => Number.isFinite(p.acquisition_cost)).length : 0;
  const predicted = predictedRevenue && expectedOrders ? new Map(customers.map((c, i) => [c.customer_id, margins[i] * predictedRevenue[i] - costToServe * expectedOrders[i]])) : undefined;
  // With one margin rate the historical figures take the cost of goods off too (before, only the cost column did).
  const options = {costToServe, cac, cacColumn: "acquisition_cost", target, asOf, predicted, horizonMonths: horizon, useCost: marginSource !== "none"};
  const all = budgetSummary(customers, options);
  let orders = 0;
  let gross = 0;
  for (const c of customers) {
    orders += c.orders;
    gross += c.revenue - c.cost;
  }
  return {
    margins,
    all,
    byCohort: budgetByGroup(customers, {...options, key: "cohort"}),
    byRegion: columns.includes("region") ? budgetByGroup(customers, {...options, key: "region"}) : null,
    bySegment: budgetByGroup(customers, {...options, key: "segment"}),
    byChannel: columns.includes("channel") ? budgetByGroup(customers, {...options, key: "channel"}) : null,
    meanRevenue: all.revenue / all.customers,
    meanOrders: orders / all.customers,
    meanGross: gross / all.customers,
    ownCacCustomers,
    hasPredicted: predicted !== undefined
  };
}

describe("budgetPageFigures on group codes", () => {
  const base = ["customer_id", "order_date", "revenue"];
  const columnSets = [
    [...base, "cost", "region", "channel", "acquisition_cost"],
    [...base, "customer_segment", "region"],
    [...base, "cost", "channel", "customer_segment"]
  ];
  const inputSets: Partial<BudgetInputs>[] = [
    {},
    {marginSource: "cost", cacBy: "cohort", cacTable: {"2022-Q2": 55, "2023-Q1": 0}, costToServe: 5},
    {marginSource: "rate", marginRate: 0.45, cacBy: "region", cacTable: {West: 80, "(missing)": 10, East: -3}, cacOwn: false, horizon: 6},
    {marginSource: "cost", cacBy: "segment", cacTable: {Retail: 35, "At Risk": 22}, cac: 0, target: 2, costToServe: 0},
    {cacBy: "channel", cacTable: {search: 64, "(no channel)": 12}, marginRate: 0.2}
  ];
  for (const [seed, n] of [[11, 0], [12, 1], [13, 57], [14, 800]] as const) {
    it(`seed ${seed}, ${n} customers: the same figures as the object path, for every input set`, () => {
      const random = createRandom(seed);
      const profiles = randomCustomers(random, n);
      const asOf = "2024-01-05";
      const predictedRevenue = Float64Array.from({length: n}, () => money(random, 500));
      const expectedOrders = Float64Array.from({length: n}, () => random() * 4);
      for (const columns of columnSets) {
        const defaults = budgetDefaults(columns);
        const groupings = budgetGroupings(profiles, {columns, asOf, segmentation: defaults.segmentation});
        for (const inputs of inputSets) {
          for (const predicted of [true, false]) {
            const input: BudgetPageInput = {
              profiles,
              columns,
              groupings,
              asOf,
              predictedRevenue: predicted ? predictedRevenue : null,
              expectedOrders: predicted ? expectedOrders : null,
              inputs: {...defaults, ...inputs}
            };
            const figures = budgetPageFigures(input);
            expect(figures).toEqual(objectPath(input));
            expect(figures.hasPredicted).toBe(predicted);
          }
        }
      }
    });
  }

  it("takes one margin rate off the historical figures as the formula line says (contribution = rate × revenue − cost to serve)", () => {
    const profiles = randomCustomers(createRandom(31), 200);
    const columns = [...columnSets[1]];
    const defaults = budgetDefaults(columns);
    const asOf = "2024-01-05";
    const groupings = budgetGroupings(profiles, {columns, asOf, segmentation: defaults.segmentation});
    const inputs = {...defaults, marginSource: "rate" as const, marginRate: 0.4, costToServe: 2, cac: 10};
    const {all, meanGross, meanRevenue, meanOrders} = budgetPageFigures({profiles, columns, groupings, asOf, predictedRevenue: null, expectedOrders: null, inputs});
    expect(meanGross).toBeCloseTo(0.4 * meanRevenue, 9);
    expect(all.meanContribution!).toBeCloseTo(meanGross - 2 * meanOrders, 9);
    expect(all.meanHistoricalClv!).toBeCloseTo(all.meanContribution! - 10, 9);
  });

  it("says which customer is bad, as the object path did", () => {
    const profiles = randomCustomers(createRandom(21), 5);
    const columns = [...columnSets[0]];
    const defaults = budgetDefaults(columns);
    const groupings = budgetGroupings(profiles, {columns, asOf: "2024-01-05", segmentation: defaults.segmentation});
    const input = {profiles, columns, groupings, asOf: "2024-01-05", predictedRevenue: null, expectedOrders: null, inputs: defaults};
    const bad = profiles.map((p, i) => (i === 3 ? {...p, revenue: NaN} : p));
    expect(() => budgetPageFigures({...input, profiles: bad})).toThrow(/customer "c3" has revenue NaN/);
    expect(() => budgetPageFigures({...input, asOf: "2023-01-01"})).toThrow(/is after asOf 2023-01-01/);
    const nan = new Float64Array(5).fill(1);
    nan[2] = NaN;
    expect(() => budgetPageFigures({...input, predictedRevenue: nan, expectedOrders: new Float64Array(5)})).toThrow(/predicted CLV of customer "c2" is NaN/);
  });
});
