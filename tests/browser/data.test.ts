import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

// Four customers; one row has no date and one is a duplicate invoice line, so the report has drops; one
// amount is zero (kept, with a warning).
const CSV = [
  "Invoice,Client ID,InvoiceDate,Sales,Province",
  "A1,c1,2024-01-05,120.50,Ontario",
  "A2,c2,2024-01-06,80,Quebec",
  "A3,c3,2024-02-10,45.25,Ontario",
  "A4,c1,2024-03-01,60,Ontario",
  "A5,c4,,30,Alberta",
  "A4,c1,2024-03-01,60,Ontario",
  "A6,c4,2024-03-15,99,Alberta",
  "A7,c2,2024-03-20,0,Quebec"
].join("\n");

test("upload a CSV: mapping and report shown, every page then analyses it", async () => {
  const record = await open(session, "/data");
  const {page} = record;
  await page.locator("#current-source").waitFor({timeout: 90_000});
  await page.locator("input[type=file]").setInputFiles({name: "shop.csv", mimeType: "text/csv", buffer: Buffer.from(CSV)});

  // The detected mapping is shown and editable.
  const editor = page.locator(".mapping-editor");
  await editor.waitFor({timeout: 30_000});
  const values = await editor.locator("select").evaluateAll((selects) =>
    selects.map((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "")
  );
  for (const column of ["Client ID", "InvoiceDate", "Sales", "Province", "Invoice"]) assert.ok(values.includes(column), `mapping uses ${column}: ${JSON.stringify(values)}`);

  // The data-quality report adds up: 8 rows, 6 kept, one without a date, one duplicate.
  const report = page.locator("#quality-report");
  await report.waitFor({timeout: 30_000});
  const text = await report.innerText();
  assert.match(text, /8 rows read: 6 kept, 2 dropped/);
  assert.match(text, /No date/);
  assert.match(text, /Exact duplicate/);
  // Each warning once (the zero amount was said twice: as a warning and as a note of its own).
  assert.equal(text.match(/amount (of )?(zero|0)/g)?.length, 1, `the zero amount is mentioned once: ${text}`);
  const lines = text.split("\n").filter((line) => line.trim());
  assert.deepEqual(lines, [...new Set(lines)], "no line of the report repeats");
  await screenshot(page, "data-upload");
  // The report's table of dropped rows saves as CSV (issue 18: each table offers CSV): a row per reason.
  const [dropped] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), report.locator("[data-export=csv]").first().click()]);
  assert.equal(dropped.suggestedFilename(), "quality-dropped.csv");
  const droppedLines = readFileSync(await dropped.path(), "utf-8").trimEnd().split("\n");
  assert.equal(droppedLines[0], "reason,code,rows,share");
  assert.deepEqual(droppedLines.slice(1).map((line) => line.split(",").slice(1, 3).join(",")).sort(), ["duplicate,1", "missing_date,1"]);
  // The examples of each reason too.
  assert.equal(await report.locator("details [data-export=csv]").count(), 2, "a CSV button per table of examples");

  await page.getByRole("button", {name: "Use this data on every page"}).click();
  await page.locator("#current-source").getByText("shop.csv").waitFor({timeout: 90_000});

  // Another page now shows the uploaded data: 4 customers, 6 orders (distinct invoices kept), from the
  // tables the data page kept beside the file: the file is not read nor cleaned again (no DuckDB at all).
  const requestsBefore = record.requests.length;
  await page.goto(session.server.url + "/");
  await page.locator("#revenue-trend svg").waitFor({timeout: 90_000});
  assert.deepEqual(record.requests.slice(requestsBefore).filter((url) => /duckdb.*\.wasm/.test(url)), [], "the overview opens on the kept tables, without DuckDB");
  const cards = await page.locator(".card .big").allInnerTexts();
  assert.equal(cards[0], "4", "customers of the uploaded file");
  assert.equal(cards[1], "6", "orders kept after cleaning");
  await screenshot(page, "home-uploaded");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.external, []);
  assert.deepEqual(record.errors, []);

  // Back to the built-in data.
  await page.goto(session.server.url + "/data");
  await page.getByRole("button", {name: "Go back to the built-in data"}).click();
  await page.locator("#current-source").getByText("transactions.parquet").waitFor({timeout: 90_000});
});

test("a malformed file gets a one-line message naming the problem", async () => {
  const record = await open(session, "/data");
  const {page} = record;
  await page.locator("#current-source").waitFor({timeout: 90_000});
  await page.locator("input[type=file]").setInputFiles({name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("")});
  await page.locator("#upload-error").waitFor({timeout: 30_000});
  assert.match(await page.locator("#upload-error").innerText(), /empty\.csv is empty/);
  await page.locator("input[type=file]").setInputFiles({name: "semi.csv", mimeType: "text/csv", buffer: Buffer.from("customer;date;amount\n1;2024-01-01;5\n2;2024-01-02;6\n")});
  await page.locator("#upload-error, .mapping-editor").first().waitFor({timeout: 30_000});
  await screenshot(page, "data-malformed");
  assert.deepEqual(record.errors, []);
  assert.deepEqual(await cellErrors(page), []);
});
