/**
 * The derived tables a page opens on (src/lib/explore/derived.ts): the build's, shipped in the archive
 * src/data/derived.tar, or those the data page made from the user's upload and kept in IndexedDB beside it.
 * Reading them needs no DuckDB: a page draws from them at once, and starts DuckDB-WASM (database.ts) only
 * for what needs the raw rows.
 *
 * If an upload is stored without its tables (stored by an earlier version of the site), they are made once
 * here with DuckDB-WASM and kept. If the store cannot be read, the page uses the build's tables and says why.
 */
import {FileAttachment} from "observablehq:stdlib";
import type {Table} from "npm:apache-arrow";
import {cellTable, type CellTable} from "../lib/explore/cellTable.js";
import type {DerivedFit} from "../lib/explore/derived.js";
import type {FitClvResult} from "../lib/clv/fitClv.js";
import type {FitClient} from "./fitClient.js";
import {hasUpload, loadDerived, memberBytes, saveDerived, type StoredDerived} from "./uploadStore.js";
import {useBuildCurrency} from "./settings.js";

// apache-arrow (the copy src/lib imports, not a second one from npm:), the derived-table code and the fit worker's client are imported when first needed, not with
// this module: a page that opens on a small JSON file (the exploration pages' first views) draws before
// they are even downloaded.
const tableFromIPC = async (bytes: Uint8Array): Promise<Table> => (await import("apache-arrow")).tableFromIPC(bytes);

/**
 * The build's members, by name. Framework ships a file only when a FileAttachment names it literally: add a
 * line here for each member of DERIVED_MEMBERS a page reads. Each is read with .arrayBuffer() where it is named:
 * a FileAttachment of an .arrow file without a method makes Framework preload its npm Arrow (a second copy,
 * 209 kB) on every page that imports this module, whether or not it reads a table.
 */
const BUILT: Record<string, () => Promise<ArrayBuffer>> = {
  "source.json": () => FileAttachment("../data/derived/source.json").arrayBuffer(),
  "cells.arrow": () => FileAttachment("../data/derived/cells.arrow").arrayBuffer(),
  "explore-overview-view.json": () => FileAttachment("../data/derived/explore-overview-view.json").arrayBuffer(),
  "explore-sales-view.json": () => FileAttachment("../data/derived/explore-sales-view.json").arrayBuffer(),
  "explore-regions-view.json": () => FileAttachment("../data/derived/explore-regions-view.json").arrayBuffer(),
  "explore-cohorts-view.json": () => FileAttachment("../data/derived/explore-cohorts-view.json").arrayBuffer(),
  "explore-partners-view.json": () => FileAttachment("../data/derived/explore-partners-view.json").arrayBuffer(),
  "rfm-customers.arrow": () => FileAttachment("../data/derived/rfm-customers.arrow").arrayBuffer(),
  "rfm-cells.arrow": () => FileAttachment("../data/derived/rfm-cells.arrow").arrayBuffer(),
  "rfm-customers-earlier.arrow": () => FileAttachment("../data/derived/rfm-customers-earlier.arrow").arrayBuffer(),
  "rfm-view.json": () => FileAttachment("../data/derived/rfm-view.json").arrayBuffer(),
  "clv-holdout-view.json": () => FileAttachment("../data/derived/clv-holdout-view.json").arrayBuffer(),
  "clv-budget-view.json": () => FileAttachment("../data/derived/clv-budget-view.json").arrayBuffer(),
  "clv-whatif-view.json": () => FileAttachment("../data/derived/clv-whatif-view.json").arrayBuffer(),
  "clv-validation-view.json": () => FileAttachment("../data/derived/clv-validation-view.json").arrayBuffer(),
  "clv-holdout.arrow": () => FileAttachment("../data/derived/clv-holdout.arrow").arrayBuffer(),
  "clv-full.arrow": () => FileAttachment("../data/derived/clv-full.arrow").arrayBuffer(),
  "clv-training.arrow": () => FileAttachment("../data/derived/clv-training.arrow").arrayBuffer()
};

export type DerivedSource =
  | {kind: "build"; name: string; problem?: string}
  | {kind: "upload"; name: string; mapping: StoredDerived["mapping"]; report: StoredDerived["report"]; savedAt: string};

export interface DerivedTables {
  source: DerivedSource;
  /** A member's bytes. */
  bytes(name: string): Promise<Uint8Array>;
  /** A member read as an Arrow table. */
  table(name: string): Promise<Table>;
}

function fromBuild(problem?: string): DerivedTables {
  const source: DerivedSource = {kind: "build", name: "the data this site was built with", ...(problem ? {problem} : {})};
  const bytes = async (name: string) => {
    const file = BUILT[name];
    if (!file) throw new Error(`no derived table ${name} in this build`);
    return new Uint8Array(await file());
  };
  return {source, bytes, table: async (name) => tableFromIPC(await bytes(name))};
}

function fromStore(stored: StoredDerived): DerivedTables {
  const {name, mapping, report, savedAt} = stored;
  const bytes = async (member: string) => {
    const found = stored.members[member];
    if (!found) throw new Error(`the tables kept for ${name} have no ${member}: load the file again on the data page`);
    return memberBytes(found);
  };
  return {source: {kind: "upload", name, mapping, report, savedAt}, bytes, table: async (member) => tableFromIPC(await bytes(member))};
}

