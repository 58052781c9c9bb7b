#!/usr/bin/env node
/**
 * Fills Observable Framework's npm cache (src/.observablehq/cache/_npm) from node_modules, so that
 * `observable build` and `observable preview` never reach a CDN.
 *
 * Framework resolves an `npm:name` import to the highest version found in its cache folder
 * `_npm/name@version/` before it asks the registry, and serves `_npm/name@version/_esm.js` (or the file at
 * a sub-path) from the cache when the file exists. So each library the pages use, implicitly (Plot, d3,
 * htl, Arrow, Arquero, DuckDB-WASM, parquet-wasm, d3-dsv, topojson) or explicitly, is bundled here with
 * esbuild from the exact version installed in node_modules, and its wasm and worker files are copied
 * beside it. Packages that depend on another vendored package import it by a relative path, as the CDN's
 * own bundles do, so there is one copy of d3 and one of Apache Arrow on a page.
 *
 * The script is idempotent and cheap: a package whose output exists for the installed version and whose
 * stamp matches is skipped. Run by `npm run build` and `npm run dev` before Framework starts.
 */
import {createHash} from "node:crypto";
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join, relative} from "node:path";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "src", ".observablehq", "cache", "_npm");
const nodeCache = join(root, "src", ".observablehq", "cache", "_node");

/** name → {entry: sub-path or package export to bundle, external: packages imported from other vendored bundles, files: copied as-is} */
const PACKAGES = {
  "d3": {},
  "d3-dsv": {},
  "htl": {},
  "isoformat": {},
  "topojson-client": {},
  "apache-arrow": {},
  // Also imported by bare name from src/lib: Framework's own node_modules bundler (rollup) misses arquero's
  // "browser" field and would ship its Node-only file reader, so the browser bundle stands in for it.
  "arquero": {node: true},
  // Pages import Plot by bare name from src/components, which Framework bundles with rollup keeping every
  // dependency apart: Plot, then d3's index, then its 30 modules, each a request before the first chart (about
  // 75 requests on a page over HTTP/1.1's six connections). The Node copy is one file with the d3 it uses.
  "@observablehq/plot": {external: ["d3"], node: "standalone"},
  "@duckdb/duckdb-wasm": {
    entry: "@duckdb/duckdb-wasm/dist/duckdb-browser.mjs",
    external: ["apache-arrow"],
    // getJsDelivrBundles() is exported but never called by Framework or the pages; point its base at the
    // site's own copy so the bundle names no CDN at all.
    rewrite: [["https://cdn.jsdelivr.net/npm/", "/_npm/"]],
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-browser-eh.worker.js"
    ]
  },
  "parquet-wasm": {files: ["esm/parquet_wasm_bg.wasm"]}
};

function packageDir(name) {
  return join(root, "node_modules", name);
}

function version(name) {
  return JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf-8")).version;
}

function outDir(name) {
  return join(cache, `${name}@${version(name)}`);
}

/** Maps imports of other vendored packages to their bundles, by a path relative to the importer. */
function siblingPlugin(name, externals) {
  return {
    name: "vendored-siblings",
    setup(build) {
      const filter = new RegExp(`^(${externals.map((e) => e.replace(/[/.]/g, "\\$&")).join("|")})$`);
      build.onResolve({filter}, (args) => {
        const target = join(outDir(args.path), "_esm.js");
        let path = relative(outDir(name), target).split("\\").join("/");
        if (!path.startsWith(".")) path = `./${path}`;
        return {path, external: true};
      });
    }
  };
}

/** Removes cached copies of other versions: Framework would pick the highest version it finds. */
function removeOtherVersions(name) {
  const parent = dirname(outDir(name));
  if (!existsSync(parent)) return;
  const base = name.split("/").pop();
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(`${base}@`) && join(parent, entry) !== outDir(name)) rmSync(join(parent, entry), {recursive: true, force: true});
  }
}

async function vendor(name, {entry = name, external = [], files = [], rewrite = [], node = false}) {
  removeOtherVersions(name);
  const dir = outDir(name);
  const stamp = createHash("sha256").update(JSON.stringify({name, v: version(name), entry, external, files, rewrite, node})).digest("hex");
  const stampFile = join(dir, ".vendored");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf-8") === stamp) return false;
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  const options = {
    entryPoints: [entry],
    absWorkingDir: root,
    conditions: ["browser", "import", "module"],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    logLevel: "error"
  };
  await build({...options, outfile: join(dir, "_esm.js"), plugins: external.length ? [siblingPlugin(name, external)] : []});
  if (rewrite.length) {
    let source = readFileSync(join(dir, "_esm.js"), "utf-8");
    for (const [from, to] of rewrite) {
      if (!source.includes(from)) throw new Error(`vendor ${name}: expected to find ${from}`);
      source = source.split(from).join(to);
    }
    writeFileSync(join(dir, "_esm.js"), source);
  }
  for (const file of files) {
    const target = join(dir, file);
    mkdirSync(dirname(target), {recursive: true});
    copyFileSync(join(packageDir(name), file), target);
  }
  writeFileSync(join(dir, "package.json"), readFileSync(join(packageDir(name), "package.json")));
  if (node) {
    const target = join(nodeCache, `${name}@${version(name)}`, "index.js");
    mkdirSync(dirname(target), {recursive: true});
    if (node === "standalone") await build({...options, outfile: target, plugins: []});
    else copyFileSync(join(dir, "_esm.js"), target);
  }
  writeFileSync(stampFile, stamp);
  return true;
}

const started = performance.now();
let count = 0;
for (const [name, options] of Object.entries(PACKAGES)) {
  if (await vendor(name, options)) {
    count++;
    console.error(`vendored ${name}@${version(name)}`);
  }
}
console.error(`vendor: ${count} of ${Object.keys(PACKAGES).length} packages bundled in ${Math.round(performance.now() - started)} ms`);
