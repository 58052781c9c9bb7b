#!/usr/bin/env node
/**
 * Framework re-runs a data loader only when the loader file itself changes. Ours read src/lib, src/node,
 * the files in data/ and the CLV_DATA environment variable, so this script fingerprints all of those and
 * clears Framework's loader cache (src/.observablehq/cache/data, src/.observablehq/cache/workers) when the
 * fingerprint differs from the last build's. Run before `observable build` and `observable preview`.
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {dirname, join, relative} from "node:path";
import {fileURLToPath} from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "src", ".observablehq", "cache");
const stampFile = join(cache, ".loader-inputs");

function* files(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const hash = createHash("sha256");
for (const dir of ["src/lib", "src/node", "src/data", "src/workers"]) {
  for (const file of [...files(join(root, dir))].sort()) hash.update(relative(root, file)).update(readFileSync(file));
}
// User data can be large: its name, size and modification time stand for its content.
const userFiles = [...files(join(root, "data"))].sort();
if (process.env.CLV_DATA) userFiles.push(process.env.CLV_DATA);
for (const file of userFiles) {
  const stat = existsSync(file) ? statSync(file) : null;
  hash.update(`${file}:${stat?.size}:${stat?.mtimeMs}`);
}
// The report build's settings change what the derived tables hold (src/lib/explore/publish.ts).
for (const name of ["CLV_PUBLISH", "CLV_MIN_GROUP", "CLV_PUBLISH_KEY"]) hash.update(`${name}=${process.env[name] ?? ""}\n`);
const fingerprint = hash.digest("hex");

const previous = existsSync(stampFile) ? readFileSync(stampFile, "utf-8") : null;
if (previous !== fingerprint) {
  for (const dir of ["data", "workers"]) rmSync(join(cache, dir), {recursive: true, force: true});
  mkdirSync(cache, {recursive: true});
  writeFileSync(stampFile, fingerprint);
  if (previous) console.error("loaders: inputs changed, cleared the data loader cache");
}
