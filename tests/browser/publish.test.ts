/*
 * The report build (CLV_PUBLISH=aggregates, src/lib/explore/publish.ts, README "Publishing"): built from the
 * demo into a temporary folder (or the folder named by CLV_PUBLISH_DIST, which must be such a build of the
 * demo), it holds no customer id, order id or transactions file of the source, and its pages open without
 * errors, say that the transactions are not included where they would need them, and stay on their own host.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, afterEach, before, test} from "node:test";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB} from "../../src/node/duckdb.js";
import {loadDemo} from "../../src/data/source.js";
import {cellErrors, open, start, type Session} from "./browser.js";

let dist: string;
let temporary: string | null = null;
let session: Session;

before(async () => {
  if (process.env.CLV_PUBLISH_DIST) {
    dist = process.env.CLV_PUBLISH_DIST;
  } else {
    temporary = mkdtempSync(join(tmpdir(), "clv-publish-"));
    dist = join(temporary, "dist");
    const built = spawnSync("npm", ["run", "build"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: {...process.env, CLV_DIST: dist, CLV_PUBLISH: "aggregates", CLV_DATA: "demo", CLV_MIN_GROUP: "10"},
      encoding: "utf-8"
    });
    assert.equal(built.status, 0, `the report build failed: ${built.stderr?.slice(-2000)}`);
  }
  assert.ok(existsSync(join(dist, "index.html")), `${dist} holds no built site`);
  session = await start(dist);
});
afterEach(async () => session?.closePages());
after(async () => {
  await session?.close();
  if (temporary) rmSync(temporary, {recursive: true, force: true});
});

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

test("the report build holds no customer id, order id or transactions file of the demo", async () => {
  const db = await openDuckDB();
  let ids: string[] = [], orders: string[] = [];
  try {
    await loadDemo(db);
    ids = (await db.query<{id: string}>(`SELECT DISTINCT customer_id AS id FROM transactions`)).map((r) => r.id);
    orders = (await db.query<{id: string}>(`SELECT DISTINCT order_id AS id FROM transactions`)).map((r) => r.id);
  } finally {
    db.close();
  }
  assert.ok(ids.length > 10_000 && orders.length > ids.length, `the demo's ids, got ${ids.length} customers, ${orders.length} orders`);
  // Every demo customer id is C and seven digits, and every order id is its customer's id and a number: each
  // match of that pattern in any file (text or binary) is looked up among the demo's ids. A raw order row
  // carries a customer id, so no id found means no raw row either.
  const all = files(dist);
  assert.deepEqual(all.filter((file) => /\.parquet$/i.test(file)), [], "no Parquet file");
  const known = new Set([...ids, ...orders]);
  let scanned = 0;
  for (const file of all) {
    const bytes = readFileSync(file);
    assert.notEqual(bytes.subarray(0, 4).toString("latin1"), "PAR1", `${file} is a Parquet file`);
    const found = [...new Set(bytes.toString("latin1").match(/C\d{7}(-\d+)?/g) ?? [])].filter((id) => known.has(id) || known.has(id.slice(0, 8)));
    assert.deepEqual(found.slice(0, 5), [], `${file} holds ids of the demo`);
    scanned += bytes.length;
    if (file.endsWith(".arrow")) {
      const table = tableFromIPC(bytes);
      assert.equal(table.getChild("order_id"), null, `${file} has an order_id column`);
      const customers = table.getChild("customer_id");
      if (customers) for (const id of customers as unknown as Iterable<string>) assert.match(id, /^P[0-9a-f]{16}$/, `${file}: ${id} is not a pseudonym`);
    }
  }
  assert.ok(scanned > 1_000_000, `scanned the site, ${scanned} bytes`);
});

const PAGES = ["/", "/data", "/sales", "/regions", "/cohorts", "/partners", "/rfm", "/clv", "/validation", "/budget", "/predict"];

test("the report build's pages open without errors and say what is not included", async () => {
  for (const path of PAGES) {
    const record = await open(session, path);
    const {page} = record;
    await page.locator("#observablehq-main svg, #current-source").first().waitFor({state: "visible", timeout: 90_000});
    await page.waitForLoadState("networkidle");
    assert.deepEqual(await cellErrors(page), [], `${path}: cell errors`);
    assert.deepEqual(record.errors, [], `${path}: console errors`);
    assert.deepEqual(record.failed, [], `${path}: failed requests`);
    assert.deepEqual(record.external, [], `${path}: requests to another host`);
    assert.ok(!record.requests.some((url) => url.includes("transactions")), `${path} asked for the transactions`);
    assert.match(await page.locator("#observablehq-footer").innerText(), /aggregate tables only/, `${path}: the footer says it is a report`);
    if (path === "/data") assert.match(await page.locator("#source-problem").innerText(), /transactions are not part of this site/);
    if (path === "/partners") {
      // The RFM spread needs the transactions: the page says so instead of failing.
      await page.getByLabel("RFM segment").check();
      await page.getByText(/published with aggregate tables only/).first().waitFor({timeout: 30_000});
    }
    await page.context().close();
  }
});

test("the report build's RFM page shows every customer when filters were chosen on an exploration page, and says so", async () => {
  const record = await open(session, "/regions");
  const {page} = record;
  const region = page.locator(".filter-bar select").first();
  await region.waitFor({timeout: 90_000});
  await region.selectOption({index: 0});
  await page.goto(`${session.server.url}/rfm`);
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 90_000});
  assert.match(await page.locator("#published-filters").innerText(), /do not apply here/);
  assert.equal(await page.locator(".published-filters .filter-bar").evaluate((bar) => (bar as HTMLElement).inert), true, "the filter bar is disabled");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(record.errors, []);
  await page.context().close();
});

test("the report build's CLV and validation pages say that another calibration end needs the raw rows, without failing", async () => {
  // The CLV page: another calibration end than the build's.
  const clv = await open(session, "/clv");
  const calibration = clv.page.locator("form").filter({hasText: "Calibration end"}).locator("input[type=date]").first();
  await calibration.waitFor({timeout: 90_000});
  await clv.page.locator("#clv-total").waitFor({timeout: 90_000});
  const published = await calibration.inputValue();
  const other = await calibration.evaluate((element) => {
    const input = element as HTMLInputElement;
    const day = new Date(`${input.value}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 60);
    input.value = day.toISOString().slice(0, 10);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    return input.value;
  });
  assert.notEqual(other, published);
  const note = clv.page.locator(".published-pinned");
  await note.waitFor({timeout: 30_000});
  const said = await note.innerText();
  assert.match(said, new RegExp(`calibration end ${other}: this report was published with aggregate tables only`));
  assert.match(said, new RegExp(`Shown for ${published}, as published`));
  // The page shows the build's calibration end, and no cell fails.
  await clv.page.getByText(`Predictions are made as of the calibration end (${published})`).waitFor({timeout: 30_000});
  await clv.page.waitForLoadState("networkidle");
  assert.deepEqual(await cellErrors(clv.page), [], "/clv: cell errors after another calibration end");
  assert.deepEqual(clv.errors, []);
  assert.ok(!clv.requests.some((url) => url.includes("transactions") || /duckdb.*\.wasm/.test(url)), "/clv asked for the transactions");
  // Back to the build's date: the note goes.
  await calibration.evaluate((element, value) => {
    (element as HTMLInputElement).value = value;
    element.dispatchEvent(new Event("input", {bubbles: true}));
  }, published);
  await note.waitFor({state: "detached", timeout: 30_000});
  await clv.page.context().close();

  // The validation page: another holdout.
  const validation = await open(session, "/validation");
  const weeks = validation.page.locator("form").filter({hasText: "Holdout (weeks)"}).locator("input[type=number]").first();
  await weeks.waitFor({timeout: 90_000});
  await weeks.fill("20");
  await weeks.dispatchEvent("input");
  const pinned = validation.page.locator(".published-pinned");
  await pinned.waitFor({timeout: 30_000});
  assert.match(await pinned.innerText(), /a holdout of 20 weeks: this report was published with aggregate tables only.*Shown for 26 weeks, as published/);
  // The page goes on with the build's 26 weeks (its fits keep the network busy: no wait for an idle network).
  await validation.page.getByText(/with the spend of the 26 weeks that followed/).waitFor({timeout: 30_000});
  assert.deepEqual(await cellErrors(validation.page), [], "/validation: cell errors after another holdout");
  assert.deepEqual(validation.errors, []);
  await validation.page.context().close();
});

test("the report build's RFM page says that another analysis date needs the raw rows, without failing", async () => {
  const record = await open(session, "/rfm");
  const {page} = record;
  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 90_000});
  await page.locator("#rfm-movement svg").first().waitFor({state: "visible", timeout: 90_000});
  // The earlier date of the movement chart, then the analysis date itself, each 30 days before its own.
  for (const label of ["Earlier analysis date", "Analysis date"]) {
    // (hasText matches "Analysis date" in both forms: the analysis date's comes first.)
    const input = page.locator("form").filter({hasText: label}).locator("input[type=date]").first();
    const other = await input.evaluate((element) => {
      const input = element as HTMLInputElement;
      const day = new Date(`${input.value}T00:00:00Z`);
      day.setUTCDate(day.getUTCDate() - 30);
      input.value = day.toISOString().slice(0, 10);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      return input.value;
    });
    await page.getByText(new RegExp(`Not available for the ${label.toLowerCase()} ${other}: this report was published with aggregate tables only`)).waitFor({timeout: 30_000});
    await page.waitForLoadState("networkidle");
    assert.deepEqual(await cellErrors(page), [], `/rfm: cell errors after another ${label.toLowerCase()}`);
  }
  assert.deepEqual(record.errors, []);
  assert.ok(!record.requests.some((url) => url.includes("transactions") || /duckdb.*\.wasm/.test(url)), "/rfm asked for the transactions");
  await page.context().close();
});
