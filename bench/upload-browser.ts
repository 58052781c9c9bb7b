/**
 * Uploading a CSV on the data page, through the page itself, against the bare engine on the same bytes in the
 * same page (issue 14's browser target: within 3×):
 *   upload  from handing the file to the page's file input until the data-quality report shows (the file
 *           streamed into DuckDB-WASM in chunks, every column as text, mapping detected, cleaned, reported);
 *   bare    in the same page, a second DuckDB-WASM instance (started before the clock starts): the same
 *           File's bytes registered, then `SELECT customer_id, count(*), sum(amount) FROM read_csv(...) GROUP BY customer_id`.
 * Like the bare engine, the page's is started before the file is given: the pointer comes to the file input
 * first, as a user's does, and the page starts its engine then (its start is printed as "engine warm-up");
 * CLV_UPLOAD_COLD=1 gives the file with no pointer first, so that the upload counts the engine's start too.
 * The CSV: N orders (customer_id, order_date, amount, region, province, category), N/2 customers, seeded.
 * The renderer's peak resident memory during the upload is sampled from ps, and each step of the page's
 * progress line is printed with the time it began (where the upload's time goes).
 *   CLV_DIST=/tmp/dist npx tsx bench/upload-browser.ts [orders=1600000] [runs=1]
 * With CLV_UPLOAD_ROWS=N (issue 15: 1000000, 5000000) the file has N orders and the run goes on as a user
 * would instead of the bare comparison: "Read it anyway" if the page warns of the size, "Use this data on
 * every page" (the derived tables made, the CLV fits in the worker, the store committed, the reload), then
 * the RFM page drawn from the kept tables; it prints the time to the report, to stored (the reloaded page
 * names the file), to the RFM page drawn, each table's progress line as seen, and the peak renderer RSS of
 * each phase. The page is set back to the built-in data at the end.
 *   CLV_DIST=/tmp/dist CLV_UPLOAD_ROWS=5000000 CLV_BENCH_OUTPUT=/tmp/bench npm run bench -- upload-browser
 */
