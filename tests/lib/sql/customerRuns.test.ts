import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../../src/node/duckdb-wasm.js";
import {loadDemo} from "../../../src/data/source.js";
import {CUSTOMERS_PER_RUN, byCustomerRuns, customerRunStarts, joinArrays, joinColumns, mergeOrder} from "../../../src/lib/sql/customerRuns.js";
import {birthsAndRepeats, customerData} from "../../../src/lib/clv/customers.js";
import {rfmSummary} from "../../../src/lib/rfm/derived.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import {presentColumns} from "../../../src/lib/explore/derived.js";

/** Typed arrays as plain arrays, so that a result read in runs and one read at once compare value by value. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v)));

describe("per-customer queries a run of customers at a time", () => {
  let db: NodeDuckDB;
  let customers: number;
  beforeAll(async () => {
    db = await openDuckDB();
    await loadDemo(db, {customers: 1500});
    [{customers}] = await db.query<{customers: number}>(`SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS customers FROM transactions`);
  });
  afterAll(() => db?.close());

  it("splits the customers into runs of the given size, in id order", async () => {
    const starts = await customerRunStarts(db, "transactions", 400);
    expect(starts).toHaveLength(Math.ceil(customers / 400) - 1);
    expect([...starts].sort()).toEqual(starts);
    for (const [i, start] of starts.entries()) {
      const [{below}] = await db.query<{below: number}>(`SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS below FROM transactions WHERE customer_id < '${start}'`);
      expect(below).toBe(400 * (i + 1));
    }
  });

  it("cuts long runs from a sample of the ids: every customer in one run, in id order, each run about the size asked", async () => {
    const wasm = await openDuckDBWasm();
    try {
      // 30,000 customers (ids of varied text), runs of 4,000: one id in four (by hash) is counted, so runs hold about 4,000.
      await wasm.run(`CREATE TABLE many AS SELECT 'c' || CAST(hash(i) % 1000000007 AS VARCHAR) || '-' || CAST(i AS VARCHAR) AS customer_id, i % 7 AS n FROM range(30000) t(i)`);
      const starts = await customerRunStarts(wasm, "many", 4000);
      expect([...starts].sort()).toEqual(starts);
      expect(starts.length).toBeGreaterThanOrEqual(5);
      expect(starts.length).toBeLessThanOrEqual(8);
      const sizes = await byCustomerRuns(wasm, "many", (source) => wasm.query<{n: number}>(`SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS n FROM "${source}"`).then(([{n}]) => n), (parts) => parts, 4000);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(30000);
      // Every run but the last about 4,000 (1,000 ids counted a run: within a few per cent, 15 % allowed here).
      for (const size of sizes.slice(0, -1)) expect(Math.abs(size - 4000)).toBeLessThan(600);
    } finally {
      wasm.close();
    }
  });

  it("is one run when every customer fits in it, when customer_id is not text, and refuses a size below 1", async () => {
    expect(await customerRunStarts(db, "transactions", customers)).toEqual([]);
    await db.run(`CREATE TABLE numbered AS SELECT CAST(row_number() OVER () AS INTEGER) AS customer_id FROM range(50)`);
    expect(await customerRunStarts(db, "numbered", 10)).toEqual([]);
    const seen: string[] = [];
    expect(await byCustomerRuns(db, "numbered", async (source) => (seen.push(source), 1), (parts) => parts.length, 10)).toBe(1);
    expect(seen).toEqual(["numbered"]);
    await expect(customerRunStarts(db, "transactions", 0)).rejects.toThrow(/at least 1/);
    await expect(customerRunStarts(db, "transactions", 2.5)).rejects.toThrow(/whole number/);
  });

  it("gives the CLV pages' customers and the RFM summary exactly as one run does", async () => {
    const columns = await presentColumns(db, "transactions");
    const selection = await selectTransactions(db, {filters: {}, columns, name: "everyone", dates: false});
    const options = {view: "everyone", columns, calibrationEnd: "2024-12-31", first: selection.first!, last: selection.last!};
    const once = await customerData(db, options);
    const inRuns = await customerData(db, {...options, customersPerRun: 97});
    expect(once.summaries.frequency.length).toBeGreaterThan(500);
    expect(once.holdout).not.toBeNull();
    expect(plain(inRuns)).toEqual(plain(once));
    expect(inRuns.summaries.frequency).toBeInstanceOf(Float64Array);
    expect(plain(await rfmSummary(db, {table: "everyone", customersPerRun: 97}))).toEqual(plain(await rfmSummary(db, {table: "everyone"})));
    // The cumulative purchases chart's births and repeat days, counted per run and summed per day.
    const daily = await birthsAndRepeats(db, {view: "everyone", calibrationEnd: "2024-12-31"});
    expect(daily.births.length).toBeGreaterThan(100);
    expect(daily.repeats.length).toBeGreaterThan(100);
    expect(await birthsAndRepeats(db, {view: "everyone", calibrationEnd: "2024-12-31", customersPerRun: 97})).toEqual(daily);
    expect(plain(await rfmSummary(db, {table: "everyone", before: "2024-06-01", customersPerRun: 97}))).toEqual(plain(await rfmSummary(db, {table: "everyone", before: "2024-06-01"})));
  });

  it("reads in one query on an engine that gives no run size (native DuckDB), without looking for runs", async () => {
    const asked: string[] = [];
    const counting = {query: <T>(sql: string) => (asked.push(sql), db.query<T>(sql))};
    expect(await byCustomerRuns(counting, "transactions", async (source) => source, (parts) => parts)).toEqual(["transactions"]);
    expect(asked).toEqual([]);
    expect(await byCustomerRuns({...counting, customersPerRun: 600}, "transactions", async (source) => source, (parts) => parts.length)).toBe(Math.ceil(customers / 600));
  });

  it("keeps two reads of one table at once apart (a page's cell running again before its last run ended)", async () => {
    const count = (source: string) => db.query<{n: number}>(`SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS n FROM "${source}"`).then(([{n}]) => n);
    const both = await Promise.all([300, 700].map((size) => byCustomerRuns(db, "transactions", count, (parts) => parts, size)));
    expect(both.map((sizes) => sizes.reduce((a, b) => a + b, 0))).toEqual([customers, customers]);
    expect(both[0].slice(0, -1).every((n) => n === 300) && both[1].slice(0, -1).every((n) => n === 700)).toBe(true);
  });

  it("drops its view after the last run, and when a run fails", async () => {
    const views = async () => (await db.query<{view_name: string}>(`SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'transactions_run%'`)).length;
    const sizes = await byCustomerRuns(db, "transactions", async (source) => (await db.query<{n: number}>(`SELECT CAST(count(DISTINCT customer_id) AS INTEGER) AS n FROM "${source}"`))[0].n, (parts) => parts, 600);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(customers);
    expect(sizes.slice(0, -1)).toEqual(sizes.slice(0, -1).map(() => 600));
    expect(await views()).toBe(0);
    let runs = 0;
    await expect(byCustomerRuns(db, "transactions", async () => {
      if (++runs === 2) throw new Error("the second run failed");
      return runs;
    }, (parts) => parts, 600)).rejects.toThrow("the second run failed");
    expect(await views()).toBe(0);
  });
});

describe("in DuckDB-WASM (the page's engine)", () => {
  let db: WasmDuckDB;
  beforeAll(async () => {
    db = await openDuckDBWasm();
    await db.run(`CREATE TABLE transactions AS SELECT 'c' || lpad(CAST(i % 250 AS VARCHAR), 3, '0') AS customer_id, DATE '2024-01-01' + CAST(i % 300 AS INTEGER) AS order_date, CAST(i % 17 AS DOUBLE) + 0.25 AS amount FROM range(3000) t(i)`);
  });
  afterAll(() => db?.close());

  it("reads in runs of CUSTOMERS_PER_RUN, and the same RFM summary in runs as at once", async () => {
    expect(db.customersPerRun).toBe(CUSTOMERS_PER_RUN);
    expect(await customerRunStarts(db, "transactions", 100)).toEqual(["c100", "c200"]);
    const once = await rfmSummary(db);
    expect(once.customer_id).toHaveLength(250);
    expect(plain(await rfmSummary(db, {customersPerRun: 100}))).toEqual(plain(once));
  });
});

describe("joinArrays and joinColumns", () => {
  it("join typed arrays of one kind as that kind, anything else as a plain array, in order", () => {
    const floats = joinArrays([Float64Array.of(1, 2), Float64Array.of(3), new Float64Array(0)]);
    expect(floats).toBeInstanceOf(Float64Array);
    expect(Array.from(floats)).toEqual([1, 2, 3]);
    const mixed = joinArrays<ArrayLike<unknown>>([Int32Array.of(1), [null, 3]]);
    expect(Array.isArray(mixed)).toBe(true);
    expect(mixed).toEqual([1, null, 3]);
    expect(joinArrays([["a"], ["b", "c"]])).toEqual(["a", "b", "c"]);
    const one = Int32Array.of(5);
    expect(joinArrays([one])).toBe(one);
    const columns = joinColumns([{id: ["a"], n: Int32Array.of(1)}, {id: ["b"], n: Int32Array.of(2)}]);
    expect(columns.id).toEqual(["a", "b"]);
    expect(Array.from(columns.n)).toEqual([1, 2]);
    expect(columns.n).toBeInstanceOf(Int32Array);
    // A run without a row, read by a runner without queryColumns, comes back without columns.
    const empty = {} as {id: string[]; n: Int32Array};
    expect(joinColumns([empty, {id: ["a"], n: Int32Array.of(1)}])).toEqual({id: ["a"], n: [1]});
  });
});

describe("mergeOrder", () => {
  it("reads sorted parts in the order of a stable sort of them all, ties from the earlier part first", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const parts = Math.floor(random() * 8);
      const keys: number[] = [], ends: number[] = [];
      for (let p = 0; p < parts; p++) {
        const rows = Array.from({length: Math.floor(random() * 6)}, () => Math.floor(random() * 5)).sort((a, b) => a - b);
        keys.push(...rows);
        ends.push(keys.length);
      }
      const order = Array.from(mergeOrder(ends, (a, b) => keys[a] - keys[b]));
      // Array.prototype.sort is stable: rows of equal keys keep their place, an earlier part's first.
      expect(order).toEqual(keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b]));
    }
    expect(Array.from(mergeOrder([], () => 0))).toEqual([]);
    expect(() => mergeOrder([3, 2], () => 0)).toThrow(/before it starts/);
  });
});
