import {describe, expect, it} from "vitest";
import {compressSummaries, DISTINCT_CHECK_CUSTOMERS, fitRows} from "../../../src/lib/fit/compress.js";
import {fitTransactionCompressed} from "../../../src/lib/fit/transaction.js";
import {BG_NBD} from "../../../src/lib/models/bgnbd.js";
import {MBG_NBD} from "../../../src/lib/models/mbgnbd.js";
import {simulateBgNbd} from "../../../src/lib/models/simulate.js";

const truth = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const customers = DISTINCT_CHECK_CUSTOMERS + 4_000;
// Continuous recency and T: about one distinct row per customer.
const continuous = simulateBgNbd(truth, {customers, T: 52, cohortSpread: 12, resolution: 0, seed: 11});
// Times on a daily grid: some 26,000 distinct rows.
const daily = simulateBgNbd(truth, {customers, T: 52, cohortSpread: 12, resolution: 1 / 7, seed: 11});

describe("fitRows: compressed rows, or the columns themselves when nearly every row is distinct", () => {
  it("uses the validated columns with unit weights on continuous times", () => {
    const rows = fitRows(continuous);
    expect(rows.rows).toBe(customers);
    expect(rows.customers).toBe(customers);
    expect(Array.from(rows.weight.subarray(0, 5))).toEqual([1, 1, 1, 1, 1]);
    let zeroes = 0;
    for (let i = 0; i < customers; i++) {
      expect(rows.index[i]).toBe(i);
      if (rows.x[i] === 0) {
        zeroes++;
        expect(rows.tx[i]).toBe(0);
      } else expect(rows.tx[i]).toBe(continuous.recency[i]);
      expect(rows.T[i]).toBe(continuous.T[i]);
    }
    expect(zeroes).toBeGreaterThan(0);
  });

  it("compresses data that group (a daily grid), small inputs and rows of objects, as compressSummaries does", () => {
    const grid = fitRows(daily);
    const compressed = compressSummaries(daily);
    expect(grid.rows).toBe(compressed.rows);
    expect(grid.rows).toBeLessThan(customers / 2);
    expect(Array.from(grid.weight)).toEqual(Array.from(compressed.weight));
    const small = {frequency: continuous.frequency.slice(0, 5000), recency: continuous.recency.slice(0, 5000), T: continuous.T.slice(0, 5000)};
    expect(fitRows(small).index).toEqual(compressSummaries(small).index);
    const objects = Array.from({length: customers}, (_, i) => ({frequency: continuous.frequency[i], recency: continuous.recency[i], T: continuous.T[i]}));
    expect(fitRows(objects).rows).toBe(compressSummaries(objects).rows);
  });

  it("judges a data set by customers spread over it: distinct rows followed by many copies of a few are compressed", () => {
    const n = customers;
    const frequency = new Float64Array(n);
    const recency = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const first = i < 4096; // distinct at the start only
      frequency[i] = first ? continuous.frequency[i] : i % 3;
      recency[i] = first ? continuous.recency[i] : i % 3;
      T[i] = first ? continuous.T[i] : 10;
    }
    expect(fitRows({frequency, recency, T}).rows).toBeLessThanOrEqual(4096 + 3);
  });

  it("gives the same estimates as the compressed rows, to 1e-9 relative (BG/NBD and MBG/NBD)", () => {
    // The last 500 customers repeat the first 500: compression groups them, the direct path keeps them apart.
    const copy = (v: Float64Array) => Float64Array.from(v, (value, i) => (i >= customers - 500 ? v[i - (customers - 500)] : value));
    const data = {frequency: copy(continuous.frequency), recency: copy(continuous.recency), T: copy(continuous.T)};
    const direct = fitRows(data);
    const compressed = compressSummaries(data);
    expect(direct.rows).toBe(customers);
    expect(compressed.rows).toBeLessThanOrEqual(customers - 500);
    for (const model of [BG_NBD, MBG_NBD] as const) {
      const a = fitTransactionCompressed(model, direct, {standardErrors: false});
      const b = fitTransactionCompressed(model, compressed, {standardErrors: false});
      expect(a.converged && b.converged).toBe(true);
      for (const k of model.parameters) expect(Math.abs(a.params[k] / b.params[k] - 1), `${model.name} ${k}`).toBeLessThan(1e-9);
      expect(Math.abs(a.logLikelihood / b.logLikelihood - 1)).toBeLessThan(1e-12);
    }
  });

  it("validates every customer on the direct path, naming the customer", () => {
    const recency = Float64Array.from(continuous.recency);
    recency[1234] = continuous.T[1234] + 1;
    const ids = Array.from({length: customers}, (_, i) => `c${i}`);
    expect(() => fitRows({frequency: continuous.frequency, recency, T: continuous.T}, {ids})).toThrow(/customer "c1234": recency .* is larger than T/);
    // The same ids as UTF-8 bytes (a CLV table's, sent to the fit worker): the message names the same customer.
    const bytes = new TextEncoder().encode(ids.join(""));
    const offsets = new Int32Array(customers + 1);
    for (let i = 0; i < customers; i++) offsets[i + 1] = offsets[i] + ids[i].length;
    expect(() => fitRows({frequency: continuous.frequency, recency, T: continuous.T}, {ids: {offsets, bytes}})).toThrow(/customer "c1234": recency .* is larger than T/);
    expect(() => compressSummaries({frequency: continuous.frequency.slice(0, 10), recency: recency.slice(1230, 1240), T: continuous.T.slice(1230, 1240)}, {ids: {offsets: offsets.slice(1230, 1241), bytes}})).toThrow(/customer "c1234"/);
    const frequency = Float64Array.from(continuous.frequency);
    frequency[77] = NaN;
    expect(() => fitRows({frequency, recency: continuous.recency, T: continuous.T})).toThrow(/summary row 77: frequency, recency and T must be finite/);
  });
});
