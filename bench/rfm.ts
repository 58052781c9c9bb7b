/**
 * RFM scoring of many customers in Node: Arquero (src/lib/rfm/scores.ts) against DuckDB SQL (src/lib/rfm/sql.ts),
 * median wall time of several runs on the same seeded synthetic transactions.
 *   npx tsx bench/rfm.ts [customers] [runs]
 * Wall and CPU time are both reported because a shared machine can starve either. The DuckDB timing is
 * computation only (CREATE TABLE AS); bringing 1M result rows into JS objects is
 * measured once separately. Both results are compared through a checksum of every customer's scores.
 */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import * as aq from "arquero";
import {rfmScores, rfmValues, scoreRfm} from "../src/lib/rfm/scores.js";
import {rfmScoresSql} from "../src/lib/rfm/sql.js";
import {openDuckDB} from "../src/node/duckdb.js";
import {benchCommands, printCommands} from "./commands.js";

export interface Timing {
  wall: number;
  cpu: number;
}

export interface RfmBenchResult {
  customers: number;
  transactions: number;
  runs: number;
  /** Median milliseconds, wall clock and CPU of this process (all DuckDB threads included). */
  arquero: {full: Timing; scoreOnly: Timing};
  duckdb: {full: Timing; fetchRows: Timing};
  agree: boolean;
}

/** Seeded transactions: customer i has 1..4 orders over two years, amounts 1.00..500.00. */
function generate(customers: number): {customer_id: string[]; order_date: string[]; amount: Float64Array} {
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const days = Array.from({length: 730}, (_, d) => new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10));
  const ids: string[] = [];
  const dates: string[] = [];
  const amounts: number[] = [];
  for (let i = 0; i < customers; ++i) {
    const id = `c${i}`;
    const orders = 1 + Math.floor(random() * random() * 4);
    for (let j = 0; j < orders; ++j) {
      ids.push(id);
      dates.push(days[Math.floor(random() * days.length)]);
      amounts.push(Math.round(100 + random() * 49_900) / 100);
    }
  }
  return {customer_id: ids, order_date: dates, amount: Float64Array.from(amounts)};
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function time(runs: number, f: () => unknown): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; ++i) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await f();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return {wall: Math.round(median(wall)), cpu: Math.round(median(cpu))};
}

/** Order-free checksum of (customer number, scores) pairs; the same formula runs in SQL below. */
function checksum(table: aq.ColumnTable): number {
  const ids = table.array("customer_id") as string[];
  const [r, f, m] = ["r_score", "f_score", "m_score"].map((c) => table.array(c) as ArrayLike<number>);
  let sum = 0;
  for (let i = 0; i < ids.length; ++i) sum += ((Number(ids[i].slice(1)) % 9973) + 1) * (r[i] * 121 + f[i] * 11 + m[i]);
  return sum;
}

export async function benchRfm({customers = 1_000_000, runs = 5} = {}): Promise<RfmBenchResult> {
  const columns = generate(customers);
  const transactions = columns.customer_id.length;
  const table = aq.table(columns);
  const dir = mkdtempSync(join(tmpdir(), "rfm-bench-"));
  const db = await openDuckDB();
  try {
    const lines = ["customer_id,order_date,amount"];
    for (let i = 0; i < transactions; ++i) lines.push(`${columns.customer_id[i]},${columns.order_date[i]},${columns.amount[i]}`);
    const csv = join(dir, "transactions.csv");
    writeFileSync(csv, lines.join("\n") + "\n");
    lines.length = 0;
    await db.run(`CREATE TABLE transactions AS SELECT * FROM read_csv('${csv}', header = true,
      columns = {'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DOUBLE'})`);

    let scores = rfmScores(table);
    const full = await time(runs, () => (scores = rfmScores(table)));
    const values = rfmValues(table);
    const scoreOnly = await time(runs, () => scoreRfm(values));

    const sql = rfmScoresSql();
    await db.run(`CREATE OR REPLACE TABLE scores AS ${sql}`);
    const sqlFull = await time(runs, () => db.run(`CREATE OR REPLACE TABLE scores AS ${sql}`));
    const fetchRows = await time(1, () => db.query("SELECT * FROM scores"));

    const [{check, n}] = await db.query<{check: number; n: number}>(`SELECT count(*) AS n,
      sum((CAST(substr(customer_id, 2) AS BIGINT) % 9973 + 1) * (r_score * 121 + f_score * 11 + m_score)) AS check FROM scores`);
    return {
      customers,
      transactions,
      runs,
      arquero: {full, scoreOnly},
      duckdb: {full: sqlFull, fetchRows},
      agree: n === scores.numRows() && Number(check) === checksum(scores)
    };
  } finally {
    db.close();
    rmSync(dir, {recursive: true, force: true});
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [customers, runs] = process.argv.slice(2).map(Number);
  try {
    console.log(JSON.stringify(await benchRfm({customers: customers || undefined, runs: runs || undefined}), null, 2));
    // The figure: the whole `clv rfm FILE --out F.csv` on 1.6M orders against a bare ntile scoring.
    console.log("\nclv rfm on the 1.6M-order CSV, against a bare DuckDB ntile scoring (medians of 3):");
    printCommands(await benchCommands({orders: 1_600_000, repeats: 3, commands: ["rfm"]}));
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
