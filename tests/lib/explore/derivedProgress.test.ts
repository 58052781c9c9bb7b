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

/** An Arrow file's metadata, column types and values (its bytes hold dictionary ids counted per process). */
function tableContents(bytes: Uint8Array) {
  const table = tableFromIPC(bytes);
  return {metadata: [...table.schema.metadata], columns: table.schema.fields.map((field) => [field.name, String(field.type), Array.from(table.getChild(field.name)!)])};
}

const members = DERIVED_MEMBERS.filter((m) => m.name === "source.json" || m.name === "clv-full.arrow");

describe("makeDerived", () => {
  it("says which member it makes next, with its place and the times of those made", async () => {
    const steps: DerivedStep[] = [];
    await makeDerived(db, {members, progress: (step) => void steps.push(step)});
    expect(steps.map(({name, label, index, total}) => ({name, label, index, total}))).toEqual([
      {name: "CLV customers (full data)", label: "CLV customers (full data)", index: 1, total: 3},
      {name: "source.json", label: "source facts", index: 2, total: 3},
      {name: "clv-full.arrow", label: "CLV fit (full)", index: 3, total: 3}
    ]);
    expect(Object.keys(steps[2].timings)).toEqual(["CLV customers (full data)", "source.json"]);
    expect(DERIVED_MEMBERS.map((m) => memberLabel(m.name))).toContain("exploration cells");
  }, 60_000);

  it("reads every CLV variant's customers, then lets the engine go, then fits and draws them with the same bytes", async () => {
    const clv = DERIVED_MEMBERS.filter((m) => m.name.startsWith("clv-"));
    // A fit that gives the same result each time (no timings), so that two runs' members can be compared byte for byte.
    const fit: DerivedFit = async (summaries, options) => {
      const result = fitClv(summaries, options).result;
      return {...result, ms: 0, transaction: {...result.transaction, ms: 0}, spend: {...result.spend, ms: 0}};
    };
    const asked: string[] = [];
    let released = 0;
    // The engine refuses every query once let go: a member that still needs it fails.
    const guarded = Object.assign(Object.create(db) as NodeDuckDB, {
      query: <T>(sql: string) => {
        if (released) throw new Error(`asked after release: ${sql.slice(0, 60)}`);
        asked.push(sql);
        return db.query<T>(sql);
      },
      queryColumns: (sql: string) => {
        if (released) throw new Error(`asked after release: ${sql.slice(0, 60)}`);
        return db.queryColumns(sql);
      }
    });
    const steps: string[] = [];
    const made = await makeDerived(guarded, {members: clv, fit, release: () => void released++, progress: ({label}) => void steps.push(`${label}${released ? " (released)" : ""}`)});
    expect(released).toBe(1);
    expect(steps).toEqual([
      "CLV customers (full data)",
      "CLV customers (holdout)",
      "CLV customers (training split)",
      ...clv.map((m) => `${memberLabel(m.name)} (released)`)
    ]);
    expect(asked.length).toBeGreaterThan(0);
    const direct = await makeDerived(db, {members: clv, fit});
    expect([...made.keys()]).toEqual([...direct.keys()]);
    // The validation view's own fits run in this thread, timed.
    const withoutTimings = (bytes: Uint8Array) => JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)), (key, value) => (key === "ms" || key === "timings" ? null : value));
    for (const [name, bytes] of direct) {
      if (name === "clv-validation-view.json") expect(withoutTimings(made.get(name)!)).toEqual(withoutTimings(bytes));
      else if (name.endsWith(".json")) expect(new TextDecoder().decode(made.get(name)!)).toEqual(new TextDecoder().decode(bytes));
      else expect(tableContents(made.get(name)!), name).toEqual(tableContents(bytes));
    }
  }, 120_000);

  it("reads, before the engine goes, every variant a member of a subset needs, and says so when a member order needs one after", async () => {
    let released = false;
    const guarded = Object.assign(Object.create(db) as NodeDuckDB, {
      query: <T>(sql: string) => {
        if (released) throw new Error(`asked after release: ${sql.slice(0, 60)}`);
        return db.query<T>(sql);
      },
      queryColumns: (sql: string) => {
        if (released) throw new Error(`asked after release: ${sql.slice(0, 60)}`);
        return db.queryColumns(sql);
      }
    });
    const byName = (...names: string[]) => names.map((name) => DERIVED_MEMBERS.find((m) => m.name === name)!);
    // The validation view reads the holdout and the training split; the training table's member shares its label.
    const made = await makeDerived(guarded, {members: byName("clv-validation-view.json", "clv-training.arrow"), release: () => void (released = true)});
    expect(released).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(made.get("clv-validation-view.json")!))).not.toBeNull();
    // The full data's table is let go after its Arrow member: a view after it would need the engine again.
    released = false;
    await expect(makeDerived(guarded, {members: byName("clv-full.arrow", "clv-budget-view.json"), release: () => void (released = true)})).rejects.toThrow(
      /CLV customers \(full\) were not read before the engine was let go/
    );
  }, 120_000);

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
