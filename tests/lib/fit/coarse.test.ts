// The coarse start's binning (src/lib/fit/transaction.ts coarseRows) and the fits that start from it.
import {describe, expect, it} from "vitest";
import {compressSummaries, fitRows} from "../../../src/lib/fit/compress.js";
import {COARSE_START_ROWS, coarseOutcome, coarseRows, coarseStart, fitTransaction, fitTransactionCompressed} from "../../../src/lib/fit/transaction.js";
import {createRandom} from "../../../src/lib/data/random.js";
import {now} from "../../../src/lib/fit/clock.js";
import {BG_NBD} from "../../../src/lib/models/bgnbd.js";
import {countedModel} from "./counted.js";
import {MBG_NBD} from "../../../src/lib/models/mbgnbd.js";
import {PARETO_NBD} from "../../../src/lib/models/paretonbd.js";
import {simulateBgNbd, simulateParetoNbd} from "../../../src/lib/models/simulate.js";

const truth = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};

/** The grouping coarseRows should give, by a Map over rounded values. */
function naive(c: {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array}, step: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let j = 0; j < c.x.length; j++) {
    const T = Math.max(Math.round(c.T[j] / step), 1);
    const tx = Math.min(Math.round(c.tx[j] / step), T);
    const key = `${c.x[j]},${tx},${T}`;
    out.set(key, (out.get(key) ?? 0) + c.weight[j]);
  }
  return out;
}

function grouped(rows: {x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array}, step: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let q = 0; q < rows.x.length; q++) {
    const key = `${rows.x[q]},${Math.round(rows.tx[q] / step)},${Math.round(rows.T[q] / step)}`;
    if (out.has(key)) throw new Error(`cell ${key} appears twice`);
    out.set(key, rows.weight[q]);
  }
  return out;
}

describe("coarseRows", () => {
  it("groups rows on the grid by one array of cells, as a Map over the rounded values does", () => {
    const c = compressSummaries(simulateBgNbd(truth, {customers: 20_000, T: 52, cohortSpread: 12, resolution: 0, seed: 3}));
    let maxT = 0;
    for (let j = 0; j < c.rows; j++) maxT = Math.max(maxT, c.T[j]);
    for (const grid of [100, 250]) {
      const step = maxT / grid;
      const rows = coarseRows(c, step, grid)!;
      expect(rows.x.length).toBeLessThan(c.rows / 2);
      expect(grouped(rows, step)).toEqual(naive(c, step));
      let outside = 0;
      for (let q = 0; q < rows.x.length; q++) if (!(rows.tx[q] <= rows.T[q] && rows.T[q] > 0)) outside++;
      expect(outside).toBe(0);
    }
  });

  it("falls back to hashing the cells when the frequencies are too many for one array, with the same groups", () => {
    // frequencies up to 5,000: 5,001 triangles of 5,151 cells are past the dense array's size
    const n = 3000;
    const c = {
      x: Float64Array.from({length: n}, (_, i) => (i % 7 === 0 ? 5000 : i % 5)),
      tx: Float64Array.from({length: n}, (_, i) => (i % 5 === 0 ? 0 : (i % 37) / 4)),
      T: Float64Array.from({length: n}, (_, i) => 10 + (i % 29) / 3),
      weight: Float64Array.from({length: n}, (_, i) => 1 + (i % 3)),
      index: new Int32Array(0),
      customers: 2 * n,
      rows: n
    };
    for (let j = 0; j < n; j++) if (c.x[j] === 0) c.tx[j] = 0;
    const step = (10 + 28 / 3) / 100;
    const rows = coarseRows(c, step, 100)!;
    expect(grouped(rows, step)).toEqual(naive(c, step));
    expect(rows.weight.reduce((s, w) => s + w, 0)).toBe(c.weight.reduce((s, w) => s + w, 0));
  });
});

