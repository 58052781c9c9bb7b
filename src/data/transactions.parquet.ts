/**
 * Data loader: the transactions as Parquet (zstd), canonical columns. The user's own file when CLV_DATA
 * names one or data/ holds exactly one .csv/.parquet (mapped and cleaned by src/node/load.ts), otherwise the
 * deterministic demo. With CLV_PUBLISH=aggregates (the report build) it holds no rows. Writes the file's bytes to stdout, logs to stderr, exits non-zero on failure.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {openDuckDB} from "../node/duckdb.js";
import {loadSource, resolveSource, writeParquet} from "./source.js";
import {publishSettings} from "../lib/explore/publish.js";

async function load(): Promise<Buffer> {
  // The report build ships no transactions: an empty file here, removed from the site by scripts/publish.mjs.
  const published = publishSettings(process.env).mode === "aggregates";
  const source = resolveSource();
  process.stderr.write(`transactions: source ${source.kind === "demo" ? "demo" : source.path}\n`);
  const dir = mkdtempSync(join(tmpdir(), "clv-transactions-"));
  const db = await openDuckDB();
  try {
    const path = join(dir, "transactions.parquet");
    if (published) {
      process.stderr.write("transactions: CLV_PUBLISH=aggregates, no rows\n");
      await writeParquet(db, "SELECT CAST(NULL AS VARCHAR) AS customer_id, CAST(NULL AS DATE) AS order_date, CAST(NULL AS DOUBLE) AS amount LIMIT 0", path);
      return readFileSync(path);
    }
    await loadSource(db, source);
    await writeParquet(db, "SELECT * FROM transactions", path);
    return readFileSync(path);
  } finally {
    db.close();
    rmSync(dir, {recursive: true, force: true});
  }
}

try {
  const bytes = await load();
  process.stdout.write(bytes);
  process.stderr.write(`transactions: ${bytes.length} bytes\n`);
} catch (error) {
  process.stderr.write(`transactions.parquet: ${error instanceof Error ? error.stack ?? error.message : error}\n`);
  process.exit(1);
}
