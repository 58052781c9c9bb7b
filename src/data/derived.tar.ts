/**
 * Data loader: the derived tables the pages open on (src/lib/explore/derived.ts, DERIVED_MEMBERS), computed
 * by native DuckDB from the build's transactions (the demo, or the file named with CLV_DATA / put in data/:
 * see source.ts) and shipped as one tar archive. Pages read a member with
 * FileAttachment("data/derived/<member>"); Framework extracts each at build time into its own file, so a
 * page downloads only the members it asks for. The DuckDB-WASM data page makes the same members from an
 * uploaded file with the same code.
 */
import {openDuckDB} from "../node/duckdb.js";
import {tarArchive} from "../node/tar.js";
import {makeDerived} from "../lib/explore/derived.js";
import {loadSource, resolveSource} from "./source.js";

async function load(): Promise<Buffer> {
  const source = resolveSource();
  process.stderr.write(`derived: source ${source.kind === "demo" ? "demo" : source.path}\n`);
  const db = await openDuckDB();
  try {
    await loadSource(db, source);
    const members = await makeDerived(db);
    for (const [name, bytes] of members) process.stderr.write(`derived: ${name} ${bytes.length} bytes\n`);
    return tarArchive(members);
  } finally {
    db.close();
  }
}

try {
  process.stdout.write(await load());
} catch (error) {
  process.stderr.write(`derived.tar: ${error instanceof Error ? error.stack ?? error.message : error}\n`);
  process.exit(1);
}
