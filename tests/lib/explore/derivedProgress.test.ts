/**
 * makeDerived's progress (one call per member, in order) and the CLV members' fit hook (DerivedContext.fit):
 * the data page fits in the worker through it, Node fits directly; both give the same tables.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {DERIVED_MEMBERS, makeDerived, memberLabel, type DerivedFit, type DerivedStep} from "../../../src/lib/explore/derived.js";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {fitClv} from "../../../src/lib/clv/fitClv.js";
import {superstoreTable} from "./rows.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
  await db.run(superstoreTable());
}, 60_000);
afterAll(() => db?.close());

const members = DERIVED_MEMBERS.filter((m) => m.name === "source.json" || m.name === "clv-full.arrow");

describe("makeDerived", () => {
  it("says which member it makes next, with its place and the times of those made", async () => {
    const steps: DerivedStep[] = [];
    await makeDerived(db, {members, progress: (step) => void steps.push(step)});
    expect(steps.map(({name, label, index, total}) => ({name, label, index, total}))).toEqual([
      {name: "source.json", label: "source facts", index: 1, total: 2},
      {name: "clv-full.arrow", label: "CLV fit (full)", index: 2, total: 2}
    ]);
    expect(Object.keys(steps[1].timings)).toEqual(["source.json"]);
    expect(DERIVED_MEMBERS.map((m) => memberLabel(m.name))).toContain("exploration cells");
  }, 60_000);

  it("fits the CLV members through the hook when given one, with the same result as the direct fit", async () => {
    const calls: number[] = [];
    const fit: DerivedFit = async (summaries, options) => {
      calls.push(summaries.frequency.length);
      return fitClv(summaries, options).result;
    };
    const hooked = clvFromTable(tableFromIPC((await makeDerived(db, {members, fit})).get("clv-full.arrow")!));
    const direct = clvFromTable(tableFromIPC((await makeDerived(db, {members})).get("clv-full.arrow")!));
    expect(calls).toEqual([direct.data.summaries.frequency.length]);
    expect(hooked.fitted.params).toEqual(direct.fitted.params);
    expect(hooked.fitted.spend).toEqual(direct.fitted.spend);
    expect(Array.from(hooked.fit.clv!)).toEqual(Array.from(direct.fit.clv!));
  }, 60_000);

  it("keeps a member whose fit was stopped, without predictions and with the reason", async () => {
    const fit: DerivedFit = async (_summaries, {model}) => ({
      model,
      transaction: {error: "the fit was stopped after 1 s"},
      spend: {error: "the fit was stopped after 1 s"},
      clv: null,
      expectedPurchases: null,
      probabilityAlive: null,
      expectedSpend: null,
      expectedHoldout: null,
      unavailable: null,
      ms: 1000
    });
    const built = clvFromTable(tableFromIPC((await makeDerived(db, {members, fit})).get("clv-full.arrow")!));
    expect(built.metadata.predictions).toEqual([]);
    expect(built.fit.transaction).toEqual({error: "the fit was stopped after 1 s"});
    expect(built.fit.clv).toBeNull();
    expect(built.data.summaries.frequency.length).toBeGreaterThan(0);
  }, 60_000);
});
