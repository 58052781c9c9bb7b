/**
 * The model fits in Chromium: bundles src/lib's fitting code with esbuild (as the CLV pages' worker does),
 * runs it in a page of the built site (CLV_DIST, default dist/) and prints the median wall time of several
 * runs for BG/NBD, Pareto/NBD and Gamma-Gamma on simulated customers (and CDNOW's published summary).
 *   CLV_DIST=/tmp/dist npx tsx bench/models-browser.ts [sizes=10000,100000,1000000]
 */
import {readFileSync} from "node:fs";
import {build} from "esbuild";
import {open, start} from "../tests/browser/browser.js";

const sizes = (process.argv[2] ?? "10000,100000,1000000").split(",").map(Number);
const cdnow = readFileSync("../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv", "utf-8")
  .trim().split("\n").slice(1).map((line) => line.split(",").map(Number));

const bundle = await build({
  stdin: {
    contents: `
      import {fitBgNbd, fitParetoNbd, fitGammaGamma} from "./src/lib/fit.ts";
      import {simulateBgNbd, simulateParetoNbd, simulateGammaGamma} from "./src/lib/simulate.ts";
      const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
      const time = (runs, f) => { const all = []; let r; for (let i = 0; i < runs; i++) { const t = performance.now(); r = f(); all.push(performance.now() - t); } return {ms: median(all), converged: r.converged}; };
      window.benchModels = (sizes, cdnow) => {
        const out = [];
        const c = {frequency: cdnow.map((r) => r[1]), recency: cdnow.map((r) => r[2]), T: cdnow.map((r) => r[3]), monetary: cdnow.map((r) => r[4])};
        out.push(["CDNOW BG/NBD", time(5, () => fitBgNbd(c))], ["CDNOW Pareto/NBD", time(3, () => fitParetoNbd(c))], ["CDNOW Gamma-Gamma", time(5, () => fitGammaGamma(c))]);
        for (const n of sizes) {
          const options = {customers: n, T: 52, cohortSpread: 12, resolution: 1 / 7, seed: 42};
          const runs = n >= 1000000 ? 3 : 5;
          const bg = simulateBgNbd({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, options);
          out.push(["BG/NBD " + n, time(runs, () => fitBgNbd(bg))]);
          const pareto = simulateParetoNbd({r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}, options);
          out.push(["Pareto/NBD " + n, time(3, () => fitParetoNbd(pareto))]);
          const spend = {frequency: bg.frequency, monetary: simulateGammaGamma({p: 6.25, q: 3.74, gamma: 15.44}, bg.frequency, {seed: 43})};
          out.push(["Gamma-Gamma " + n, time(runs, () => fitGammaGamma(spend))]);
        }
        return out;
      };`,
    resolveDir: process.cwd(),
    loader: "ts"
  },
  bundle: true,
  format: "esm",
  platform: "browser",
  write: false
});

const session = await start();
try {
  const {page} = await open(session, "/");
  page.setDefaultTimeout(0);
  await page.addScriptTag({content: bundle.outputFiles[0].text, type: "module"});
  await page.waitForFunction("typeof window.benchModels === 'function'");
  const results = (await page.evaluate(`window.benchModels(${JSON.stringify(sizes)}, ${JSON.stringify(cdnow)})`)) as [string, {ms: number; converged: boolean}][];
  for (const [label, {ms, converged}] of results) console.log(`chromium ${label.padEnd(22)} median ${Math.round(ms).toString().padStart(7)} ms ${converged ? "" : "(NOT converged)"}`);
} finally {
  await session.close();
}
