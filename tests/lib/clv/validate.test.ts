import {describe, it, expect} from "vitest";
import {
  captureShare,
  compareModels,
  meanAbsoluteError,
  naiveBaseline,
  rootMeanSquaredError,
  totalError
} from "../../../src/lib/clv/validate.js";

describe("error metrics", () => {
  const actual = [10, 0, 5, 85];
  const predicted = [12, 1, 5, 70];

  it("total error in units and percent", () => {
    // Σ actual 100, Σ predicted 88.
    expect(totalError(actual, predicted)).toEqual({actual: 100, predicted: 88, error: -12, percentError: -12});
    expect(totalError([0, 0], [0, 0]).percentError).toBe(0);
    expect(totalError([0, 0], [1, 0]).percentError).toBe(Infinity);
  });

  it("MAE and RMSE", () => {
    // errors 2, 1, 0, −15: MAE 18 / 4 = 4.5, RMSE √((4 + 1 + 0 + 225) / 4) = √57.5.
    expect(meanAbsoluteError(actual, predicted)).toBe(4.5);
    expect(rootMeanSquaredError(actual, predicted)).toBeCloseTo(Math.sqrt(57.5), 12);
    expect(Number.isNaN(meanAbsoluteError([], []))).toBe(true);
  });

  it("rejects misaligned or non-finite values, naming them", () => {
    expect(() => meanAbsoluteError([1, 2], [1], {name: "bgnbd"})).toThrow(/bgnbd has 1 values for 2 customers/);
    expect(() => rootMeanSquaredError([1, 2], [1, NaN], {name: "bgnbd"})).toThrow(/bgnbd\[1\] is NaN/);
  });
});

describe("captureShare", () => {
  it("matches the documented example", () => {
    expect(captureShare([10, 0, 5, 85], [3, 2, 1, 0], {share: 0.25})).toEqual({count: 1, capture: 0.1, ideal: 0.85});
  });

  it("takes max(1, round(share × n)) customers, default 10%", () => {
    const actual = Array.from({length: 20}, (_, i) => i + 1); // Σ = 210
    const r = captureShare(actual, actual);
    expect(r.count).toBe(2);
    expect(r.capture).toBeCloseTo((20 + 19) / 210, 12);
    expect(r.ideal).toBeCloseTo(r.capture, 12);
    expect(captureShare([1, 2, 3], [3, 2, 1], {share: 0.01}).count).toBe(1);
  });

  it("shares a tie at the cut pro rata, so a constant forecast captures exactly the share", () => {
    expect(captureShare([10, 0, 5, 85], [1, 1, 1, 1], {share: 0.5}).capture).toBeCloseTo(0.5, 12);
    // Top 2 of predictions [5, 2, 2, 0]: customer 0 (actual 40) plus half of the tie {30, 10}.
    expect(captureShare([40, 30, 10, 20], [5, 2, 2, 0], {share: 0.5}).capture).toBeCloseTo((40 + 20) / 100, 12);
  });

  it("handles no revenue and no customers; rejects a bad share", () => {
    expect(captureShare([0, 0], [1, 2])).toEqual({count: 1, capture: 0, ideal: 0});
    expect(captureShare([], [])).toEqual({count: 0, capture: 0, ideal: 0});
    expect(() => captureShare([1], [1], {share: 0})).toThrow(/share must be in \(0, 1\], got 0/);
  });
});

