/**
 * Issue 13 (13c): the Acquisition budget, What-if and Model validation pages open on their small first views
 * (clv-budget-view.json, clv-whatif-view.json, clv-validation-view.json, made at build time by the functions
 * the pages run) and draw their first charts with the per-customer tables and DuckDB's wasm held back. The
 * intervals (on by default) then ask for the tables; once they are released the page shows the same figures,
 * now computed over every customer, and the intervals come.
 */
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import type {Page, Route} from "playwright-core";
import {cellErrors, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const member = (name: string) => new RegExp(`/_file/data/derived/${name}\\.[0-9a-f]+\\.(arrow|json)`);

/** A fresh context whose requests for the given tables are held back (and DuckDB's wasm never answered). */
async function openHolding(path: string, tables: string[]): Promise<{page: Page; held: Route[]; views: string[]; duckdb: string[]; errors: string[]}> {
  const context = await session.newContext({viewport: {width: 1280, height: 1000}});
  const held: Route[] = [];
  const views: string[] = [];
  const duckdb: string[] = [];
  const errors: string[] = [];
  await context.route(/duckdb[^/]*\.wasm/, (route) => void duckdb.push(route.request().url()));
  for (const table of tables) await context.route(member(table), (route) => void held.push(route));
  const page = await context.newPage();
  page.on("request", (request) => void (/-view\.[0-9a-f]+\.json/.test(request.url()) && views.push(request.url())));
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  await page.goto(session.server.url + path);
  return {page, held, views, duckdb, errors};
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

async function release(held: Route[]): Promise<void> {
  for (const route of held.splice(0)) await route.continue();
}

test("budget page: first charts from its view, then the same figures over every customer with their intervals", async () => {
  const {page, held, views, duckdb, errors} = await openHolding("/budget?refits=20", ["clv-full"]);
  await page.waitForFunction(() => /\d/.test(document.querySelector("#budget-predicted")?.textContent ?? ""), null, {timeout: 60_000});
  await page.locator("#budget-cohorts table tbody tr").first().waitFor({timeout: 60_000});
  await page.locator("#budget-segments svg").first().waitFor({state: "visible", timeout: 60_000});
  await page.waitForFunction(() => document.querySelectorAll("main svg").length >= 3, null, {timeout: 60_000});
  assert.ok(views.some((url) => url.includes("clv-budget-view")), "the first view was read");
  const first = {kpis: await texts(page, "#budget-kpis .big"), formula: await page.locator(".formula").innerText(), segments: await page.locator("#budget-segments table tbody tr").count()};
  assert.equal(first.kpis.length, 4);
  assert.match(first.formula, /historical CLV [\d,]/);
  assert.match(await page.locator("#budget-status").innerText(), /fitted on [\d,]+ customers when the site was built/);
  // The refits need every customer: the table is asked for after the first charts, with a status line.
  await page.waitForFunction(() => /Loading the table of every customer/.test(document.querySelector("#clv-table-status")?.textContent ?? ""), null, {timeout: 30_000});
  assert.equal(held.length, 1, "the intervals asked for the per-customer table");
  await release(held);
  await page.waitForFunction(() => /interval/.test(document.querySelector("#budget-predicted-interval")?.textContent ?? ""), null, {timeout: 240_000});
  const all = {kpis: await texts(page, "#budget-kpis .big"), formula: await page.locator(".formula").innerText(), segments: await page.locator("#budget-segments table tbody tr").count()};
  assert.deepEqual(all, first, "every customer gives the figures the first view showed");
  // Another input is computed over every customer in the page.
  const serve = page.locator("form").filter({hasText: "Cost to serve per order"}).locator("input[type=number]").first();
  await serve.fill("0");
  await serve.dispatchEvent("input");
  await page.waitForFunction((before) => document.querySelector("#budget-historical")?.textContent !== before, first.kpis[0], {timeout: 60_000});
  assert.deepEqual(duckdb, [], "DuckDB's wasm was not asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
  await page.context().close();
});

test("what-if page: the form works on its view (fit, RFM cuts), then the intervals come once every customer is loaded", async () => {
  const {page, held, views, duckdb, errors} = await openHolding("/predict?refits=20", ["clv-full"]);
  await page.waitForFunction(() => /\d/.test(document.querySelector("#whatif-clv")?.textContent ?? ""), null, {timeout: 60_000});
  await page.locator("#whatif-form input").first().waitFor({timeout: 60_000});
  await page.locator("main svg").first().waitFor({state: "visible", timeout: 60_000});
  await page.locator("#whatif-pick table tbody tr").first().waitFor({timeout: 60_000});
  assert.ok(views.some((url) => url.includes("clv-whatif-view")), "the first view was read");
  assert.match(await page.locator("#whatif-pick-first").innerText(), /The first 1,000 of [\d,]+ customers/);
  const first = await texts(page, "#whatif-kpis .big");
  assert.equal(first.length, 4);
  assert.match(first[3], /\w/, "an RFM segment from the view's cuts");
  // The form is evaluated in the page while the table is held back.
  const frequency = page.locator("#whatif-form form").locator("input[type=number]").first();
  await frequency.fill("12");
  await frequency.dispatchEvent("input");
  await page.waitForFunction((before) => document.querySelector("#whatif-clv")?.textContent !== before, first[2], {timeout: 30_000});
  const changed = await texts(page, "#whatif-kpis .big");
  assert.notDeepEqual(changed, first);
  await frequency.fill("3");
  await frequency.dispatchEvent("input");
  await page.waitForFunction((before) => document.querySelector("#whatif-clv")?.textContent === before, first[2], {timeout: 30_000});
  await page.waitForFunction(() => /Loading the table of every customer/.test(document.querySelector("#clv-table-status")?.textContent ?? ""), null, {timeout: 30_000});
  assert.equal(held.length, 1, "the intervals asked for the per-customer table");
  await release(held);
  await page.waitForFunction(() => /interval/.test(document.querySelector("#whatif-clv-interval")?.textContent ?? ""), null, {timeout: 240_000});
  assert.deepEqual(await texts(page, "#whatif-kpis .big"), first, "every customer gives the figures (and segment) the first view gave");
  await page.waitForFunction(() => !document.querySelector("#whatif-pick-first"), null, {timeout: 30_000});
  assert.deepEqual(duckdb, [], "DuckDB's wasm was not asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("validation page: the comparison from its view without the calibration tables; the intervals once they load", async () => {
  const {page, held, views, duckdb, errors} = await openHolding("/validation?refits=20", ["clv-holdout", "clv-training"]);
  await page.locator("#validation-table table tbody tr").nth(3).waitFor({timeout: 60_000});
  await page.locator("#validation-chart svg").first().waitFor({state: "visible", timeout: 60_000});
  await page.locator("#validation-fit-comparison table").waitFor({timeout: 60_000});
  assert.ok(views.some((url) => url.includes("clv-validation-view")), "the first view was read");
  assert.match(await page.locator("#validation-status").innerText(), /fitted on [\d,]+ customers when the site was built/);
  const rows = await page.locator("#validation-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ""));
  assert.ok(rows.some((row) => /Learned/.test(row)), "the learned model is compared");
  const winner = await page.locator("#validation-winner").innerText();
  assert.ok(rows.some((row) => row.includes(winner)), `the winner ${winner} is one of the rows`);
  await page.waitForFunction(() => /Loading the table of every customer/.test(document.querySelector("#clv-table-status")?.textContent ?? ""), null, {timeout: 30_000});
  assert.ok(held.length >= 1, "the intervals asked for the calibration table");
  await release(held);
  await page.waitForFunction(() => document.querySelector("#validation-bootstrap .bootstrap-status")?.getAttribute("data-state") === "done", null, {timeout: 240_000});
  await release(held); // the training table, if it was asked for after the first was released
  const cells = await page.locator("#validation-holdout-intervals tbody tr").evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll("td")[2]?.textContent ?? ""));
  assert.ok(cells.every((cell) => /[\d]/.test(cell)), `intervals: ${cells.join(" / ")}`);
  assert.deepEqual(await page.locator("#validation-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent ?? "")), rows, "the comparison is not refitted");
  assert.deepEqual(duckdb, [], "DuckDB's wasm was not asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
  await page.context().close();
});
