#!/usr/bin/env node
/**
 * `npm run dev`: prepares the site (vendor.mjs, invalidate-loaders.mjs) and runs `observable preview` as a
 * child that ends with this process. Ctrl-C, SIGTERM and SIGHUP are passed on to the server, and if this
 * process's parent goes away without a signal (npm killed outright), the server is stopped too, so no
 * preview server is left holding the port. Extra arguments go to `observable preview` (`-- --port 3001`).
 */
import {spawn, spawnSync} from "node:child_process";
import {constants} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

for (const script of ["vendor.mjs", "invalidate-loaders.mjs"]) {
  const run = spawnSync(process.execPath, [join(root, "scripts", script)], {stdio: "inherit", cwd: root});
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const server = spawn(join(root, "node_modules", ".bin", "observable"), ["preview", "--host", "127.0.0.1", ...process.argv.slice(2)], {
  stdio: "inherit",
  cwd: root
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1)));
server.on("error", (error) => {
  console.error(`dev: cannot start observable preview: ${error.message}`);
  process.exit(1);
});

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) server.kill("SIGTERM");
}, 1000).unref();
