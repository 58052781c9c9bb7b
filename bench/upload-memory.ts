/**
 * Where an upload's memory goes, phase by phase, in DuckDB-WASM under Node (the page's engine, one thread):
 * the raw table (every column text), the cleaning (a chunk of rows at a time, as the data page does), then
 * each derived table made one at a time as "Use this data on every page" makes them. After each phase it
 * prints DuckDB's own accounting (duckdb_memory(): bytes held now) and the process's resident memory (the
 * wasm heap only grows, so RSS keeps its high-water mark; the JS heap is counted there too).
 *   npx tsx bench/upload-memory.ts [orders=1000000] [csv]
 * The CSV defaults to the file bench/upload-browser.ts generates for that many orders in CLV_BENCH_OUTPUT.
 * CLV_LEAN=0 keeps the unmapped (all-NULL) columns in the transactions, as before. Figures are printed, not asserted.
 */
import {existsSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {openDuckDBWasm} from "../src/node/duckdb-wasm.js";
import {rawTableSql} from "../src/lib/data/ingest.js";
import {inspectBytes} from "../src/lib/data/inspect.js";
import {detectMapping} from "../src/lib/data/schema.js";
import {cleanTransactionsInChunks} from "../src/lib/data/clean/chunked.js";
import {makeDerived} from "../src/lib/explore/derived.js";

const orders = Number(process.argv[2] ?? 1_000_000);
const file = process.argv[3] ?? join(process.env.CLV_BENCH_OUTPUT ?? join("bench", "output"), `upload-${orders}.csv`);
if (!existsSync(file)) throw new Error(`${file} is missing: run bench/upload-browser.ts with CLV_UPLOAD_ROWS=${orders} first, or name a CSV`);

const db = await openDuckDBWasm();
const started = performance.now();
async function report(phase: string): Promise<void> {
  const [{mb}] = await db.query<{mb: number}>(`SELECT sum(memory_usage_bytes) / 1e6 AS mb FROM duckdb_memory()`);
  const {rss, heapUsed, arrayBuffers} = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  const mbs = (bytes: number, width: number) => (bytes / 1e6).toFixed(0).padStart(width);
  console.log(
    `${phase.padEnd(34)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  DuckDB holds ${Number(mb).toFixed(0).padStart(5)} MB (wasm ${mbs(db.memoryBytes(), 5)})  RSS ${mbs(rss, 5)} MB (peak ${mbs(peak, 5)})  JS heap ${mbs(heapUsed, 4)} MB  array buffers ${mbs(arrayBuffers, 4)} MB`
  );
}

await report("start");
const head = new Uint8Array(readFileSync(file).subarray(0, 65536));
const inspection = inspectBytes(head, {name: file, complete: statSync(file).size <= 65536});
await db.run(rawTableSql(file, inspection));
await report("raw table");
const columns = (await db.query<{column_name: string}>(`DESCRIBE raw`)).map((row) => row.column_name);
const samples = await db.query<Record<string, unknown>>(`SELECT * FROM raw LIMIT 200`);
const mapping = detectMapping(columns, samples);
const lean = process.env.CLV_LEAN !== "0";
const cleaned = await cleanTransactionsInChunks(db, {rawTable: "raw", mapping, table: "upload_preview", lean, progress: (p) => report(`  cleaning: ${p.stage} ${p.rows}`)});
await report(`cleaned (${cleaned.kept} kept)`);
await db.run(`DROP TABLE raw`);
await report("raw dropped");
await makeDerived(db, {
  table: "upload_preview",
  progress: async ({label, index}) => {
    if (index > 1) await report(`  before ${label}`);
  }
});
await report("every derived table made");
db.close();
