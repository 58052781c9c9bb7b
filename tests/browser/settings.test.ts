/**
 * Issue 17's shared settings: the segmentation set on the RFM page reaches the other pages, and the currency
 * chosen on the data page is the one every page, chart axis and download header shows. One browser context
 * throughout (the settings live in its localStorage), pages visited as a user would.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, start, type PageRecord, type Session} from "./browser.js";

let session: Session;
let record: PageRecord;
let page: Page;

before(async () => {
  session = await start();
  record = await open(session, "/rfm", {width: 1280, height: 1000});
  page = record.page;
});
after(async () => session?.close());

const go = (path: string) => page.goto(session.server.url + path);

/** The text a reader sees in `selector`: HTML and SVG text, without scripts or styles. */
async function shown(selector: string): Promise<string> {
  return page.evaluate((s) => {
    const root = document.querySelector(s);
    if (!root) return "";
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement?.tagName;
      if (parent !== "SCRIPT" && parent !== "STYLE") text += `${node.textContent} `;
    }
    return text;
  }, selector);
}

async function waitText(selector: string, pattern: RegExp, timeout = 120_000): Promise<string> {
  await page.waitForFunction(
    ({s, source, flags}) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ""),
    {s: selector, source: pattern.source, flags: pattern.flags},
    {timeout}
  );
  return shown(selector);
}

test("the segmentation chosen and edited on the RFM page is kept and used on the CLV page", async () => {
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 120_000});
  // The standard 11 segments on 3 bins.
  await page.locator("#rfm-scoring label", {hasText: "Standard (11)"}).click();
  const k = page.locator("#rfm-scoring input[type=number]");
  await k.fill("3");
  await k.dispatchEvent("input");
  await page.waitForFunction(() => document.querySelectorAll("#rfm-heatmap g[aria-label=cell] rect").length === 9, null, {timeout: 30_000});
  await waitText("#rfm-rules", /Champions/);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("clv-explorer:segmentation") ?? "null"));
  assert.deepEqual(stored, {scheme: "standard", bins: 3, rules: null});

  await go("/clv");
  const caption = await waitText("#clv-segmentation", /score bins/);
  assert.match(caption, /Standard \(11\), 3 score bins/);
  const bars = await waitText("#clv-by-segment", /Lost/);
  assert.ok(!/VIP|Big Spender/.test(bars), `no persona on the CLV page (got ${bars.slice(0, 200)})`);

  // Edited rules: two segments of our own, applied on the RFM page, reach the CLV page and come back.
  await go("/rfm");
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 120_000});
  assert.equal(await page.locator("#rfm-scoring input[type=number]").inputValue(), "3", "the bins are restored");
  const editor = page.locator(".rfm-editor textarea");
  if (!(await editor.isVisible())) await page.locator(".rfm-editor summary").click();
  await editor.fill(JSON.stringify({name: "mine", k: 5, rules: [{segment: "Recent buyers", r: [4, 5]}, {segment: "Everyone else"}]}));
  await page.locator(".rfm-editor button", {hasText: "Apply these rules"}).click();
  await waitText("#rfm-rules", /Recent buyers/);
  const file = await Promise.all([page.waitForEvent("download"), page.locator("#rfm-segmentation-file button").click()]).then(([d]) => d);
  assert.equal(file.suggestedFilename(), "segmentation.json");
  const saved = JSON.parse(readFileSync(await file.path(), "utf-8"));
  assert.deepEqual({scheme: saved.scheme, bins: saved.bins, segments: saved.rules.rules.map((r: {segment: string}) => r.segment)}, {scheme: "standard", bins: 3, segments: ["Recent buyers", "Everyone else"]});

  await go("/clv");
  assert.match(await waitText("#clv-segmentation", /score bins/), /Standard \(11\) \(edited\), 3 score bins/);
  const edited = await waitText("#clv-by-segment", /Recent buyers/);
  assert.match(edited, /Everyone else/);
  assert.ok(!/Champions/.test(edited), "the edited rules, not the standard ones");

  // Back on the RFM page the edited rules are in force again.
  await go("/rfm");
  await waitText("#rfm-rules", /Recent buyers/);
  assert.deepEqual(await cellErrors(page), []);
});

test("switching the currency changes every money figure, axis and download header", async () => {
  // By default (no currency column in the demo, none chosen) money has no sign.
  await go("/");
  const plain = await waitText("#revenue-trend", /\d/);
  assert.ok(!/[$€]/.test(plain), `no currency sign by default (got ${plain.slice(0, 120)})`);

  await go("/data");
  const currency = page.locator("#format-control select[name=currency]");
  await currency.waitFor({timeout: 60_000});
  await Promise.all([page.waitForEvent("load"), currency.selectOption("EUR")]);
  await page.locator("#format-example").waitFor();
  assert.match(await page.locator("#format-example").innerText(), /€1,234,567\.89/);
  assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem("clv-explorer:format") ?? "null")), {locale: "en-CA", currency: "EUR"});

  // Each page: a money figure or axis in euros, and no dollar sign anywhere on it.
  const pages: [string, string][] = [
    ["/", "#revenue-trend"],
    ["/sales", "#sales-revenue"],
    ["/regions", "#regions-provinces"],
    ["/partners", "#partners-top"],
    ["/rfm", "#rfm-distributions"],
    ["/clv", "#clv-total"],
    ["/budget", "#budget-historical"],
    ["/predict", "#whatif-clv"],
    ["/cohorts?metric=cumulative_revenue_per_customer", "#cohort-matrix"],
    ["/validation", "#validation-kpis"]
  ];
  for (const [path, selector] of pages) {
    await go(path);
    const text = await waitText(selector, /€/);
    assert.match(text, /€\s?[\d,.]+|[\d,.]+\s?[KM]?\s?€/, `${path}: ${selector} in euros`);
    const main = await shown("#observablehq-main");
    assert.ok(!main.includes("$"), `${path}: no dollar sign (found near "${main.slice(Math.max(0, main.indexOf("$") - 40), main.indexOf("$") + 40)}")`);
    assert.deepEqual(await cellErrors(page), [], `${path}: no cell error`);
    if (path === "/clv") assert.match(text, /^€[\d,]+\s*$/, "the CLV total in whole euros");
  }

  // Download headers: the RFM customer list names the currency of its money columns.
  await go("/rfm");
  await page.locator("#rfm-download button").waitFor({timeout: 120_000});
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#rfm-download button").click()]);
  const header = readFileSync(await download.path(), "utf-8").split("\n")[0].split(",");
  assert.ok(header.includes("monetary (EUR)") && header.includes("revenue (EUR)"), `money headers carry the currency (got ${header.join(",")})`);

  // Back to none: plain numbers again.
  await go("/data");
  await Promise.all([page.waitForEvent("load"), page.locator("#format-control select[name=currency]").selectOption("none")]);
  await go("/clv");
  await waitText("#clv-total", /^\d[\d,]*$/);
  assert.deepEqual(record.external, [], "no request leaves the site's own host");
});
