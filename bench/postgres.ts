/**
 * `npm run bench -- postgres [N ...]`: N orders (default 1M, 3M and 10M) of the demo generator
 * (src/lib/data/demo.ts through src/data/source.ts) as Parquet read by native DuckDB (one file, and a
 * hive-partitioned folder `year=…/month=…/`) and in PostgreSQL (a throwaway server, see tests/node/pg-server.ts,
 * loaded with `\copy`): `clv summary` and `clv fit` end to end, each a separate `clv` process, as a user
 * would run them. For each run: wall time, peak resident memory of the clv process (and, for PostgreSQL, of
 * the largest server process), and for PostgreSQL the rows and bytes that came back from the server, counted
 * on the wire by a relay between clv and the server (DataRow messages and bytes, server to client).
 * Everything lives in one folder under the system's temporary folder, deleted at the end. Figures are
 * printed, not asserted.
 */
import {spawn} from "node:child_process";
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from "node:fs";
import {createConnection, createServer, type AddressInfo, type Server} from "node:net";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {startPostgres, type PgServer} from "../tests/node/pg-server.js";
import {openDuckDB} from "../src/node/duckdb.js";
import {loadDemo, sqlString, writeParquet} from "../src/data/source.js";
import {ORDERS_PER_CUSTOMER} from "../src/lib/data/demo.js";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const CALIBRATION_END = "2024-06-30";
/** The columns an order table of a warehouse would have; the Parquet files hold the same ones. */
const COLUMNS = "customer_id, order_id, order_date, amount";

