#!/usr/bin/env node
// The `clv` command: runs src/cli/main.ts. Node cannot run TypeScript by itself, and registering tsx for each
// run costs about 0.3 s of CPU (its loader thread sees every module), so the first run after a change of the
// sources bundles the CLI with esbuild into .cache/cli/<key>/ (the key: every file under src/ by path, size
// and modification time), and later runs import that bundle. Without esbuild (installed without the
// devDependencies) or a writable folder, tsx runs the sources as before. CLV_CLI_TSX=1 forces tsx.
import {readdirSync, renameSync, rmSync, statSync} from "node:fs";
import {createHash} from "node:crypto";
import {join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A key for the sources as they are now. */
function sourceKey() {
  const hash = createHash("sha1");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".observablehq") walk(path);
      } else {
        const {size, mtimeMs} = statSync(path);
        hash.update(`${path}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, "src"));
  for (const file of ["package.json", "tsconfig.json", "bin/clv.mjs"]) hash.update(`${file}\0${statSync(join(ROOT, file)).mtimeMs}\n`);
  return hash.digest("hex").slice(0, 16);
}

/** The bundle's entry for the sources as they are, built when missing; null when it cannot be. */
async function bundled() {
  if (process.env.CLV_CLI_TSX === "1") return null;
  try {
    const cache = join(ROOT, ".cache", "cli");
    const key = sourceKey();
    const entry = join(cache, key, "main.js");
    try {
      statSync(entry);
      return entry;
    } catch {}
    const {build} = await import("esbuild");
    // Built beside, then renamed into place: a run that starts meanwhile builds its own or finds this one.
    const scratch = join(cache, `${key}.${process.pid}.tmp`);
    await build({
      entryPoints: {main: join(ROOT, "src/cli/main.ts")},
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      outdir: scratch,
      logLevel: "silent"
    });
    try {
      renameSync(scratch, join(cache, key));
      // Bundles of other sources go after a day (a run that started on one may still load its chunks).
      for (const old of readdirSync(cache)) {
        if (old !== key && Date.now() - statSync(join(cache, old)).mtimeMs > 86_400_000) rmSync(join(cache, old), {recursive: true, force: true});
      }
    } catch {
      rmSync(scratch, {recursive: true, force: true});
    }
    statSync(entry);
    return entry;
  } catch {
    return null;
  }
}

const entry = await bundled();
let main;
if (entry) {
  ({main} = await import(pathToFileURL(entry).href));
} else {
  const {register} = await import("tsx/esm/api");
  register();
  ({main} = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
