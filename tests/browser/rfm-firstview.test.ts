// The RFM page's first view (src/lib/rfm/firstView.ts, issue 13): with the per-customer table held back, the
// headline, the segment bars and the score grid still draw from the build's small rfm-view.json; once the
// table is released, the page's own figures over every customer replace them and are the same numbers.
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import type {Route} from "playwright-core";
import {cellErrors, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

test("rfm page: the first charts come from the first view, and equal the full table's", async () => {
  const context = await session.newContext({viewport: {width: 1280, height: 1000}});
  const held: Route[] = [];
  await context.route(/\/rfm-customers\.[0-9a-f]+\.arrow$/, (route) => void held.push(route));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(session.server.url + "/rfm");

  await page.locator("#rfm-heatmap svg").first().waitFor({state: "visible", timeout: 60_000});
  await page.locator("#rfm-preview-note").waitFor({timeout: 10_000});
  const snapshot = () =>
    page.evaluate(() => ({
      customers: document.querySelector("#rfm-customers")!.textContent,
      cards: Array.from(document.querySelectorAll(".grid-cols-4 .big"), (node) => node.textContent),
      bars: Array.from(document.querySelectorAll("#rfm-segment-bars rect[data-segment]"), (node) => `${node.getAttribute("data-segment")} ${node.getAttribute("data-measure")} ${node.querySelector("title")?.textContent}`),
      cells: Array.from(document.querySelectorAll("#rfm-heatmap g[aria-label=cell] rect"), (node) => node.querySelector("title")?.textContent ?? "").sort()
    }));
  const first = await snapshot();
  assert.ok(held.length > 0, "the per-customer table was asked for and is held back");
  assert.equal(await page.locator("#rfm-table tbody tr").count(), 0, "no customer rows without the table");
  assert.equal(first.cells.length, 25, "a 5 × 5 grid");
  assert.ok(first.bars.length >= 6, `segment bars: ${first.bars.length}`);

  for (const route of held) await route.continue();
  await page.locator("#rfm-table tbody tr").first().waitFor({timeout: 60_000});
  await page.locator("#rfm-preview-note").waitFor({state: "detached", timeout: 30_000});
  assert.deepEqual(await snapshot(), first, "the full table gives the first view's figures");
  assert.deepEqual(await cellErrors(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
