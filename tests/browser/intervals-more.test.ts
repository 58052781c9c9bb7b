/**
 * Issue 16's intervals beyond the KPI cards: the CLV page's customer table rows and CSV carry each customer's
 * interval (clv_low/clv_high, expected_purchases_low/high), the what-if page brackets the entered customer's
 * P(alive), expected purchases and CLV, and the validation page the predicted holdout totals. A change of
 * level changes the intervals without a refit (the refits' status stays done). 50 refits keep it short.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";
import {ends, intervalsDone, number, select} from "./intervals.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

/** The customer table's shown rows as {header: cell text}. */
async function tableRows(page: Page): Promise<Record<string, string>[]> {
  const table = page.locator("#clv-customers table");
  const headers = (await table.locator("thead th").allInnerTexts()).map((h) => h.trim());
  return table.locator("tbody tr").evaluateAll(
    (trs, headers) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td, i) => [headers[i], td.textContent ?? ""]))),
    headers
  );
}

function checkRows(rows: Record<string, string>[], level: string): void {
  assert.ok(rows.length >= 10, `${rows.length} rows shown`);
  for (const row of rows) {
    const [clv, low, high] = [number(row["Predicted CLV"]), number(row[`CLV low (${level})`]), number(row[`CLV high (${level})`])];
    assert.ok(Number.isFinite(low) && Number.isFinite(high), JSON.stringify(row));
    assert.ok(low <= clv && clv <= high, `CLV ${low} ≤ ${clv} ≤ ${high} (${row.Customer})`);
    const [p, pLow, pHigh] = [number(row["Expected purchases"]), number(row[`Purchases low (${level})`]), number(row[`Purchases high (${level})`])];
    assert.ok(pLow <= p + 5e-4 && p <= pHigh + 5e-4, `purchases ${pLow} ≤ ${p} ≤ ${pHigh} (${row.Customer})`);
  }
}

test("CLV page: the customer table's rows and CSV carry each customer's interval; a new level needs no refit", async () => {
  const record = await open(session, "/clv?refits=50");
  const {page} = record;
  console.log(`CLV page: ${await intervalsDone(page, "#clv-bootstrap")}`); // the time in Chromium, for the record
  await page.waitForFunction(() => [...document.querySelectorAll("#clv-customers thead th")].some((th) => th.textContent?.trim() === "CLV low (90%)"), null, {timeout: 60_000});
  const at90 = await tableRows(page);
  checkRows(at90, "90%");
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator("#clv-customers .download-button").first().click()]);
  const csv = readFileSync((await file.path())!, "utf-8").trim().split(/\r?\n/);
  const header = csv[0].split(",");
  for (const column of ["expected_purchases_low", "expected_purchases_high", "clv_low", "clv_high"]) assert.ok(header.some((h) => h === column || h.startsWith(`${column} (`)), `${column} in ${header}`);
  assert.ok(csv.length > 1000, `${csv.length - 1} customers in the CSV`);
  const at = (name: string) => header.findIndex((h) => h === name || h.startsWith(`${name} (`));
  for (const line of csv.slice(1, 200)) {
    const cells = line.split(",");
    const [clv, low, high] = [Number(cells[at("clv")]), Number(cells[at("clv_low")]), Number(cells[at("clv_high")])];
    assert.ok(Number.isFinite(low) && Number.isFinite(high) && low <= high, line);
    assert.ok(clv > 0, line);
  }

  await select(page, "Interval level", "95%");
  await page.waitForFunction(() => [...document.querySelectorAll("#clv-customers thead th")].some((th) => th.textContent?.trim() === "CLV low (95%)"), null, {timeout: 60_000});
  const at95 = await tableRows(page);
  checkRows(at95, "95%");
  const byId = new Map(at90.map((r) => [r.Customer, r]));
  for (const row of at95) {
    const r90 = byId.get(row.Customer);
    if (!r90) continue;
    assert.ok(number(row["CLV low (95%)"]) <= number(r90["CLV low (90%)"]) && number(row["CLV high (95%)"]) >= number(r90["CLV high (90%)"]), `95% holds 90% for ${row.Customer}`);
  }
  // No refit: the status still says what it said, done.
  assert.equal(await page.locator("#clv-bootstrap .bootstrap-status").getAttribute("data-state"), "done");
  await screenshot(page, "clv-customer-intervals");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
});

