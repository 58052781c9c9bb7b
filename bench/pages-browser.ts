/**
 * Time to first chart of every page in Chromium, on a built site (CLV_DIST, default dist/): for each page,
 * N times (default 5) a fresh browser context opens it and we time from navigation to the first chart (the
 * first svg of the page's first chart container) being visible; median printed. Also the bytes the page
 * downloaded before that moment (bodies as served, DuckDB's wasm and worker excluded, counted apart) and
 * whether DuckDB's wasm was requested at all. `--timeline <page>` prints that page's requests with times.
 * `--http2` serves the site over HTTP/2 (TLS with a throwaway self-signed certificate made by openssl), as
 * static hosts do: every module over one connection instead of HTTP/1.1's six at a time.
 *   CLV_DIST=/tmp/dist npx tsx bench/pages-browser.ts [runs=5] [page ...] [--timeline /sales] [--http2]
 */
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {start} from "../tests/browser/browser.js";
import type {Http2Options} from "../tests/browser/serve.js";

/** Each page and the container of its first chart (the earliest in the page). */
const PAGES: [string, string][] = [
  ["/", "#revenue-trend"],
  ["/sales", "#sales-revenue"],
  ["/regions", "#regions-provinces"],
  ["/cohorts", "#cohort-matrix"],
  ["/partners", "#partners-top"],
  ["/rfm", "#rfm-segment-bars"],
  ["/clv", ".card"],
  ["/validation", "#validation-chart"],
  ["/budget", ".card"],
  ["/predict", ".card"]
];

const args = process.argv.slice(2);
const timelineAt = args.indexOf("--timeline");
const timeline = timelineAt >= 0 ? args.splice(timelineAt, 2)[1] : null;
const http2At = args.indexOf("--http2");
const http2 = http2At >= 0 && args.splice(http2At, 1).length > 0;
const runs = Number(args[0] ?? 5);
// Further arguments: only these pages (e.g. / /sales), to compare builds quickly.
const only = args.slice(1);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};
const isDuckDB = (url: string) => /duckdb-wasm\/.*\.(wasm|worker\.js)/.test(url) || /duckdb-(eh|mvp)\.wasm/.test(url);

interface Run {
  ms: number;
  bytes: number;
  duckdbBytes: number;
  duckdb: boolean;
  log: [number, string, number][];
  /** The notice shown in place of the chart (a column the data lacks), if any. */
  notice?: string;
}

/** A key and self-signed certificate for 127.0.0.1, made in a temporary folder and read back. */
function selfSigned(): Http2Options {
  const dir = mkdtempSync(join(tmpdir(), "clv-bench-tls-"));
  try {
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], {encoding: "utf-8"});
    if (made.status !== 0) throw new Error(`--http2 needs openssl to make a certificate: ${made.error?.message ?? made.stderr}`);
    return {key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem"))};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

const session = await start(undefined, {http2: http2 ? selfSigned() : undefined});
try {
  async function once(path: string, selector: string): Promise<Run> {
    const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const t0 = Date.now();
    const log: [number, string, number][] = [];
    let duckdb = false;
    page.on("request", (request) => {
      if (isDuckDB(request.url())) duckdb = true;
    });
    page.on("response", (response) => {
      const size = Number(response.headers()["content-length"] ?? 0);
      log.push([Date.now() - t0, response.url(), size]);
    });
    await page.goto(session.server.url + path);
    // The chart, or the notice in its place when the data lacks its column (the issue CSV has no partner).
    let noticed: string | undefined;
    const chart = selector === ".card" ? page.locator(".card svg").first() : page.locator(`${selector} svg, ${selector} .notice`).first();
    try {
      await chart.waitFor({state: "visible", timeout: 180_000});
      const notice = selector === ".card" ? null : await page.locator(`${selector} .notice`).first().textContent({timeout: 1}).catch(() => null);
      if (notice !== null && (await page.locator(`${selector} svg`).count()) === 0) noticed = notice;
    } catch {
      // Recorded as a failure (NaN), the other pages still measured.
      await context.close();
      return {ms: NaN, bytes: NaN, duckdbBytes: NaN, duckdb, log};
    }
    const ms = Date.now() - t0;
    const before = log.filter(([t]) => t <= ms);
    const bytes = before.filter(([, url]) => !isDuckDB(url)).reduce((s, [, , n]) => s + n, 0);
    const duckdbBytes = before.filter(([, url]) => isDuckDB(url)).reduce((s, [, , n]) => s + n, 0);
    await context.close();
    return {ms, bytes, duckdbBytes, duckdb, log, notice: noticed};
  }

  if (timeline) {
    const page = PAGES.find(([path]) => path === timeline);
    if (!page) throw new Error(`no page ${timeline}`);
    const run = await once(...page);
    for (const [t, url, size] of run.log) console.log(`${String(t).padStart(6)} ms ${String(size).padStart(10)} B ${url.replace(session.server.url, "")}`);
    console.log(`first chart at ${run.ms} ms`);
  } else {
    console.log(`pages${http2 ? " over HTTP/2" : ""}: time to first chart, median of ${runs} fresh contexts; bytes before it (DuckDB apart)`);
    const slowest: number[] = [];
    for (const [path, selector] of PAGES.filter(([path]) => only.length === 0 || only.includes(path))) {
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) results.push(await once(path, selector));
      const ms = median(results.map((r) => r.ms));
      slowest.push(ms);
      const bytes = median(results.map((r) => r.bytes));
      const duck = median(results.map((r) => r.duckdbBytes));
      console.log(
        `${path.padEnd(12)} first chart ${String(Math.round(ms)).padStart(6)} ms (${results.map((r) => r.ms).join(", ")}); ` +
          `${(bytes / 1e6).toFixed(2)} MB before it, DuckDB ${(duck / 1e6).toFixed(2)} MB; DuckDB wasm requested: ${results.some((r) => r.duckdb) ? "yes" : "no"}` +
          (results[0].notice ? `; no chart, a notice instead: ${results[0].notice}` : "")
      );
    }
    const missing = slowest.some(Number.isNaN) ? " (NaN: a page drew no chart within 180 s)" : "";
    console.log(`slowest page: ${Math.max(...slowest)} ms${missing}`);
  }
} finally {
  await session.close();
}
