/**
 * Seeded simulation of customer summaries from the BG/NBD, Pareto/NBD and Gamma-Gamma processes, for
 * parameter-recovery tests and benchmarks. Deterministic for a given seed on every platform (the generator is
 * sfc32 seeded through splitmix32; only IEEE double arithmetic and Math.log/exp/sqrt are used).
 */
import type {BgNbdParams} from "./models/bgnbd.js";
import type {ParetoNbdParams} from "./models/paretonbd.js";
import type {GammaGammaParams} from "./models/gammagamma.js";

export type Random = () => number;

/** A uniform [0, 1) generator (sfc32, state seeded from a 32-bit seed via splitmix32). */
export function createRandom(seed = 1): Random {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Standard normal variate (Marsaglia polar method). */
export function randomNormal(random: Random): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Gamma(shape, rate) variate (Marsaglia & Tsang 2000; shape < 1 by the U^(1/shape) boost). */
export function randomGamma(random: Random, shape: number, rate = 1): number {
  if (!(shape > 0) || !(rate > 0)) throw new Error(`randomGamma: shape and rate must be > 0 (got ${shape}, ${rate})`);
  if (shape < 1) {
    const u = 1 - random(); // (0, 1]
    return randomGamma(random, shape + 1, rate) * Math.exp(Math.log(u) / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = randomNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Beta(a, b) variate from two gamma variates. */
export function randomBeta(random: Random, a: number, b: number): number {
  const x = randomGamma(random, a);
  const y = randomGamma(random, b);
  return x / (x + y);
}

/** Exponential(rate) variate. */
export function randomExponential(random: Random, rate: number): number {
  return -Math.log(1 - random()) / rate;
}

export interface SimulationOptions {
  customers?: number;
  /** Length of the observation period for the earliest customers (time unit of the parameters). */
  T?: number;
  /** First purchases are spread uniformly over [0, cohortSpread]: each customer's T is T - U·cohortSpread. */
  cohortSpread?: number;
  /** Round times to multiples of this (e.g. 1/7 for days when the unit is weeks); 0 keeps them continuous. */
  resolution?: number;
  seed?: number;
}

export interface SimulatedSummaries {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

function observationTimes(random: Random, n: number, T: number, spread: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = spread > 0 ? T - random() * spread : T;
  return out;
}

function roundTimes(s: SimulatedSummaries, resolution: number): SimulatedSummaries {
  if (!(resolution > 0)) return s;
  for (let i = 0; i < s.T.length; i++) {
    s.T[i] = Math.round(s.T[i] / resolution) * resolution;
    s.recency[i] = Math.round(s.recency[i] / resolution) * resolution;
  }
  return s;
}

/**
 * BG/NBD process: λ ~ Gamma(r, α), p ~ Beta(a, b); exponential inter-purchase times with rate λ after the first
 * purchase at 0; after each repeat purchase the customer drops out with probability p.
 */
export function simulateBgNbd(params: BgNbdParams, {customers = 1000, T = 52, cohortSpread = 0, resolution = 0, seed = 1}: SimulationOptions = {}): SimulatedSummaries {
  const random = createRandom(seed);
  const Ts = observationTimes(random, customers, T, cohortSpread);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = randomGamma(random, params.r, params.alpha);
    const p = randomBeta(random, params.a, params.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += randomExponential(random, lambda);
      if (t > Ts[i]) break;
      x++;
      tx = t;
      if (random() < p) break;
    }
    frequency[i] = x;
    recency[i] = tx;
  }
  return roundTimes({frequency, recency, T: Ts}, resolution);
}

/**
 * Pareto/NBD process: λ ~ Gamma(r, α), μ ~ Gamma(s, β); lifetime τ ~ Exp(μ) from the first purchase; repeat
 * purchases form a Poisson process with rate λ on (0, min(τ, T)].
 */
export function simulateParetoNbd(params: ParetoNbdParams, {customers = 1000, T = 52, cohortSpread = 0, resolution = 0, seed = 1}: SimulationOptions = {}): SimulatedSummaries {
  const random = createRandom(seed);
  const Ts = observationTimes(random, customers, T, cohortSpread);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = randomGamma(random, params.r, params.alpha);
    const mu = randomGamma(random, params.s, params.beta);
    const end = Math.min(randomExponential(random, mu), Ts[i]);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += randomExponential(random, lambda);
      if (t > end) break;
      x++;
      tx = t;
    }
    frequency[i] = x;
    recency[i] = tx;
  }
  return roundTimes({frequency, recency, T: Ts}, resolution);
}

/**
 * Gamma-Gamma spend: ν ~ Gamma(q, γ) per customer, each transaction ~ Gamma(p, ν); returns the mean of the
 * `frequency[i]` transaction values (their sum is Gamma(p·x, ν)), 0 for customers with frequency 0.
 */
export function simulateGammaGamma(params: GammaGammaParams, frequency: ArrayLike<number>, {seed = 1}: {seed?: number} = {}): Float64Array {
  const random = createRandom(seed);
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (x > 0) {
      const nu = randomGamma(random, params.q, params.gamma);
      out[i] = randomGamma(random, params.p * x, nu) / x;
    }
  }
  return out;
}
