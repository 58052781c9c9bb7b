import {describe, it, expect} from "vitest";
import {featureImportance} from "../../../src/lib/clv/importance.js";
import {
  encode,
  predictEncoded,
  learnedModelFromJSON,
  learnedModelToJSON,
  predictLearned,
  trainLearnedModel,
  type FeatureRow
} from "../../../src/lib/clv/learned.js";
import {compareModels, naiveBaseline, rootMeanSquaredError} from "../../../src/lib/clv/validate.js";
import {createRandom, gamma, type Random} from "../../../src/lib/data/random.js";

/** Gamma with a scale (mean shape · scale), from the library's generator. */
const gammaScale = (u: Random, shape: number, scale: number) => gamma(u, shape, 1 / scale);

interface Simulated {
  rows: FeatureRow[];
  holdoutPurchases: number[];
  holdoutSpend: number[];
}

/**
 * BG/NBD-like customers (weeks): first purchase uniform in the 52-week calibration period, purchase rate
 * λ ~ Gamma(r = 0.8, scale 1/4), dropout probability p ~ Beta(1, 3) after each purchase, spend per purchase
 * Gamma(6) around a customer mean ~ Gamma(3, scale 15) that is higher in "West". Holdout: weeks 52–78.
 */
function simulate(n: number, seed: number, {calibration = 52, holdout = 26} = {}): Simulated {
  const u = createRandom(seed);
  const rows: FeatureRow[] = [];
  const holdoutPurchases: number[] = [];
  const holdoutSpend: number[] = [];
  const regions = ["East", "West", "North"];
  for (let i = 0; i < n; ++i) {
    const region = regions[Math.floor(u() * regions.length)];
    const lambda = gammaScale(u, 0.8, 0.25);
    const x = gammaScale(u, 1, 1);
    const p = x / (x + gammaScale(u, 3, 1));
    const mean = gammaScale(u, 3, 15) * (region === "West" ? 2 : 1);
    const first = u() * calibration;
    const calib: {t: number; s: number}[] = [];
    let hp = 0;
    let hs = 0;
    let t = first;
    for (;;) {
      t += -Math.log(u()) / lambda;
      if (t > calibration + holdout) break;
      const s = gammaScale(u, 6, mean / 6);
      if (t <= calibration) calib.push({t, s});
      else (hp += 1), (hs += s);
      if (u() < p) break;
    }
    const frequency = calib.length;
    rows.push({
      frequency,
      recency: frequency ? calib[frequency - 1].t - first : 0,
      T: calibration - first,
      monetary: frequency ? calib.reduce((a, b) => a + b.s, 0) / frequency : 0,
      region
    });
    holdoutPurchases.push(hp);
    holdoutSpend.push(hs);
  }
  return {rows, holdoutPurchases, holdoutSpend};
}

