/**
 * Issue 17's last gaps on the pages: an uploaded file with acquisition_cost, channel and currency columns. The
 * budget page takes each customer's own CAC from acquisition_cost (the sum on their orders) by default,
 * offers "Per channel" in the CAC-by choice (its table lists the channels) and shows the budget by channel; the
 * file's one currency (EUR) is every page's default currency (the user chose none).
 */
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, open, screenshot, start, type Session} from "./browser.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const CHANNELS = ["Ads", "Web", "Referral"];
/** Customer i's CAC, recorded on their first order only: Ads 20, Web 30, Referral 40. */
const cacOf = (i: number) => 20 + 10 * (i % 3);

/** 60 customers over two years, 2 to 6 orders each; the CAC on the first order, empty on the others. */
function acquiredShop(): string {
  const lines = ["customer_id,order_date,amount,acquisition_cost,channel,currency"];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < 60; i++) {
    const gap = 30 + (i % 7) * 10;
    for (let j = 0; j < 2 + (i % 5); j++) {
      const day = new Date(start + (i * 5 + j * gap) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`C${String(i).padStart(3, "0")},${day},${20 + (i % 10) * 3 + j},${j === 0 ? cacOf(i) : ""},${CHANNELS[i % 3]},EUR`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The budget table's rows under `selector`: group label → CAC cell text. */
async function cacByGroup(page: import("playwright-core").Page, selector: string): Promise<Record<string, string>> {
  return page.locator(`${selector} tbody tr`).evaluateAll((rows) => Object.fromEntries(rows.map((tr) => [tr.querySelectorAll("td")[1]?.textContent ?? "", tr.querySelectorAll("td")[4]?.textContent ?? ""])));
}

test("budget: each customer's own CAC from acquisition_cost, and CAC and figures per acquisition channel", async () => {
  const record = await open(session, "/data");
  const {page} = record;
  await page.locator("#current-source").waitFor({timeout: 90_000});
  await page.locator("input[type=file]").setInputFiles({name: "acquired.csv", mimeType: "text/csv", buffer: Buffer.from(acquiredShop())});
  await page.locator("#quality-report").waitFor({timeout: 90_000});
  await page.getByRole("button", {name: "Use this data on every page"}).click();
  await page.locator("#current-source").getByText("acquired.csv").waitFor({timeout: 90_000});
  assert.equal(await page.evaluate(() => localStorage.getItem("clv-explorer:format")), null, "no currency chosen by the user");

  await page.goto(session.server.url + "/budget?refits=0");
  await page.locator("#budget-channels tbody tr").first().waitFor({timeout: 120_000});
  // Own CAC on by default: every customer has one, and each channel's mean CAC is its customers'.
  assert.match(await page.locator("#budget-own-cac").innerText(), /own CAC \(acquisition_cost, the sum on their orders\) for 60 of 60 customers\./);
  // Money in the data's currency, on a page other than the data page.
  assert.match(await page.locator("#budget-historical").innerText(), /€/);
  const own = await cacByGroup(page, "#budget-channels");
  assert.deepEqual(Object.keys(own).sort(), ["Ads", "Referral", "Web"]);
  for (const [channel, cac] of [["Ads", 20], ["Web", 30], ["Referral", 40]] as const) {
    assert.equal(Number(own[channel].replace(/[^\d.-]/g, "")), cac, `${channel}'s CAC: ${own[channel]}`);
  }

  // "Per channel" lists the channels; with the own CAC off, the table's figure is the channel's CAC.
  await page.locator("form").filter({hasText: "One CAC for all"}).getByLabel("Per channel").check();
  const table = page.locator("#budget-cac-table .cac-table");
  await table.waitFor({timeout: 30_000});
  assert.deepEqual((await table.locator("label").allInnerTexts()).map((t) => t.trim()), ["Ads", "Referral", "Web"]);
  await page.locator("form").filter({hasText: "Each customer's own CAC"}).locator("input[type=checkbox]").uncheck();
  const box = table.locator("input[type=number]").first();
  await box.fill("99");
  await box.dispatchEvent("input");
  await page.waitForFunction(
    () => [...document.querySelectorAll("#budget-channels tbody tr")].some((tr) => tr.querySelectorAll("td")[1]?.textContent === "Ads" && /^\D*99(\.00)?$/.test(tr.querySelectorAll("td")[4]?.textContent ?? "")),
    null,
    {timeout: 60_000}
  );
  assert.match(await page.locator("#budget-own-cac").innerText(), /not used/);
  assert.doesNotMatch(await page.locator("main").innerText(), /NaN/);
  assert.deepEqual(await cellErrors(page), []);
  await screenshot(page, "issue17-acquisition");
  assert.deepEqual(record.errors, []);
});
