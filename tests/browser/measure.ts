// Timing helpers shared by the browser tests and the Chromium benchmarks (figures are recorded, not asserted).
import type {Page} from "playwright-core";

export const SALES_CHARTS = ["sales-revenue", "sales-transactions", "sales-regions", "sales-yoy", "sales-heatmap"];

/**
 * Milliseconds from a change of the shared Region filter (its first option, or none when `pick` is false;
 * a number picks that option, counted from 0, modulo the number of regions) until every chart of `ids` has
 * been redrawn. Sent as a string: tsx would wrap a function's inner names in
 * a helper the page lacks.
 */
export async function filterChangeMs(page: Page, pick: boolean | number, ids: readonly string[] = SALES_CHARTS): Promise<number> {
  return page.evaluate(`(async () => {
    const ids = ${JSON.stringify(ids)};
    const old = new Set(ids.map((id) => document.querySelector("#" + id + " svg")));
    const select = Array.from(document.querySelectorAll(".filter-bar form"))
      .find((f) => /Region/.test(f.querySelector("label")?.textContent ?? ""));
    const t0 = performance.now();
    const options = select.querySelectorAll("option");
    const pick = ${JSON.stringify(pick)};
    select.value = pick === false ? [] : [options[pick === true ? 0 : pick % options.length].textContent];
    select.dispatchEvent(new Event("input", {bubbles: true}));
    const redrawn = () => ids.every((id) => {
      const svg = document.querySelector("#" + id + " svg");
      return svg && !old.has(svg);
    });
    while (!redrawn()) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  })()`) as Promise<number>;
}
