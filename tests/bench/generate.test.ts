/**
 * The CSV bench/commands.ts generates for the issue's large builds. Its six columns (ISSUE_COLUMNS) hold no
 * partner or offer type, so a site built on it has nothing for the Partners page to draw: every card of the
 * page shows "This data has no partner column." and the benchmarks that waited for a chart there waited out
 * their timeouts ("the Partners page never drew its charts" at 1.6M orders). `columns: "all"` writes every
 * column of the demo, and the same build then gives the page its partners.
 */
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {generateCsv, ISSUE_COLUMNS, SHORT_WINDOW} from "../../bench/commands.js";
import {DERIVED_MEMBERS, makeDerived} from "../../src/lib/explore/derived.js";
import {exploreViewMember, readViewJson, type ExploreViews} from "../../src/lib/explore/firstView.js";
import {loadSource} from "../../src/data/source.js";
import {openDuckDB} from "../../src/node/duckdb.js";

const dir = mkdtempSync(join(tmpdir(), "clv-generate-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** The Partners page's first view of a site built on `path` (the loader's own reading of the file). */
async function partnersView(path: string): Promise<ExploreViews["partners"]> {
  const db = await openDuckDB();
  try {
    await loadSource(db, {kind: "file", path});
    const member = exploreViewMember("partners");
    const members = await makeDerived(db, {members: DERIVED_MEMBERS.filter((m) => m.name === member || m.name === "cells.arrow")});
    return readViewJson<ExploreViews["partners"]>(new TextDecoder().decode(members.get(member)!));
  } finally {
    db.close();
  }
}

const header = (path: string) => readFileSync(path, "utf8").split("\n", 1)[0].split(",");

describe("bench/commands.ts generateCsv", () => {
  it("the issue's columns: no partner, so the Partners page's view is empty (the page shows notices, no chart)", async () => {
    const path = join(dir, "issue.csv");
    const {orders} = await generateCsv(3000, path, SHORT_WINDOW);
    expect(orders).toBeGreaterThan(2000);
    expect(header(path)).toEqual([...ISSUE_COLUMNS]);
    const view = await partnersView(path);
    expect(view.columns).not.toContain("partner");
    expect(view.columns).not.toContain("offer_type");
    expect(view.top).toEqual([]);
    expect(view.monthly).toEqual([]);
  }, 120_000);

  it("every column with `all`: partner and offer_type, and the Partners page's view has its top partners", async () => {
    const path = join(dir, "all.csv");
    await generateCsv(3000, path, SHORT_WINDOW, {columns: "all"});
    const columns = header(path);
    for (const c of [...ISSUE_COLUMNS, "order_id", "partner", "offer_type", "customer_segment"]) expect(columns).toContain(c);
    const view = await partnersView(path);
    expect(view.columns).toEqual(expect.arrayContaining(["partner", "offer_type"]));
    expect(view.top.length).toBe(10);
    expect(view.top[0].rank).toBe(1);
    expect(view.monthly.length).toBeGreaterThan(10);
  }, 120_000);
});
