/**
 * Data loader: the fit worker (fitWorker.ts and the src/lib code it imports, ml-random-forest included)
 * bundled by esbuild into one browser ES module, written to stdout. Pages start it with
 * `new Worker(await FileAttachment("…/workers/fit.js").url(), {type: "module"})` (src/components/fitClient.ts).
 * scripts/invalidate-loaders.mjs clears the cached bundle when src/lib or src/workers change.
 */
import {build} from "esbuild";
import {fileURLToPath} from "node:url";

async function load(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./fitWorker.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
    // random-js (under ml-random-forest) has a Node-only engine that calls require("crypto"); the forest
    // never uses it (it seeds its own Mersenne Twister), so the call stays an unused stub.
    external: ["crypto"]
  });
  for (const warning of result.warnings) process.stderr.write(`fit.js: ${warning.text}\n`);
  return result.outputFiles[0].contents;
}

try {
  const bytes = await load();
  process.stdout.write(bytes);
  process.stderr.write(`fit.js: ${bytes.length} bytes\n`);
} catch (error) {
  process.stderr.write(`fit.js: ${error instanceof Error ? error.stack ?? error.message : error}\n`);
  process.exit(1);
}
