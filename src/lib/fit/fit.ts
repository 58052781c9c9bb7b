/**
 * Maximum-likelihood fits of the BG/NBD, Pareto/NBD and Gamma-Gamma models on per-customer summaries.
 *
 * - Input: an array of {frequency, recency, T, monetary?} objects or columns of the same names. Invalid input
 *   (empty, NaN, negative, non-integer frequency, recency > T) throws an Error naming the first bad row.
 * - Compression: customers with identical (frequency, recency, T) — or (frequency, monetary) for Gamma-Gamma —
 *   become one row with an integer weight; the likelihood is evaluated once per row. With summaries on a
 *   daily grid this shrinks a million customers to a few tens of thousands of rows.
 * - Time (and money, for Gamma-Gamma) is rescaled so that the largest T (the mean spend) is 10 (1), which puts
 *   the scale parameter near 1 and makes one set of starting points work for any unit; parameters are
 *   reported back in the data's units.
 * - Optimisation over log-parameters (BFGS, Nelder–Mead fallback: see optimize.ts), from several starting
 *   points tried in turn (the first that converges with a positive-definite Hessian is kept, unless
 *   `allStarts` asks for the best of all). Optional L2 penalty `penalizer · Σ (log θ)²` on the log-parameters
 *   of the rescaled problem, added to the mean negative log-likelihood (it pulls parameters towards 1 and keeps
 *   fits finite when a parameter runs off to 0 or ∞).
 * - Standard errors: inverse of the numerical Hessian of the negative log-likelihood (penalised, when a penalty
 *   is used) in log-parameters, mapped to the natural parameters by the delta method (se(θ) = θ·se(log θ));
 *   null when the Hessian is not positive definite.
 * A fit never returns NaN: a failure is reported as converged: false with a message.
 */
import * as bgnbd from "../models/bgnbd.js";
import * as paretonbd from "../models/paretonbd.js";
import * as gammagamma from "../models/gammagamma.js";
import {invertSymmetricPositiveDefinite, numericalHessian} from "./derivatives.js";
import {minimize, type Objective} from "./optimize.js";
import type {BgNbdParams} from "../models/bgnbd.js";
import type {ParetoNbdParams} from "../models/paretonbd.js";
import type {GammaGammaParams} from "../models/gammagamma.js";

/** One customer's summary (time unit of your choice; monetary only for Gamma-Gamma). */
export interface SummaryRow {
  frequency: number;
  recency: number;
  T: number;
  monetary?: number;
}

/** Columns of customer summaries. */
export interface SummaryColumnsInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary?: ArrayLike<number>;
}

export type SummaryInput = ArrayLike<SummaryRow> | SummaryColumnsInput;

export interface FitOptions {
  /** L2 penalty on the log-parameters (of the rescaled problem), added to the mean negative log-likelihood. */
  penalizer?: number;
  /** Starting points as natural-parameter objects in the data's units; defaults are used when omitted. */
  initial?: Record<string, number>[];
  /** Run every starting point and keep the best (default: stop at the first that converges). */
  allStarts?: boolean;
  /** Rescale time (money for Gamma-Gamma) before fitting (default true). */
  rescale?: boolean;
  maxIterations?: number;
  /** Convergence tolerance on the max-norm gradient of the mean negative log-likelihood (log-parameters). */
  tolerance?: number;
  /** Compute standard errors (default true). */
  standardErrors?: boolean;
  /** Each customer's id from the data, aligned with the summaries: error messages name customers by it. */
  ids?: ArrayLike<string | number>;
}

export interface FitResult<P> {
  params: P;
  /** Log-likelihood of the data at params, in the data's units (without the penalty). */
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  standardErrors: P | null;
  /** Number of customers used (Gamma-Gamma: customers with frequency > 0). */
  customers: number;
  /** Number of distinct rows after compression. */
  rows: number;
  /** Max-norm gradient of the mean objective in log-parameters at the solution. */
  gradientNorm: number;
  message: string;
  /**
   * False when the data do not pin the parameters down: the fit did not converge, a parameter ran off towards
   * 0 or ∞, a standard error is over 100× its estimate, or the likelihood is flat (Hessian not positive definite).
   */
  identified: boolean;
  /** Plain-language verdict: which parameter, and what it means for the business. */
  identification: string;
}

