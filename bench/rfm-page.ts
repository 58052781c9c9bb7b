/**
 * The RFM page's interactions in Chromium on a built site (CLV_DIST, default dist/), timed from the input
 * event until the charts are redrawn (segment bars, heatmap, histograms): a bins change (k 5 → 4 → 5 …, the
 * re-scoring from the loaded table; 4 and 5 are remembered after their first time, so bins never used before
 * in the page are timed apart, "fresh") and a Region filter on / off (the build's cells in TypeScript, no
 * DuckDB). Also the time to the first chart, whether DuckDB's wasm was asked for and the machine's 1-minute load
 * average before and after (figures are comparable at like loads only). Median of N of each.
 *   CLV_DIST=/tmp/big-dist npx tsx bench/rfm-page.ts [runs=5]
 */
import {loadavg} from "node:os";
import {open, start} from "../tests/browser/browser.js";
import {filterChangeMs} from "../tests/browser/measure.js";

const runs = Number(process.argv[2] ?? 5);
const CHARTS = ["rfm-segment-bars", "rfm-heatmap", "rfm-distributions"];
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds from setting the bins input to k until the charts are new svgs. Sent as text (see measure.ts). */
const binsChange = (k: number) => `(async () => {
  const ids = ${JSON.stringify(CHARTS)};
  const old = new Set(ids.map((id) => document.querySelector("#" + id + " svg")));
  const input = document.querySelector("#rfm-scoring input[type=number]");
  const t0 = performance.now();
  input.value = ${k};
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const redrawn = () => ids.every((id) => {
    const svg = document.querySelector("#" + id + " svg");
    return svg && !old.has(svg);
  });
  while (!redrawn()) await new Promise(requestAnimationFrame);
  return performance.now() - t0;
})()`;

const loadBefore = Number(loadavg()[0].toFixed(2));
const session = await start();
try {
  const wasm: string[] = [];
  const t0 = Date.now();
  const {page, errors} = await open(session, "/rfm");
  page.on("request", (request) => void (/duckdb[^/]*\.wasm/.test(request.url()) && wasm.push(request.url())));
  page.setDefaultTimeout(0);
  await page.locator("#rfm-heatmap svg").first().waitFor({timeout: 600_000});
  const firstChart = Date.now() - t0;
  const customers = await page.locator("#rfm-customers").innerText();
  const bins: number[] = [];
  const filterOn: number[] = [];
  const filterOff: number[] = [];
  for (let i = 0; i < runs; i++) {
    bins.push((await page.evaluate(binsChange(i % 2 ? 5 : 4))) as number);
  }
  // Bins never scored before in this page (the alternation above finds 4 and 5 remembered after the first).
  const fresh: number[] = [];
  for (const k of [6, 7, 8, 9, 3, 10, 2].slice(0, runs)) fresh.push((await page.evaluate(binsChange(k))) as number);
  await page.evaluate(binsChange(5));
  // The first filter change also reads the cells (once); time it apart.
  const firstFilter = await filterChangeMs(page, 0, CHARTS);
  const filtered = await page.locator("#rfm-customers").innerText();
  await filterChangeMs(page, false, CHARTS);
  for (let i = 0; i < runs; i++) {
    filterOn.push(await filterChangeMs(page, i + 1, CHARTS));
    filterOff.push(await filterChangeMs(page, false, CHARTS));
  }
  console.log(
    JSON.stringify(
      {
        customers,
        firstChartMs: firstChart,
        binsChangeMs: Math.round(median(bins)),
        binsRuns: bins.map(Math.round),
        freshBinsChangeMs: Math.round(median(fresh)),
        freshBinsRuns: fresh.map(Math.round),
        firstFilterMs: Math.round(firstFilter),
        filteredCustomers: filtered,
        filterOnMs: Math.round(median(filterOn)),
        filterOffMs: Math.round(median(filterOff)),
        duckdbWasmRequested: wasm.length > 0,
        load: {before: loadBefore, after: Number(loadavg()[0].toFixed(2))},
        errors
      },
      null,
      2
    )
  );
} finally {
  await session.close();
}
