/**
 * Issue 15: while an upload is cleaned, the progress line counts the rows cleaned so far (a chunk of 250,000
 * rows at a time: lib/data/clean/chunked.ts). A CSV of 800,000 rows (about 28 MB, seeded, generated here)
 * takes four chunks: the line must show at least two counts below the total, rising, before the quality
 * report, and the report must count every row.
 */
import assert from "node:assert/strict";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, start, type Session} from "./browser.js";

const ROWS = 800_000;

function generate(): Buffer {
  const lines = ["customer_id,order_date,amount,region"];
  const start = Date.UTC(2022, 0, 1);
  let seed = 1515;
  const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
  for (let k = 0; k < ROWS; k++) {
    const day = new Date(start + Math.floor(random() * 700) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`c${k % 90_000},${day},${(1 + random() * 150).toFixed(2)},${["West", "East", "North"][k % 3]}`);
  }
  return Buffer.from(lines.join("\n") + "\n");
}

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

test("the progress line counts the rows cleaned so far before the quality report", async () => {
  const dir = mkdtempSync(join(tmpdir(), "clv-cleaning-"));
  const path = join(dir, "rows.csv");
  writeFileSync(path, generate());
  try {
    const {page} = await open(session, "/data");
    await page.locator("#current-source").waitFor({timeout: 120_000});
    // Every text of the progress line, and whether the report was on the page when it showed.
    await page.evaluate(() => {
      const seen: {text: string; report: boolean}[] = ((window as unknown as {progressSeen: unknown}).progressSeen = []);
      new MutationObserver(() => {
        const text = document.getElementById("upload-progress")?.textContent?.replace(/ \(\d+ s\)$/, "");
        if (text && seen[seen.length - 1]?.text !== text) seen.push({text, report: document.getElementById("quality-report") !== null});
      }).observe(document.body, {subtree: true, childList: true, characterData: true});
    });
    await page.locator("input[type=file]").setInputFiles(path, {timeout: 120_000});
    await page.locator("#quality-report, #upload-error, #mapping-error").first().waitFor({timeout: 300_000});
    assert.deepEqual(await page.locator("#upload-error, #mapping-error").allInnerTexts(), []);
    const total = ROWS.toLocaleString("en-US");
    assert.match(await page.locator("#quality-report").innerText(), new RegExp(`${total} rows read: ${total} kept`));
    const seen = await page.evaluate(() => (window as unknown as {progressSeen: {text: string; report: boolean}[]}).progressSeen);
    const counts = seen
      .map(({text, report}) => ({match: new RegExp(`^Cleaning rows\\.csv: ([\\d,]+) of ${total} rows cleaned$`).exec(text), report}))
      .filter(({match}) => match !== null)
      .map(({match, report}) => ({rows: Number(match![1].replace(/,/g, "")), report}));
    const lines = seen.map((s) => s.text).join(" | ");
    assert.ok(counts.every(({report}) => !report), `every count shows before the report: ${lines}`);
    const below = counts.filter(({rows}) => rows < ROWS).map(({rows}) => rows);
    assert.ok(below.length >= 2, `at least two counts below ${total} while cleaning, among: ${lines}`);
    const rows = counts.map(({rows}) => rows);
    assert.deepEqual(rows, rows.slice().sort((a, b) => a - b), `the count rises: ${rows.join(", ")}`);
    assert.ok(seen.some(({text}) => text.startsWith(`Cleaning rows.csv: finding repeated rows among ${total}`)), `the repeated-rows step, among: ${lines}`);
    assert.deepEqual(await cellErrors(page), []);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
