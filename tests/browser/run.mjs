// Runs the browser tests (node:test, one file at a time: each starts Chromium) against the built dist/.
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync} from "node:fs";

const dist = process.env.CLV_DIST ?? "dist";
if (!existsSync(`${dist}/index.html`)) {
  console.error(`tests/browser: ${dist}/ is missing; run "npm run build" first`);
  process.exit(1);
}
// `node tests/browser/run.mjs [file ...]`: the files named (e.g. tests/browser/rfm.test.ts), or every test file.
const named = process.argv.slice(2);
const missing = named.filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`tests/browser: no such test file: ${missing.join(", ")}`);
  process.exit(2);
}
const files = named.length ? named : readdirSync("tests/browser").filter((f) => f.endsWith(".test.ts")).map((f) => `tests/browser/${f}`);
const result = spawnSync("npx", ["tsx", "--test", "--test-concurrency=1", ...files], {stdio: "inherit", env: {...process.env, TZ: "UTC"}});
process.exit(result.status ?? 1);
