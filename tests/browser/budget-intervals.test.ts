/**
 * Issue 16's intervals on the pages and issue 17's budget: the CLV page's KPI cards get a bootstrap interval
 * (refitted in the worker with a progress bar) and a change of level needs no refit; the budget page shows
 * the classic formula by default, takes a CAC per cohort from its editable table, and gives LTV:CAC,
 * affordable CAC and payback per group with intervals (table columns and CSV).
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";
import {ends, intervalsDone, number as money, select} from "./intervals.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

test("CLV page: the KPI cards show their bootstrap interval, and a new level needs no refit", async () => {
  const record = await open(session, "/clv");
  const {page} = record;
  const note = await intervalsDone(page, "#clv-bootstrap");
  console.log(`CLV page: ${note}`); // the refits' time in Chromium, for the record (not asserted)
  assert.match(note, /Intervals from \d+ refits/);
  const total = money(await page.locator("#clv-total").innerText());
  const at90 = await page.locator("#clv-total-interval").innerText();
  assert.match(at90, /^90% interval \[/);
  const [low, high] = ends(at90);
  assert.ok(low < total && total < high, `${low} < ${total} < ${high}`);
  // Error bars on the segment chart: the lines of the intervals.
  assert.ok((await page.locator("#clv-kpis ~ .grid svg line, .grid svg line").count()) > 0);
  await select(page, "Interval level", "95%");
  await page.waitForFunction(() => /^95% interval/.test(document.querySelector("#clv-total-interval")?.textContent ?? ""), null, {timeout: 60_000});
  const [low95, high95] = ends(await page.locator("#clv-total-interval").innerText());
  assert.ok(low95 <= low && high95 >= high, `95% [${low95}, ${high95}] holds 90% [${low}, ${high}]`);
  await intervalsDone(page, "#clv-bootstrap");
  await screenshot(page, "clv-intervals");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
});

test("Budget page: classic formula, CAC per cohort, LTV:CAC and payback with intervals", async () => {
  const record = await open(session, "/budget");
  const {page} = record;
  await page.locator("#budget-historical").waitFor({timeout: 120_000});
  // The classic formula by default: no cost of goods.
  await page.waitForFunction(() => /historical CLV [\d,]/.test(document.querySelector(".formula")?.textContent ?? ""), null, {timeout: 120_000});
  assert.match(await page.locator(".formula").innerText(), /^revenue [\d,]+\n− cost to serve/);
  console.log(`budget page: ${await intervalsDone(page, "#budget-bootstrap")}`);
  const [low, high] = ends(await page.locator("#budget-affordable-interval").innerText());
  const affordable = money(await page.locator("#budget-affordable").innerText());
  assert.ok(low <= affordable && affordable <= high, `${low} ≤ ${affordable} ≤ ${high}`);
  assert.match(await page.locator("#budget-ratio").innerText(), /LTV:CAC \d+\.\d:1 \[\d+\.\d:1 – \d+\.\d:1\]/);
  assert.match(await page.locator("#budget-payback-interval").innerText(), /90% interval \[[\d.]+ months? – [\d.]+ months?\]/);
  // The cohort table has an interval beside LTV:CAC; its CSV the low and high ends.
  const headers = await page.locator("#budget-cohorts thead th").allInnerTexts();
  assert.ok(headers.some((h) => /LTV:CAC/.test(h)) && headers.some((h) => /90% interval/.test(h)), headers.join(" | "));
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator("#budget-cohorts .download-button").first().click()]);
  const csv = readFileSync((await file.path())!, "utf-8").trim().split(/\r?\n/);
  const header = csv[0].split(",");
  for (const column of ["cac", "ltvToCac", "ltvToCacLow", "ltvToCacHigh", "paybackMonthsLow", "paybackMonthsHigh"]) assert.ok(header.includes(column), `${column} in ${header}`);

  // CAC per cohort: the editable table sets the first cohort's CAC, and its row shows it.
  await page.locator("form").filter({hasText: "One CAC for all"}).getByLabel("Per cohort").check();
  const table = page.locator("#budget-cac-table .cac-table");
  await table.waitFor({timeout: 30_000});
  const box = table.locator("input[type=number]").first();
  const cohort = (await table.locator("label").first().innerText()).trim();
  await box.fill("500");
  await box.dispatchEvent("input");
  await page.waitForFunction(
    (c) => [...document.querySelectorAll("#budget-cohorts tbody tr")].some((tr) => tr.querySelectorAll("td")[1]?.textContent === c && tr.querySelectorAll("td")[4]?.textContent === "500"),
    cohort,
    {timeout: 60_000}
  );
  // A cost of goods is an explicit choice: a margin rate changes the formula.
  await page.locator("form").filter({hasText: "None (classic formula)"}).getByLabel("One margin rate").check();
  await page.waitForFunction(() => /× margin 30%/.test(document.querySelector(".formula")?.textContent ?? ""), null, {timeout: 30_000});
  await intervalsDone(page, "#budget-bootstrap");
  await screenshot(page, "budget-intervals");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
});

test("Budget page: the learned model is one of its models (value from the random forest, orders from BG/NBD)", async () => {
  const {page, errors} = await open(session, "/budget?model=learned&refits=0");
  const predicted = page.locator("#budget-predicted");
  await predicted.waitFor({timeout: 120_000});
  await page.waitForFunction(() => /\d/.test(document.querySelector("#budget-predicted")?.textContent ?? ""), null, {timeout: 240_000});
  const card = await page.locator("#budget-kpis .card").nth(1).innerText();
  assert.match(card, /the learned model \(random forest\)/, card);
  assert.match(card, /BG\/NBD's expected orders/, card);
  assert.ok(money(await predicted.innerText()) > 0, `a positive predicted CLV: ${await predicted.innerText()}`);
  assert.match(await page.locator("#budget-bootstrap").innerText(), /learned model is not refitted/);
  // The model's radio shows the learned model checked (the link's value was applied).
  const model = page.locator("form").filter({has: page.locator("label", {hasText: /^Model$/})});
  assert.match(await model.locator("input[type=radio]:checked").locator("xpath=..").innerText(), /learned/i);
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
});
