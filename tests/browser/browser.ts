/**
 * Shared set-up for the browser tests: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the built site served on 127.0.0.1, and a record of every request, failed request and console
 * error of a page, so each test can assert that the site stays on its own host and logs no error.
 */
import assert from "node:assert/strict";
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page} from "playwright-core";
import {serve, type Http2Options, type StaticServer} from "./serve.js";

export const SCREENSHOTS = join("tests", "output", "screenshots");

export interface Session {
  browser: Browser;
  server: StaticServer;
  /** A fresh browser context, closed by closePages (or by the test itself). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /**
   * Closes every context `open` or `newContext` made (each test file calls it after each test): a page left open keeps its
   * fit workers and DuckDB running, and on a 2-core machine the next test's page waits for the CPU (in CI an
   * upload on the data page once took over 30 s so).
   */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

export interface PageRecord {
  page: Page;
  requests: string[];
  external: string[];
  failed: string[];
  errors: string[];
}

/**
 * Starts Chromium and serves the built site: `dir`, by default CLV_DIST or dist/. With `http2`, over HTTP/2
 * with that (self-signed) certificate, which this Chromium then accepts.
 */
export async function start(dir = process.env.CLV_DIST ?? "dist", {http2}: {http2?: Http2Options} = {}): Promise<Session> {
  const server = await serve(dir, 0, {http2});
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      ...(http2 ? ["--ignore-certificate-errors"] : [])
    ]
  });
  // The contexts newContext made that are still open.
  const contexts = new Set<BrowserContext>();
  return {
    browser,
    server,
    async newContext(options) {
      const context = await browser.newContext(options);
      contexts.add(context);
      context.on("close", () => contexts.delete(context));
      return context;
    },
    async closePages() {
      const open = [...contexts];
      contexts.clear();
      await Promise.all(open.map((context) => context.close().catch(() => undefined)));
    },
    async close() {
      await browser.close();
      await server.close();
    }
  };
}

/**
 * Opens `path` in a fresh context and records its traffic and console errors; `before` runs on the page
 * before it navigates (to route requests, say). `session.closePages()` closes the context.
 */
export async function open(session: Session, path: string, {width = 1280, height = 900, before}: {width?: number; height?: number; before?: (page: Page) => Promise<unknown>} = {}): Promise<PageRecord> {
  const context = await session.newContext({viewport: {width, height}});
  const page = await context.newPage();
  const origin = new URL(session.server.url).origin;
  const record: PageRecord = {page, requests: [], external: [], failed: [], errors: []};
  page.on("request", (request) => {
    const url = request.url();
    record.requests.push(url);
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) record.external.push(url);
  });
  page.on("requestfailed", (request) => record.failed.push(`${request.url()} ${request.failure()?.errorText ?? ""}`));
  page.on("response", (response) => {
    if (response.status() >= 400) record.failed.push(`${response.url()} HTTP ${response.status()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") record.errors.push(message.text());
  });
  page.on("pageerror", (error) => record.errors.push(String(error)));
  await before?.(page);
  await page.goto(session.server.url + path);
  return record;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, {recursive: true});
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}

/** Framework shows a cell's error in place of its output; the text of those errors, if any. */
export async function cellErrors(page: Page): Promise<string[]> {
  return page.locator(".observablehq--error").allInnerTexts();
}

/** Asserts what every page must keep: no cell error, no console error, no failed request, no other host. */
export async function assertClean(record: PageRecord): Promise<void> {
  assert.deepEqual(await cellErrors(record.page), [], "no cell shows an error");
  assert.deepEqual(record.errors, [], "no console errors");
  assert.deepEqual(record.failed, [], "no failed requests");
  assert.deepEqual(record.external, [], "no request leaves the site's own host");
}
