/**
 * Benchmark (not a test) of the model fits: BG/NBD, Pareto/NBD and Gamma-Gamma on 10k, 100k and 1M simulated
 * customers (seeded; daily resolution in weeks, first purchases spread over 12 weeks of a 52-week period) and on
 * CDNOW. Prints the median wall time of several runs; each timed run includes validation and compression.
 * Run: `npx tsx bench/models.ts` (or import { benchModels }).
 */
import {readFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {fitBgNbd, fitParetoNbd} from "../src/lib/fit/transaction.js";
import {fitGammaGamma} from "../src/lib/fit/spend.js";
import {type FitResult} from "../src/lib/fit/engine.js";
import {simulateBgNbd, simulateGammaGamma, simulateParetoNbd} from "../src/lib/models/simulate.js";

const here = path.dirname(fileURLToPath(import.meta.url));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function time<T>(runs: number, f: () => T): {ms: number; result: T; all: number[]} {
  const all: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = f();
    all.push(performance.now() - t0);
  }
  return {ms: median(all), result, all};
}

function describeFit(fit: FitResult<object>): string {
  const params = Object.entries(fit.params)
    .map(([k, v]) => `${k}=${(v as number).toPrecision(4)}`)
    .join(" ");
  return `${params} LL=${fit.logLikelihood.toFixed(1)} rows=${fit.rows} iter=${fit.iterations} ${fit.converged ? "converged" : "NOT converged"}`;
}

function report(label: string, runs: number, t: {ms: number; all: number[]; result: FitResult<object>}): void {
  console.log(`${label.padEnd(28)} median ${t.ms.toFixed(0).padStart(6)} ms over ${runs} run(s)   ${describeFit(t.result)}`);
}

function readCdnow() {
  const file = path.resolve(here, "../..", "shared/data/cdnow/cdnow_customers_summary_with_transactions.csv");
  const rows = readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3]), monetary: rows.map((r) => r[4])};
}

export async function benchModels(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);
  const cdnow = readCdnow();
  report("CDNOW BG/NBD", 7, {...time(7, () => fitBgNbd(cdnow)), result: fitBgNbd(cdnow)});
  report("CDNOW Pareto/NBD", 5, {...time(5, () => fitParetoNbd(cdnow)), result: fitParetoNbd(cdnow)});
  report("CDNOW Gamma-Gamma", 7, {...time(7, () => fitGammaGamma(cdnow)), result: fitGammaGamma(cdnow)});

  const bg = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
  const pareto = {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67};
  const spend = {p: 6.25, q: 3.74, gamma: 15.44};
  for (const n of [10_000, 100_000, 1_000_000]) {
    const options = {customers: n, T: 52, cohortSpread: 12, resolution: 1 / 7, seed: 42};
    const runs = n >= 1_000_000 ? 3 : 5;
    const simBg = simulateBgNbd(bg, options);
    report(`BG/NBD ${n.toLocaleString("en")}`, runs, time(runs, () => fitBgNbd(simBg)));
    const simPareto = simulateParetoNbd(pareto, options);
    report(`Pareto/NBD ${n.toLocaleString("en")}`, 3, time(3, () => fitParetoNbd(simPareto)));
    const monetary = simulateGammaGamma(spend, simBg.frequency, {seed: 43});
    const spendData = {frequency: simBg.frequency, monetary};
    report(`Gamma-Gamma ${n.toLocaleString("en")}`, runs, time(runs, () => fitGammaGamma(spendData)));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchModels().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
