/**
 * Where the RFM page's time goes in Chromium (CLV_DIST, default dist/): a CPU profile (Chrome DevTools
 * Protocol) of each of the three moments issue 13 times — the page load until the first chart, a bins change
 * and a Region filter change — summarised as the functions with the most self time, and the page's own
 * modules' total.
 *   CLV_DIST=/tmp/big-dist npx tsx bench/rfm-profile.ts [top=15]
 */
import {open, start} from "../tests/browser/browser.js";
import {filterChangeMs} from "../tests/browser/measure.js";

const top = Number(process.argv[2] ?? 15);
const CHARTS = ["rfm-segment-bars", "rfm-heatmap", "rfm-distributions"];

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self milliseconds per function and per source file. */
function summarise(label: string, profile: Profile, wallMs: number): void {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    const {functionName, url, lineNumber} = byNode.get(id)!.callFrame;
    const file = url.replace(/^.*\/(_import|_npm|_observablehq)\//, "$1/").replace(/\.[0-9a-f]{8}\.js$/, ".js") || "(native)";
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `  ${Math.round(ms).toString().padStart(6)} ms  ${k}`);
  console.log(`\n== ${label}: ${Math.round(wallMs)} ms wall\n-- by file (self)\n${sorted(files).join("\n")}\n-- by function (self)\n${sorted(fns).join("\n")}`);
}

const session = await start();
try {
  const context = await session.browser.newContext({viewport: {width: 1280, height: 900}});
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", {interval: 500});
  const profiled = async (label: string, action: () => Promise<unknown>) => {
    await cdp.send("Profiler.start");
    const t0 = Date.now();
    await action();
    const wall = Date.now() - t0;
    const {profile} = (await cdp.send("Profiler.stop")) as unknown as {profile: Profile};
    summarise(label, profile, wall);
  };
  await profiled("load until the first chart", async () => {
    await page.goto(session.server.url + "/rfm");
    await page.locator("#rfm-heatmap svg").first().waitFor({timeout: 600_000});
  });
  await profiled("until the customer table", () => page.locator("#rfm-table table").first().waitFor({timeout: 600_000}));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const bins = (k: number) =>
    page.evaluate(`(async () => {
      const ids = ${JSON.stringify(CHARTS)};
      const old = new Set(ids.map((id) => document.querySelector("#" + id + " svg")));
      const input = document.querySelector("#rfm-scoring input[type=number]");
      input.value = ${k};
      input.dispatchEvent(new Event("input", {bubbles: true}));
      while (!ids.every((id) => { const svg = document.querySelector("#" + id + " svg"); return svg && !old.has(svg); })) await new Promise(requestAnimationFrame);
    })()`);
  await profiled("bins change (k 5 → 4)", () => bins(4));
  await profiled("bins change back (k 4 → 5, scored before)", () => bins(5));
  await profiled("bins change (k 5 → 4, scored before)", () => bins(4));
  await profiled("first Region filter (reads the cells)", () => filterChangeMs(page, 0, CHARTS));
  await profiled("Region filter off", () => filterChangeMs(page, false, CHARTS));
  await profiled("Region filter on", () => filterChangeMs(page, 1, CHARTS));
} finally {
  await session.close();
}
