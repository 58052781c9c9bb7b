/** Helpers of the browser tests of the bootstrap intervals (budget-intervals, intervals-more). */
import assert from "node:assert/strict";
import type {Page} from "playwright-core";

/** Waits for the intervals' status to finish and returns its text; fails if it shows an error. */
export async function intervalsDone(page: Page, selector: string): Promise<string> {
  const status = page.locator(`${selector} .bootstrap-status`);
  await status.waitFor({state: "visible", timeout: 120_000});
  await page.waitForFunction((s) => document.querySelector(`${s} .bootstrap-status`)?.getAttribute("data-state") !== "running", selector, {timeout: 240_000});
  const text = await status.innerText();
  assert.equal(await status.getAttribute("data-state"), "done", `the intervals finished without error: ${text}`);
  return text;
}

/** The number in a text shown on a page (currency signs, thousands separators and units dropped). */
export const number = (text: string) => Number(text.replace(/[^\d.-]/g, ""));

/** The numbers of a "[low – high]" text. */
export function ends(text: string): [number, number] {
  const m = text.match(/\[([^\]]+?) – ([^\]]+?)\]/);
  assert.ok(m, `an interval in ${JSON.stringify(text)}`);
  return [number(m[1]), number(m[2])];
}

/** Chooses `option` in the first select of the form labelled `label`. */
export async function select(page: Page, label: string, option: string): Promise<void> {
  await page.locator("form").filter({hasText: label}).locator("select").first().selectOption({label: option});
}