export interface GammaGammaFitResult extends FitResult<GammaGammaParams> {
  /**
   * The model's assumption: frequency and monetary value uncorrelated among repeat customers (correlation null
   * when it cannot be computed: fewer than two repeat customers or no variation).
   */
  assumption: {correlation: number | null; customers: number};
  warnings: string[];
  /** Customers left out of the fit, by reason (see spendEligible). */
  excluded: SpendExclusions;
}

/** Customers Gamma-Gamma leaves out, by reason. */
export interface SpendExclusions {
  /** No repeat purchase (frequency 0): there is no mean repeat spend to model. */
  one_time_buyers: number;
  /** Repeat customers whose mean repeat spend is 0 or negative (free orders, returns). */
  zero_or_negative_spend: number;
  /** Repeat customers whose mean spend is missing or not a finite number. */
  non_finite_spend: number;
}

/** The penalizer suggested when a fit is not identified. */
export const SUGGESTED_PENALIZER = 0.01;

/** How an error message names customer i: by the data's id when known, else as a row of the summaries. */
export function customerName(i: number, ids?: ArrayLike<string | number>): string {
  return ids && i < ids.length ? `customer ${JSON.stringify(String(ids[i]))}` : `summary row ${i}`;
}

/** Compressed rows: distinct (x, t_x, T) with weights; index maps each customer to its row. */
export interface CompressedSummaries {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  index: Int32Array;
  customers: number;
  rows: number;
}

function isColumns(data: SummaryInput): data is SummaryColumnsInput {
  return !Array.isArray(data) && typeof (data as SummaryColumnsInput).frequency === "object" && (data as SummaryColumnsInput).frequency !== null;
}

/**
 * Validated columns as Float64Arrays. Throws on an empty input, a missing column, a non-finite or negative
 * value, a non-integer frequency or a recency larger than T.
 */
export function summaryColumns(data: SummaryInput, {monetary = false, ids}: {monetary?: boolean; ids?: ArrayLike<string | number>} = {}): {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary: Float64Array | null;
} {
  let frequency: Float64Array;
  let recency: Float64Array;
  let T: Float64Array;
  let money: Float64Array | null = null;
  if (isColumns(data)) {
    const n = data.frequency.length;
    if (data.recency?.length !== n || data.T?.length !== n) throw new Error("summary columns frequency, recency and T must have the same length");
    frequency = new Float64Array(data.frequency);
    recency = new Float64Array(data.recency);
    T = new Float64Array(data.T);
    if (monetary) {
      if (!data.monetary || data.monetary.length !== n) throw new Error("a monetary column of the same length is required");
      money = new Float64Array(data.monetary);
    }
  } else {
    if (data == null || typeof data.length !== "number") throw new Error("summaries must be an array of rows or an object of columns");
    const n = data.length;
    frequency = new Float64Array(n);
    recency = new Float64Array(n);
    T = new Float64Array(n);
    if (monetary) money = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = data[i];
      if (row == null) throw new Error(`summary row ${i} is missing`);
      frequency[i] = row.frequency;
      recency[i] = row.recency;
      T[i] = row.T;
      if (money) money[i] = row.monetary ?? NaN;
    }
  }
  const n = frequency.length;
  if (n === 0) throw new Error("no customers: the summaries are empty");
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const t = recency[i];
    if (!validSummary(x, t, T[i])) invalidSummary(i, x, t, T[i], ids);
    if (x === 0 && t !== 0) recency[i] = 0; // recency is 0 by definition without repeat purchases
  }
  return {frequency, recency, T, monetary: money};
}

/** True when (frequency, recency, T) is a valid summary: finite, non-negative, integer frequency, recency <= T. */
function validSummary(x: number, t: number, tt: number): boolean {
  // NaN fails every comparison; an infinite T fails tt < Infinity, and t <= tt then bounds t.
  return x >= 0 && t >= 0 && t <= tt && tt < Infinity && x < Infinity && x === Math.floor(x);
}

