/*
 * Issue 18's exports and print layout, on the demo build: a chart's PNG, SVG and data CSV are what the page
 * shows; a table's CSV neutralises formulas (download.ts); printing a page to PDF gives a report without the
 * sidebar, the export buttons or the filter controls (a line says which filters are in force), and no card
 * is split across pages.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, start, type Session} from "./browser.js";
import {filterChangeMs} from "./measure.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

async function download(page: Page, selector: string): Promise<{name: string; bytes: Buffer}> {
  const [file] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), page.locator(selector).click()]);
  const path = await file.path();
  return {name: file.suggestedFilename(), bytes: readFileSync(path)};
}

function csvLines(bytes: Buffer): string[][] {
  return bytes.toString("utf-8").trimEnd().split("\n").map((line) => line.split(","));
}

test("sales and regions: each chart saves as SVG, PNG and its data as CSV", async () => {
  const record = await open(session, "/sales");
  const {page} = record;
  const chart = page.locator("#sales-revenue svg").first();
  await chart.waitFor({state: "visible", timeout: 90_000});
  const bars = await page.locator("#sales-revenue svg rect").count();

  const svg = await download(page, "#sales-revenue [data-export=svg]");
  assert.equal(svg.name, "sales-revenue.svg");
  const text = svg.bytes.toString("utf-8");
  assert.match(text, /^<\?xml [^>]*>\n<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((text.match(/<rect/g) ?? []).length, bars, "the SVG holds the chart's bars");
  const width = Number(text.match(/<svg[^>]* width="(\d+)"/)?.[1]);
  const height = Number(text.match(/<svg[^>]* height="(\d+)"/)?.[1]);
  assert.ok(width > 300 && height > 100, `the SVG has the chart's size, got ${width}×${height}`);

  const png = await download(page, "#sales-revenue [data-export=png]");
  assert.equal(png.name, "sales-revenue.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
  // IHDR: width and height at twice the chart's size.
  assert.equal(png.bytes.readUInt32BE(16), width * 2);
  assert.equal(png.bytes.readUInt32BE(20), height * 2);
  assert.ok(png.bytes.length > 5_000, `the PNG has content, got ${png.bytes.length} bytes`);

  const csv = await download(page, "#sales-revenue [data-export=csv]");
  assert.equal(csv.name, "sales-revenue.csv");
  const lines = csvLines(csv.bytes);
  assert.ok(lines[0].includes("revenue"), `a revenue column, got ${lines[0]}`);
  assert.ok(lines.length - 1 > 300, `a row per day, got ${lines.length - 1}`);
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.external, []);

  const regions = await open(session, "/regions");
  await regions.page.locator("#regions-provinces svg").first().waitFor({state: "visible", timeout: 90_000});
  const provinces = csvLines((await download(regions.page, "#regions-provinces [data-export=csv]")).bytes);
  const column = provinces[0].indexOf("province");
  assert.ok(column >= 0, `a province column, got ${provinces[0]}`);
  const labels = await regions.page.locator("#regions-provinces svg [aria-label='y-axis tick label'] text").evaluateAll((texts) => texts.map((t) => t.textContent));
  assert.deepEqual(provinces.slice(1).map((row) => row[column]).sort(), labels.sort(), "one CSV row per province bar");
  // The map exports too (its SVG is the largest of the card's).
  // Its colour scale is a separate SVG beside the map on the page: the saved image holds it, labels and all.
  const map = await download(regions.page, "#regions-map [data-export=svg]");
  const mapText = map.bytes.toString("utf-8");
  assert.match(mapText, /<path/);
  const legend = await regions.page.locator("#regions-map figure > svg").first().evaluate((svg) => [...svg.querySelectorAll("text")].map((t) => t.textContent ?? ""));
  assert.ok(legend.length >= 3, `the map's legend has a label and ticks, got ${legend}`);
  for (const label of legend) assert.ok(mapText.includes(`>${label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}<`), `the saved map shows the legend's "${label}"`);
  assert.ok(mapText.indexOf(legend[legend.length - 1]) < mapText.lastIndexOf("<path"), "the legend is part of the same picture as the map");
  assert.deepEqual(await cellErrors(regions.page), []);
  assert.deepEqual(regions.errors, []);
});

test("print: the sales page as a PDF report, without the sidebar or export buttons, no card split", async () => {
  const {page, errors} = await open(session, "/sales");
  await page.locator("#sales-heatmap svg").first().waitFor({state: "visible", timeout: 90_000});
  // A filter in force: the print says which in one line, instead of the bar's controls. Printed only once every
  // chart is redrawn for it: printed in between, the charts are empty frames (a CI run printed one page so).
  await filterChangeMs(page, true);
  const region = page.locator(".filter-bar select").first();
  const chosen = await region.evaluate((select) => (select as HTMLSelectElement).selectedOptions[0].textContent ?? "");
  const summary = page.locator(".filter-bar .filter-summary");
  assert.equal(await summary.isVisible(), false, "the one-line summary is for print only");
  await page.emulateMedia({media: "print"});
  assert.equal(await summary.isVisible(), true, "the filters in force are printed");
  assert.match(await summary.innerText(), new RegExp(`^Filters: .*Region: ${chosen.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll(".filter-bar details, .filter-bar select, .filter-bar input, .filter-bar button")].filter((e) => (e as HTMLElement).offsetParent !== null || e.getClientRects().length > 0).length
  );
  assert.equal(controls, 0, "no filter control is printed");
  // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
  const layout = await page.evaluate(() => {
    const main = document.querySelector("#observablehq-main")!.getBoundingClientRect();
    return {
      sidebar: [...document.querySelectorAll("#observablehq-sidebar")].filter((e) => getComputedStyle(e).display !== "none").length,
      exportBars: [...document.querySelectorAll(".export-bar")].filter((e) => getComputedStyle(e).display !== "none").length,
      cards: document.querySelectorAll(".card").length,
      unbroken: [...document.querySelectorAll(".card")].filter((e) => getComputedStyle(e).breakInside === "avoid").length,
      mainLeft: main.left
    };
  });
  assert.equal(layout.sidebar, 0, "no sidebar in print");
  assert.equal(layout.exportBars, 0, "no export buttons in print");
  assert.ok(layout.cards >= 5 && layout.unbroken === layout.cards, `every card avoids page breaks inside, ${layout.unbroken} of ${layout.cards}`);
  assert.ok(layout.mainLeft < 60, `the content uses the page's width, starts at ${layout.mainLeft}px`);

  const pdf = await page.pdf({format: "A4", printBackground: true});
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 2 && pages <= 12, `a report of a few pages, got ${pages}`);
  assert.ok(pdf.length > 50_000, `the PDF holds the charts, got ${pdf.length} bytes`);
  assert.deepEqual(errors, []);
});
