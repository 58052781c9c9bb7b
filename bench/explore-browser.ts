/**
 * A filter change on each exploration page of a built site, in Chromium. The pages draw from the build's
 * tables (src/data/derived.tar.ts: cells.arrow, read by src/lib/explore/cellTable.ts and friends), so the
 * figure depends on the data the site was built with: build on a large file first, e.g.
 *   npx tsx bench/commands.ts generate 1600000 /tmp/orders.csv all   (`all`: with partner and offer_type, for /partners)
 *   CLV_DATA=/tmp/orders.csv CLV_DIST=/tmp/dist-big npm run build
 *   CLV_DIST=/tmp/dist-big npx tsx bench/explore-browser.ts [changes=10] [page ...]
 * For each page: open it, wait for its charts, then change the shared Region filter (a different region each
 * time, alternating with no region filter) and time until every chart named below has been redrawn; median
 * of `changes`. Also prints the page's first-chart time, the size of the cells table it read and the machine's
 * load average before and after (figures taken on a loaded machine are not comparable with others).
 */
import {loadavg} from "node:os";
import {open, start} from "../tests/browser/browser.js";
import {chartOrNotice, filterChangeMs, SALES_CHARTS} from "../tests/browser/measure.js";

/** Each page and the chart containers a Region filter change redraws. */
const PAGES: Record<string, readonly string[]> = {
  "/sales": SALES_CHARTS,
  "/regions": ["regions-provinces", "regions-regions", "regions-trend"],
  "/cohorts": ["cohort-matrix", "cohort-m1"],
  "/partners": ["partners-top", "partners-trends", "partners-fav-offer"]
};

const args = process.argv.slice(2);
const changes = Number(args[0] ?? 10);
const only = args.slice(1);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** The 1-minute load average (the machine may be shared: figures are comparable at like loads only). */
const load = () => loadavg()[0].toFixed(2);
console.log(`load ${load()} before`);
const session = await start();
try {
  for (const [path, charts] of Object.entries(PAGES)) {
    if (only.length && !only.includes(path)) continue;
    const t0 = Date.now();
    const {page, errors} = await open(session, path);
    page.setDefaultTimeout(0);
    // A chart replaced by a notice (a column the data lacks: the issue CSV has no partner) is never redrawn.
    const notices: string[] = [];
    for (const id of charts) {
      const shown = await chartOrNotice(page, id);
      if (!shown.chart) notices.push(`#${id}: ${shown.notice}`);
    }
    const opened = Date.now() - t0;
    if (notices.length) {
      console.log(`${path.padEnd(10)} no filter change timed: ${notices.join("; ")} (build on data with these columns: bench/commands.ts generate … all)`);
      await page.context().close();
      continue;
    }
    const cells = (await page.evaluate(`performance.getEntriesByType("resource")
      .filter((e) => /\\/derived\\/cells\\.[0-9a-f]+\\.arrow$/.test(e.name))
      .map((e) => e.encodedBodySize)[0] ?? null`)) as number | null;
    // The first change also warms the page's code paths: left out.
    await filterChangeMs(page, false, charts);
    const picks: number[] = [];
    const clears: number[] = [];
    for (let i = 0; i < Math.ceil(changes / 2); ++i) {
      picks.push(await filterChangeMs(page, i, charts));
      clears.push(await filterChangeMs(page, false, charts));
    }
    const round = (values: number[]) => values.map(Math.round).join(", ");
    console.log(
      `${path.padEnd(10)} charts drawn ${(opened / 1000).toFixed(1)} s after navigation` +
        (cells == null ? "" : `, cells.arrow ${(cells / 1e6).toFixed(1)} MB`) +
        `; filter change until ${charts.length} charts redrawn, median of ${picks.length + clears.length}: ` +
        `${Math.round(median([...picks, ...clears]))} ms (one region: ${round(picks)}; no region: ${round(clears)}); load ${load()}`
    );
    if (errors.length) console.log(`  page errors: ${errors.slice(0, 3).join(" | ")}`);
    await page.context().close();
  }
} finally {
  await session.close();
}