/** Throws the message naming what is wrong with customer i's summary (called only when validSummary fails). */
function invalidSummary(i: number, x: number, t: number, tt: number, ids?: ArrayLike<string | number>): never {
  const who = customerName(i, ids);
  if (!Number.isFinite(x) || !Number.isFinite(t) || !Number.isFinite(tt)) {
    throw new Error(`${who}: frequency, recency and T must be finite numbers (got ${x}, ${t}, ${tt})`);
  }
  if (x < 0 || t < 0 || tt < 0) throw new Error(`${who}: negative value (frequency ${x}, recency ${t}, T ${tt})`);
  if (x !== Math.floor(x)) throw new Error(`${who}: frequency must be an integer count of repeat purchases (got ${x})`);
  throw new Error(`${who}: recency ${t} is larger than T ${tt}`);
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Groups identical (a, b, c) triples of doubles, numbering the groups in order of first appearance and counting
 * their members. Open addressing with linear probing over a power-of-two table that grows with the groups
 * (load at most one half), each group's key kept beside it: probing stays within a few hundred kilobytes
 * however many items are added, and nothing is allocated per item. -0 and 0 are the same key.
 */
class TripleGroups {
  a = new Float64Array(1024);
  b = new Float64Array(1024);
  c = new Float64Array(1024);
  count = new Float64Array(1024);
  size = 0;
  private table = new Int32Array(2048).fill(-1);
  private mask = 2047;

  /** Adds one item; returns its group's number. */
  add(a: number, b: number, c: number): number {
    a += 0;
    b += 0;
    c += 0;
    let slot = hashTriple(a, b, c) & this.mask;
    for (;;) {
      const group = this.table[slot];
      if (group === -1) break;
      if (this.a[group] === a && this.b[group] === b && this.c[group] === c) {
        this.count[group]++;
        return group;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.a.length) {
      this.grow();
      slot = this.free(hashTriple(a, b, c));
    }
    const group = this.size++;
    this.table[slot] = group;
    this.a[group] = a;
    this.b[group] = b;
    this.c[group] = c;
    this.count[group] = 1;
    return group;
  }

  private free(hash: number): number {
    let slot = hash & this.mask;
    while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const capacity = 2 * this.a.length;
    this.a = resized(this.a, capacity);
    this.b = resized(this.b, capacity);
    this.c = resized(this.c, capacity);
    this.count = resized(this.count, capacity);
    this.table = new Int32Array(2 * capacity).fill(-1);
    this.mask = 2 * capacity - 1;
    for (let g = 0; g < this.size; g++) this.table[this.free(hashTriple(this.a[g], this.b[g], this.c[g]))] = g;
  }
}

/** A copy of `a` in a larger array. */
function resized(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

const tripleBuffer = new Float64Array(3);
const tripleBits = new Int32Array(tripleBuffer.buffer);

/**
 * Hash of three doubles: their six 32-bit words folded in by multiply-xor steps (odd constants from xxHash and
 * MurmurHash3), then fmix. Cheap enough to run once per customer. TripleGroups.add has turned -0 into 0.
 */
function hashTriple(a: number, b: number, c: number): number {
  tripleBuffer[0] = a;
  tripleBuffer[1] = b;
  tripleBuffer[2] = c;
  let h = Math.imul(tripleBits[0] ^ 0x811c9dc5, 0x9e3779b1);
  h = Math.imul(h ^ tripleBits[1], 0x85ebca6b);
  h = Math.imul((h ^ (h >>> 15)) ^ tripleBits[2], 0xc2b2ae35);
  h = Math.imul(h ^ tripleBits[3], 0x27d4eb2f);
  h = Math.imul((h ^ (h >>> 15)) ^ tripleBits[4], 0x165667b1);
  h = Math.imul(h ^ tripleBits[5], 0x9e3779b1);
  return fmix(h);
}

/**
 * Validates and compresses summaries into distinct (frequency, recency, T) rows with integer weights, in one
 * pass over the customers that copies nothing (a million customers usually give some 10⁵ rows).
 */
export function compressSummaries(data: SummaryInput, {ids}: {ids?: ArrayLike<string | number>} = {}): CompressedSummaries {
  const {frequency, recency, T} = isColumns(data) ? checkedColumns(data) : summaryColumns(data, {ids});
  const n = frequency.length;
  if (n === 0) throw new Error("no customers: the summaries are empty");
  const index = new Int32Array(n);
  const groups = new TripleGroups();
  for (let i = 0; i < n; i++) {
    const x = frequency[i];
    const t = recency[i];
    const tt = T[i];
    if (!validSummary(x, t, tt)) invalidSummary(i, x, t, tt, ids);
    index[i] = groups.add(x, x === 0 ? 0 : t, tt); // recency is 0 by definition without repeat purchases
  }
  const rows = groups.size;
  return {x: groups.a.slice(0, rows), tx: groups.b.slice(0, rows), T: groups.c.slice(0, rows), weight: groups.count.slice(0, rows), index, customers: n, rows};
}

/** The columns of a column input, checked for presence and equal lengths (values are validated by the caller). */
function checkedColumns(data: SummaryColumnsInput): {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>} {
  const n = data.frequency.length;
  if (data.recency?.length !== n || data.T?.length !== n) throw new Error("summary columns frequency, recency and T must have the same length");
  return data;
}

/**
 * The customers Gamma-Gamma is defined for, as in the literature and lifetimes: repeat customers (frequency > 0)
 * whose mean repeat spend is a positive finite number. Returns a 0/1 mask aligned with the input, the number
 * selected and the number left out by reason. Every fit of Gamma-Gamma selects its customers with this.
 */
export function spendEligible(data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>}): {
  mask: Uint8Array;
  customers: number;
  excluded: SpendExclusions;
} {
  const columns = !Array.isArray(data) && typeof (data as {frequency: unknown}).frequency === "object";
  const cols = data as {frequency: ArrayLike<number>; monetary?: ArrayLike<number>};
  const rows = data as ArrayLike<{frequency: number; monetary?: number}>;
  const n = columns ? cols.frequency.length : rows.length;
  const mask = new Uint8Array(n);
  const excluded: SpendExclusions = {one_time_buyers: 0, zero_or_negative_spend: 0, non_finite_spend: 0};
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const x = columns ? cols.frequency[i] : rows[i].frequency;
    const m = (columns ? cols.monetary?.[i] : rows[i].monetary) ?? NaN;
    if (!(x > 0)) excluded.one_time_buyers++;
    else if (!Number.isFinite(m)) excluded.non_finite_spend++;
    else if (m <= 0) excluded.zero_or_negative_spend++;
    else {
      mask[i] = 1;
      customers++;
    }
  }
  return {mask, customers, excluded};
}

/** "68 one-time buyers, 2 with zero or negative mean spend" (the reasons with a count; "" when none). */
export function describeExclusions(excluded: SpendExclusions): string {
  const parts: string[] = [];
  const count = (n: number) => n.toLocaleString("en-US");
  if (excluded.one_time_buyers) parts.push(`${count(excluded.one_time_buyers)} one-time buyer${excluded.one_time_buyers === 1 ? "" : "s"} (no repeat purchase)`);
  if (excluded.zero_or_negative_spend) parts.push(`${count(excluded.zero_or_negative_spend)} repeat customer${excluded.zero_or_negative_spend === 1 ? "" : "s"} with a zero or negative mean spend`);
  if (excluded.non_finite_spend) parts.push(`${count(excluded.non_finite_spend)} repeat customer${excluded.non_finite_spend === 1 ? "" : "s"} without a finite mean spend`);
  return parts.join(", ");
}

/** Compresses the customers selected by `mask` into distinct (frequency, monetary) rows with weights. */
export function compressSpend(data: {frequency: ArrayLike<number>; monetary: ArrayLike<number>}, mask: ArrayLike<number>): {
  x: Float64Array;
  monetary: Float64Array;
  weight: Float64Array;
  customers: number;
  rows: number;
} {
  const groups = new TripleGroups();
  let customers = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (mask[i]) {
      groups.add(data.frequency[i], data.monetary[i], 0);
      customers++;
    }
  }
  const rows = groups.size;
  return {x: groups.a.slice(0, rows), monetary: groups.b.slice(0, rows), weight: groups.count.slice(0, rows), customers, rows};
}

