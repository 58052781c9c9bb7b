import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, screenshot, start, type PageRecord, type Session} from "./browser.js";

let session: Session;
let record: PageRecord;
let page: Page;

before(async () => {
  session = await start();
  const started = performance.now();
  record = await open(session, "/rfm", {width: 1280, height: 1000});
  page = record.page;
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 120_000});
  await page.locator("#rfm-movement svg").first().waitFor({state: "visible", timeout: 60_000});
  console.log(`rfm: navigation to charts ${Math.round(performance.now() - started)} ms`);
});
after(async () => session?.close());

const heatmapCells = () => page.locator("#rfm-heatmap g[aria-label=cell] rect");
const tableCount = async () => Number((await page.locator("#rfm-table-count").innerText()).replace(/,/g, ""));

/** Clicks the button and returns the downloaded file's name and CSV lines (without the final empty line). */
async function download(button: ReturnType<Page["locator"]>): Promise<{filename: string; lines: string[]}> {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await file.path();
  const text = readFileSync(path, "utf-8");
  assert.ok(text.endsWith("\n"), "the CSV ends with a newline");
  return {filename: file.suggestedFilename(), lines: text.slice(0, -1).split("\n")};
}

test("rfm page: every chart renders from DuckDB-WASM, on the site's own host, without errors", async () => {
  for (const id of ["rfm-segment-bars", "rfm-heatmap", "rfm-movement"]) {
    assert.equal(await page.locator(`#${id} svg`).count() > 0, true, `#${id} has a chart`);
  }
  assert.equal(await page.locator("#rfm-distributions svg").count(), 3 + 0, "three histograms (plus no legend)");
  const customers = Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  assert.ok(customers > 1000, `customers KPI is a count, got ${customers}`);
  assert.equal(await tableCount(), customers, "the table lists every customer");
  assert.equal(await heatmapCells().count(), 25, "k = 5 gives a 5 × 5 heatmap on the demo data");
  assert.ok((await page.locator("#rfm-rules tbody tr").count()) >= 6, "the personas rules are listed");
  await screenshot(page, "rfm");
  assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
  assert.deepEqual(record.errors, [], "no console errors");
  assert.deepEqual(record.failed, [], "no failed requests");
  assert.deepEqual(record.external, [], "no request leaves the site's own host");
});

test("rfm page: the number of bins changes the heatmap", async () => {
  const before = await heatmapCells().count();
  const k = page.locator("#rfm-scoring input[type=number]");
  await k.fill("3");
  await k.dispatchEvent("input");
  await page.waitForFunction(() => document.querySelectorAll("#rfm-heatmap g[aria-label=cell] rect").length === 9, null, {timeout: 30_000});
  assert.equal(before, 25);
  assert.equal(await heatmapCells().count(), 9, "k = 3 gives a 3 × 3 heatmap");
  await k.fill("5");
  await k.dispatchEvent("input");
  await page.waitForFunction(() => document.querySelectorAll("#rfm-heatmap g[aria-label=cell] rect").length === 25, null, {timeout: 30_000});
});

test("rfm page: the table downloads as CSV with every listed row", async () => {
  const rows = await tableCount();
  const {filename, lines} = await download(page.locator("#rfm-download button"));
  assert.equal(filename, "rfm-customers.csv");
  assert.equal(lines[0], "customer_id,segment,recency,frequency,monetary,revenue,r_score,f_score,m_score,first_purchase,last_purchase");
  assert.equal(lines.length - 1, rows, "one CSV line per customer in the table");
});