describe("trainLearnedModel", () => {
  const train = simulate(1500, 1);

  it("is deterministic for a seed and varies with it", () => {
    const test = simulate(200, 2).rows;
    const rows = train.rows.slice(0, 600);
    const y = train.holdoutSpend.slice(0, 600);
    const a = predictLearned(trainLearnedModel(rows, y, {seed: 7, nEstimators: 8, maxRows: 300}), test);
    const b = predictLearned(trainLearnedModel(rows, y, {seed: 7, nEstimators: 8, maxRows: 300}), test);
    const c = predictLearned(trainLearnedModel(rows, y, {seed: 8, nEstimators: 8, maxRows: 300}), test);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("learns a known relationship", () => {
    const u = createRandom(3);
    const make = (n: number) =>
      Array.from({length: n}, () => ({
        frequency: Math.floor(u() * 10),
        recency: u() * 50,
        T: 50 + u() * 50,
        monetary: 20 + u() * 80
      }));
    const f = (r: FeatureRow) => 10 * r.frequency + 2 * r.monetary;
    const rows = make(800);
    const model = trainLearnedModel(rows, rows.map(f), {nEstimators: 20});
    const test = make(300);
    const truth = test.map(f);
    const pred = predictLearned(model, test);
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    const sst = truth.reduce((a, b) => a + (b - mean) ** 2, 0);
    const sse = truth.reduce((a, b, i) => a + (b - pred[i]) ** 2, 0);
    expect(1 - sse / sst).toBeGreaterThan(0.9);
    const importance = featureImportance(model, test, truth, {seed: 1});
    expect(importance.slice(0, 2).map((d) => d.feature).sort()).toEqual(["frequency", "monetary"]);
    for (const d of importance.slice(2)) expect(d.relative).toBeLessThan(0.05);
  });

  it("one-hot encodes categories and ignores unknown levels", () => {
    const rows: FeatureRow[] = Array.from({length: 60}, (_, i) => ({
      frequency: i % 5,
      recency: 1,
      T: 10,
      monetary: 10,
      region: i % 2 ? "A" : "B",
      customer_segment: null
    }));
    // ml-cart never makes a split that leaves zero error, so the target carries a little noise.
    const y = rows.map((r, i) => (r.region === "A" ? 100 : 0) + (i % 3));
    expect(trainLearnedModel(rows, y, {nEstimators: 1}).columns).toEqual(["recency", "frequency", "monetary", "T"]);
    const features = ["recency", "frequency", "monetary", "T", "region", "customer_segment"] as const;
    const model = trainLearnedModel(rows, y, {nEstimators: 5, minNodeSize: 2, features});
    expect(model.columns).toEqual(["recency", "frequency", "monetary", "T", "region=A", "region=B"]);
    const p = predictLearned(model, [
      {...rows[1], region: "A"},
      {...rows[1], region: "B"},
      {...rows[1], region: "Z"}
    ]);
    expect(p[0]).toBeGreaterThan(99);
    expect(p[0]).toBeLessThan(103);
    expect(p[1]).toBeGreaterThan(-1);
    expect(p[1]).toBeLessThan(3);
    expect(Number.isFinite(p[2])).toBe(true);
  });

  it("round-trips through JSON and structuredClone with identical predictions", () => {
    const model = trainLearnedModel(train.rows, train.holdoutSpend, {nEstimators: 6, maxRows: 500});
    expect(model.forests.length).toBe(3);
    expect(model.usedRows).toBe(1500);
    const test = simulate(100, 4).rows;
    const p = Array.from(predictLearned(model, test));
    expect(Array.from(predictLearned(learnedModelFromJSON(learnedModelToJSON(model)), test))).toEqual(p);
    expect(Array.from(predictLearned(structuredClone(model), test))).toEqual(p);
    expect(() => learnedModelFromJSON("{}")).toThrow(/not a learned model/);
    expect(() => learnedModelFromJSON("nope")).toThrow(/not JSON/);
  });

  it("predicts what ml-random-forest's own predict gives for each forest", async () => {
    const {RandomForestRegression} = await import("ml-random-forest");
    const model = trainLearnedModel(train.rows, train.holdoutSpend, {nEstimators: 7, maxRows: 400, features: ["recency", "frequency", "monetary", "T", "region"]});
    const test = simulate(150, 5).rows;
    const X = test.map((r) => [r.recency, r.frequency, r.monetary, r.T, ...model.categorical[0].levels.map((level) => (r.region === level ? 1 : 0))]);
    const expected = new Float64Array(X.length);
    for (const part of model.forests) {
      const p = RandomForestRegression.load(part.model as never).predict(X);
      for (let i = 0; i < X.length; ++i) expected[i] += (p[i] * part.trees) / model.nEstimators;
    }
    expect(Array.from(predictLearned(model, test))).toEqual(Array.from(expected));
  });

  it("predicts block by block what the whole encoded table gives, and checks rows no chunk trains on", () => {
    const model = trainLearnedModel(train.rows, train.holdoutSpend, {nEstimators: 7, maxRows: 400, features: ["recency", "frequency", "monetary", "T", "region"]});
    const many = simulate(20_000, 6).rows; // over two blocks of predictLearned
    expect(Array.from(predictLearned(model, many))).toEqual(Array.from(predictEncoded(model, encode(many, model.numeric, model.categorical, "test"))));
    // 2 chunks of 10 rows use 20 of the 20,000: a bad row among the rest is still refused
    const bad = [...many];
    bad[19_999] = {...bad[19_999], recency: Infinity};
    const few = {nEstimators: 2, maxRows: 10};
    expect(trainLearnedModel(many, many.map(() => 1), few).usedRows).toBe(20);
    expect(() => trainLearnedModel(bad, many.map(() => 1), few)).toThrow(/rows\[19999\]\.recency is Infinity/);
    expect(() => predictLearned(model, bad)).toThrow(/predictLearned: rows\[19999\]\.recency is Infinity/);
  });

  it("rejects bad input with messages naming the value", () => {
    expect(() => trainLearnedModel(train.rows, [1, 2])).toThrow(/target has length 2/);
    expect(() => trainLearnedModel(train.rows, train.holdoutSpend, {seed: 1.5})).toThrow(/seed .* 1.5/);
    expect(() => trainLearnedModel(train.rows, train.holdoutSpend, {features: ["age" as never]})).toThrow(/"age"/);
    const bad = [...train.rows];
    bad[3] = {...bad[3], monetary: NaN};
    expect(() => trainLearnedModel(bad, train.holdoutSpend)).toThrow(/rows\[3\]\.monetary is NaN/);
  });

  it("beats the naive past-rate baseline on simulated BG/NBD customers", () => {
    const fit = simulate(3000, 11);
    const test = simulate(3000, 12);
    const model = trainLearnedModel(fit.rows, fit.holdoutSpend, {nEstimators: 40, features: ["recency", "frequency", "monetary", "T", "region"]});
    const learned = predictLearned(model, test.rows);
    const naive = naiveBaseline(test.rows, {holdoutLength: 26});
    const result = compareModels(
      {purchases: test.holdoutPurchases, spend: test.holdoutSpend},
      {naive, learned: {spend: learned}}
    );
    const [naiveRow, learnedRow] = result.rows;
    expect(result.winner.name).toBe("learned");
    expect(learnedRow.rmse).toBeLessThan(0.9 * naiveRow.rmse);
    expect(learnedRow.mae).toBeLessThan(naiveRow.mae);
    expect(Math.abs(learnedRow.spend.percentError)).toBeLessThan(10);
    expect(rootMeanSquaredError(test.holdoutSpend, learned)).toBe(learnedRow.rmse);
  });
});

describe("on the project's demo data", () => {
  it("beats the naive baseline on a calibration/holdout split of src/lib/data/demo.ts", async () => {
    const {demoTransactions} = await import("../../../src/lib/data/demo.js");
    const calibrationEnd = "2024-12-31";
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    const end = day(calibrationEnd);
    const holdoutWeeks = (day("2025-06-30") - end) / 7;
    // Per customer: spend by calendar day in calibration, and holdout purchase days and spend.
    const byCustomer = new Map<string, {days: Map<number, number>; region: string | null; hp: Set<number>; hs: number}>();
    for (const t of demoTransactions({customers: 4000, seed: 7})) {
      let c = byCustomer.get(t.customer_id);
      if (!c) byCustomer.set(t.customer_id, (c = {days: new Map(), region: t.region ?? null, hp: new Set(), hs: 0}));
      const d = day(t.order_date);
      if (d <= end) c.days.set(d, (c.days.get(d) ?? 0) + t.amount);
      else c.hp.add(d), (c.hs += t.amount);
    }
    const rows: FeatureRow[] = [];
    const purchases: number[] = [];
    const spend: number[] = [];
    for (const c of byCustomer.values()) {
      if (c.days.size === 0) continue; // acquired in the holdout
      const days = [...c.days.keys()].sort((a, b) => a - b);
      const repeat = days.slice(1).map((d) => c.days.get(d)!);
      rows.push({
        frequency: repeat.length,
        recency: (days[days.length - 1] - days[0]) / 7,
        T: (end - days[0]) / 7,
        monetary: repeat.length ? repeat.reduce((a, b) => a + b, 0) / repeat.length : 0,
        region: c.region
      });
      purchases.push(c.hp.size);
      spend.push(c.hs);
    }
    // Customer ids follow arrival order, so alternate customers (not halves) go to training and test.
    const even = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 0);
    const odd = <T>(xs: T[]) => xs.filter((_, i) => i % 2 === 1);
    const model = trainLearnedModel(even(rows), even(spend), {
      nEstimators: 40,
      features: ["recency", "frequency", "monetary", "T"]
    });
    const test = odd(rows);
    const result = compareModels(
      {purchases: odd(purchases), spend: odd(spend)},
      {naive: naiveBaseline(test, {holdoutLength: holdoutWeeks}), learned: {spend: predictLearned(model, test)}}
    );
    expect(result.winner.name).toBe("learned");
    expect(result.rows[1].rmse).toBeLessThan(result.rows[0].rmse);
    expect(result.rows[1].mae).toBeLessThan(result.rows[0].mae);
  });
});