interface EngineResult {
  theta: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
  gradientNorm: number;
  message: string;
  covariance: Float64Array | null;
}

/** |log θ| beyond which a parameter is taken to have run off to 0 or ∞ (rescaled problem). */
const BOUNDARY = Math.log(1e6);

/** Runs the optimiser from each start; returns the kept solution with its log-parameter covariance. */
function runFit(
  base: Objective,
  analytic: boolean,
  starts: Float64Array[],
  totalWeight: number,
  names: string[],
  {penalizer = 0, allStarts = false, maxIterations = 500, tolerance = 1e-8, standardErrors = true}: FitOptions
): EngineResult {
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) throw new Error(`penalizer must be a finite number >= 0, got ${penalizer}`);
  const dim = starts[0].length;
  const objective: Objective = (theta, grad) => {
    let v = base(theta, grad);
    if (penalizer > 0) {
      for (let i = 0; i < dim; i++) {
        v += penalizer * theta[i] * theta[i];
        if (grad) grad[i] += 2 * penalizer * theta[i];
      }
    }
    return v;
  };
  let best: EngineResult | null = null;
  const messages: string[] = [];
  for (const start of starts) {
    const res = minimize(objective, start, {analyticGradient: analytic, gradientTolerance: tolerance, maxIterations});
    if (!Number.isFinite(res.value) || !Array.from(res.x).every(Number.isFinite)) {
      messages.push(`start ${Array.from(start, (v) => Math.exp(v).toPrecision(3)).join(",")}: ${res.message}`);
      continue;
    }
    let covariance: Float64Array | null = null;
    if (standardErrors) {
      const H = analytic
        ? numericalHessian((t) => objective(t), res.x, {step: 1e-5, gradient: (t, g) => void objective(t, g)})
        : numericalHessian((t) => objective(t), res.x, {step: 1e-4});
      for (let i = 0; i < H.length; i++) H[i] *= totalWeight;
      covariance = invertSymmetricPositiveDefinite(H, dim);
    }
    const ranAway = res.x.some((t) => Math.abs(t) > BOUNDARY);
    const candidate: EngineResult = {
      theta: res.x,
      value: res.value,
      converged: res.converged && !ranAway,
      iterations: res.iterations,
      gradientNorm: res.gradientNorm,
      message: res.message,
      covariance
    };
    if (!candidate.converged) messages.push(ranAway ? "a parameter ran to the boundary" : res.message);
    if (!best || (candidate.converged && !best.converged) || (candidate.converged === best.converged && candidate.value < best.value)) {
      best = candidate;
    }
    if (!allStarts && candidate.converged && (covariance || !standardErrors)) break;
  }
  if (!best) {
    return {
      theta: starts[0],
      value: Infinity,
      converged: false,
      iterations: 0,
      gradientNorm: Infinity,
      message: `no starting point gave a finite likelihood (${messages.join("; ")})`,
      covariance: null
    };
  }
  const runaway = Array.from(best.theta).findIndex((t) => Math.abs(t) > BOUNDARY);
  if (runaway >= 0) {
    best.converged = false;
    best.covariance = null;
    best.message = `parameter ${names[runaway]} ran to ${best.theta[runaway] > 0 ? "∞" : "0"} (beyond 1e±6 in the rescaled problem): the maximum-likelihood estimate does not exist for these data; a penalizer keeps it finite`;
    return best;
  }
  if (best.converged && standardErrors && !best.covariance) best.message += "; Hessian not positive definite: no standard errors";
  if (!best.converged) best.message = `did not converge: ${messages.join("; ")}`;
  return best;
}

