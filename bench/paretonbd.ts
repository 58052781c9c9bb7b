/**
 * Benchmark (not a test) of the Pareto/NBD fit on 1M simulated customers with continuous recency and T (no
 * rounding: about one distinct row per customer), the issue-16 target (under 2 s, converged), and on CDNOW.
 * Prints wall and CPU time (process.cpuUsage, user + system: steadier than wall time on a shared machine), the
 * load average, the optimiser's iterations, how many times the likelihood was evaluated on the full rows and on
 * the coarsened rows of the start (transaction.ts coarseStart), and the estimate.
 * Run: `npx tsx bench/paretonbd.ts [customers]`.
 */
import {readFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {fitTransaction} from "../src/lib/fit/transaction.js";
import {PARETO_NBD} from "../src/lib/models/paretonbd.js";
import {simulateParetoNbd} from "../src/lib/models/simulate.js";
import type {SummaryInput} from "../src/lib/fit/columns.js";

const here = path.dirname(fileURLToPath(import.meta.url));

function cpuMs(since: NodeJS.CpuUsage): number {
  const {user, system} = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** The fit, counting likelihood evaluations by the number of rows they ran on. */
function countedFit(data: SummaryInput) {
  const evaluations = new Map<number, number>();
  const counted = {
    ...PARETO_NBD,
    objective: (rows: Parameters<typeof PARETO_NBD.objective>[0]) => {
      const f = PARETO_NBD.objective(rows);
      return (theta: Float64Array, grad?: Float64Array, hess?: Float64Array) => {
        evaluations.set(rows.x.length, (evaluations.get(rows.x.length) ?? 0) + 1);
        return f(theta, grad, hess);
      };
    }
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const fit = fitTransaction(counted, data);
  return {fit, wall: performance.now() - t0, cpu: cpuMs(c0), evaluations};
}

function line(label: string, {fit, wall, cpu, evaluations}: ReturnType<typeof countedFit>): string {
  const params = Object.entries(fit.params).map(([k, v]) => `${k}=${(v as number).toPrecision(5)}`).join(" ");
  const evals = [...evaluations].map(([rows, count]) => `${count}×${rows.toLocaleString("en")} rows`).join(", ");
  return `${label.padEnd(26)} ${wall.toFixed(0).padStart(6)} ms (cpu ${cpu.toFixed(0).padStart(6)} ms)  ${params} LL=${fit.logLikelihood.toFixed(2)} iter=${fit.iterations} ${fit.converged ? "converged" : "NOT converged"}; evaluations ${evals}`;
}

const customers = Number(process.argv[2] ?? 1_000_000);
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);
const file = path.resolve(here, "../..", "shared/data/cdnow/cdnow_customers_summary_with_transactions.csv");
const rows = readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const cdnow = {frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3])};
for (let i = 0; i < 3; i++) console.log(line("CDNOW", countedFit(cdnow)));
const sim = simulateParetoNbd({r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}, {customers, T: 52, cohortSpread: 12, resolution: 0, seed: 42});
for (let i = 0; i < 3; i++) console.log(line(`${customers.toLocaleString("en")} continuous`, countedFit(sim)));
console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);
