import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  beta,
  categorical,
  createRandom,
  cumulativeWeights,
  deriveSeed,
  exponential,
  gamma,
  normal,
  poisson
} from "../../../src/lib/data/random.js";

function sample(n: number, draw: () => number): {mean: number; variance: number} {
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sum2 += x * x;
  }
  const mean = sum / n;
  return {mean, variance: sum2 / n - mean * mean};
}

describe("createRandom", () => {
  it("is deterministic and seed-dependent", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const xs = Array.from({length: 5}, a);
    expect(Array.from({length: 5}, b)).toEqual(xs);
    expect(Array.from({length: 5}, c)).not.toEqual(xs);
    // Pinned so that a change of generator (which would change the demo data) is noticed.
    expect(createRandom(0)()).toMatchInlineSnapshot(`0.011667883372865617`);
  });

  it("stays in the open interval (0, 1) with mean 1/2 and variance 1/12", () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 0xffffffff}), (seed) => {
        const random = createRandom(seed);
        for (let i = 0; i < 100; i++) {
          const u = random();
          if (!(u > 0 && u < 1)) return false;
        }
        return true;
      })
    );
    const {mean, variance} = sample(200_000, createRandom(1));
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it("derives distinct seeds for neighbouring streams", () => {
    const seeds = new Set(Array.from({length: 100_000}, (_, i) => deriveSeed(20250630, i)));
    expect(seeds.size).toBeGreaterThan(99_990);
    expect(deriveSeed(1, 5)).toBe(deriveSeed(1, 5));
    expect(deriveSeed(1, 5)).not.toBe(deriveSeed(2, 5));
  });
});

describe("distributions", () => {
  const n = 200_000;
  it("normal has mean 0 and variance 1", () => {
    const random = createRandom(2);
    const {mean, variance} = sample(n, () => normal(random));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.015);
  });

  it("exponential has mean 1/rate", () => {
    const random = createRandom(3);
    expect(Math.abs(sample(n, () => exponential(random, 4)).mean - 0.25)).toBeLessThan(0.003);
  });

  it.each([
    [0.3, 2],
    [1.1, 9.5],
    [4.5, 0.5],
    [20, 3]
  ])("gamma(shape %d, rate %d) has mean shape/rate and variance shape/rate²", (shape, rate) => {
    const random = createRandom(4);
    const {mean, variance} = sample(n, () => gamma(random, shape, rate));
    expect(Math.abs(mean / (shape / rate) - 1)).toBeLessThan(0.015);
    expect(Math.abs(variance / (shape / rate ** 2) - 1)).toBeLessThan(0.05);
  });

  it("beta has mean a/(a+b)", () => {
    const random = createRandom(5);
    const {mean, variance} = sample(n, () => beta(random, 0.9, 6));
    expect(mean).toBeCloseTo(0.9 / 6.9, 2);
    expect(Math.abs(variance / ((0.9 * 6) / (6.9 ** 2 * 7.9)) - 1)).toBeLessThan(0.05);
  });

  it("poisson has mean and variance equal to its mean", () => {
    const random = createRandom(6);
    const {mean, variance} = sample(n, () => poisson(random, 2.5));
    expect(mean).toBeCloseTo(2.5, 1);
    expect(variance).toBeCloseTo(2.5, 1);
    expect(() => poisson(random, -1)).toThrow(/-1/);
  });

  it("categorical follows the weights", () => {
    const random = createRandom(7);
    const cdf = cumulativeWeights([1, 2, 0, 7]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[categorical(random, cdf)]++;
    expect(counts[2]).toBe(0);
    expect(counts[0] / n).toBeCloseTo(0.1, 2);
    expect(counts[1] / n).toBeCloseTo(0.2, 2);
    expect(counts[3] / n).toBeCloseTo(0.7, 2);
    expect(() => cumulativeWeights([1, -1])).toThrow(/-1/);
  });

  it("rejects non-positive gamma parameters", () => {
    expect(() => gamma(createRandom(1), 0, 1)).toThrow(/positive/);
  });
});