function startsFrom(initial: Record<string, number>[] | undefined, names: string[], defaults: number[][], scales: number[]): Float64Array[] {
  const list = initial?.length ? initial.map((p) => names.map((k) => p[k])) : defaults;
  return list.map((values) =>
    Float64Array.from(values, (v, i) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new Error(`starting value for ${names[i]} must be a positive finite number, got ${v}`);
      return Math.log(v * scales[i]);
    })
  );
}

function finite(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}

function toParams(names: string[], theta: Float64Array, scales: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((k, i) => (out[k] = Math.exp(theta[i]) / scales[i]));
  return out;
}

function toStandardErrors(names: string[], params: Record<string, number>, covariance: Float64Array | null): Record<string, number> | null {
  if (!covariance) return null;
  const n = names.length;
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const v = covariance[i * n + i];
    if (!(v >= 0) || !Number.isFinite(v)) return null;
    out[names[i]] = params[names[i]] * Math.sqrt(v);
  }
  return out;
}

function timeScale(T: Float64Array, rescale: boolean): number {
  if (!rescale) return 1;
  let max = 0;
  for (let i = 0; i < T.length; i++) if (T[i] > max) max = T[i];
  return max > 0 ? 10 / max : 1;
}

function scaledRows(c: CompressedSummaries, scale: number) {
  const tx = new Float64Array(c.rows);
  const T = new Float64Array(c.rows);
  for (let j = 0; j < c.rows; j++) {
    tx[j] = c.tx[j] * scale;
    T[j] = c.T[j] * scale;
  }
  return {x: c.x, tx, T, weight: c.weight};
}

/** Σ w·x: the log-likelihood of the time-rescaled data differs from the original by Σ w·x·log(scale). */
function weightedCount(c: {x: Float64Array; weight: Float64Array}): number {
  let s = 0;
  for (let j = 0; j < c.x.length; j++) s += c.weight[j] * c.x[j];
  return s;
}