describe("naiveBaseline", () => {
  it("continues the calibration repeat-purchase rate", () => {
    const r = naiveBaseline(
      [
        {frequency: 4, monetary: 25, T: 40},
        {frequency: 0, monetary: 0, T: 10},
        {frequency: 0, monetary: 0, T: 0},
        {frequency: 2, monetary: 10, T: 0.5}
      ],
      {holdoutLength: 26}
    );
    expect(Array.from(r.purchases)).toEqual([2.6, 0, 0, 104]);
    expect(Array.from(r.spend)).toEqual([65, 0, 0, 1040]);
  });

  it("floors the exposure at minExposure", () => {
    const r = naiveBaseline([{frequency: 2, monetary: 10, T: 0.5}], {holdoutLength: 26, minExposure: 2});
    expect(r.purchases[0]).toBe(26);
    expect(r.spend[0]).toBe(260);
  });

  it("reads columns (the summaries as the fit reads them) as it reads rows", () => {
    const rows = [
      {frequency: 4, monetary: 25, T: 40},
      {frequency: 0, monetary: 0, T: 10},
      {frequency: 2, monetary: 10, T: 0.5}
    ];
    const columns = {frequency: Float64Array.of(4, 0, 2), monetary: Float64Array.of(25, 0, 10), T: Float64Array.of(40, 10, 0.5)};
    expect(naiveBaseline(columns, {holdoutLength: 26, minExposure: 1})).toEqual(naiveBaseline(rows, {holdoutLength: 26, minExposure: 1}));
    expect(() => naiveBaseline({...columns, T: Float64Array.of(1)}, {holdoutLength: 1})).toThrow(/columns frequency, monetary and T of one length/);
    expect(() => naiveBaseline({} as never, {holdoutLength: 1})).toThrow(/columns frequency, monetary and T of one length, got object/);
    expect(() => naiveBaseline({...columns, monetary: Float64Array.of(1, Number.NaN, 2)}, {holdoutLength: 1})).toThrow(/summary\[1\]\.monetary is NaN/);
  });

  it("rejects bad options and rows", () => {
    expect(() => naiveBaseline([], {holdoutLength: 0})).toThrow(/holdoutLength .* got 0/);
    expect(() => naiveBaseline([{frequency: -1, monetary: 0, T: 1}], {holdoutLength: 1})).toThrow(/summary\[0\]\.frequency is -1/);
  });
});

describe("compareModels", () => {
  const actual = {purchases: [1, 0, 2, 3], spend: [10, 0, 20, 70]};

  it("scores each model and picks the lowest spend RMSE", () => {
    const result = compareModels(
      actual,
      {
        a: {purchases: [1, 1, 1, 3], spend: [10, 10, 10, 70]}, // errors 0, 10, −10, 0: RMSE √50, MAE 5
        b: {spend: [20, 0, 20, 50]} // errors 10, 0, 0, −20: RMSE √125, MAE 7.5
      },
      {topShare: 0.25}
    );
    const [a, b] = result.rows;
    expect(a.name).toBe("a");
    expect(a.purchases).toEqual({actual: 6, predicted: 6, error: 0, percentError: 0});
    expect(a.spend).toEqual({actual: 100, predicted: 100, error: 0, percentError: 0});
    expect(a.mae).toBe(5);
    expect(a.rmse).toBeCloseTo(Math.sqrt(50), 12);
    expect(a.capture).toBe(0.7);
    expect(a.idealCapture).toBe(0.7);
    expect(b.purchases).toBeNull();
    expect(b.spend.percentError).toBeCloseTo(-10, 12);
    expect(b.mae).toBe(7.5);
    expect(b.rmse).toBeCloseTo(Math.sqrt(125), 12);
    expect(b.capture).toBe(0.7);
    expect(result.winner.name).toBe("a");
    expect(result.winner.reason).toMatch(/lowest holdout-spend RMSE \(7\.071 vs 11\.18 for b\)/);
  });

  it("breaks RMSE ties by capture, then total error, then name", () => {
    // Both have RMSE √200 (errors ±20 on two customers) and total 100; with the top half, c captures
    // 70 + 10, d captures 70 + 20.
    const byCapture = compareModels(actual, {c: {spend: [30, 0, 0, 70]}, d: {spend: [10, 0, 40, 50]}}, {topShare: 0.5});
    expect(byCapture.rows.map((r) => r.capture)).toEqual([0.8, 0.9]);
    expect(byCapture.winner.name).toBe("d");
    expect(byCapture.winner.reason).toMatch(/highest top-customer capture/);

    const byTotal = compareModels(actual, {e: {spend: [10, 0, 40, 70]}, f: {spend: [10, 0, 0, 70]}}, {topShare: 0.25});
    // e: +20 total (+20%), f: −20 (−20%): tied RMSE, tied capture, tied |percent error| → name.
    expect(byTotal.winner.name).toBe("e");
    expect(byTotal.winner.reason).toMatch(/first by name/);

    const g = compareModels(actual, {g: {spend: [10, 0, 40, 70]}, h: {spend: [10, 0, 21, 70]}});
    expect(g.winner.name).toBe("h");
  });

  it("reports a single model and rejects bad input", () => {
    expect(compareModels(actual, {only: {spend: [0, 0, 0, 0]}}).winner).toEqual({name: "only", reason: "only model (spend RMSE 36.74)"});
    expect(() => compareModels(actual, {})).toThrow(/no predictions/);
    expect(() => compareModels(actual, {x: {spend: [1, 2]}})).toThrow(/x has 2 values for 4 customers/);
    expect(() => compareModels(actual, {x: {} as never})).toThrow(/model "x" has no spend predictions/);
  });
});
