/**
 * Data loader: the derived tables the pages open on (src/lib/explore/derived.ts, DERIVED_MEMBERS), computed
 * by native DuckDB from the build's transactions (the demo, or the file named with CLV_DATA / put in data/:
 * see source.ts) and shipped as one tar archive. With CLV_PUBLISH=aggregates, the transactions are first made
 * safe to publish (src/lib/explore/publish.ts: pseudonymous ids, small groups merged). Pages read a member with
 * FileAttachment("data/derived/<member>"); Framework extracts each at build time into its own file, so a
 * page downloads only the members it asks for. The DuckDB-WASM data page makes the same members from an
 * uploaded file with the same code.
 */
import {openDuckDB} from "../node/duckdb.js";
import {tarArchive} from "../node/tar.js";
import {makeDerived} from "../lib/explore/derived.js";
import {publishSettings, publishTransactions} from "../lib/explore/publish.js";
import {randomBytes} from "node:crypto";
import {loadSource, resolveSource} from "./source.js";

async function load(): Promise<Buffer> {
  const source = resolveSource();
  process.stderr.write(`derived: source ${source.kind === "demo" ? "demo" : source.path}\n`);
  const db = await openDuckDB();
  try {
    await loadSource(db, source);
    // The report build (CLV_PUBLISH=aggregates): pseudonymous ids and merged small groups in every member.
    const publish = publishSettings(process.env);
    if (publish.mode === "aggregates") {
      if (!publish.key) process.stderr.write("derived: CLV_PUBLISH_KEY is not set: the pseudonyms are drawn for this build and change with the next\n");
      const report = await publishTransactions(db, {key: publish.key ?? randomBytes(32).toString("hex"), minGroup: publish.minGroup});
      process.stderr.write(`derived: published aggregates: ${JSON.stringify(report)}\n`);
    }
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
