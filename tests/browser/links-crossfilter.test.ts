/**
 * Issue 18, links and cross-filtering, on the built demo data: a link with parameters opens the view it
 * describes (inputs set, filters applied, charts drawn for them), a value the page does not offer is refused
 * with a note, "Copy link" gives a link that states the filters; clicking a region bar or a province on the
 * map sets the shared filter and a second click clears it.
 */
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {assertClean, open, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const TIMEOUT = 90_000;

async function charts(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) await page.locator(`#${id} svg`).first().waitFor({state: "visible", timeout: TIMEOUT});
}

/** The labels of a bar chart's rows (its y axis), top to bottom. */
function rows(page: Page, id: string): Promise<string[]> {
  return page.locator(`#${id} svg [aria-label="y-axis tick label"] text`).allTextContents();
}

/** The options selected in the filter bar's list filter labelled `label`. */
function selected(page: Page, label: string): Promise<string[]> {
  return page.locator(".filter-bar").getByLabel(label, {exact: true}).evaluate((select) => Array.from((select as HTMLSelectElement).selectedOptions, (o) => o.textContent ?? ""));
}

const params = (page: Page) => new URL(page.url()).searchParams;

const clean = assertClean;

test("a link with parameters opens the same view: filters, inputs, charts", async () => {
  const record = await open(session, "/regions?region=Prairies&region=Atlantic&measure=transactions&trend=revenue_share");
  const {page} = record;
  await charts(page, ["regions-provinces", "regions-map", "regions-regions", "regions-trend"]);

  // The filter bar shows the link's regions and the page applies them.
  assert.deepEqual((await selected(page, "Region")).sort(), ["Atlantic", "Prairies"]);
  assert.deepEqual((await rows(page, "regions-regions")).sort(), ["Atlantic", "Prairies"], "only the linked regions are drawn");
  const provinces = await rows(page, "regions-provinces");
  assert.ok(provinces.includes("Manitoba") && provinces.includes("Nova Scotia"), `their provinces are drawn (${provinces.join(", ")})`);
  assert.ok(!provinces.includes("Ontario") && !provinces.includes("Quebec"), "no province of another region");
  // The inputs: orders instead of revenue, shares over time.
  assert.ok(await page.getByLabel("Orders", {exact: true}).first().isChecked(), "the measure is the link's");
  assert.match(await page.locator("#regions-provinces").locator("..").locator("h2").innerText(), /^Orders by province/);
  assert.ok(await page.getByLabel("Share of revenue", {exact: true}).isChecked(), "the trend measure is the link's");
  // The link's filters are stored, for the next page.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("clv-explorer:filters") ?? "{}"));
  assert.deepEqual([...stored.region].sort(), ["Atlantic", "Prairies"]);

  // Changing an input rewrites its parameter; back at the default, the parameter goes.
  await page.getByLabel("Revenue", {exact: true}).first().check();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("measure"));
  await page.getByLabel("Orders", {exact: true}).first().check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get("measure") === "transactions");

  // "Copy link" shows (and copies) a link that states the filters and the inputs.
  await page.getByRole("button", {name: "Copy link"}).click();
  const link = new URL(await page.locator(".copy-link-url").inputValue());
  assert.equal(link.pathname, "/regions");
  assert.deepEqual(link.searchParams.getAll("region").sort(), ["Atlantic", "Prairies"]);
  assert.equal(link.searchParams.get("measure"), "transactions");
  assert.equal(link.searchParams.get("trend"), "revenue_share");
  await clean(record);

  // That link, opened in a browser whose stored filters differ, shows the same view.
  const again = await open(session, "/regions?region=Ontario");
  await charts(again.page, ["regions-regions"]);
  await again.page.waitForLoadState("networkidle");
  assert.deepEqual(await again.page.evaluate(() => JSON.parse(localStorage.getItem("clv-explorer:filters") ?? "{}").region), ["Ontario"]);
  await again.page.goto(link.href.replace(link.origin, new URL(session.server.url).origin));
  await charts(again.page, ["regions-regions"]);
  assert.deepEqual((await rows(again.page, "regions-regions")).sort(), ["Atlantic", "Prairies"], "the link's filters win over the stored ones");
  await clean(again);
});

test("a link's dates and grain on the sales page; a value the page does not offer is refused, not applied", async () => {
  const record = await open(session, "/sales?from=2023-03-01&to=2023-05-31&grain=fortnight&measure=transactions");
  const {page} = record;
  await charts(page, ["sales-revenue", "sales-regions", "sales-heatmap"]);
  const dates = await page.locator(".filter-bar input[type=date]").evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  assert.deepEqual(dates, ["2023-03-01", "2023-05-31"], "the date filter is the link's");
  assert.match(await page.locator("#sales-period").innerText(), /^Mar 1, 2023 – May 31, 2023$/, "the charts show the link's period");
  // "fortnight" is no grain: the radio keeps "day" and says why.
  assert.ok(await page.getByLabel("day", {exact: true}).isChecked());
  assert.match(await page.locator(".url-refused").innerText(), /The address gives grain = fortnight, which this input does not offer/);
  assert.equal(params(page).get("grain"), null, "the refused value leaves the address");
  assert.ok(await page.getByLabel("Orders", {exact: true}).first().isChecked(), "the valid parameter still applies");
  await clean(record);

  // A date that is no day is named in the bar's note, and not applied.
  const bad = await open(session, "/sales?from=2023-02-30");
  await charts(bad.page, ["sales-revenue"]);
  assert.match(await bad.page.locator(".filter-dropped").innerText(), /From: 2023-02-30/);
  const cleared = await bad.page.locator(".filter-bar input[type=date]").evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  assert.deepEqual(cleared, ["", ""]);
  await clean(bad);
});