/** Total size in bytes of a file or of every file under a folder. */
function sizeOf(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** The demo's first `orders` orders written as one Parquet file, a hive-partitioned folder and a CSV file. */
async function generate(dir: string, orders: number): Promise<{rows: number; parquet: string; hive: string; csv: string; seconds: number}> {
  const t = performance.now();
  const dbPath = join(dir, "generate.duckdb");
  const db = await openDuckDB(dbPath);
  const parquet = join(dir, `orders-${orders}.parquet`);
  const hive = join(dir, `orders-${orders}`);
  const csv = join(dir, `orders-${orders}.csv`);
  try {
    await db.run("SET memory_limit = '2GB'; SET preserve_insertion_order = false");
    const {rows} = await loadDemo(db, {customers: Math.round(orders / ORDERS_PER_CUSTOMER), batchCustomers: 50_000});
    await writeParquet(db, `SELECT ${COLUMNS} FROM transactions`, parquet, {deterministic: false});
    await db.run(
      `COPY (SELECT ${COLUMNS}, year(order_date) AS year, lpad(CAST(month(order_date) AS VARCHAR), 2, '0') AS month FROM transactions)
       TO ${sqlString(hive)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month))`
    );
    await db.run(`COPY (SELECT ${COLUMNS} FROM transactions) TO ${sqlString(csv)} (FORMAT csv, HEADER)`);
    return {rows, parquet, hive, csv, seconds: (performance.now() - t) / 1000};
  } finally {
    db.close();
    rmSync(dbPath, {force: true});
    rmSync(`${dbPath}.wal`, {force: true});
  }
}

/**
 * A relay on 127.0.0.1 in front of the server that counts what the server sends: bytes, and DataRow ('D')
 * messages of the PostgreSQL protocol (one per result row). reset() starts a new count.
 */
async function wireCounter(port: number): Promise<{port: number; counts: {rows: number; bytes: number}; reset(): void; close(): Promise<void>}> {
  const counts = {rows: 0, bytes: 0};
  const server: Server = createServer((client) => {
    const upstream = createConnection({host: "127.0.0.1", port});
    // Parse the server's stream: after the first byte (S or N for an SSL request, never sent here) every
    // message is a type byte and a big-endian length that counts itself.
    let pending: Buffer = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      counts.bytes += chunk.length;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      while (pending.length - at >= 5) {
        const length = pending.readUInt32BE(at + 1);
        if (pending.length - at < 1 + length) break;
        if (pending[at] === 0x44) counts.rows++;
        at += 1 + length;
      }
      pending = pending.subarray(at);
      client.write(chunk);
    });
    client.on("data", (chunk) => upstream.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    reset() {
      counts.rows = 0;
      counts.bytes = 0;
    },
    close: () => new Promise((done) => server.close(() => done()))
  };
}

/** Peak resident memory (VmHWM, kB) of a process, or 0 once it is gone. */
function peakKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf-8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Process ids of the children of `pid`. */
function children(pid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf-8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

interface Run {
  seconds: number;
  /** Peak resident memory of the clv process, MB. */
  clvMb: number;
  /** Peak resident memory of the largest PostgreSQL backend or worker during the run, MB. */
  serverMb: number;
  stdout: string;
}

/** Runs `clv args`, sampling the peak memory of clv and of the children of `postmaster` every 100 ms. */
async function runClv(args: string[], postmaster: number | null): Promise<Run> {
  const t = performance.now();
  const child = spawn(process.execPath, [join(ROOT, "bin/clv.mjs"), ...args], {env: {...process.env, TZ: "UTC"}, stdio: ["ignore", "pipe", "pipe"]});
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let clvKb = 0;
  let serverKb = 0;
  const baseline = new Set(postmaster ? children(postmaster) : []);
  const sample = () => {
    clvKb = Math.max(clvKb, peakKb(child.pid!));
    if (postmaster) for (const pid of children(postmaster)) if (!baseline.has(pid)) serverKb = Math.max(serverKb, peakKb(pid));
  };
  const timer = setInterval(sample, 100);
  const code = await new Promise<number>((done) => child.on("exit", (status) => done(status ?? 1)));
  clearInterval(timer);
  const seconds = (performance.now() - t) / 1000;
  if (code !== 0) throw new Error(`clv ${args.join(" ")} failed (${code}): ${stderr.trim()}`);
  return {seconds, clvMb: clvKb / 1024, serverMb: serverKb / 1024, stdout};
}

/** The one value of a one-row, one-column query, from psql's aligned output (a header, a rule, the value). */
function scalar(server: PgServer, sql: string): string {
  return server.psql(sql).split("\n")[2].trim();
}

function postmasterPid(server: PgServer): number {
  const data = scalar(server, "SHOW data_directory");
  return Number(readFileSync(join(data, "postmaster.pid"), "utf-8").split("\n")[0]);
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const dir = mkdtempSync(join(tmpdir(), "clv-bench-pg-"));
let server: PgServer | null = null;
let relay: Awaited<ReturnType<typeof wireCounter>> | null = null;
try {
  server = await startPostgres();
  relay = await wireCounter(server.port);
  const url = server.url.replace(`:${server.port}/`, `:${relay.port}/`);
  const postmaster = postmasterPid(server);
  console.log("orders      input                  command   time s  clv MB  server MB  rows back   MB back  result");
  for (const orders of sizes.length ? sizes : [1_000_000, 3_000_000, 10_000_000]) {
    const sub = join(dir, String(orders));
    mkdirSync(sub);
    const data = await generate(sub, orders);
    server.psql("DROP TABLE IF EXISTS orders; CREATE TABLE orders (customer_id text, order_id text, order_date date, amount numeric(12, 2))");
    let t = performance.now();
    server.psql(`\\copy orders FROM '${data.csv}' WITH (FORMAT csv, HEADER true)`);
    server.psql("ANALYZE orders");
    const loadSeconds = (performance.now() - t) / 1000;
    const tableMb = Number(scalar(server, "SELECT pg_total_relation_size('orders')")) / 1e6;
    rmSync(data.csv);
    console.log(
      `${data.rows.toLocaleString("en-US")} orders: generated in ${data.seconds.toFixed(1)} s; Parquet ${(sizeOf(data.parquet) / 1e6).toFixed(0)} MB, ` +
        `hive folder ${(sizeOf(data.hive) / 1e6).toFixed(0)} MB; PostgreSQL table ${tableMb.toFixed(0)} MB, loaded in ${loadSeconds.toFixed(1)} s`
    );
    const inputs: [string, string[]][] = [
      ["Parquet file (DuckDB)", [data.parquet]],
      ["hive folder (DuckDB)", [data.hive]],
      ["PostgreSQL", ["--db", url, "--table", "orders", "--db-timeout", "7200"]]
    ];
    for (const [label, input] of inputs) {
      for (const command of ["summary", "fit"]) {
        const out = join(sub, "summary.parquet");
        const args =
          command === "summary"
            ? ["summary", ...input, "--calibration-end", CALIBRATION_END, "--out", out, "--quiet"]
            : ["fit", ...input, "--calibration-end", CALIBRATION_END, "--model", "bgnbd", "--json", "--quiet"];
        const onServer = label === "PostgreSQL";
        relay.reset();
        t = performance.now();
        const run = await runClv(args, onServer ? postmaster : null);
        const back = {...relay.counts};
        let result: string;
        if (command === "summary") {
          const db = await openDuckDB();
          const [{n}] = await db.query<{n: number}>(`SELECT count(*) AS n FROM read_parquet(${sqlString(out)})`);
          db.close();
          rmSync(out);
          result = `${Number(n).toLocaleString("en-US")} customers`;
        } else {
          const fit = JSON.parse(run.stdout);
          const params = fit.params ?? fit.parameters ?? fit;
          result = `r=${Number(params.r).toFixed(3)} alpha=${Number(params.alpha).toFixed(2)} a=${Number(params.a).toFixed(3)} b=${Number(params.b).toFixed(3)}`;
        }
        console.log(
          [
            data.rows.toLocaleString("en-US").padEnd(11),
            label.padEnd(22),
            command.padEnd(8),
            run.seconds.toFixed(1).padStart(7),
            run.clvMb.toFixed(0).padStart(7),
            (onServer ? run.serverMb.toFixed(0) : "-").padStart(10),
            (onServer ? back.rows.toLocaleString("en-US") : "-").padStart(10),
            (onServer ? (back.bytes / 1e6).toFixed(1) : "-").padStart(9),
            ` ${result}`
          ].join(" ")
        );
      }
    }
    server.psql("DROP TABLE orders");
    rmSync(sub, {recursive: true, force: true});
  }
} finally {
  await relay?.close();
  server?.stop();
  rmSync(dir, {recursive: true, force: true});
}
