// Removes DuckDB-WASM's "mvp" build (about 40 MB, nearly half of the site) from the built site, after
// `observable build`. DuckDB-WASM's selectBundle() loads it only in a browser without WebAssembly exception
// handling (older than Chrome 95, Firefox 100 or Safari 15.2), where DuckDB then fails to start and the page
// says so (src/components/onDemand.ts); every other browser loads the "eh" build, which stays.
import {readdirSync, rmSync, statSync} from "node:fs";
import {join} from "node:path";

const dir = join(process.env.CLV_DIST ?? "dist", "_npm");
const packages = readdirSync(join(dir, "@duckdb")).filter((name) => name.startsWith("duckdb-wasm@"));
if (packages.length !== 1) throw new Error(`prune-dist: expected one DuckDB-WASM in ${dir}/@duckdb, found ${packages.length}`);
const wasmDir = join(dir, "@duckdb", packages[0], "dist");
const prunable = readdirSync(wasmDir).filter((name) => /^duckdb-(mvp\.wasm|browser-mvp\.worker\.[0-9a-f]+\.js)$/.test(name));
if (!readdirSync(wasmDir).some((name) => name === "duckdb-eh.wasm")) throw new Error("prune-dist: the eh build is missing");
let bytes = 0;
for (const name of prunable) {
  bytes += statSync(join(wasmDir, name)).size;
  rmSync(join(wasmDir, name));
}
console.log(`prune-dist: removed DuckDB-WASM's mvp build, ${prunable.length} files (${(bytes / 1e6).toFixed(1)} MB)`);