test("clicking a region bar sets the region filter, a second click clears it; the map does the same for a province", async () => {
  const record = await open(session, "/regions");
  const {page} = record;
  await charts(page, ["regions-provinces", "regions-map", "regions-regions"]);
  const all = await rows(page, "regions-regions");
  assert.ok(all.includes("Ontario") && all.includes("Prairies"), `every region at first (${all.join(", ")})`);

  await page.locator('#regions-regions rect[data-area="Prairies"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#regions-regions rect[data-area="Ontario"]').length === 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Region"), ["Prairies"], "the filter bar shows the clicked region");
  assert.deepEqual(params(page).getAll("region"), ["Prairies"], "the URL too");
  assert.deepEqual((await rows(page, "regions-provinces")).sort(), ["Alberta", "Manitoba", "Saskatchewan"], "the provinces follow");
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("clv-explorer:filters") ?? "{}"));
  assert.deepEqual(stored.region, ["Prairies"], "stored for the other pages");

  await page.locator('#regions-regions rect[data-area="Prairies"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#regions-regions rect[data-area="Ontario"]').length > 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Region"), [], "a second click clears the filter");
  assert.deepEqual(params(page).getAll("region"), []);
  assert.deepEqual((await rows(page, "regions-regions")).sort(), [...all].sort(), "every region again");

  // The map: a click on Ontario filters on it, a second click clears.
  await page.locator('#regions-map path[data-province="Ontario"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#regions-provinces rect[data-area="Quebec"]').length === 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Province"), ["Ontario"]);
  assert.deepEqual(await rows(page, "regions-provinces"), ["Ontario"]);
  await page.locator('#regions-map path[data-province="Ontario"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#regions-provinces rect[data-area="Quebec"]').length > 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Province"), []);
  await clean(record);
});

test("rfm page: a heatmap cell selects its main segment, a second click clears it; the selection is in the link", async () => {
  const record = await open(session, "/rfm?k=4");
  const {page} = record;
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 120_000});
  assert.equal(await page.getByLabel("Score bins (k)").first().inputValue(), "4", "k from the link");
  const cell = page.locator("#rfm-heatmap g[aria-label=cell] rect[data-segment]").first();
  const segment = (await cell.getAttribute("data-segment"))!;
  await cell.click();
  await page.locator("#rfm-selection-note", {hasText: `Selected: ${segment}`}).waitFor({timeout: 30_000});
  assert.equal(params(page).get("segment"), segment, "the selected segment is in the URL");
  assert.equal(params(page).get("k"), "4");
  await page.locator(`#rfm-heatmap g[aria-label=cell] rect[data-segment="${segment}"]`).first().click();
  await page.locator("#rfm-selection-note", {hasText: "Click a segment to select it"}).waitFor({timeout: 30_000});
  assert.equal(params(page).get("segment"), null, "cleared from the URL");
  await clean(record);

  // A link with the segment and the number of bins opens with both.
  const linked = await open(session, `/rfm?segment=${encodeURIComponent(segment)}&k=4`);
  await linked.page.locator("#rfm-selection-note", {hasText: `Selected: ${segment}`}).waitFor({timeout: 120_000});
  assert.equal(await linked.page.getByLabel("Score bins (k)").first().inputValue(), "4");
  assert.match(await linked.page.locator("#rfm-table-count").locator("..").innerText(), new RegExp(`in ${segment}`));
  await clean(linked);
});

test("partners page: a linked form input, and a click on a customer segment's bar sets the shared filter, again clears", async () => {
  const record = await open(session, "/partners?spread.by=customer_segment");
  const {page} = record;
  await charts(page, ["partners-spread"]);
  assert.ok(await page.getByRole("radio", {name: "Customer segment"}).isChecked(), "the spread is by customer segment, as the link says");
  const groups = await rows(page, "partners-spread");
  assert.ok(groups.includes("Home Office") && groups.includes("Consumer"), `every segment at first (${groups.join(", ")})`);

  await page.locator('#partners-spread rect[data-group="Home Office"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#partners-spread rect[data-group="Consumer"]').length === 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Customer segment"), ["Home Office"]);
  assert.deepEqual(params(page).getAll("customer_segment"), ["Home Office"]);
  assert.equal(params(page).get("spread.by"), "customer_segment");
  assert.deepEqual(await rows(page, "partners-spread"), ["Home Office"]);

  await page.locator('#partners-spread rect[data-group="Home Office"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#partners-spread rect[data-group="Consumer"]').length > 0, null, {timeout: 30_000});
  assert.deepEqual(await selected(page, "Customer segment"), []);
  await clean(record);
});
