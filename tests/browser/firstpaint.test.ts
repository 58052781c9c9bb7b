/**
 * The first paint does not wait for DuckDB: with every request for DuckDB's wasm held back (aborted), each
 * page that opens on the derived tables still draws its first charts, and its filters still redraw them.
 * (The partners page's RFM spread, which needs the transactions, is the one part that starts DuckDB.)
 * Nor do these pages load Arquero before their first charts: they draw from small views, and the library is one
 * more module on the critical path.
 */
import assert from "node:assert/strict";
import {after, afterEach, before, test} from "node:test";
import {cellErrors, start, type Session} from "./browser.js";
import {filterChangeMs, SALES_CHARTS} from "./measure.js";

let session: Session;
before(async () => (session = await start()));
afterEach(async () => session?.closePages());
after(async () => session?.close());

const PAGES: {path: string; charts: string[]; filtered?: string[]}[] = [
  {path: "/", charts: ["revenue-trend"]},
  {path: "/sales", charts: SALES_CHARTS, filtered: SALES_CHARTS},
  {path: "/regions", charts: ["regions-provinces", "regions-map", "regions-regions", "regions-trend"], filtered: ["regions-provinces", "regions-regions"]},
  {path: "/cohorts", charts: ["cohort-matrix", "cohort-m1"], filtered: ["cohort-matrix", "cohort-m1"]},
  {
    path: "/partners",
    charts: ["partners-top", "partners-trends", "partners-fav-offer", "partners-fav-partner", "partners-spread"],
    filtered: ["partners-top", "partners-trends", "partners-fav-offer", "partners-fav-partner", "partners-spread"]
  }
];

