/**
 * The learned CLV model on the pages (issue 17): chosen on the Predicted CLV page it is trained in the worker
 * on the build's training table, fills the KPIs, the customer table and its CSV (value only: P(alive),
 * expected purchases and spend per purchase are n/a, and each CSV row says why), and shows its feature
 * importance; chosen in the what-if form it values the typed customer.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const TRAIN_TIMEOUT = 240_000;

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, "").replace(/""/g, '"')));
}

test("Predicted CLV: choosing the learned model trains it in the worker, and its table downloads as CSV", async () => {
  const record = await open(session, "/clv");
  const {page} = record;
  const total = page.locator("#clv-total");
  await page.waitForFunction(() => /^[\d,]+$/.test(document.querySelector("#clv-total")?.textContent ?? ""), null, {timeout: 120_000});
  const bgnbd = await total.innerText();

  await page.locator("form").filter({hasText: "Learned"}).locator("label").filter({hasText: "Learned"}).locator("input").check();
  const started = performance.now();
  await page.locator("#clv-importance svg").first().waitFor({state: "visible", timeout: TRAIN_TIMEOUT});
  console.log(`learned: importance drawn ${Math.round(performance.now() - started)} ms after choosing the model; ${await page.locator("#clv-status").innerText()}`);
  assert.match(await page.locator("#clv-status").innerText(), /Learned model \(random forest, \d+ features\) trained on [\d,]+ customers/);
  await page.waitForFunction((old) => /^[\d,]+$/.test(document.querySelector("#clv-total")?.textContent ?? "") && document.querySelector("#clv-total")?.textContent !== old, bgnbd, {timeout: 60_000});
  const learned = await total.innerText();
  assert.notEqual(learned, bgnbd, "the total is the learned model's");
  assert.match(await page.locator("#clv-importance").innerText(), /never saw/, "importance measured on the holdout at the default calibration end");
  assert.match(await page.locator("#clv-customers").innerText(), /n\/a: the learned model predicts each customer's value/);

  const table = page.locator("#clv-customers table");
  const headers = await table.locator("thead th").allInnerTexts();
  const shown = await table.locator("tbody tr").evaluateAll((rows) => rows.slice(0, 5).map((r) => Array.from(r.querySelectorAll("td"), (td) => td.textContent ?? "")));
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator("#clv-customers .download-button").first().click()]);
  assert.match(file.suggestedFilename(), /^predicted-clv-learned-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = parseCsv(readFileSync((await file.path())!, "utf-8"));
  const header = csv[0];
  for (const column of ["customer_id", "segment", "frequency", "recency_weeks", "tenure_weeks", "p_alive", "expected_purchases", "expected_spend", "clv", "clv_note"]) {
    assert.ok(header.includes(column), `the CSV has ${column}: ${header.join(",")}`);
  }
  assert.ok(csv.length > 1000, `every customer (${csv.length - 1})`);
  const col = (name: string) => header.indexOf(name);
  let total$ = 0;
  for (const row of csv.slice(1)) {
    assert.equal(row[col("p_alive")], "");
    assert.equal(row[col("expected_purchases")], "");
    assert.match(row[col("clv_note")], /learned model predicts each customer's value/);
    const v = Number(row[col("clv")]);
    assert.ok(Number.isFinite(v) && v >= 0, `a CLV for ${row[col("customer_id")]}: ${row[col("clv")]}`);
    total$ += v;
  }
  const shownTotal = Number(learned.replace(/\D/g, ""));
  assert.ok(Math.abs(total$ - shownTotal) <= 1, `the CSV adds up to the total shown: ${total$} vs ${learned}`);
  for (let i = 0; i < shown.length; i++) {
    assert.equal(csv[i + 1][col("customer_id")], shown[i][headers.indexOf("Customer")], `row ${i}: same customer, in the table's order`);
    assert.equal(`${Math.round(Number(csv[i + 1][col("clv")])).toLocaleString("en")}`, shown[i][headers.indexOf("Predicted CLV")], `row ${i}: same CLV`);
  }
  await screenshot(page, "clv-learned");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.failed, []);
  assert.deepEqual(record.external, []);
  await page.context().close();
});

test("What-if: the learned model values the typed customer, and more recent purchases are worth more", async () => {
  const record = await open(session, "/predict");
  const {page} = record;
  await page.waitForFunction(() => /^[\d,.]+$/.test(document.querySelector("#whatif-clv")?.textContent ?? ""), null, {timeout: 120_000});
  const bgnbd = await page.locator("#whatif-clv").innerText();
  await page.locator("form").filter({hasText: "Learned"}).locator("label").filter({hasText: "Learned"}).locator("input").check();
  await page.waitForFunction((old) => /^[\d,.]+$/.test(document.querySelector("#whatif-clv")?.textContent ?? "") && document.querySelector("#whatif-clv")?.textContent !== old, bgnbd, {timeout: TRAIN_TIMEOUT});
  const recent = Number((await page.locator("#whatif-clv").innerText()).replace(/[^\d.]/g, ""));
  assert.match(await page.locator("#whatif-kpis").innerText(), /Predicted CLV \(learned\)[\s\S]*trained on [\d,]+ customers/);
  // The same customer silent for a year: the forest values them less.
  const field = page.locator("#whatif-form input[type=number]").nth(2); // weeks since the last purchase
  await field.fill("52");
  await field.dispatchEvent("input");
  await page.waitForFunction((old) => Number((document.querySelector("#whatif-clv")?.textContent ?? "").replace(/[^\d.]/g, "")) !== old, recent, {timeout: 60_000});
  const silent = Number((await page.locator("#whatif-clv").innerText()).replace(/[^\d.]/g, ""));
  assert.ok(silent < recent, `a customer silent for 52 weeks is worth less: ${silent} vs ${recent}`);
  await screenshot(page, "predict-learned");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
  await page.context().close();
});