test("rfm page: clicking a segment filters the table, highlights it, and its download holds its customers", async () => {
  const bar = page.locator("#rfm-segment-bars rect[data-segment][data-measure='Share of customers']").first();
  const segment = (await bar.getAttribute("data-segment"))!;
  const title = await bar.locator("title").textContent();
  const expected = Number(/([\d,]+) customers/.exec(title ?? "")![1].replace(/,/g, ""));
  await bar.click();
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-table-count")!.textContent!.replace(/,/g, "")) === n, expected, {timeout: 30_000});
  assert.equal(await tableCount(), expected, `the table lists the ${expected} customers of ${segment}`);
  const shown = await page.locator("#rfm-table tbody tr td:nth-child(3)").allInnerTexts();
  assert.ok(shown.length > 0 && shown.every((s) => s === segment), `every row shown is in ${segment}: ${shown.slice(0, 5)}`);
  assert.match(await page.locator("#rfm-selection-note").innerText(), new RegExp(`Selected: ${segment}`));

  const {filename, lines} = await download(page.locator("#rfm-download button"));
  assert.equal(filename, `rfm-${segment.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.csv`);
  assert.equal(lines.length - 1, expected);
  assert.ok(lines.slice(1).every((line) => line.split(",")[1] === segment), "every line is a customer of the segment");

  // The per-segment button in the rules table gives the same customers.
  const perSegment = await download(page.locator(`#rfm-rules button[data-filename="${filename}"]`));
  assert.deepEqual(perSegment.lines.length, lines.length);

  await screenshot(page, "rfm-selected");
  // Clicking the same segment again clears the selection.
  await page.locator(`#rfm-segment-bars rect[data-segment="${segment}"]`).first().click();
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-table-count")!.textContent!.replace(/,/g, "")) > n, expected, {timeout: 30_000});
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
});

test("rfm page: a broken custom scheme shows its errors in place and keeps the page working", async () => {
  await page.locator(".rfm-editor summary").click();
  const editor = page.locator(".rfm-editor textarea");
  await editor.fill('{"k": 5, "rules": [{"segment": "All", "r": [1, 9]}]}');
  await page.locator(".rfm-editor button").click();
  await page.locator("#rfm-scheme-errors").waitFor({timeout: 30_000});
  const errors = await page.locator("#rfm-scheme-errors").innerText();
  assert.match(errors, /rules\[0\]\.r\[1\] must be a number from 1 to 5/);
  assert.match(errors, /catch-all/);
  assert.equal(await heatmapCells().count(), 25, "the charts still show the built-in scheme");

  await editor.fill('{"name": "two", "k": 5, "rules": [{"segment": "Recent", "r": [4, 5]}, {"segment": "Others"}]}');
  await page.locator(".rfm-editor button").click();
  await page.waitForFunction(() => document.querySelectorAll("#rfm-segment-bars rect[data-measure='Share of customers']").length === 2, null, {timeout: 30_000});
  assert.equal(await page.locator("#rfm-scheme-errors").count(), 0);
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
});

test("rfm page: own cut points score the customers; bad ones are named and replaced by quantiles", async () => {
  await page.locator("#rfm-scoring label", {hasText: "My cut points"}).click();
  const recency = page.locator("#rfm-scoring input[type=text]").first();
  await recency.waitFor({timeout: 30_000});
  assert.match(await recency.inputValue(), /^\d+(\.\d+)?(, \d+(\.\d+)?){3}$/, "seeded with the k - 1 = 4 quantile cuts");
  await recency.fill("400, 300");
  await recency.dispatchEvent("input");
  await page.locator("#rfm-cut-errors").waitFor({timeout: 30_000});
  assert.match(await page.locator("#rfm-cut-errors").innerText(), /Recency: cut points must be an array of k - 1 = 4 cut points/);
  await recency.fill("30, 90, 180, 365");
  await recency.dispatchEvent("input");
  await page.locator("#rfm-cut-errors").waitFor({state: "detached", timeout: 30_000});
  assert.ok((await heatmapCells().count()) > 0);
  await page.locator("#rfm-scoring label", {hasText: "Quantiles"}).click();
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
});

test("rfm page: the shared filters select the transactions before scoring", async () => {
  const all = Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  const region = page.locator(".filter-bar select").first();
  const first = await region.locator("option").first().getAttribute("value");
  await region.selectOption({index: Number(first ?? 0)});
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")!.textContent!.replace(/,/g, "")) < n, all, {timeout: 60_000});
  const some = Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  assert.ok(some > 0 && some < all, `one region has fewer customers (${some}) than all (${all})`);
  await page.locator("#rfm-heatmap svg").first().waitFor();
  // The customer list follows once the charts above are painted.
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-table-count")!.textContent!.replace(/,/g, "")) === n, some, {timeout: 60_000});
  assert.equal(await tableCount(), some);
  await page.locator(".filter-bar button", {hasText: "Clear filters"}).click();
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-customers")!.textContent!.replace(/,/g, "")) === n, all, {timeout: 60_000});
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
});