const TRANSACTION_STARTS = [
  [1, 1, 1, 1],
  [0.5, 5, 0.5, 2],
  [2, 0.5, 2, 0.5],
  [0.1, 10, 0.1, 10]
];

/** BG/NBD maximum likelihood (Fader, Hardie & Lee 2005). Parameters in the data's time unit. */
export function fitBgNbd(data: SummaryInput, options: FitOptions = {}): FitResult<BgNbdParams> {
  const c = compressSummaries(data, {ids: options.ids});
  return fitBgNbdCompressed(c, options);
}

/** BG/NBD fit on already compressed rows (see compressSummaries). */
export function fitBgNbdCompressed(c: CompressedSummaries, options: FitOptions = {}): FitResult<BgNbdParams> {
  requireRepeatPurchases(c, "BG/NBD");
  const names = ["r", "alpha", "a", "b"];
  const scale = timeScale(c.T, options.rescale ?? true);
  const scales = [1, scale, 1, 1];
  const rows = scaledRows(c, scale);
  const objective = bgnbd.negLogLikelihoodObjective(rows);
  const starts = startsFrom(options.initial, names, TRANSACTION_STARTS.map((s) => [s[0], s[1] / scale, s[2], s[3]]), scales);
  const res = runFit(objective, true, starts, c.customers, names, options);
  return transactionResult("bgnbd", names, res, scales, objective, c, scale, options) as unknown as FitResult<BgNbdParams>;
}

/** Pareto/NBD maximum likelihood (Schmittlein, Morrison & Colombo 1987). Parameters in the data's time unit. */
export function fitParetoNbd(data: SummaryInput, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  const c = compressSummaries(data, {ids: options.ids});
  return fitParetoNbdCompressed(c, options);
}

export function fitParetoNbdCompressed(c: CompressedSummaries, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  requireRepeatPurchases(c, "Pareto/NBD");
  const names = ["r", "alpha", "s", "beta"];
  const scale = timeScale(c.T, options.rescale ?? true);
  const scales = [1, scale, 1, scale];
  const rows = scaledRows(c, scale);
  const objective = paretonbd.negLogLikelihoodObjective(rows);
  const starts = startsFrom(options.initial, names, TRANSACTION_STARTS.map((s) => [s[0], s[1] / scale, s[2], s[3] / scale]), scales);
  const res = runFit(objective, false, starts, c.customers, names, options);
  return transactionResult("paretonbd", names, res, scales, objective, c, scale, options) as unknown as FitResult<ParetoNbdParams>;
}

/** Without any repeat purchase the likelihood has no maximum (the purchase rate goes to 0): refuse. */
function requireRepeatPurchases(c: CompressedSummaries, model: string): void {
  for (let j = 0; j < c.rows; j++) if (c.x[j] > 0) return;
  throw new Error(`${model}: no customer has a repeat purchase (all frequencies are 0), so the model cannot be fitted`);
}

function transactionResult(
  model: "bgnbd" | "paretonbd",
  names: string[],
  res: EngineResult,
  scales: number[],
  objective: Objective,
  c: CompressedSummaries,
  scale: number,
  options: FitOptions
): FitResult<Record<string, number>> {
  const params = toParams(names, res.theta, scales);
  const ll = -objective(res.theta) * c.customers + weightedCount(c) * Math.log(scale);
  const converged = res.converged && Number.isFinite(ll);
  return {
    ...identify(model, names, {...res, converged}, options),
    params,
    logLikelihood: finite(ll, -Infinity),
    converged,
    iterations: res.iterations,
    standardErrors: toStandardErrors(names, params, res.covariance),
    customers: c.customers,
    rows: c.rows,
    gradientNorm: finite(res.gradientNorm, Infinity),
    message: res.message
  };
}

/**
 * Gamma-Gamma maximum likelihood on the customers it is defined for (see spendEligible: repeat customers with a
 * positive finite mean spend; the others are counted in `excluded`), from (frequency, monetary). Also reports
 * the model's assumption check (Pearson correlation of frequency and monetary among those customers) and a
 * warning when its absolute value exceeds 0.3.
 */
