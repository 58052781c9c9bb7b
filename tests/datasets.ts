/**
 * Where tests read real data. Small public fixtures are committed under tests/fixtures (see its README for
 * their origin), so the published-value checks always run. The larger logs (CDNOW master, Superstore, the raw
 * CDNOW files read through the CLI or DuckDB) stay in ../shared/data beside the project, which CI always has:
 * a test that needs one fails with a message saying so, never skips.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {gunzipSync} from "node:zlib";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const SHARED_DATA = fileURLToPath(new URL("../../shared/data/", import.meta.url));

/** The path of a committed fixture, e.g. `fixture("cdnow/cdnow_customers_summary.csv")`. */
export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** A committed fixture's text; `.gz` fixtures are decompressed (they hold the exact bytes of the original). */
export function readFixture(name: string): string {
  const bytes = readFileSync(fixture(name));
  return (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** The path of a file in ../shared/data; throws a clear error when it is not there. */
export function sharedData(name: string): string {
  const path = join(SHARED_DATA, name);
  if (!existsSync(path)) {
    throw new Error(
      `missing ${path}: this test needs the shared real data sets in ../shared/data beside the project ` +
        "(CI always has them; see ../shared/data/README.md). Only the small CDNOW files are committed, in tests/fixtures."
    );
  }
  return path;
}
