// The Superstore file (../shared/data) uploaded through the data page: orders counted as orders, its
// spellings of provinces on the map, and a filter chosen on the demo data cleared by the switch. Then a file
// of misspelt provinces: the names that match none are listed beside the map.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";

const SUPERSTORE = fileURLToPath(new URL("../../../shared/data/superstore/SampleSuperstoreSales.csv", import.meta.url));
const MISSPELT = fileURLToPath(new URL("../fixtures/provinces/misspelt.csv", import.meta.url));

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

async function upload(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.goto(session.server.url + "/data");
  await page.locator("#current-source").waitFor({timeout: 90_000});
  await page.locator("input[type=file]").setInputFiles({name, mimeType: "text/csv", buffer: bytes});
  await page.locator("#quality-report").waitFor({timeout: 90_000});
  await page.getByRole("button", {name: "Use this data on every page"}).click();
  await page.locator("#current-source").getByText(name).waitFor({timeout: 90_000});
}

// The map's provinces in the order it draws them (@svg-maps/canada).
const MAP = ["Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland and Labrador", "Northwest Territories", "Nova Scotia", "Nunavut", "Ontario", "Prince Edward Island", "Quebec", "Saskatchewan", "Yukon"];
const GREY = "var(--theme-foreground-faintest)";

/** Each province's fill on the map, by name. */
async function mapFills(page: Page): Promise<Map<string, string | null>> {
  const fills = await page.locator("#regions-map g[aria-label=geo] path").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill")));
  assert.equal(fills.length, MAP.length, "one shape per province and territory");
  return new Map(MAP.map((name, i) => [name, fills[i]]));
}

/** The tip shown when the pointer rests on a province. */
async function tip(page: Page, name: string): Promise<string> {
  await page.locator("#regions-map g[aria-label=geo] path").nth(MAP.indexOf(name)).hover({force: true});
  const box = page.locator("#regions-map g[aria-label=tip]");
  await page.waitForFunction((n) => (document.querySelector("#regions-map g[aria-label=tip]")?.textContent ?? "").includes(n), name, {timeout: 10_000});
  return (await box.textContent()) ?? "";
}

test("Superstore uploaded: 5,496 orders of 8,399 rows, every province on the map, the demo's region filter cleared", async () => {
  const record = await open(session, "/regions");
  const {page} = record;
  await page.locator("#regions-map g[aria-label=geo]").waitFor({timeout: 90_000});
  // A region of the demo data that Superstore does not have ("Prarie" there).
  await page.getByLabel("Region", {exact: true}).selectOption(["Prairies"]);
  await page.waitForFunction(() => (localStorage.getItem("clv-explorer:filters") ?? "").includes("Prairies"), null, {timeout: 20_000});

  await upload(page, "SampleSuperstoreSales.csv", readFileSync(SUPERSTORE));
  assert.doesNotMatch(await page.evaluate(() => localStorage.getItem("clv-explorer:filters") ?? ""), /Prairies/, "the filter was cleared");

  await page.goto(session.server.url + "/");
  await page.locator("#revenue-trend svg").waitFor({timeout: 90_000});
  assert.equal(await page.locator("#overview-transactions").innerText(), "5,496", "orders, not order lines");
  assert.match(await page.locator("main").innerText(), /from 8,399 rows/);
  assert.match(await page.locator("main").innerText(), /A transaction is an order/);

  await page.goto(session.server.url + "/regions");
  await page.locator("#regions-map g[aria-label=geo]").waitFor({timeout: 90_000});
  const fills = await mapFills(page);
  for (const [name, fill] of fills) assert.notEqual(fill, GREY, `${name} is painted`);
  assert.match(await tip(page, "Saskatchewan"), /(^|[\s\u200b])1,4\d\d,\d{3} revenue/, "Saskachewan's $1.46M on Saskatchewan");
  assert.equal((await page.locator("#regions-unmatched").innerText()).trim(), "");
  // Nothing filters the regions: all eight of Superstore's are there.
  const regions = await page.locator("#regions-regions svg text").allTextContents();
  for (const region of ["West", "Ontario", "Prarie", "Atlantic", "Quebec", "Yukon", "Northwest Territories", "Nunavut"]) {
    assert.ok(regions.includes(region), `${region} among the region bars`);
  }
  await screenshot(page, "regions-superstore");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
});

test("misspelt provinces: matched on the map, the rest listed beside it", async () => {
  const record = await open(session, "/data");
  const {page} = record;
  await upload(page, "misspelt.csv", readFileSync(MISSPELT));
  await page.goto(session.server.url + "/regions");
  await page.locator("#regions-map g[aria-label=geo]").waitFor({timeout: 90_000});
  const fills = await mapFills(page);
  for (const name of ["Ontario", "Quebec", "Saskatchewan", "Newfoundland and Labrador", "Prince Edward Island", "British Columbia", "Yukon", "Northwest Territories", "Nunavut"]) {
    assert.notEqual(fills.get(name), GREY, `${name} is painted`);
  }
  for (const name of ["Alberta", "Manitoba", "New Brunswick", "Nova Scotia"]) assert.equal(fills.get(name), GREY, `${name} has no sales`);
  assert.match(await tip(page, "Ontario"), /(^|[\s\u200b])175 revenue/, "ON, Ont. and ontario together");
  assert.equal(
    (await page.locator("#regions-unmatched").innerText()).trim(),
    "Not on the map: Atlantis (1 order, 20); Toronto (1 order, 11); (no province) (1 order, 9)."
  );
  await screenshot(page, "regions-misspelt");
  assert.deepEqual(await cellErrors(page), []);

  await page.goto(session.server.url + "/data");
  await page.getByRole("button", {name: "Go back to the built-in data"}).click();
  await page.locator("#current-source").getByText("transactions.parquet").waitFor({timeout: 90_000});
});