/** Makes the derived tables of the stored upload with DuckDB-WASM (database.ts reads and cleans it) and keeps them. */
async function deriveUpload(): Promise<DerivedTables> {
  const [{transactionsDatabase}, {makeDerived}] = await Promise.all([import("./database.js"), import("../lib/explore/derived.js")]);
  const db = await transactionsDatabase();
  if (db.source.kind !== "upload") return fromBuild(db.source.problem);
  const fit = workerFit();
  const members = Object.fromEntries(await makeDerived(db.runner, {fit}).finally(() => fit.close()));
  const stored: StoredDerived = {savedAt: db.source.savedAt, name: db.source.name, mapping: db.source.mapping, report: db.source.report, members};
  await saveDerived(stored);
  return fromStore(stored);
}

/** How long one CLV fit may take while the tables of an upload are made, s (DERIVED_FIT_SECONDS). */
export const DERIVED_FIT_SECONDS = 180;

/**
 * The DerivedFit of the browser: each CLV member's fit, and the validation page's models (DerivedFit.validate),
 * run in the fit worker (fitClient.ts), so the page stays responsive and its progress line moves while
 * hundreds of thousands of customers are fitted. A fit that takes longer than `seconds` is stopped (the
 * worker is ended) and the member is made without it: its table says why ("stopped after 180 s"), and the
 * CLV pages refit in their own worker when opened. A worker that cannot start gives the same, with its
 * message: the tables are still kept. Each fit has a worker of its own, ended when the fit returns: an ended
 * worker gives its memory back (the fit's arrays, and a heap that grew while it fitted hundreds of thousands
 * of customers), where a kept one would hold it while the next table is made.
 */
export function workerFit({seconds = DERIVED_FIT_SECONDS}: {seconds?: number} = {}): DerivedFit & {close(): void} {
  let client: FitClient | null = null;
  /** `ask`'s answer from a worker of its own, "timeout" after `seconds`; the worker is ended either way. */
  async function inWorker<T>(ask: (worker: FitClient) => Promise<T>, limit = seconds): Promise<T | "timeout"> {
    const current = (client = new (await import("./fitClient.js")).FitClient(undefined, "Starting the model worker…"));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), limit * 1000)));
    try {
      return await Promise.race([ask(current), timeout]);
    } finally {
      clearTimeout(timer);
      current.terminate();
      if (client === current) client = null;
    }
  }
  const fit = (async (summaries, {model, holdoutWeeks = 0, penalizer = 0, horizonMonths, discountRate}) => {
    const started = performance.now();
    const failure = (error: string): FitClvResult => ({
      model,
      transaction: {error},
      spend: {error},
      clv: null,
      expectedPurchases: null,
      probabilityAlive: null,
      expectedSpend: null,
      expectedHoldout: null,
      unavailable: null,
      ms: Math.round(performance.now() - started)
    });
    try {
      const answer = await inWorker((worker) => worker.fit(summaries, {model, holdoutWeeks, penalizer, horizonMonths, discountRate}));
      if (answer === "timeout") return failure(`the fit was stopped after ${seconds} s while the tables of the upload were made; the CLV pages fit it again when opened`);
      const {type: _type, id: _id, ...result} = answer;
      return result;
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error));
    }
  }) as DerivedFit & {close(): void};
  // Stopped or failed, the validation page's first view is left out: the page fits its models when opened.
  fit.validate = async (request) => {
    try {
      // Four models and the learned model, each within its own time budget: the worker gets a fit's limit for each.
      // The request was made for the worker (the validation member keeps none of it): its arrays move there.
      const answer = await inWorker((worker) => worker.validate(request, {transfer: true}), 5 * seconds);
      if (answer === "timeout") return null;
      const {type: _type, id: _id, ...result} = answer;
      return result;
    } catch (error) {
      // The page fits when opened, and shows the error then if it comes again.
      console.warn("the validation view was left out of the upload's tables:", error);
      return null;
    }
  };
  fit.close = () => {
    client?.terminate();
    client = null;
  };
  return fit;
}

async function open(): Promise<DerivedTables> {
  try {
    if (!(await hasUpload())) return fromBuild();
    const stored = await loadDerived();
    return stored ? fromStore(stored) : await deriveUpload();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fromBuild(`your uploaded data could not be used (${message}); showing the built-in data`);
  }
}

let opened: Promise<DerivedTables> | undefined;

/**
 * The derived tables of the data in use, opened once per page. The built data's currency (source.json) becomes
 * the pages' default currency before any table is handed out; an upload's comes from its own report.
 */
export function derivedTables(): Promise<DerivedTables> {
  return (opened ??= open().then(async (derived) => {
    if (derived.source.kind === "build") {
      try {
        useBuildCurrency(JSON.parse(new TextDecoder().decode(await derived.bytes("source.json"))).currency ?? null);
      } catch {
        useBuildCurrency(null); // a build from before source.json: no default currency
      }
    }
    return derived;
  }));
}

export interface ExploreTables {
  source: DerivedSource;
  /** The exploration cells (cells.arrow), column by column. */
  cells: CellTable;
}

let explore: Promise<ExploreTables> | undefined;

/** The exploration pages' cells, read once per page; a damaged upload's cells fall back to the build's. */
export function exploreTables(): Promise<ExploreTables> {
  return (explore ??= (async () => {
    const derived = await derivedTables();
    try {
      return {source: derived.source, cells: cellTable(await derived.table("cells.arrow"))};
    } catch (error) {
      if (derived.source.kind === "build") throw error;
      const message = error instanceof Error ? error.message : String(error);
      const build = fromBuild(`the tables kept for ${derived.source.name} could not be read (${message}); showing the built-in data`);
      return {source: build.source, cells: cellTable(await build.table("cells.arrow"))};
    }
  })());
}
