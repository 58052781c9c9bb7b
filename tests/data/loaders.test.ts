import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../src/node/duckdb.js";
import {resolveSource} from "../../src/data/source.js";
import {DEMO_DEFAULTS, DEMO_TRUE_PARAMS, demoBatches} from "../../src/lib/data/demo.js";

const ROOT = resolve(import.meta.dirname, "../..");
const OUTPUT = join(ROOT, "tests/output/loaders");

/** Runs a data loader the way Framework does (tsx, cwd = project root) and returns its stdout bytes. */
function runLoader(loader: string, env: Record<string, string> = {}): Buffer {
  const result = spawnSync("npx", ["tsx", loader], {
    cwd: ROOT,
    env: {...process.env, ...env},
    maxBuffer: 64 * 1024 * 1024,
    timeout: 170_000
  });
  if (result.status !== 0) throw new Error(`${loader} exited ${result.status}: ${result.stderr?.toString()}`);
  return result.stdout;
}

describe("transactions.parquet.ts (demo)", () => {
  let db: NodeDuckDB;
  let bytes: Buffer;
  const path = join(OUTPUT, "transactions.parquet");

  beforeAll(async () => {
    mkdirSync(OUTPUT, {recursive: true});
    bytes = runLoader("src/data/transactions.parquet.ts", {CLV_DATA: "demo"});
    writeFileSync(path, bytes);
    db = await openDuckDB();
  }, 180_000);
  afterAll(() => db?.close());

  it("writes Parquet with the canonical schema, under 4 MB", async () => {
    expect(bytes.subarray(0, 4).toString()).toBe("PAR1");
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
    const schema = await db.query<{column_name: string; column_type: string}>(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(schema.map((c) => [c.column_name, c.column_type])).toEqual([
      ["customer_id", "VARCHAR"],
      ["order_date", "DATE"],
      ["amount", "DOUBLE"],
      ["order_id", "VARCHAR"],
      ["quantity", "INTEGER"],
      ["cost", "DOUBLE"],
      ["region", "VARCHAR"],
      ["province", "VARCHAR"],
      ["partner", "VARCHAR"],
      ["offer_type", "VARCHAR"],
      ["category", "VARCHAR"],
      ["customer_segment", "VARCHAR"]
    ]);
  });

  it("holds exactly the generated demo", async () => {
    let rows = 0;
    let amount = 0;
    for (const batch of demoBatches()) {
      rows += batch.length;
      for (let i = 0; i < batch.length; i++) amount += batch.amount[i];
    }
    const [stats] = await db.query<Record<string, number | string>>(
      `SELECT count(*) AS n, count(DISTINCT customer_id) AS customers, count(DISTINCT order_id) AS orders, sum(amount) AS amount,
        min(order_date) AS first, max(order_date) AS last, count(*) FILTER (WHERE region IS NULL OR partner IS NULL) AS nulls
      FROM read_parquet('${path}')`
    );
    expect(stats).toMatchObject({n: rows, customers: DEMO_DEFAULTS.customers, orders: rows, first: DEMO_DEFAULTS.start, last: DEMO_DEFAULTS.end, nulls: 0});
    expect(stats.amount as number).toBeCloseTo(amount, 4);
    const [row] = await db.query(`SELECT * FROM read_parquet('${path}') WHERE order_id = 'C0000001-001'`);
    expect(row).toMatchObject({customer_id: "C0000001"});
  });

  it("produces identical bytes twice", () => {
    expect(runLoader("src/data/transactions.parquet.ts", {CLV_DATA: "demo"}).equals(bytes)).toBe(true);
  }, 180_000);
});

describe("demo-params.json.ts", () => {
  it("writes the true parameters and settings", () => {
    const json = JSON.parse(runLoader("src/data/demo-params.json.ts", {CLV_DATA: "demo"}).toString());
    expect(json.source).toBe("demo");
    expect(json.params).toEqual(JSON.parse(JSON.stringify(DEMO_TRUE_PARAMS)));
    expect(json.byUnit.day.bgnbd.alpha).toBeCloseTo(DEMO_TRUE_PARAMS.bgnbd.alpha * 7, 12);
    expect(json.settings).toMatchObject({...DEMO_DEFAULTS, calibrationEnd: DEMO_DEFAULTS.arrivalEnd});
  }, 180_000);
});

describe("resolveSource", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "clv-source-"));
  });
  afterAll(() => rmSync(root, {recursive: true, force: true}));

  it("uses the demo without data, or with several data files", () => {
    expect(resolveSource({env: {}, root})).toEqual({kind: "demo"});
    mkdirSync(join(root, "data"));
    writeFileSync(join(root, "data/README.md"), "notes");
    expect(resolveSource({env: {}, root})).toEqual({kind: "demo"});
    writeFileSync(join(root, "data/a.csv"), "x");
    writeFileSync(join(root, "data/b.parquet"), "x");
    expect(resolveSource({env: {}, root})).toEqual({kind: "demo"});
  });

  it("uses the only .csv/.parquet in data/", () => {
    rmSync(join(root, "data/b.parquet"));
    expect(resolveSource({env: {}, root})).toEqual({kind: "file", path: join(root, "data/a.csv")});
  });

  it("prefers CLV_DATA, which may force the demo, and rejects a bad one", () => {
    writeFileSync(join(root, "mine.parquet"), "x");
    expect(resolveSource({env: {CLV_DATA: "mine.parquet"}, root})).toEqual({kind: "file", path: join(root, "mine.parquet")});
    expect(resolveSource({env: {CLV_DATA: "demo"}, root})).toEqual({kind: "demo"});
    expect(() => resolveSource({env: {CLV_DATA: "missing.csv"}, root})).toThrow(/missing\.csv/);
    expect(() => resolveSource({env: {CLV_DATA: "notes.txt"}, root})).toThrow(/notes\.txt/);
  });
});

describe("transactions.parquet.ts (user file)", () => {
  it("ships the user's CSV named by CLV_DATA, cleaned into canonical columns", async () => {
    mkdirSync(OUTPUT, {recursive: true});
    const csv = join(OUTPUT, "mine.csv");
    writeFileSync(csv, "Customer ID,Order Date,Sales\nA,2024-01-01,10.5\nA,2024-02-01,20\nB,2024-01-15,7\n");
    const path = join(OUTPUT, "mine.parquet");
    writeFileSync(path, runLoader("src/data/transactions.parquet.ts", {CLV_DATA: csv}));
    const db = await openDuckDB();
    const rows = await db.query(`SELECT customer_id, order_date, amount FROM read_parquet('${path}') ORDER BY customer_id, order_date`);
    expect(rows).toEqual([
      {customer_id: "A", order_date: "2024-01-01", amount: 10.5},
      {customer_id: "A", order_date: "2024-02-01", amount: 20},
      {customer_id: "B", order_date: "2024-01-15", amount: 7}
    ]);
    db.close();
    expect(readFileSync(path).subarray(0, 4).toString()).toBe("PAR1");
  }, 180_000);
});