export function fitGammaGamma(data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>}, options: FitOptions = {}): GammaGammaFitResult {
  const cols = spendColumns(data, options.ids);
  const eligible = spendEligible(cols);
  if (eligible.customers === 0) {
    throw new Error(`Gamma-Gamma needs repeat customers (frequency > 0) with a positive mean spend; there are none (left out: ${describeExclusions(eligible.excluded)})`);
  }
  const c = compressSpend(cols, eligible.mask);
  const names = ["p", "q", "gamma"];
  let scale = 1;
  if (options.rescale ?? true) {
    let s = 0;
    for (let j = 0; j < c.rows; j++) s += c.weight[j] * c.monetary[j];
    scale = c.customers / s;
  }
  const scales = [1, 1, scale];
  const rows = {x: c.x, monetary: c.monetary.map((m) => m * scale), weight: c.weight};
  const objective = gammagamma.negLogLikelihoodObjective(rows);
  const defaults = [
    [1, 1, 1 / scale],
    [5, 3, 10 / scale],
    [0.5, 5, 5 / scale]
  ];
  const starts = startsFrom(options.initial, names, defaults, scales);
  const res = runFit(objective, true, starts, c.customers, names, options);
  const params = toParams(names, res.theta, scales) as unknown as GammaGammaParams;
  const ll = -objective(res.theta) * c.customers + c.customers * Math.log(scale);
  const selected = {
    frequency: cols.frequency.filter((_, i) => eligible.mask[i] === 1),
    monetary: cols.monetary.filter((_, i) => eligible.mask[i] === 1)
  };
  const check = gammagamma.frequencyMonetaryCorrelation(selected);
  const assumption = {correlation: Number.isFinite(check.correlation) ? check.correlation : null, customers: check.customers};
  const warnings: string[] = [];
  if (assumption.correlation !== null && Math.abs(assumption.correlation) > 0.3) {
    warnings.push(`frequency and monetary value are correlated (r = ${assumption.correlation.toFixed(2)}): the Gamma-Gamma independence assumption is doubtful`);
  }
  if (assumption.correlation === null) warnings.push("too few repeat customers (or no variation) to check the independence assumption");
  const converged = res.converged && Number.isFinite(ll);
  return {
    params,
    logLikelihood: finite(ll, -Infinity),
    converged,
    iterations: res.iterations,
    standardErrors: toStandardErrors(names, params as unknown as Record<string, number>, res.covariance) as GammaGammaParams | null,
    customers: c.customers,
    rows: c.rows,
    gradientNorm: finite(res.gradientNorm, Infinity),
    message: res.message,
    ...identify("gamma-gamma", names, {...res, converged}, options),
    assumption,
    warnings,
    excluded: eligible.excluded
  };
}

/** (frequency, monetary) columns for Gamma-Gamma; frequency is validated, monetary is judged by spendEligible. */
function spendColumns(
  data: ArrayLike<{frequency: number; monetary?: number}> | {frequency: ArrayLike<number>; monetary?: ArrayLike<number>},
  ids?: ArrayLike<string | number>
): {
  frequency: Float64Array;
  monetary: Float64Array;
} {
  let frequency: Float64Array;
  let monetary: Float64Array;
  if (!Array.isArray(data) && typeof (data as {frequency: unknown}).frequency === "object") {
    const d = data as {frequency: ArrayLike<number>; monetary?: ArrayLike<number>};
    if (!d.monetary || d.monetary.length !== d.frequency.length) throw new Error("a monetary column of the same length as frequency is required");
    frequency = new Float64Array(d.frequency);
    monetary = new Float64Array(d.monetary);
  } else {
    const rows = data as ArrayLike<{frequency: number; monetary?: number}>;
    frequency = new Float64Array(rows.length);
    monetary = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      frequency[i] = rows[i].frequency;
      monetary[i] = rows[i].monetary ?? NaN;
    }
  }
  if (frequency.length === 0) throw new Error("no customers: the summaries are empty");
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (!Number.isFinite(x) || x < 0 || x !== Math.floor(x)) throw new Error(`${customerName(i, ids)}: frequency must be a non-negative integer (got ${x})`);
  }
  return {frequency, monetary};
}

/** |log θ| (rescaled problem) beyond which a parameter is taken to be running off towards 0 or ∞. */
const IDENTIFICATION_BOUNDARY = Math.log(1e4);
/** Largest standard error, as a multiple of its estimate (se of log θ), of an identified parameter. */
const IDENTIFICATION_SE_RATIO = 100;

type Direction = "0" | "∞";

