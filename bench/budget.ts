/**
 * Benchmark (not a test) of the Acquisition budget page's figures at millions of customers (issue 15): N
 * synthetic customer profiles (as clv/profiles.ts makes them, with cost, region, channel and acquisition cost;
 * no customer_segment, so the segments are RFM segments), then, as the page does, budgetGroupings,
 * budgetPageFigures at the page's defaults and at other inputs (cost margins, CAC by cohort), and the What-if
 * page's whatIfPageData. Each size runs in a process of its own; printed per step: wall and CPU seconds (the
 * machine is shared) and the heap after it, then the process's peak RSS. Run:
 * `npx tsx bench/budget.ts [customers ...]` (default 500000 2500000).
 */
import {spawnSync} from "node:child_process";
import {loadavg} from "node:os";
import {budgetDefaults, budgetGroupings, budgetPageFigures} from "../src/lib/clv/budgetView.js";
import {whatIfPageData} from "../src/lib/clv/whatifView.js";
import type {CustomerProfile} from "../src/lib/clv/profiles.js";
import {createRandom} from "../src/lib/data/random.js";
import {dayNumber, isoDay} from "../src/lib/time.js";

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** N customers with first purchases over four years, a few orders each. */
function profiles(n: number): CustomerProfile[] {
  const random = createRandom(15);
  const start = dayNumber("2021-01-01");
  const days = 4 * 365;
  const dates = Array.from({length: days + 1}, (_, d) => isoDay(start + d));
  const regions = ["West", "East", "Central", "South", null];
  const channels = ["search", "email", "referral", "social", null];
  return Array.from({length: n}, (_, i) => {
    const first = Math.floor(random() * days);
    const last = first + Math.floor(random() * (days - first));
    const orders = 1 + Math.floor(-Math.log(random()) * 3);
    const revenue = Math.round(orders * (20 + random() * 200) * 100) / 100;
    return {
      customer_id: `C${i}`,
      revenue,
      orders,
      cost: random() < 0.9 ? Math.round(revenue * (0.3 + 0.4 * random()) * 100) / 100 : null,
      purchase_days: Math.min(orders, last - first + 1),
      first_purchase: dates[first],
      last_purchase: dates[last],
      region: regions[Math.floor(random() * regions.length)],
      channel: channels[Math.floor(random() * channels.length)],
      acquisition_cost: random() < 0.5 ? Math.round(random() * 8000) / 100 : null
    };
  });
}

function one(n: number): void {
  const customers = profiles(n);
  const random = createRandom(16);
  const predictedRevenue = Float64Array.from({length: n}, () => random() * 300);
  const expectedOrders = Float64Array.from({length: n}, () => random() * 3);
  const summaries = {frequency: new Float64Array(n), recency: new Float64Array(n), T: new Float64Array(n), monetary: new Float64Array(n)};
  const columns = ["customer_id", "order_date", "revenue", "cost", "region", "channel", "acquisition_cost"];
  const asOf = customers.reduce((last, p) => (p.last_purchase > last ? p.last_purchase : last), "");
  console.log(`${n.toLocaleString("en")} customers: heap ${mb(process.memoryUsage().heapUsed)} with the profiles`);
  const step = <T>(label: string, f: () => T): T => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const out = f();
    const {user, system} = process.cpuUsage(cpu);
    console.log(`  ${label.padEnd(48)} ${((performance.now() - wall) / 1000).toFixed(2).padStart(7)} s wall ${((user + system) / 1e6).toFixed(2).padStart(7)} s CPU   heap after ${mb(process.memoryUsage().heapUsed)}`);
    return out;
  };
  const settings = budgetDefaults(columns);
  const groupings = step("budgetGroupings", () => budgetGroupings(customers, {columns, asOf, segmentation: settings.segmentation}));
  const input = {profiles: customers, columns, groupings, asOf, predictedRevenue, expectedOrders};
  step("budgetPageFigures at the defaults", () => budgetPageFigures({...input, inputs: settings}));
  step("budgetPageFigures, cost margins, CAC by cohort", () => budgetPageFigures({...input, inputs: {...settings, marginSource: "cost", cacBy: "cohort", cacTable: {"2023-Q1": 55}}}));
  step("whatIfPageData", () => whatIfPageData({profiles: customers, summaries}, {columns, asOf}));
  console.log(`  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

if (process.argv[2] === "--one") one(Number(process.argv[3]));
else {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [500_000, 2_500_000]) {
    console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
    const result = spawnSync(process.execPath, ["--max-old-space-size=8000", "--import", "tsx", process.argv[1], "--one", String(n)], {stdio: "inherit"});
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