test("What-if page: P(alive), expected purchases and CLV of the entered customer with intervals; level and form need no refit", async () => {
  const record = await open(session, "/predict?refits=50");
  const {page} = record;
  console.log(`what-if page: ${await intervalsDone(page, "#whatif-bootstrap")}`);
  await page.waitForFunction(() => /^90% interval \[/.test(document.querySelector("#whatif-clv-interval")?.textContent ?? ""), null, {timeout: 60_000});
  for (const [figure, interval] of [["#whatif-alive", "#whatif-alive-interval"], ["#whatif-purchases", "#whatif-purchases-interval"], ["#whatif-clv", "#whatif-clv-interval"]]) {
    const text = await page.locator(interval).innerText();
    assert.match(text, /^90% interval \[/, `${interval}: ${text}`);
    const [low, high] = ends(text);
    const point = number(await page.locator(figure).innerText());
    assert.ok(low <= high, `${interval}: ${low} ≤ ${high}`);
    assert.ok(low <= point * 1.005 + 0.5 && point <= high * 1.005 + 0.5, `${figure}: ${low} ≤ ${point} ≤ ${high}`);
  }
  const clv90 = ends(await page.locator("#whatif-clv-interval").innerText());
  await select(page, "Interval level", "80%");
  await page.waitForFunction(() => /^80% interval \[/.test(document.querySelector("#whatif-clv-interval")?.textContent ?? ""), null, {timeout: 60_000});
  const clv80 = ends(await page.locator("#whatif-clv-interval").innerText());
  assert.ok(clv80[0] >= clv90[0] && clv80[1] <= clv90[1], `80% [${clv80}] inside 90% [${clv90}]`);
  // Another customer: new intervals from the same refits.
  const repeat = page.locator("#whatif-form input[type=number]").first();
  const earlier = await page.locator("#whatif-clv-interval").textContent();
  await repeat.fill("12");
  await repeat.dispatchEvent("input");
  await page.waitForFunction((before) => {
    const text = document.querySelector("#whatif-clv-interval")?.textContent ?? "";
    return /^80% interval \[/.test(text) && text !== before;
  }, earlier, {timeout: 60_000});
  assert.ok(ends(await page.locator("#whatif-clv-interval").innerText())[0] > clv80[1], "more repeat purchases: a higher CLV interval");
  assert.equal(await page.locator("#whatif-bootstrap .bootstrap-status").getAttribute("data-state"), "done");
  await screenshot(page, "whatif-intervals");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
});

test("Validation page: the predicted holdout purchases and spend with intervals; a new level needs no refit", async () => {
  const record = await open(session, "/validation?refits=50");
  const {page} = record;
  console.log(`validation page: ${await intervalsDone(page, "#validation-bootstrap")}`);
  const card = page.locator("#validation-holdout-intervals");
  const cells = async () => card.locator("td.holdout-interval").allInnerTexts();
  const at90 = await cells();
  assert.equal(at90.length, 2);
  const intervals = at90.map(ends);
  const rows = await card.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  rows.forEach((cells, k) => {
    const predicted = number(cells[1]);
    const [low, high] = intervals[k];
    assert.ok(low <= predicted * 1.01 && predicted <= high * 1.01, `${cells[0]}: ${low} ≤ ${predicted} ≤ ${high}`);
    assert.match(cells[4], /^(inside|outside)$/);
  });
  assert.match(await card.locator("thead").innerText(), /90% interval/);
  await select(page, "Interval level", "95%");
  await page.waitForFunction(() => /95% interval/.test(document.querySelector("#validation-holdout-intervals thead")?.textContent ?? ""), null, {timeout: 60_000});
  const at95 = (await cells()).map(ends);
  at95.forEach(([low, high], k) => assert.ok(low <= intervals[k][0] && high >= intervals[k][1], `95% [${low}, ${high}] holds 90% [${intervals[k]}]`));
  assert.equal(await page.locator("#validation-bootstrap .bootstrap-status").getAttribute("data-state"), "done");
  await screenshot(page, "validation-intervals");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
});
