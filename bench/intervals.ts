/**
 * Benchmark (not a test) of the CLV page's per-refit recomputation (issue 16) on the demo of the build (20,000
 * customers by default) at the page's default calibration end: the figures of each bootstrap refit (total CLV,
 * purchases, active, top 10% share, sums by a grouping) computed as before, per customer with the rows
 * compressed again in each refit (clvArrays), and per distinct row (clv/replicates.ts RefitFigures), with the
 * per-customer values kept for the customer table's intervals. Times are CPU time of this process (the machine
 * is shared), wall time beside. Run: `npx tsx bench/intervals.ts [customers] [refits] [models, default bgnbd,paretonbd]`.
 */
import {openDuckDB} from "../src/node/duckdb.js";
import {loadDemo} from "../src/data/source.js";
import {presentColumns} from "../src/lib/explore/derived.js";
import {selectTransactions} from "../src/lib/sql/selection.js";
import {customerData} from "../src/lib/clv/customers.js";
import {addDays} from "../src/lib/time.js";
import {fitClv} from "../src/lib/clv/fitClv.js";
import {clvArrays} from "../src/lib/clv/value.js";
import {clvReplicates, type ClvReplicate} from "../src/lib/fit/bootstrap.js";
import {groupCodes, RefitFigures} from "../src/lib/clv/replicates.js";
import {topShare} from "../src/lib/clv/diagnostics.js";
import type {TransactionModelName} from "../src/lib/models/index.js";

const customersWanted = Number(process.argv[2] ?? 20_000);
const refits = Number(process.argv[3] ?? 100);
const models = (process.argv[4] ?? "bgnbd,paretonbd").split(",") as TransactionModelName[];

/** CPU and wall seconds of `f`. */
function timed<T>(f: () => T): [T, string] {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = f();
  const used = process.cpuUsage(cpu);
  return [value, `${((used.user + used.system) / 1e6).toFixed(2)} s CPU (${((performance.now() - wall) / 1000).toFixed(2)} s wall)`];
}
const db = await openDuckDB();
let summaries;
try {
  await loadDemo(db, {customers: customersWanted});
  const columns = await presentColumns(db);
  const selection = await selectTransactions(db, {filters: {}, columns, name: "s", dates: false});
  const calibrationEnd = addDays(selection.last!, -182);
  summaries = (await customerData(db, {view: "s", columns, calibrationEnd, first: selection.first!, last: selection.last!})).summaries;
} finally {
  db.close();
}
const n = summaries.frequency.length;
const settings = {horizonMonths: 12, discountRate: 0.01};
const margins = new Float64Array(n).fill(0.3);
const grouping = groupCodes(Array.from({length: n}, (_, i) => String(i % 7)));

/** The figures as the worker computed them before: every refit predicts each customer through clvArrays. */
function before(fit: ClvReplicate): number {
  const arrays = clvArrays({model: fit.transaction.model, params: fit.transaction.params, spend: fit.spend, summaries: summaries!}, settings);
  const clv = new Float64Array(n);
  const group = new Float64Array(grouping.labels.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    clv[i] = arrays.clv![i] * margins[i];
    total += clv[i];
    group[grouping.codes[i]] += clv[i];
  }
  topShare(clv);
  return total;
}

for (const model of models) {
  const {fitted} = fitClv(summaries, {model, ...settings});
  const estimate = {transaction: {model, params: fitted.params!} as ClvReplicate["transaction"], spend: fitted.spend!};
  const [fits, refitTime] = timed(() => [...clvReplicates(summaries!, estimate, {replicates: refits, seed: 1})].filter((f): f is ClvReplicate => f !== null));
  const [old, beforeTime] = timed(() => fits.map(before));
  const [[recompute, now], nowTime] = timed(() => {
    const r = new RefitFigures(summaries!, settings, {margins, groupings: [grouping], perCustomer: fits.length, keepAlive: false});
    return [r, fits.map((fit) => r.add(fit)!.total)] as const;
  });
  const [, intervalsTime] = timed(() => recompute.customerIntervalSets([0.8, 0.9, 0.95]));
  const worst = Math.max(...now.map((t, b) => Math.abs(t - old[b]) / Math.abs(old[b])));
  const d = recompute.rows;
  console.log(`${model}, ${n} customers (${d.rows.rows} distinct (x, t_x, T), ${d.pairs} distinct (x, T), ${d.valueRows} value rows), ${fits.length} refits:`);
  console.log(`  refits ${refitTime}; figures before ${beforeTime}, per distinct row ${nowTime}; per-customer intervals at 3 levels ${intervalsTime}`);
  console.log(`  largest relative difference of the totals ${worst.toExponential(1)}`);
}
