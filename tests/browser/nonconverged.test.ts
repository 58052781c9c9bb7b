/**
 * A file in which nobody churns (tests/fixtures/failure-paths/no-churn.csv): BG/NBD does not converge. The
 * budget and what-if pages show why, offer the penalizer, and show no NaN anywhere (they showed
 * "RuntimeError: budget: predicted CLV of customer "g0" is NaN" and "Expected purchases NaN").
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, start, type Session} from "./browser.js";

const CSV = readFileSync(new URL("../fixtures/failure-paths/no-churn.csv", import.meta.url));

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

test("budget and what-if on a fit that does not converge: a message, the penalizer, no NaN", async () => {
  const record = await open(session, "/data");
  const {page} = record;
  await page.locator("#current-source").waitFor({timeout: 180_000});
  await page.locator("input[type=file]").setInputFiles({name: "no-churn.csv", mimeType: "text/csv", buffer: CSV});
  await page.locator("#quality-report").waitFor({timeout: 180_000});
  await page.getByRole("button", {name: "Use this data on every page"}).click();
  await page.locator("#current-source").getByText("no-churn.csv").waitFor({timeout: 180_000});

  // The budget page fits on every customer (as `clv fit` does: a and b run off); what-if fits up to its own
  // calibration end, so it is only required to show no NaN.
  for (const [path, done] of [["/budget", "#budget-kpis"], ["/predict", "#whatif-kpis"]]) {
    await page.goto(session.server.url + path);
    await page.locator(done).waitFor({timeout: 300_000});
    if (path === "/budget") {
      await page.locator("#fit-problems").waitFor({timeout: 60_000});
      assert.match(await page.locator("#fit-problems").innerText(), /not identified/);
      assert.ok(await page.locator("#fit-problems button.apply-penalizer").count(), `${path}: the penalizer is offered`);
    }
    const text = await page.locator("main").innerText();
    assert.doesNotMatch(text, /NaN/, `${path} shows no NaN`);
    assert.doesNotMatch(text, /RuntimeError/, `${path} shows no error`);
    assert.deepEqual(await cellErrors(page), [], `${path}: no cell failed`);
  }
  await page.waitForFunction(() => (document.querySelector("#whatif-purchases")?.textContent ?? "").trim() !== "", null, {timeout: 300_000});
  assert.match(await page.locator("#whatif-purchases").innerText(), /^(not available|\d+\.\d\d)$/);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);

  await page.goto(session.server.url + "/data");
  await page.getByRole("button", {name: "Go back to the built-in data"}).click({timeout: 600_000}); // after the page has read the upload again
  await page.locator("#current-source").getByText("transactions.parquet").waitFor({timeout: 300_000});
});
