import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

test("home page: chart renders from the build's derived cells, reacts to the input, stays on its own host", async () => {
  const started = performance.now();
  const record = await open(session, "/");
  const {page} = record;
  const chart = page.locator("#revenue-trend svg");
  await chart.waitFor({state: "visible", timeout: 90_000});
  const firstChartMs = Math.round(performance.now() - started);
  console.log(`home: navigation to first chart ${firstChartMs} ms`);

  // KPI cards show real numbers, from the cells made at build time.
  const customers = await page.locator(".card .big").first().innerText();
  assert.match(customers, /^[\d,]+$/, `customers card shows a count, got ${customers}`);
  assert.ok(Number(customers.replace(/,/g, "")) > 0);

  // The daily bars have width (with the interval's default insets, days narrower than a pixel had none).
  const widths = await chart.locator("rect").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("width"))));
  assert.ok(widths.length > 300, `one bar per day, got ${widths.length}`);
  assert.ok(widths.every((w) => w > 0), `every bar has width, got ${widths.filter((w) => !(w > 0)).length} without`);

  // Moving the rolling-window input redraws the mean line with different values.
  const path = () => page.locator("#revenue-trend svg path").last().getAttribute("d");
  const before = await path();
  const input = page.locator("input[type=number]").first();
  await input.fill("1");
  await input.dispatchEvent("input");
  await page.waitForFunction((old) => {
    const paths = document.querySelectorAll("#revenue-trend svg path");
    return paths.length > 0 && paths[paths.length - 1].getAttribute("d") !== old;
  }, before, {timeout: 20_000});
  assert.notEqual(await path(), before, "the mean line changes when the window changes");
  assert.match(await page.locator("#revenue-trend").locator("..").innerText(), /trailing 1-day mean/);

  await screenshot(page, "home");
  assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
  assert.deepEqual(record.errors, [], "no console errors");
  assert.deepEqual(record.failed, [], "no failed requests");
  assert.deepEqual(record.external, [], "no request leaves the site's own host");
  assert.ok(!record.requests.some((url) => /duckdb.*\.wasm$/.test(url)), "the page needs no DuckDB: its wasm is never fetched");
});
