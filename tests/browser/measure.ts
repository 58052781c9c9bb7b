// Timing helpers shared by the browser tests and the Chromium benchmarks (figures are recorded, not asserted).
import {execFileSync} from "node:child_process";
import type {Page} from "playwright-core";

export const SALES_CHARTS = ["sales-revenue", "sales-transactions", "sales-regions", "sales-yoy", "sales-heatmap"];

/**
 * Milliseconds from a change of the shared Region filter (its first option, or none when `pick` is false;
 * a number picks that option, counted from 0, modulo the number of regions) until every chart of `ids` has
 * been redrawn. Sent as a string: tsx would wrap a function's inner names in
 * a helper the page lacks.
 */
export async function filterChangeMs(page: Page, pick: boolean | number, ids: readonly string[] = SALES_CHARTS): Promise<number> {
  return page.evaluate(`(async () => {
    const ids = ${JSON.stringify(ids)};
    const old = new Set(ids.map((id) => document.querySelector("#" + id + " svg")));
    const select = Array.from(document.querySelectorAll(".filter-bar form"))
      .find((f) => /Region/.test(f.querySelector("label")?.textContent ?? ""));
    const t0 = performance.now();
    const options = select.querySelectorAll("option");
    const pick = ${JSON.stringify(pick)};
    select.value = pick === false ? [] : [options[pick === true ? 0 : pick % options.length].textContent];
    select.dispatchEvent(new Event("input", {bubbles: true}));
    const redrawn = () => ids.every((id) => {
      const svg = document.querySelector("#" + id + " svg");
      return svg && !old.has(svg);
    });
    while (!redrawn()) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  })()`) as Promise<number>;
}

/**
 * Waits until the chart container `#id` holds a chart (an svg) or a notice in its place (components/notice.ts:
 * "This data has no partner column.", "No sales match the filters."), and says which: a page built on data
 * without a column draws the notice instead, forever, and a benchmark waiting for an svg would wait out its
 * timeout (the Partners page on bench/commands.ts's issue CSV, which has no partner or offer_type).
 */
export async function chartOrNotice(page: Page, id: string, timeout = 300_000): Promise<{chart: true} | {chart: false; notice: string}> {
  const found = page.locator(`#${id} svg, #${id} .notice`).first();
  await found.waitFor({state: "attached", timeout});
  const notice = await page.locator(`#${id} .notice`).first().textContent({timeout: 1}).catch(() => null);
  const svg = await page.locator(`#${id} svg`).count();
  return svg > 0 || notice === null ? {chart: true} : {chart: false, notice};
}

/** Peak resident memory (MB) of the Chromium renderer processes started by this test process, sampled. */
export function rendererRss(): number {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,rss=,args="], {encoding: "utf8"}).trim().split("\n");
  const procs = rows.map((line) => {
    const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
    return {pid: Number(pid), ppid: Number(ppid), rss: Number(rss), args: args.join(" ")};
  });
  const mine = new Set([process.pid]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) (mine.add(p.pid), (changed = true));
  }
  let max = 0;
  for (const p of procs) if (mine.has(p.pid) && p.args.includes("--type=renderer")) max = Math.max(max, p.rss);
  return max / 1024;
}