describe("fits on a million-customer scale path: fitRows, the coarse start, Newton steps", () => {
  it("BG/NBD and MBG/NBD from the coarse start reach the cold fit's maximum (continuous times, 60,000 customers)", () => {
    const data = simulateBgNbd(truth, {customers: 60_000, T: 52, cohortSpread: 12, resolution: 0, seed: 21});
    const c = fitRows(data);
    for (const model of [BG_NBD, MBG_NBD] as const) {
      const start = coarseStart(model, c, {}, 0)!;
      expect(start).not.toBeNull();
      const warm = fitTransactionCompressed(model, c, {initial: [start]});
      const cold = fitTransaction(model, data); // 60,000 rows: below COARSE_START_ROWS, from the default starts
      expect(warm.converged && cold.converged).toBe(true);
      // BFGS stops on its relative-function test a little short of the maximum Newton steps reach
      for (const k of model.parameters) expect(Math.abs(warm.params[k] / cold.params[k] - 1), `${model.name} ${k}`).toBeLessThan(1e-5);
      expect(warm.logLikelihood).toBeGreaterThan(cold.logLikelihood - 1e-6);
      expect(Math.abs(warm.logLikelihood / cold.logLikelihood - 1)).toBeLessThan(1e-10);
      // two passes over the data: the start, then one Newton step (and the last, tiny one on the model's word)
      expect(warm.iterations).toBeLessThanOrEqual(2);
    }
  });

  it("the start extrapolates the fits on grids of 50 and 100 steps: closer than the 100-step fit alone (Pareto/NBD, 60,000 continuous customers)", () => {
    const data = simulateParetoNbd({r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}, {customers: 60_000, T: 52, cohortSpread: 12, resolution: 0, seed: 21});
    const c = fitRows(data);
    const start = coarseStart(PARETO_NBD, c, {}, 0)!;
    expect(start).not.toBeNull();
    const fit = fitTransactionCompressed(PARETO_NBD, c, {initial: [start]});
    expect(fit.converged).toBe(true);
    let maxT = 0;
    for (let j = 0; j < c.rows; j++) maxT = Math.max(maxT, c.T[j]);
    const grid = coarseRows(c, maxT / 100, 100)!;
    const plain = fitTransactionCompressed(PARETO_NBD, {...grid, index: new Int32Array(0), customers: c.customers, rows: grid.x.length}, {initial: [start], standardErrors: false});
    expect(plain.converged).toBe(true);
    const error = (p: Record<string, number>) => Math.max(...PARETO_NBD.parameters.map((k) => Math.abs(Math.log(p[k] / (fit.params as unknown as Record<string, number>)[k]))));
    // 1.3e-3 against 6.3e-3 in log-parameters (rounding moves the estimate by c·h²; the extrapolation removes that term)
    expect(error(start)).toBeLessThan(error(plain.params as unknown as Record<string, number>) / 3);
    expect(error(start)).toBeGreaterThan(0);
  });
});

describe("a fit whose coarse fit finds no maximum", () => {
  /**
   * Orders placed by customers drawn uniformly at random on random days of 1,000 (bench/upload-browser.ts's file):
   * everyone buys at one rate and nobody drops out, so the likelihood has no maximum. Summaries in weeks at
   * day 818, as the Model validation page's calibration end leaves them.
   */
  function oneRate(orders: number, seed: number) {
    const random = createRandom(seed);
    const customers = orders / 2;
    const days: number[][] = Array.from({length: customers}, () => []);
    for (let k = 0; k < orders; k++) days[Math.floor(random() * customers)].push(Math.floor(random() * 1000));
    const end = 818;
    const frequency: number[] = [];
    const recency: number[] = [];
    const T: number[] = [];
    for (const bought of days) {
      const seen = [...new Set(bought.filter((d) => d < end))].sort((a, b) => a - b);
      if (!seen.length) continue;
      frequency.push(seen.length - 1);
      recency.push((seen[seen.length - 1] - seen[0]) / 7);
      T.push((end - seen[0]) / 7);
    }
    return {frequency, recency, T};
  }

  // A seed whose coarse fit runs off (on some, the grid has a finite maximum); made once for both tests.
  let ridge: ReturnType<typeof fitRows> | null = null;
  const ridgeData = () => (ridge ??= fitRows(oneRate(1_000_000, 2)));

  it("tries the full fit first where the coarse fit ran off: a few passes over the data, not the default starts' ridge until the time budget (BG/NBD, 400,000 customers)", () => {
    const c = ridgeData();
    expect(c.rows).toBeGreaterThanOrEqual(COARSE_START_ROWS);
    const outcome = coarseOutcome(BG_NBD, c, {})!;
    expect(outcome.start).toBeNull();
    expect(outcome.ridge).not.toBeNull();
    // Passes over the full data (value, gradient or Hessian alike); the coarse fits' rows are fewer.
    let passes = 0;
    const counted = countedModel(BG_NBD, (rows) => {
      if (rows.x.length === c.rows) passes++;
    });
    const fit = fitTransactionCompressed(counted, c, {timeBudget: 600});
    expect(fit.converged).toBe(false);
    expect(fit.identified).toBe(false);
    expect(fit.stoppedEarly).toBeNull();
    expect(fit.message).toMatch(/ran to (∞|0)/);
    expect(() => fitTransactionCompressed(BG_NBD, c, {deadline: NaN})).toThrow(/deadline must be a finite time/);
    // From the default starts alone the fit followed the ridge for thousands of passes (77 s here).
    expect(passes).toBeLessThan(500);
  });

  it("shares one time budget between the coarse fits and the full fit", () => {
    const c = ridgeData();
    expect(c.rows).toBeGreaterThanOrEqual(COARSE_START_ROWS); // the coarse fits run first
    // With no time left the coarse fits find nothing (on their own budget they found the ridge: the test above)...
    expect(coarseOutcome(BG_NBD, c, {deadline: now() - 1})).toEqual({start: null, ridge: null});
    // ...and the full fit stops on the same deadline, saying so.
    const fit = fitTransactionCompressed(BG_NBD, c, {deadline: now() - 1});
    expect(fit.converged).toBe(false);
    expect(fit.stoppedEarly).toBe("time");
    expect(fit.message).toMatch(/time budget/);
  });
});
