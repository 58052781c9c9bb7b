/**
 * Data benchmark: generate the demo at 1M and 10M orders to Parquet (bench/output, gitignored), then in
 * native DuckDB time loading the file, the per-customer summary (src/lib/fit/summary.ts) over it, and a plain
 * `SELECT customer_id, count(*), sum(amount) ... GROUP BY customer_id` over the same file for the ratio.
 * Medians of `repeats` runs. Before that, the whole `clv check` and `clv summary` commands against the bare
 * engine (bench/commands.ts). Run with `npx tsx bench/data.ts [orders ...]`.
 */
import {mkdirSync, rmSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {openDuckDB, type NodeDuckDB} from "../src/node/duckdb.js";
import {loadDemo, sqlString, writeParquet} from "../src/data/source.js";
import {ORDERS_PER_CUSTOMER} from "../src/lib/data/demo.js";
import {customerSummary, summarySql} from "../src/lib/fit/summary.js";
import {benchCommands, printCommands} from "./commands.js";

const OUTPUT = resolve(fileURLToPath(new URL(".", import.meta.url)), "output");

export interface DataBenchResult {
  orders: number;
  customers: number;
  parquetBytes: number;
  /** Generate into DuckDB and write Parquet, once. */
  generateMs: number;
  /** CREATE TABLE ... AS SELECT * FROM read_parquet(...). */
  loadMs: number;
  /** The summary SQL over the Parquet file, materialised in DuckDB. */
  summaryMs: number;
  /** customerSummary() over the loaded table, rows returned to JS (only up to 2M orders). */
  summaryToJsMs: number | null;
  /** The plain GROUP BY over the Parquet file. */
  groupByMs: number;
  /** summaryMs / groupByMs. */
  ratio: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

async function timeMedian(repeats: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(await time(f));
  return median(times);
}

async function generate(orders: number, path: string): Promise<{customers: number; rows: number; ms: number}> {
  const customers = Math.round(orders / ORDERS_PER_CUSTOMER);
  const dbPath = join(OUTPUT, `generate-${orders}.duckdb`);
  rmSync(dbPath, {force: true});
  rmSync(`${dbPath}.wal`, {force: true});
  const db = await openDuckDB(dbPath);
  let rows = 0;
  try {
    const ms = await time(async () => {
      ({rows} = await loadDemo(db, {customers, batchCustomers: 50_000}));
      await writeParquet(db, "SELECT * FROM transactions", path, {deterministic: false});
    });
    return {customers, rows, ms};
  } finally {
    db.close();
    rmSync(dbPath, {force: true});
    rmSync(`${dbPath}.wal`, {force: true});
  }
}

export async function benchData({
  sizes = [1_000_000, 10_000_000],
  repeats = 5
}: {sizes?: number[]; repeats?: number} = {}): Promise<DataBenchResult[]> {
  mkdirSync(OUTPUT, {recursive: true});
  const results: DataBenchResult[] = [];
  for (const orders of sizes) {
    const path = join(OUTPUT, `demo-${orders}.parquet`);
    const {customers, rows, ms: generateMs} = await generate(orders, path);
    const file = `read_parquet(${sqlString(path)})`;
    const db: NodeDuckDB = await openDuckDB();
    try {
      await db.run(`CREATE VIEW parquet_transactions AS SELECT * FROM ${file}`);
      const loadMs = await timeMedian(repeats, () => db.run(`CREATE OR REPLACE TABLE transactions AS SELECT * FROM ${file}`));
      const summaryMs = await timeMedian(repeats, () =>
        db.run(`CREATE OR REPLACE TEMP TABLE summary AS ${summarySql({table: "parquet_transactions", calibrationEnd: "2024-12-31"})}`)
      );
      const groupByMs = await timeMedian(repeats, () =>
        db.run(`CREATE OR REPLACE TEMP TABLE plain AS SELECT customer_id, count(*), sum(amount) FROM ${file} GROUP BY customer_id`)
      );
      const summaryToJsMs =
        rows <= 2_000_000 ? await timeMedian(repeats, () => customerSummary(db, {calibrationEnd: "2024-12-31"})) : null;
      results.push({
        orders: rows,
        customers,
        parquetBytes: statSync(path).size,
        generateMs,
        loadMs,
        summaryMs,
        summaryToJsMs,
        groupByMs,
        ratio: summaryMs / groupByMs
      });
    } finally {
      db.close();
    }
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  // The issue's figures first: whole `clv check` and `clv summary` on 1.6M orders against the bare engine,
  // then the peak memory of `clv summary` on 10M orders (see bench/commands.ts).
  // CLV_BENCH_CSV: an issue CSV already written (bench/commands.ts generateCsv), used instead of a new one.
  const csv = process.env.CLV_BENCH_CSV || undefined;
  console.log(`clv check, summary and rfm on the 1.6M-order CSV${csv ? ` ${csv}` : ""}, against bare native DuckDB (medians of 3):`);
  printCommands(await benchCommands({orders: 1_600_000, repeats: 3, commands: ["check", "summary", "rfm"], csv}));
  if (process.env.CLV_BENCH_COMMANDS_ONLY) process.exit(0);
  if (sizes.some((n) => n >= 10_000_000)) {
    console.log("\nclv summary on 10M orders (one run; peak memory):");
    printCommands(await benchCommands({orders: 10_000_000, repeats: 1, commands: ["summary"]}));
  }
  console.log("\nthe summary SQL alone, over Parquet:");
  const results = await benchData(sizes.length ? {sizes} : {});
  const fmt = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);
  console.log("orders      customers  parquet MB  generate  load     summary  summary→JS  group by  ratio");
  for (const r of results) {
    console.log(
      [
        String(r.orders).padEnd(11),
        String(r.customers).padEnd(10),
        (r.parquetBytes / 2 ** 20).toFixed(1).padEnd(11),
        fmt(r.generateMs).padEnd(9),
        fmt(r.loadMs).padEnd(8),
        fmt(r.summaryMs).padEnd(8),
        fmt(r.summaryToJsMs).padEnd(11),
        fmt(r.groupByMs).padEnd(9),
        r.ratio.toFixed(2)
      ].join(" ")
    );
  }
}
