/**
 * Seeded pseudo-random numbers and the few distributions the demo generator needs. Everything here is
 * deterministic: the same seed gives the same stream on every platform (32-bit integer arithmetic only,
 * no Math.random).
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), state seeded through splitmix32 so that any 32-bit
 * seed, including 0, gives a well-mixed state. A `Random` is a function returning uniforms in (0, 1):
 * never exactly 0 or 1, so `Math.log(u)` is always finite.
 */

/** A source of uniform numbers in the open interval (0, 1). */
export type Random = () => number;

const TWO_POW_32 = 4294967296;

/** One step of splitmix32 on `x` (any integer): a well-mixed 32-bit unsigned result. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Derives an independent seed for stream `index` of a generator seeded with `seed` (e.g. one stream per
 * customer, so that the output does not depend on how the work is split into batches).
 */
export function deriveSeed(seed: number, index: number): number {
  return mix32(mix32(seed >>> 0) ^ mix32((index >>> 0) + 0x632be5ab) ^ Math.floor(index / TWO_POW_32));
}

/** xoshiro128** seeded with a 32-bit `seed`; returns uniforms in (0, 1) with 32 bits of resolution. */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new Error(`createRandom: seed must be a finite number, got ${seed}`);
  let s = seed >>> 0;
  const next = () => (s = mix32(s));
  let a = next();
  let b = next();
  let c = next();
  let d = next();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return (result + 0.5) / TWO_POW_32;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Standard normal by the Box–Muller transform (one of the pair; the other is discarded to stay stateless). */
export function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Exponential with the given rate (mean 1 / rate). */
export function exponential(random: Random, rate: number): number {
  return -Math.log(random()) / rate;
}

/**
 * Gamma with shape `shape` and rate `rate` (mean shape / rate), by Marsaglia & Tsang (2000); for
 * shape < 1 the usual boost Gamma(shape + 1) · U^(1 / shape).
 */
export function gamma(random: Random, shape: number, rate = 1): number {
  if (!(shape > 0) || !(rate > 0)) throw new Error(`gamma: shape and rate must be positive, got ${shape}, ${rate}`);
  if (shape < 1) return gamma(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(random: Random, a: number, b: number): number {
  const x = gamma(random, a);
  const y = gamma(random, b);
  return x / (x + y);
}

/** Poisson with the given mean, by multiplying uniforms (Knuth); meant for small means (< 30). */
export function poisson(random: Random, mean: number): number {
  if (!(mean >= 0) || mean > 30) throw new Error(`poisson: mean must be in [0, 30], got ${mean}`);
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}

/** Cumulative, normalised weights for `categorical`. */
export function cumulativeWeights(weights: readonly number[]): Float64Array {
  if (weights.length === 0 || weights.some((w) => !(w >= 0))) {
    throw new Error(`cumulativeWeights: weights must be non-negative numbers, got [${weights.join(", ")}]`);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new Error("cumulativeWeights: weights must not all be zero");
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = (sum += weights[i]) / total;
  out[weights.length - 1] = 1;
  return out;
}

/** An index drawn with probabilities given by `cumulative` (from `cumulativeWeights`). */
export function categorical(random: Random, cumulative: Float64Array): number {
  const u = random();
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