for (const {path, charts, filtered} of PAGES) {
  test(`${path}: first charts and filters with DuckDB's wasm held back`, async () => {
    const context = await session.newContext({viewport: {width: 1280, height: 900}});
    const held: string[] = [];
    await context.route(/duckdb.*\.wasm(\?.*)?$/, (route) => {
      held.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    const arquero: string[] = [];
    const onRequest = (request: {url(): string}) => {
      if (/\/_(npm|node)\/arquero@/.test(request.url())) arquero.push(request.url());
    };
    page.on("request", onRequest);
    try {
      await page.goto(session.server.url + path);
      for (const id of charts) await page.locator(`#${id} svg`).first().waitFor({state: "visible", timeout: 90_000});
      page.off("request", onRequest);
      assert.deepEqual(arquero, [], "Arquero is not loaded before the first charts");
      if (filtered) {
        const before = await page.locator(`#${filtered[0]}`).innerHTML();
        await filterChangeMs(page, 0, filtered);
        assert.notEqual(await page.locator(`#${filtered[0]}`).innerHTML(), before, "a region filter redraws the charts");
        await filterChangeMs(page, false, filtered);
      } else {
        const path = () => page.locator("#revenue-trend svg path").last().getAttribute("d");
        const before = await path();
        const input = page.locator("input[type=number]").first();
        await input.fill("3");
        await input.dispatchEvent("input");
        await page.waitForFunction((old) => {
          const paths = document.querySelectorAll("#revenue-trend svg path");
          return paths.length > 0 && paths[paths.length - 1].getAttribute("d") !== old;
        }, before, {timeout: 20_000});
      }
      assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
      assert.deepEqual(errors, [], "no page errors");
      assert.deepEqual(held, [], "the page never asked for DuckDB's wasm");
    } finally {
      await context.close();
    }
  });
}

test("/data: the data in use and what a transaction is, with DuckDB's wasm held back", async () => {
  const context = await session.newContext({viewport: {width: 1280, height: 900}});
  await context.route(/duckdb.*\.wasm(\?.*)?$/, (route) => route.abort());
  const page = await context.newPage();
  try {
    await page.goto(session.server.url + "/data");
    // Said from the build's source.json: the file's name, and its order id column makes a transaction an order.
    await page.locator("#current-source").getByText("transactions.parquet").waitFor({timeout: 90_000});
    assert.match(await page.locator("#transaction-unit").innerText(), /A transaction is an order/);
    assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
  } finally {
    await context.close();
  }
});

test("/validation and /data open without loading the random forest (it is trained in the worker or for an upload's tables)", async () => {
  for (const [path, ready] of [["/validation", "#validation-chart svg"], ["/data", "#transaction-unit"]] as const) {
    const context = await session.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const forest: string[] = [];
    page.on("request", (request) => {
      if (/\/_(npm|node)\/ml-random-forest@/.test(request.url())) forest.push(request.url());
    });
    try {
      await page.goto(session.server.url + path);
      await page.locator(ready).first().waitFor({state: "visible", timeout: 90_000});
      await page.waitForLoadState("networkidle");
      assert.deepEqual(forest, [], `${path}: the random forest is not loaded`);
      assert.deepEqual(await cellErrors(page), [], `${path}: no cell shows an error`);
    } finally {
      await context.close();
    }
  }
});

test("a damaged store of uploaded tables: the built-in data, with a message", async () => {
  const context = await session.newContext({viewport: {width: 1280, height: 900}});
  const page = await context.newPage();
  try {
    await page.goto(session.server.url + "/sales");
    await page.locator("#sales-revenue svg").first().waitFor({state: "visible", timeout: 90_000});
    // An upload and, beside it, something that is not a record of derived tables.
    await page.evaluate(`new Promise((resolve, reject) => {
      const request = indexedDB.open("clv-explorer", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("uploads");
      request.onsuccess = () => {
        const tx = request.result.transaction("uploads", "readwrite");
        tx.objectStore("uploads").put({name: "shop.csv", bytes: new Uint8Array([1, 2, 3]), overrides: {}, options: {}, savedAt: "2026-01-01"}, "current");
        tx.objectStore("uploads").put({savedAt: "2026-01-01", members: {"cells.arrow": "not bytes"}}, "derived");
        tx.oncomplete = () => { request.result.close(); resolve(null); };
        tx.onerror = () => reject(tx.error);
      };
      request.onerror = () => reject(request.error);
    })`);
    await page.reload();
    await page.locator("#sales-revenue svg").first().waitFor({state: "visible", timeout: 90_000});
    assert.match(await page.locator("#source-problem").innerText(), /could not be used \(the stored tables are damaged\); showing the built-in data/);
    assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
  } finally {
    await context.close();
  }
});

// The first chart reaches the screen before the charts below it are drawn (AfterFirstChart): each chart's svg
// is stamped with the number of the animation frame it appeared in, and every later chart must come in a later
// frame than the first. Nor does a page load a second copy of Apache Arrow (npm:apache-arrow beside the one
// src/lib imports) or parquet-wasm, which Framework preloaded for every page that could read a table.
// The CLV page draws without Arquero too (its segments come from rfm/rules.ts, which has no table library).
// `lean`: the page draws its first chart from JSON views, so neither Apache Arrow (with tslib and flatbuffers)
// nor the model fitting code (fit/engine.ts, fit/optimize.ts: the worker's, and the bootstrap's) has been
// fetched by then; they come with the table of every customer, after it.
const ORDER: {path: string; first: string; later: string[]; arquero: boolean; lean: boolean}[] = [
  {path: "/sales", first: "sales-revenue", later: ["sales-transactions", "sales-regions", "sales-yoy", "sales-heatmap"], arquero: false, lean: true},
  {path: "/rfm", first: "rfm-segment-bars", later: ["rfm-heatmap", "rfm-distributions", "rfm-movement"], arquero: true, lean: false},
  {path: "/clv", first: "clv-histogram-chart", later: ["clv-by-segment"], arquero: false, lean: true}
];

for (const {path, first, later, arquero, lean} of ORDER) {
  test(`${path}: the first chart is painted before the charts below it are drawn; one Arrow, no parquet-wasm${lean ? "; no Arrow and no fitting code before the first chart" : ""}`, async () => {
    const context = await session.newContext({viewport: {width: 1280, height: 900}});
    // As a string: tsx would wrap the functions of a script written here in a helper the page does not have.
    await context.addInitScript(`(() => {
      const ids = ${JSON.stringify([first, ...later])};
      window.clvFrames = 0;
      window.clvSeen = {};
      performance.setResourceTimingBufferSize(1000); // every request of the page is kept (250 by default)
      const tick = () => {
        window.clvFrames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new MutationObserver(() => {
        for (const id of ids) if (!(id in window.clvSeen) && document.querySelector("#" + id + " svg")) window.clvSeen[id] = window.clvFrames;
        // What had been fetched when the first chart was put on the page.
        if (ids[0] in window.clvSeen && !window.clvFetched) window.clvFetched = performance.getEntriesByType("resource").map((e) => e.name);
      }).observe(document, {childList: true, subtree: true});
    })();`);
    const page = await context.newPage();
    const extra: string[] = [];
    page.on("request", (request) => {
      if (/\/_npm\/(apache-arrow|parquet-wasm)@/.test(request.url()) || (!arquero && /\/_(npm|node)\/arquero@/.test(request.url()))) extra.push(request.url());
    });
    try {
      await page.goto(session.server.url + path);
      for (const id of [first, ...later]) await page.locator(`#${id} svg`).first().waitFor({state: "visible", timeout: 90_000});
      const seen = await page.evaluate(() => (window as unknown as {clvSeen: Record<string, number>}).clvSeen);
      for (const id of later) assert.ok(seen[id] > seen[first], `#${id} drawn in frame ${seen[id]}, after the first chart's frame ${seen[first]}: ${JSON.stringify(seen)}`);
      assert.deepEqual(extra, [], `no second Arrow, no parquet-wasm${arquero ? "" : ", no Arquero"} before every chart is drawn`);
      if (lean) {
        const fetched = await page.evaluate(() => (window as unknown as {clvFetched: string[]}).clvFetched);
        assert.ok(fetched.some((url) => /\/_import\//.test(url)), `the page's modules are among what was fetched: ${fetched.length}`);
        const heavy = fetched.filter((url) => /\/_node\/(apache-arrow|tslib|flatbuffers)@|\/lib\/fit\/(engine|optimize|bootstrap)\./.test(url));
        assert.deepEqual(heavy, [], "no Arrow and no fitting code before the first chart");
      }
      assert.deepEqual(await cellErrors(page), [], "no cell shows an error");
    } finally {
      await context.close();
    }
  });
}