const NO_DROPOUT = "the data show almost no drop-out, so the model cannot tell how fast customers leave";
const INSTANT_DROPOUT = "the data look as if customers leave right after a purchase, so the model cannot tell drop-out from buying rarely";
const SAME_SPEND = "spend per purchase looks the same for every customer, so the model cannot tell how it varies";
/** r and α of both transaction models: the gamma distribution of purchase rates across customers. */
const PURCHASE_RATES: Partial<Record<Direction, string>> = {
  "∞": "purchase rates look the same for every customer, so the model cannot tell how they vary",
  "0": "a few customers buy far more often than the rest, so the model cannot settle on a typical purchase rate"
};

/** What a parameter running to 0 or ∞ means, per model and parameter. */
const MEANINGS: Record<string, Record<string, Partial<Record<Direction, string>>>> = {
  bgnbd: {
    a: {"0": NO_DROPOUT, "∞": INSTANT_DROPOUT},
    b: {"∞": NO_DROPOUT, "0": INSTANT_DROPOUT},
    r: PURCHASE_RATES,
    alpha: PURCHASE_RATES
  },
  paretonbd: {
    s: {"0": NO_DROPOUT, "∞": "drop-out rates look the same for every customer, so the model cannot tell how they vary"},
    beta: {"∞": NO_DROPOUT, "0": INSTANT_DROPOUT},
    r: PURCHASE_RATES,
    alpha: PURCHASE_RATES
  },
  "gamma-gamma": {
    q: {"∞": SAME_SPEND},
    gamma: {"∞": SAME_SPEND},
    p: {
      "∞": "each customer spends almost the same on every purchase, so the model cannot tell how spend varies",
      "0": "spend per purchase varies without bound, so the model cannot settle on a typical spend"
    }
  }
};

const GREEK: Record<string, string> = {alpha: "α", beta: "β", gamma: "γ"};

/**
 * The identification verdict of a fit: not identified when it did not converge, when a log-parameter of the
 * rescaled problem is beyond ±log 1e4 (running off towards 0 or ∞), when a standard error is more than 100×
 * its estimate, or when the Hessian is not positive definite (a flat likelihood).
 */
function identify(
  model: "bgnbd" | "paretonbd" | "gamma-gamma",
  names: string[],
  res: Pick<EngineResult, "theta" | "converged" | "covariance" | "message">,
  {standardErrors = true, penalizer = 0}: FitOptions
): {identified: boolean; identification: string} {
  const advice = penalizer > 0 ? `; try a larger penalizer than ${penalizer}` : `; a penalizer (e.g. ${SUGGESTED_PENALIZER}) keeps the parameters finite`;
  const label = (k: string) => GREEK[k] ?? k;
  let worst = -1;
  for (let i = 0; i < names.length; i++) {
    if (Math.abs(res.theta[i]) > IDENTIFICATION_BOUNDARY && (worst < 0 || Math.abs(res.theta[i]) > Math.abs(res.theta[worst]))) worst = i;
  }
  if (worst >= 0) {
    const direction: Direction = res.theta[worst] > 0 ? "∞" : "0";
    const name = names[worst];
    const meaning = MEANINGS[model][name]?.[direction] ?? `the data do not pin ${label(name)} down`;
    return {identified: false, identification: `Not identified: ${label(name)} → ${direction}: ${meaning}${advice}.`};
  }
  if (!res.converged) return {identified: false, identification: `Not identified: the fit did not converge (${res.message})${advice}.`};
  if (standardErrors) {
    if (!res.covariance) {
      return {identified: false, identification: `Not identified: the likelihood is flat around the estimate (its curvature is not positive definite), so the data cannot pin the parameters down${advice}.`};
    }
    const n = names.length;
    let ratio = 0;
    let which = -1;
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(res.covariance[i * n + i]);
      if (!(r <= IDENTIFICATION_SE_RATIO) && (which < 0 || !(r <= ratio))) {
        ratio = r;
        which = i;
      }
    }
    if (which >= 0) {
      const times = Number.isFinite(ratio) ? `${Math.round(ratio).toLocaleString("en-US")}×` : "infinitely";
      return {
        identified: false,
        identification: `Not identified: the standard error of ${label(names[which])} is ${times} its estimate: the likelihood is nearly flat along ${label(names[which])}, so the data cannot pin it down${advice}.`
      };
    }
  }
  return {identified: true, identification: "Identified: every parameter is well away from 0 and ∞ and pinned down by the data."};
}