import {existsSync, mkdirSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {open, start} from "../tests/browser/browser.js";
import {rendererRss} from "../tests/browser/measure.js";

const storing = process.env.CLV_UPLOAD_ROWS !== undefined;
const orders = Number(process.env.CLV_UPLOAD_ROWS ?? process.argv[2] ?? 1_600_000);
const runs = Number(process.argv[3] ?? 1);
const dist = process.env.CLV_DIST ?? "dist";
if (!existsSync(join(dist, "data.html"))) throw new Error(`${dist}/data.html is missing: run npm run build first`);

const REGIONS: [string, string][] = [["West", "British Columbia"], ["West", "Alberta"], ["Prairies", "Manitoba"], ["Central", "Ontario"], ["Central", "Quebec"], ["Atlantic", "Nova Scotia"]];
const CATEGORIES = ["Furniture", "Office Supplies", "Technology"];

function generate(file: string): void {
  const customers = Math.max(1, Math.round(orders / 2));
  const start = Date.UTC(2021, 0, 1);
  let seed = 14;
  // 32-bit arithmetic (Math.imul): a product past 2^53 would lose bits and cycle early.
  const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
  const lines = ["customer_id,order_date,amount,region,province,category"];
  for (let k = 0; k < orders; k++) {
    const customer = Math.floor(random() * customers);
    const [region, province] = REGIONS[customer % REGIONS.length];
    const day = new Date(start + Math.floor(random() * 1000) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`C${customer},${day},${(2 + random() * 300).toFixed(2)},${region},${province},${CATEGORIES[k % 3]}`);
  }
  writeFileSync(file, lines.join("\n") + "\n");
}

const output = process.env.CLV_BENCH_OUTPUT ?? join("bench", "output"); // the generated CSV (hundreds of MB at 5M orders)
const file = join(output, `upload-${orders}.csv`);
if (!existsSync(file)) {
  mkdirSync(output, {recursive: true});
  generate(file);
}
const size = statSync(file).size;

/** Stores the upload as a user would, then opens the RFM page on it; prints the phases' times and peak RSS. */
async function store(page: import("playwright-core").Page, t0: number, report: number, peak: () => number): Promise<void> {
  const phases: string[] = [`report ${(report / 1000).toFixed(0)} s (peak renderer RSS ${peak().toFixed(0)} MB)`];
  console.error(phases[0]);
  const phase = (what: string) => {
    phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(0)} s (peak ${peak().toFixed(0)} MB)`);
    console.error(phases[phases.length - 1]);
  };
  await page.evaluate(() => {
    const seen: string[] = ((globalThis as unknown as {savingSeen: string[]}).savingSeen = []);
    new MutationObserver(() => {
      const text = document.getElementById("save-progress")?.textContent;
      if (text && !seen.includes(text.replace(/ \(\d+ s\)$/, ""))) seen.push(text.replace(/ \(\d+ s\)$/, ""));
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
  });
  await page.getByRole("button", {name: "Use this data on every page"}).click();
  let steps: string[] = [];
  const name = file.split("/").pop()!;
  // Per step of the saving line: the peak renderer RSS and the page's (main thread's) JS heap while it showed.
  const perStep = new Map<string, {rss: number; heap: number}>();
  // CLV_BENCH_TIMELINE=file: every sample (s since the file was chosen, renderer RSS, main-thread heap, step) as CSV.
  const timeline: string[] = ["s,rss_mb,heap_mb,step"];
  const watcher = setInterval(async () => {
    try {
      const seen = await page.evaluate(() => ({
        steps: (globalThis as unknown as {savingSeen: string[]}).savingSeen,
        heap: ((performance as unknown as {memory?: {usedJSHeapSize: number}}).memory?.usedJSHeapSize ?? 0) / 1e6
      }));
      steps = seen.steps;
      const step = (steps[steps.length - 1] ?? "").replace(/^Making the tables of the [\d,]+ kept rows: /, "");
      const was = perStep.get(step) ?? {rss: 0, heap: 0};
      const rss = rendererRss();
      perStep.set(step, {rss: Math.max(was.rss, rss), heap: Math.max(was.heap, seen.heap)});
      timeline.push(`${((Date.now() - t0) / 1000).toFixed(2)},${rss.toFixed(0)},${seen.heap.toFixed(0)},"${step.replace(/"/g, "'")}"`);
    } catch {
      // the page is reloading
    }
  }, process.env.CLV_BENCH_TIMELINE ? 250 : 1000);
  try {
    await page.locator("#current-source").getByText(name).or(page.locator("#save-status.error")).waitFor();
  } finally {
    clearInterval(watcher);
  }
  const error = await page.locator("#save-status.error").allInnerTexts();
  if (error.length) throw new Error(`storing failed after ${((Date.now() - t0) / 1000).toFixed(0)} s (peak renderer RSS ${peak().toFixed(0)} MB), at: ${steps.slice(-2).join(" | ")}: ${error.join("; ")}`);
  if (process.env.CLV_BENCH_TIMELINE) writeFileSync(process.env.CLV_BENCH_TIMELINE, timeline.join("\n") + "\n");
  phase("stored and reloaded");
  console.error(`per step (peak renderer RSS / main-thread JS heap, MB): ${[...perStep].map(([step, {rss, heap}]) => `${step} ${rss.toFixed(0)}/${heap.toFixed(0)}`).join("; ")}`);
  console.error(`while storing: ${(steps ?? []).join(" | ")}`);
  await page.goto(page.url().replace(/\/data$/, "/rfm"));
  await page.waitForFunction(() => /\d/.test(document.getElementById("rfm-customers")?.textContent ?? ""), null, {timeout: 0});
  phase(`RFM page drawn (${await page.locator("#rfm-customers").innerText()} customers)`);
  console.log(`chromium: ${orders.toLocaleString("en")} orders (${(size / 1e6).toFixed(0)} MB CSV): ${phases.join("; ")}`);
  await page.goto(page.url().replace(/\/rfm$/, "/data"));
  await page.getByRole("button", {name: "Go back to the built-in data"}).click();
  await page.locator("#current-source").getByText("transactions.parquet").waitFor();
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const uploads: number[] = [];
const bares: number[] = [];
const warms: number[] = [];
const cold = process.env.CLV_UPLOAD_COLD === "1";
const peaks: number[] = [];
const session = await start();
try {
  for (let run = 0; run < runs; run++) {
    const {page} = await open(session, "/data");
    page.on("console", (message) => {
      if (message.text().startsWith("derived tables:")) console.error(message.text());
    });
    page.setDefaultTimeout(0);
    await page.locator("#current-source").waitFor();
    await page.evaluate("globalThis.__name = (f) => f");
    // As a user would: the file is chosen once the page has settled (its requests done, its main thread idle).
    await page.waitForLoadState("networkidle");
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rendererRss())), 1000);
    // Each step of the progress line (reading, repeats, rows cleaned, the rules across rows) with its time.
    await page.evaluate(() => {
      const w = window as unknown as {__steps: [number, string][]};
      w.__steps = [];
      let last = "";
      new MutationObserver(() => {
        const text = document.getElementById("upload-progress")?.textContent ?? "";
        const step = text.replace(/\(\d+ s\)$/, "").replace(/[\d,.]+ (MB|rows)/g, "# $1").replace(/, # rows so far.*/, "");
        if (step !== last) w.__steps.push([performance.now(), (last = step)]);
      }).observe(document.body, {subtree: true, childList: true, characterData: true});
      document.querySelector("input[type=file]")!.addEventListener("change", () => w.__steps.push([performance.now(), "file chosen"]));
    });
    // As a user would, the pointer comes to the file input before the file is chosen: the page starts its
    // engine then (data.md), and the file dialog gives it the time. The start is timed on its own; with
    // CLV_UPLOAD_COLD=1 the file is given with no pointer first, so the upload includes the engine's start.
    if (!cold) {
      const w0 = Date.now();
      await page.locator("input[type=file]").hover();
      await page.locator("[data-engine=ready]").waitFor({timeout: 120_000});
      warms.push(Date.now() - w0);
    }
    const t0 = Date.now();
    const p0 = (await page.evaluate("performance.now()")) as number;
    await page.locator("input[type=file]").setInputFiles(file);
    await page.locator("#quality-report, #upload-error, #mapping-error, #size-warning").first().waitFor();
    if (await page.locator("#size-warning").isVisible()) {
      console.error(`the page warned: ${await page.locator("#size-warning p").innerText()}`);
      await page.getByRole("button", {name: "Read it anyway"}).click();
    }
    await page.locator("#quality-report, #upload-error, #mapping-error").first().waitFor();
    const upload = Date.now() - t0;
    const steps = (await page.evaluate("window.__steps")) as [number, string][];
    console.error(steps.map(([t, step]) => `${((t - p0) / 1000).toFixed(1)} s ${step}`).join("\n"));
    if (!storing) clearInterval(sampler);
    const problem = await page.locator("#upload-error, #mapping-error").allInnerTexts();
    if (problem.length) throw new Error(`the upload failed: ${problem.join("; ")}`);
    if (storing) {
      await store(page, t0, upload, () => peak);
      clearInterval(sampler);
      await page.context().close();
      continue;
    }
    const duckdbUrl = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>("link[rel=modulepreload]")].map((l) => l.href).find((href) => /\/_observablehq\/stdlib\/duckdb\.[0-9a-f]+\.js$/.test(href))
    );
    if (!duckdbUrl) throw new Error("the built data page does not preload DuckDB");
    const bare = await page.evaluate(async (url) => {
      const {DuckDBClient} = await import(url);
      const client = await DuckDBClient.of();
      const input = document.querySelector<HTMLInputElement>("input[type=file]")!;
      const t = performance.now();
      const bytes = new Uint8Array(await input.files![0].arrayBuffer());
      await client._db.registerFileBuffer("bare.csv", bytes);
      const result = await client.query(`SELECT customer_id, count(*) AS n, sum(amount) AS revenue FROM read_csv('bare.csv') GROUP BY customer_id`);
      const ms = performance.now() - t;
      await client._db.terminate?.();
      return {ms, customers: result.numRows as number};
    }, duckdbUrl);
    uploads.push(upload);
    bares.push(bare.ms);
    peaks.push(peak);
    await page.context().close();
    console.error(`run ${run + 1}: upload ${(upload / 1000).toFixed(1)} s, bare ${(bare.ms / 1000).toFixed(1)} s (${bare.customers} customers), peak renderer RSS ${peak.toFixed(0)} MB`);
  }
  if (!storing) console.log(
    `chromium: ${orders.toLocaleString("en")} orders (${(size / 1e6).toFixed(0)} MB CSV), median of ${runs}: upload until the quality report ${(median(uploads) / 1000).toFixed(1)} s, ` +
      `bare read_csv + GROUP BY ${(median(bares) / 1000).toFixed(1)} s, ratio ${(median(uploads) / median(bares)).toFixed(2)}×; ${cold ? "engine started by the upload (cold)" : `engine warm-up on the pointer ${(median(warms) / 1000).toFixed(1)} s before`}; peak renderer RSS ${median(peaks).toFixed(0)} MB`
  );
} finally {
  await session.close();
}
