/**
 * Seeded simulation of customer summaries from the BG/NBD, Pareto/NBD and Gamma-Gamma processes, for
 * parameter-recovery tests and benchmarks. Deterministic for a given seed on every platform (only IEEE double
 * arithmetic and Math.log/exp/sqrt are used).
 */
import type {BgNbdParams} from "./bgnbd.js";
import type {ParetoNbdParams} from "./paretonbd.js";
import type {GammaGammaParams} from "./gammagamma.js";
// The generator and the distributions are the demo generator's (src/lib/data/random.ts).
import {beta, createRandom, exponential, gamma, type Random} from "../data/random.js";

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
 * Customers observed for T (less a uniform share of `cohortSpread`), each simulated by `customer`, which
 * draws from the one seeded stream and returns the repeat purchases x and the time of the last, t_x.
 */
function simulateCustomers(
  {customers = 1000, T = 52, cohortSpread = 0, resolution = 0, seed = 1}: SimulationOptions,
  customer: (random: Random, T: number) => {x: number; tx: number}
): SimulatedSummaries {
  const random = createRandom(seed);
  const Ts = observationTimes(random, customers, T, cohortSpread);
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const {x, tx} = customer(random, Ts[i]);
    frequency[i] = x;
    recency[i] = tx;
  }
  return roundTimes({frequency, recency, T: Ts}, resolution);
}

/**
 * Repeat purchases of a Poisson process with rate λ from 0 up to `end`, stopping early after a purchase when
 * `dropsOut()` says so: the count x and the time of the last, t_x.
 */
function purchases(random: Random, lambda: number, end: number, dropsOut: () => boolean = () => false): {x: number; tx: number} {
  let t = 0;
  let x = 0;
  let tx = 0;
  for (;;) {
    t += exponential(random, lambda);
    if (t > end) break;
    x++;
    tx = t;
    if (dropsOut()) break;
  }
  return {x, tx};
}

/**
 * BG/NBD process: λ ~ Gamma(r, α), p ~ Beta(a, b); exponential inter-purchase times with rate λ after the first
 * purchase at 0; after each repeat purchase the customer drops out with probability p.
 */
export function simulateBgNbd(params: BgNbdParams, options: SimulationOptions = {}): SimulatedSummaries {
  return simulateCustomers(options, (random, T) => {
    const lambda = gamma(random, params.r, params.alpha);
    const p = beta(random, params.a, params.b);
    return purchases(random, lambda, T, () => random() < p);
  });
}

/**
 * Pareto/NBD process: λ ~ Gamma(r, α), μ ~ Gamma(s, β); lifetime τ ~ Exp(μ) from the first purchase; repeat
 * purchases form a Poisson process with rate λ on (0, min(τ, T)].
 */
export function simulateParetoNbd(params: ParetoNbdParams, options: SimulationOptions = {}): SimulatedSummaries {
  return simulateCustomers(options, (random, T) => {
    const lambda = gamma(random, params.r, params.alpha);
    const mu = gamma(random, params.s, params.beta);
    return purchases(random, lambda, Math.min(exponential(random, mu), T));
  });
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
      const nu = gamma(random, params.q, params.gamma);
      out[i] = gamma(random, params.p * x, nu) / x;
    }
  }
  return out;
}
