/**
 * `npm run bench -- postgres [N ...]`: N orders (default 1M and 10M) in PostgreSQL (a throwaway server, see
 * tests/node/pg-server.ts) and as Parquet read by native DuckDB: clean + summary, and clean + compressed
 * summary + BG/NBD fit, end to end through the CLI's session, with the rows and bytes that came back from
 * the server. Figures are printed, not asserted.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {startPostgres} from "../tests/node/pg-server.js";
import {openDuckDB} from "../src/node/duckdb.js";
import {openSession} from "../src/cli/session.js";
import {parseCommand} from "../src/cli/args.js";
import {customerSummary} from "../src/lib/fit/summary.js";
import {compressedCalibration, fitSettings} from "../src/cli/fitting.js";
import {fitTransactionModel} from "../src/lib/clv/predict.js";

const sizes = process.argv.slice(2).map(Number);
const server = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), "clv-bench-pg-"));
try {
  for (const n of sizes.length ? sizes : [1_000_000, 10_000_000]) {
    const customers = Math.round(n / 10);
    const parquet = join(dir, `orders-${n}.parquet`);
    const csv = join(dir, `orders-${n}.csv`);
    const db = await openDuckDB();
    // Deterministic orders: customer, a day in 2023-2024, an amount with cents.
    await db.run(`COPY (SELECT 'C' || lpad(CAST(hash(i) % ${customers} AS VARCHAR), 7, '0') AS customer_id,
        strftime(DATE '2023-01-01' + CAST(hash(i * 7 + 1) % 730 AS INTEGER), '%Y-%m-%d') AS order_date,
        CAST(round(5 + (hash(i * 13 + 5) % 20000) / 100.0, 2) AS VARCHAR) AS amount
      FROM range(${n}) t(i)) TO '${parquet}' (FORMAT PARQUET)`);
    await db.run(`COPY (SELECT * FROM '${parquet}') TO '${csv}' (FORMAT CSV, HEADER)`);
    db.close();
    server.psql(`DROP TABLE IF EXISTS orders; CREATE TABLE orders (customer_id text, order_date text, amount text)`);
    let t = performance.now();
    server.psql(`\\copy orders FROM '${csv}' WITH (FORMAT csv, HEADER true)`);
    server.psql("ANALYZE orders");
    console.log(`${n.toLocaleString("en-US")} orders: loaded into PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    for (const [engine, input] of [["duckdb (Parquet)", [parquet]], ["postgresql", ["--db", server.url, "--table", "orders"]]] as const) {
      for (const task of ["summary", "fit"] as const) {
        const args = parseCommand([...input, "--quiet", "--calibration-end", "2024-06-30"], {options: {"calibration-end": {type: "string"}, unit: {type: "string"}, penalizer: {type: "string"}, model: {type: "string"}}});
        t = performance.now();
        const session = await openSession(args);
        const cleaned = performance.now();
        let detail: string;
        if (task === "summary") {
          const rows = await customerSummary(session.engine, {table: session.purchases, calibrationEnd: "2024-06-30", dialect: session.dialect});
          detail = `${rows.length.toLocaleString("en-US")} customers`;
        } else {
          const {summary, received} = await compressedCalibration(session, args, fitSettings(args), "transactions");
          const fit = fitTransactionModel(summary, "bgnbd");
          detail = `${received.toLocaleString("en-US")} compressed rows, r=${fit.params.r.toFixed(3)}, converged ${fit.converged}`;
        }
        const total = performance.now() - t;
        const sent = session.server?.transferred();
        await session.close();
        console.log(
          `  ${engine.padEnd(17)} ${task.padEnd(8)} ${(total / 1000).toFixed(1).padStart(6)} s (load+clean ${((cleaned - t) / 1000).toFixed(1)} s), ${detail}` +
            (sent ? `; back from the server: ${sent.rows.toLocaleString("en-US")} rows, ${(sent.bytes / 1e6).toFixed(1)} MB` : "")
        );
      }
    }
  }
} finally {
  server.stop();
  rmSync(dir, {recursive: true, force: true});
}
