/**
 * Issue 13: the Predicted CLV page opens on its small first view (clv-holdout-view.json) and loads the table of
 * every customer (clv-holdout.arrow) only when something needs it. Opened with the intervals off, it draws
 * its charts, KPIs and the first customers without asking for the table; "Load all customers" loads it and
 * the page shows the same numbers, now over every customer. With the intervals on (the default), the table
 * is asked for only after the first chart is drawn.
 */
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const isTable = (url: string) => /\/_file\/data\/derived\/clv-holdout\.[0-9a-f]+\.arrow/.test(url);
const isView = (url: string) => /\/_file\/data\/derived\/clv-holdout-view\.[0-9a-f]+\.json/.test(url);

async function openClv(path: string): Promise<{page: Page; requests: {url: string; at: number}[]; errors: string[]}> {
  const context = await session.newContext({viewport: {width: 1280, height: 1000}});
  const page = await context.newPage();
  const requests: {url: string; at: number}[] = [];
  const errors: string[] = [];
  page.on("request", (request) => void requests.push({url: request.url(), at: Date.now()}));
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  await page.goto(session.server.url + path);
  return {page, requests, errors};
}

/** What the page shows: the KPI cards, the bars by segment, and the first rows of the customer table. */
async function shown(page: Page) {
  const text = (selector: string) => page.locator(selector).first().innerText();
  const rows = await page.locator("#clv-customers table tbody tr").evaluateAll((trs) => trs.slice(0, 8).map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? "").join("|")));
  const kpis = await page.locator("#clv-kpis .big").allInnerTexts();
  const segmentBars = await page.locator("#clv-by-segment svg [aria-label=bar] rect").count();
  const tips = await page.locator("#clv-by-segment svg text").allInnerTexts();
  return {total: await text("#clv-total"), kpis, rows, segmentBars, tips};
}

test("clv page: first view without the per-customer table, then 'Load all customers' shows the same numbers", async () => {
  const {page, requests, errors} = await openClv("/clv?refits=0");
  await page.waitForFunction(() => /^[\d,]+$/.test(document.querySelector("#clv-total")?.textContent ?? ""), null, {timeout: 60_000});
  for (const selector of [".card svg", "#clv-by-segment svg", "#clv-parameters table", "#clv-customers table tbody tr"]) {
    await page.locator(selector).first().waitFor({state: "visible", timeout: 60_000});
  }
  // Every chart of the page, including the model checks, from the view.
  await page.waitForFunction(() => document.querySelectorAll("main svg").length >= 8, null, {timeout: 60_000});
  const first = await shown(page);
  assert.equal(first.rows.length, 8, "the table shows customers");
  assert.ok(first.segmentBars > 0 && first.tips.length > 0, `the segment chart has bars (${first.segmentBars}) and labels`);
  assert.equal(first.kpis.length, 4);
  assert.ok(requests.some((r) => isView(r.url)), "the first view was read");
  assert.deepEqual(requests.filter((r) => isTable(r.url)).map((r) => r.url), [], "the per-customer table was not requested");
  assert.match(await page.locator("#clv-status").innerText(), /fitted on [\d,]+ customers when the site was built/);
  const note = await page.locator("#clv-customers-first").innerText();
  const [, topRows, customers] = note.match(/The ([\d,]+) customers with the highest CLV of ([\d,]+)/) ?? [];
  assert.equal(topRows, "1,000");
  assert.equal(customers, first.kpis[0], "the table's note and the Customers card agree");
  assert.match(await page.locator("#clv-customers .download-button").innerText(), /Download 1,000 customers/);

  // On demand: every customer, with a status line while it loads; the same figures.
  await page.locator("#clv-customers-first button").click();
  await page.locator("#clv-table-status").waitFor({state: "visible", timeout: 30_000});
  await page.waitForFunction(() => /loaded to show them all/.test(document.querySelector("#clv-table-status")?.textContent ?? ""), null, {timeout: 120_000});
  await page.waitForFunction(() => !document.querySelector("#clv-customers-first"), null, {timeout: 60_000});
  await page.waitForFunction((n) => document.querySelector("#clv-customers .download-button")?.textContent?.includes(`Download ${n} customers`), customers, {timeout: 60_000});
  assert.equal(requests.filter((r) => isTable(r.url)).length, 1, "the per-customer table was loaded once");
  await page.waitForFunction(() => document.querySelectorAll("main svg").length >= 8, null, {timeout: 60_000});
  const all = await shown(page);
  assert.deepEqual(all, first, "the full table gives the numbers the first view showed");
  assert.match(await page.locator("main").innerText(), /Prepared and fitted with the default settings when the site was built/);
  assert.equal(await page.locator("#duckdb-status").isVisible(), false, "DuckDB was not needed");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("clv page: with the intervals on, the first chart does not wait for the per-customer table the refits need", async () => {
  const context = await session.newContext({viewport: {width: 1280, height: 1000}});
  const held: import("playwright-core").Route[] = [];
  let asked: () => void = () => {};
  const requested = new Promise<void>((resolve) => (asked = resolve));
  await context.route(/\/_file\/data\/derived\/clv-holdout\.[0-9a-f]+\.arrow/, (route) => {
    held.push(route);
    asked();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(session.server.url + "/clv");
  // Drawn while the table's request is held back (never answered until released below).
  await page.waitForFunction(() => /^[\d,]+$/.test(document.querySelector("#clv-total")?.textContent ?? ""), null, {timeout: 60_000});
  await page.locator("#clv-by-segment svg").first().waitFor({state: "visible", timeout: 60_000});
  await page.waitForFunction(() => /Loading the table of every customer/.test(document.querySelector("#clv-table-status")?.textContent ?? ""), null, {timeout: 30_000});
  // The status line and the request come together, after the first charts are painted: wait for the request.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([requested, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
  clearTimeout(timer);
  assert.equal(held.length, 1, "the refits asked for the per-customer table");
  for (const route of held) await route.continue();
  await page.waitForFunction(() => /Intervals from \d+ refits/.test(document.querySelector("#clv-bootstrap")?.textContent ?? ""), null, {timeout: 240_000});
  assert.match(await page.locator("#clv-total-interval").innerText(), /interval/);
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
