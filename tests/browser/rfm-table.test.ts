// The RFM page's customer table over columns (src/components/columnTable.ts, issue 13): it sorts by any column
// in both directions, draws more rows on scroll in the same order, searches as Observable Inputs' search did,
// and its CSV holds exactly the rows listed, with exact values; the full CSV is the reference for all of it.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, before, test} from "node:test";
import type {Page} from "playwright-core";
import {cellErrors, open, start, type PageRecord, type Session} from "./browser.js";

let session: Session;
let record: PageRecord;
let page: Page;
/** The full CSV: header and rows (customer_id order, the table's row order). */
let header: string[];
let rows: string[][];

/** A CSV line's fields (quoted fields may hold commas and doubled quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
    const raw = match[1];
    out.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (match[2] === "") break;
  }
  return out;
}

async function downloadCsv(): Promise<string[][]> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator("#rfm-download button").click()]);
  const text = readFileSync((await file.path())!, "utf-8");
  return text.slice(0, -1).split("\n").map(fields);
}

const count = async () => Number((await page.locator("#rfm-table-count").innerText()).replace(/,/g, ""));
const column = (name: string) => header.indexOf(name);
/** The customer ids the table shows, top to bottom. */
const shownIds = () => page.locator("#rfm-table tbody tr td:nth-child(2)").allInnerTexts();

/** Row numbers of `rows` ordered by a column as the table promises: by value, ties in row order. */
function ordered(name: string, descending: boolean): number[] {
  const c = column(name);
  const numeric = !["customer_id", "segment", "first_purchase", "last_purchase"].includes(name);
  const key = (i: number) => (numeric ? Number(rows[i][c]) : rows[i][c]);
  return rows.map((_, i) => i).sort((a, b) => {
    const x = key(a), y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -order : order) || a - b;
  });
}

before(async () => {
  session = await start();
  record = await open(session, "/rfm", {width: 1280, height: 1000});
  page = record.page;
  await page.locator("#rfm-table tbody tr").first().waitFor({timeout: 120_000});
  const csv = await downloadCsv();
  header = csv[0];
  rows = csv.slice(1);
});
after(async () => session?.close());

test("rfm table: the CSV lists every customer once, with the table's count, first by revenue", async () => {
  assert.equal(header.join(","), "customer_id,segment,recency,frequency,monetary,revenue,r_score,f_score,m_score,first_purchase,last_purchase");
  const customers = Number((await page.locator("#rfm-customers").innerText()).replace(/,/g, ""));
  assert.equal(rows.length, customers);
  assert.equal(await count(), customers);
  assert.equal(new Set(rows.map((r) => r[0])).size, rows.length, "one row per customer");
  const shown = await shownIds();
  assert.ok(shown.length >= 14, `the first rows are drawn: ${shown.length}`);
  assert.deepEqual(shown, ordered("revenue", true).slice(0, shown.length).map((i) => rows[i][0]), "highest revenue first");
});

test("rfm table: a header click sorts by that column, again the other way; scrolling draws more in order", async () => {
  const recency = page.locator("#rfm-table th[data-column=recency]");
  await recency.click();
  let shown = await shownIds();
  assert.deepEqual(shown, ordered("recency", true).slice(0, shown.length).map((i) => rows[i][0]), "longest recency first");
  await recency.click();
  shown = await shownIds();
  assert.deepEqual(shown, ordered("recency", false).slice(0, shown.length).map((i) => rows[i][0]), "then shortest first");
  assert.equal(await recency.getAttribute("aria-sort"), "ascending");

  await page.locator("#rfm-table th[data-column=customer_id]").click();
  const before = (await shownIds()).length;
  await page.locator("#rfm-table .column-table").evaluate((node) => node.scrollTo(0, node.scrollHeight));
  await page.waitForFunction((n) => document.querySelectorAll("#rfm-table tbody tr").length > n, before, {timeout: 10_000});
  shown = await shownIds();
  assert.ok(shown.length > before);
  assert.deepEqual(shown, ordered("customer_id", false).slice(0, shown.length).map((i) => rows[i][0]), "ids in order, across the rows drawn later");
});

test("rfm table: the search keeps the rows Observable Inputs' search would, and the CSV holds exactly those", async () => {
  // Every word must begin a word of the id, segment or a purchase date (case ignored).
  const matches = (query: string) => {
    const tests = query.split(/\s+/).filter(Boolean).map((t) => new RegExp(`(?:^|[^\\p{L}-])${t.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}`, "iu"));
    const searched = ["customer_id", "segment", "first_purchase", "last_purchase"].map(column);
    return rows.filter((r) => tests.every((t) => searched.some((c) => t.test(r[c]))));
  };
  const search = page.locator(".row-search input[type=search]");
  const id = rows[Math.floor(rows.length / 3)][0];
  const segment = rows[0][column("segment")];
  for (const query of [id, segment.split(" ")[0].toLowerCase(), `${segment.split(" ")[0]} ${rows[0][column("last_purchase")].slice(0, 7)}`]) {
    const expected = matches(query);
    await search.fill(query);
    await page.waitForFunction((n) => Number(document.querySelector("#rfm-table-count")!.textContent!.replace(/,/g, "")) === n, expected.length, {timeout: 30_000});
    assert.ok(expected.length > 0, `"${query}" matches some customer`);
    const csv = await downloadCsv();
    assert.deepEqual(csv.slice(1), expected, `the CSV of "${query}" is its rows of the full CSV, values unchanged`);
  }
  await search.fill("");
  await page.waitForFunction((n) => Number(document.querySelector("#rfm-table-count")!.textContent!.replace(/,/g, "")) === n, rows.length, {timeout: 30_000});
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  assert.deepEqual(record.external, []);
});
