// The RFM, Predicted CLV and Model validation pages with every request for DuckDB's wasm held back (never answered): they
// still draw their first charts from the build's tables, and their inputs that those tables (and the fit
// worker) answer still work. Proof that the first paint does not wait for DuckDB-WASM.
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, start, type Session} from "./browser.js";
import {filterChangeMs} from "./measure.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

/** Opens a page in a fresh context whose requests for a DuckDB wasm are held back; returns them too. */
async function openWithoutDuckDB(path: string): Promise<{page: Page; held: string[]; errors: string[]}> {
  const context = await session.newContext({viewport: {width: 1280, height: 1000}});
  const held: string[] = [];
  const errors: string[] = [];
  await context.route(/duckdb[^/]*\.wasm/, (route) => void held.push(route.request().url()));
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  await page.goto(session.server.url + path);
  return {page, held, errors};
}

test("rfm page draws and re-scores with DuckDB's wasm held back", async () => {
  const {page, held, errors} = await openWithoutDuckDB("/rfm");
  for (const id of ["rfm-segment-bars", "rfm-heatmap", "rfm-distributions", "rfm-movement"]) {
    await page.locator(`#${id} svg`).first().waitFor({state: "visible", timeout: 60_000});
  }
  const cells = "#rfm-heatmap g[aria-label=cell] rect";
  assert.equal(await page.locator(cells).count(), 25);
  const customers = Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  assert.ok(customers > 1000, `customers KPI is a count, got ${customers}`);
  // A bins change re-scores in the page.
  const k = page.locator("#rfm-scoring input[type=number]");
  await k.fill("3");
  await k.dispatchEvent("input");
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 9, cells, {timeout: 30_000});
  // Frequency as purchase days: another value mode from the same summary.
  await page.locator("#rfm-scoring label").filter({hasText: "Purchase days"}).click();
  await page.waitForFunction((s) => document.querySelectorAll(s).length === 9, cells, {timeout: 30_000});
  assert.equal(Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, "")), customers);
  assert.equal(await page.locator("#duckdb-status").isVisible(), false, "DuckDB was not needed");
  assert.deepEqual(held, [], "no DuckDB wasm was even asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  // A region filter: the selection's RFM values come from the build's cells in the page, with no DuckDB.
  const count = async () => Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  const date = page.locator("#rfm-scoring input[type=date]");
  const last = await date.inputValue();
  await filterChangeMs(page, 0, ["rfm-segment-bars", "rfm-heatmap", "rfm-distributions"]);
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")?.textContent?.replace(/,/g, "")) !== n, customers, {timeout: 30_000});
  const filtered = await count();
  assert.ok(filtered > 0 && filtered < customers, `a region holds some of the ${customers} customers, got ${filtered}`);
  await page.waitForFunction((s) => document.querySelectorAll(s).length > 0, cells, {timeout: 30_000});
  // An earlier analysis date on the filtered selection: fewer customers again, still no DuckDB.
  const earlier = new Date(Date.parse(last) - 540 * 86_400_000).toISOString().slice(0, 10);
  await date.fill(earlier);
  await date.dispatchEvent("input");
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")?.textContent?.replace(/,/g, "")) < n, filtered, {timeout: 30_000});
  assert.ok((await count()) > 0, "customers bought before the earlier date");
  assert.match(await page.locator("#rfm-customers + br + small").innerText(), new RegExp(`before ${earlier}`));
  // Clearing the filter gives back the whole selection at that date, then at the default date every customer.
  await filterChangeMs(page, false, ["rfm-segment-bars", "rfm-heatmap", "rfm-distributions"]);
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")?.textContent?.replace(/,/g, "")) > n, filtered, {timeout: 30_000}).catch(() => undefined);
  await date.fill(last);
  await date.dispatchEvent("input");
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")?.textContent?.replace(/,/g, "")) === n, customers, {timeout: 30_000});
  assert.equal(await page.locator("#duckdb-status").isVisible(), false, "DuckDB was not needed for filters or dates");
  assert.deepEqual(held, [], "no DuckDB wasm was asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("clv page shows the build's fit and recomputes CLV in the worker with DuckDB's wasm held back", async () => {
  const {page, held, errors} = await openWithoutDuckDB("/clv");
  const total = page.locator("#clv-total");
  await page
    .waitForFunction(() => /^[\d,]+$/.test(document.querySelector("#clv-total")?.textContent ?? ""), null, {timeout: 60_000})
    .catch(async (error) => {
      throw new Error(`${error}\n${(await page.locator("main").innerText()).slice(0, 3000)}\n${errors.join("\n")}`);
    });
  const first = await total.innerText();
  assert.match(first, /^[\d,]+$/);
  await page.locator("#clv-parameters table").first().waitFor({timeout: 60_000});
  assert.match(await page.locator("#clv-status").innerText(), /when the site was built/);
  assert.ok((await page.locator("svg").count()) >= 8, "every chart is drawn");
  // Another discount rate: CLV from the build's fit, computed in the worker.
  const input = page.locator("form").filter({hasText: "Monthly discount rate"}).locator("input[type=number]").first();
  await input.fill("0.04");
  await input.dispatchEvent("input");
  await page.waitForFunction((old) => document.querySelector("#clv-total")?.textContent !== old, first, {timeout: 60_000});
  assert.ok(Number((await total.innerText()).replace(/\D/g, "")) < Number(first.replace(/\D/g, "")), "CLV falls with the discount rate");
  // Another model: a refit in the worker on the build's summaries.
  await page.locator("form").filter({hasText: "Learned"}).locator("label").filter({hasText: "Pareto"}).click();
  await page.waitForFunction(() => /Pareto\/NBD and Gamma-Gamma fitted .* in a background worker/.test(document.querySelector("#clv-status")?.textContent ?? ""), null, {timeout: 120_000});
  assert.equal(await page.locator("#duckdb-status").isVisible(), false, "DuckDB was not needed");
  assert.deepEqual(held, []);
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("validation page compares the models on the build's holdout with DuckDB's wasm held back", async () => {
  const {page, held, errors} = await openWithoutDuckDB("/validation");
  await page
    .locator("#validation-table table")
    .waitFor({timeout: 180_000})
    .catch(async (error) => {
      throw new Error(`${error}\n${(await page.locator("main").innerText()).slice(0, 3000)}\n${errors.join("\n")}`);
    });
  await page.locator("#validation-chart svg").first().waitFor({state: "visible", timeout: 60_000});
  // Every transaction model, the learned model and the naive baseline: a row each, and a winner among them.
  const rows = await page.locator("#validation-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.querySelector("td")?.textContent ?? ""));
  assert.ok(rows.length >= 4, `a row per model, got ${rows.join(" / ")}`);
  assert.ok(rows.some((name) => /Learned/.test(name)), "the learned model (trained on the build's training set) is compared");
  const winner = await page.locator("#validation-winner").innerText();
  assert.ok(rows.some((name) => name.includes(winner)), `the winner ${winner} is one of the rows`);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
  assert.equal(await page.locator("#duckdb-status").isVisible(), false, "DuckDB was not needed");
  assert.deepEqual(held, [], "no DuckDB wasm was even asked for");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  // Another holdout is another calibration end: the page says DuckDB-WASM is starting (it never will, here).
  const weeks = page.locator("form").filter({hasText: "Holdout (weeks)"}).locator("input[type=number]").first();
  await weeks.fill("20");
  await weeks.dispatchEvent("input");
  await page.locator("#duckdb-status").waitFor({state: "visible", timeout: 30_000});
  assert.match(await page.locator("#duckdb-status").innerText(), /Starting DuckDB-WASM.*calibration end/);
  await page.context().close();
});
