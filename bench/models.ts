/**
 * Benchmark (not a test) of the model fits: BG/NBD, Pareto/NBD and Gamma-Gamma on 10k, 100k and 1M simulated
 * customers (seeded; daily resolution in weeks, first purchases spread over 12 weeks of a 52-week period) and on
 * CDNOW. Prints the median wall time of several runs; each timed run includes validation and compression.
 * Then the round-2 targets: BG/NBD, MBG/NBD and Pareto/NBD on 1M customers with continuous recency and T (no
 * rounding: about one distinct row per customer; BG/NBD and MBG/NBD also split by stage), 200 bootstrap refits of BG/NBD on 100k customers, and (with
 * BENCH_COVERAGE=N) the coverage of the 90% bootstrap intervals over N simulated data sets with known parameters.
 * Each line also gives the median CPU time of the process (process.cpuUsage, user + system), steadier than wall
 * time on a shared machine.
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
import {coarseStart, fitTransaction, fitTransactionCompressed} from "../src/lib/fit/transaction.js";
import {compressSummaries, fitRows} from "../src/lib/fit/compress.js";
import {bootstrapTransactionFit} from "../src/lib/fit/bootstrap.js";
import {BG_NBD} from "../src/lib/models/bgnbd.js";
import {MBG_NBD} from "../src/lib/models/mbgnbd.js";

const here = path.dirname(fileURLToPath(import.meta.url));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** CPU milliseconds (user + system) of this process since `since`. */
function cpuSince(since: NodeJS.CpuUsage): number {
  const {user, system} = process.cpuUsage(since);
  return (user + system) / 1000;
}

function time<T>(runs: number, f: () => T): {ms: number; cpu: number; result: T; all: number[]} {
  const all: number[] = [];
  const cpu: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = f();
    all.push(performance.now() - t0);
    cpu.push(cpuSince(c0));
  }
  return {ms: median(all), cpu: median(cpu), result, all};
}

function describeFit(fit: FitResult<object>): string {
  const params = Object.entries(fit.params)
    .map(([k, v]) => `${k}=${(v as number).toPrecision(4)}`)
    .join(" ");
  return `${params} LL=${fit.logLikelihood.toFixed(1)} rows=${fit.rows} iter=${fit.iterations} ${fit.converged ? "converged" : "NOT converged"}`;
}

function report(label: string, runs: number, t: {ms: number; cpu: number; all: number[]; result: FitResult<object>}): void {
  console.log(`${label.padEnd(28)} median ${t.ms.toFixed(0).padStart(6)} ms (cpu ${t.cpu.toFixed(0).padStart(6)} ms) over ${runs} run(s)   ${describeFit(t.result)}`);
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

/**
 * Where a fit on 1M continuous customers spends its time, medians over 5 runs: the rows (fitRows: validated
 * columns, no compression), the coarse start (binning and the fit on the binned rows), the fit on all rows from it.
 */
function split(model: typeof BG_NBD | typeof MBG_NBD, data: Parameters<typeof fitRows>[0]): void {
  const rows = time(5, () => fitRows(data));
  const start = time(5, () => coarseStart(model as typeof BG_NBD, rows.result, {}));
  const full = time(5, () => fitTransactionCompressed(model as typeof BG_NBD, rows.result, {initial: [start.result!]}));
  const ms = (t: {ms: number; cpu: number}) => `${t.ms.toFixed(0)} ms (cpu ${t.cpu.toFixed(0)})`;
  console.log(`${`  ${model.label} split`.padEnd(28)} rows ${ms(rows)}, coarse start ${ms(start)}, full fit ${ms(full)}: ${full.result.rows} rows, ${full.result.iterations} Newton steps`);
}

/** The round-2 targets (see the module comment). */
export function benchRound2(): void {
  const bg = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
  const pareto = {r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67};
  const continuous = {customers: 1_000_000, T: 52, cohortSpread: 12, resolution: 0, seed: 42};
  const simBg = simulateBgNbd(bg, continuous);
  report("BG/NBD 1M continuous", 5, time(5, () => fitBgNbd(simBg)));
  report("MBG/NBD 1M continuous", 5, time(5, () => fitTransaction(MBG_NBD, simBg)));
  for (const model of [BG_NBD, MBG_NBD] as const) split(model, simBg);
  const simPareto = simulateParetoNbd(pareto, continuous);
  report("Pareto/NBD 1M continuous", 1, time(1, () => fitParetoNbd(simPareto)));

  const sim100k = simulateBgNbd(bg, {customers: 100_000, T: 52, cohortSpread: 12, resolution: 1 / 7, seed: 42});
  const c = compressSummaries(sim100k);
  const fit = fitTransactionCompressed(BG_NBD, c);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const boot = bootstrapTransactionFit(BG_NBD, c, fit.params, {replicates: 200, seed: 1});
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0) / 1000;
  const ci = Object.entries(boot.intervals)
    .map(([k, [lo, hi]]) => `${k} [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]`)
    .join(" ");
  console.log(`${"BG/NBD 100k, 200 bootstrap".padEnd(28)} ${seconds.toFixed(1).padStart(6)} s (cpu ${cpuSeconds.toFixed(1)} s)   ${c.rows} rows, ${boot.failed} failed; 90%: ${ci}`);

  const datasets = Number(process.env.BENCH_COVERAGE ?? 0);
  if (datasets > 0) {
    const truth = {r: 0.8, alpha: 5, a: 0.7, b: 2.5};
    const covered: Record<string, number> = {r: 0, alpha: 0, a: 0, b: 0};
    let used = 0;
    const started = performance.now();
    for (let d = 0; d < datasets; d++) {
      const cd = compressSummaries(simulateBgNbd(truth, {customers: 500, T: 52, cohortSpread: 26, seed: 5000 + d}));
      const f = fitTransactionCompressed(BG_NBD, cd, {standardErrors: false});
      if (!f.converged) continue;
      used++;
      const b = bootstrapTransactionFit(BG_NBD, cd, f.params, {replicates: 200, level: 0.9, seed: d});
      for (const k of BG_NBD.parameters) if (b.intervals[k][0] <= truth[k] && truth[k] <= b.intervals[k][1]) covered[k]++;
    }
    const shares = Object.entries(covered).map(([k, v]) => `${k} ${((100 * v) / used).toFixed(1)}%`).join(", ");
    console.log(`coverage of the 90% intervals, ${used} data sets of 500 customers × 200 refits: ${shares} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchModels()
    .then(() => benchRound2())
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
