/**
 * The RFM page's data: it opens on the build's per-customer summaries (src/lib/rfm/derived.ts, Arrow), from
 * which the library derives the RFM values in the page (src/lib/rfm/summary.ts); filters or an analysis date
 * the summaries cannot answer are answered from the build's cells (src/lib/rfm/cells.ts, read on first
 * need), in TypeScript with no DuckDB. Only an upload kept by an older version of the site, without those
 * cells, goes to DuckDB-WASM, which aggregates the selected transactions (src/lib/sql/selection.ts) per
 * customer (src/lib/rfm/page.ts: rfmValuesSql). Either way the per-customer rows are an Arquero table that
 * the library scores and segments in the page.
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import type {Table} from "apache-arrow";
import type {DuckDBClient} from "npm:@observablehq/duckdb";
import {derivedTables, type DerivedSource} from "./derived.js";
import {headline, rfmValuesSql, scoreGrid, segmentCustomers, VALUE_COLUMNS, type GridCell, type Headline, type Segmentation, type ValuesSqlOptions} from "../lib/rfm/page.js";
import {RFM_VIEW, summaryFromTable, type RfmTablesMetadata} from "../lib/rfm/derived.js";
import type {RfmFirstView} from "../lib/rfm/firstView.js";
import type {RfmSummary} from "../lib/rfm/summary.js";
import {valuesFromSummary} from "../lib/rfm/summary.js";
import {selectionViewSql} from "../lib/sql/selection.js";
import type {Filters} from "../lib/sql/filters.js";
import {database, unfiltered} from "./onDemand.js";
import {cutChangesNothing, RFM_CELLS, rfmCellsFromTable, summaryFromCells, type CellsSelection, type RfmCells} from "../lib/rfm/cells.js";
import {selectTransactions} from "../lib/sql/selection.js";

/** An Arrow result as an Arquero table, one typed array (or array of strings) per column. */
export function arquero(table: Table): ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const field of table.schema.fields) {
    const values = table.getChild(field.name)!.toArray() as ArrayLike<unknown>;
    columns[field.name] = values instanceof BigInt64Array ? Float64Array.from(values, Number) : values;
  }
  return aq.table(columns);
}

/** rfmValues() rows of the selection at an analysis date, aggregated by DuckDB. */
export async function customerValues(client: DuckDBClient, options: ValuesSqlOptions): Promise<ColumnTable> {
  const values = arquero(await client.query(rfmValuesSql(options)));
  return values.numRows() ? values : aq.table(Object.fromEntries(VALUE_COLUMNS.map((c) => [c, []])));
}

export interface RfmTables {
  /** Every purchase of the data in use (any analysis date after the last one). */
  current: {summary: RfmSummary; metadata: RfmTablesMetadata};
  /** The purchases before metadata.before (the movement chart's default earlier date). */
  earlier: {summary: RfmSummary; metadata: RfmTablesMetadata};
  /** Where they come from: the build, or the upload (made on the data page). */
  source: DerivedSource;
  /** The cells for filters and other dates, read on the first call; null when the tables lack them. */
  cells(): Promise<RfmCells | null>;
}

/**
 * The per-customer summaries of the data in use (src/lib/rfm/derived.ts; the build's, or those the data
 * page made from an upload), read as Arrow with no wasm; null when an upload's tables lack them (kept by an
 * older version of the site): the page then reads the upload with DuckDB.
 */
export function rfmTables(): Promise<RfmTables | null> {
  return (tablesOnce ??= readTables());
}
let tablesOnce: Promise<RfmTables | null> | null = null;

async function readTables(): Promise<RfmTables | null> {
  const derived = await derivedTables();
  try {
    const [current, earlier] = await Promise.all([derived.table("rfm-customers.arrow"), derived.table("rfm-customers-earlier.arrow")]);
    let cells: Promise<RfmCells | null> | null = null;
    const readCells = async () => {
      try {
        return rfmCellsFromTable(await derived.table(RFM_CELLS));
      } catch (error) {
        if (derived.source.kind === "build") throw error;
        return null; // an upload's tables kept by an older version of the site: DuckDB reads the file
      }
    };
    return {current: summaryFromTable(current), earlier: summaryFromTable(earlier), source: derived.source, cells: () => (cells ??= readCells())};
  } catch (error) {
    if (derived.source.kind === "build") throw error;
    return null;
  }
}

/**
 * The build's first view of the page (src/lib/rfm/firstView.ts, a small JSON file), or null when the tables in
 * use lack it (an upload kept by an older version of the site): the page then waits for the full table.
 */
export async function rfmView(): Promise<RfmFirstView | null> {
  const derived = await derivedTables();
  try {
    return JSON.parse(new TextDecoder().decode(await derived.bytes(RFM_VIEW))) as RfmFirstView;
  } catch (error) {
    if (derived.source.kind === "build") throw error;
    return null;
  }
}

/**
 * Whether the page opens on the inputs of the first view: no input, filter or selection in the address and
 * the segmentation kept from an earlier visit is the view's (its scheme and bins, no edited rules).
 */
export function opensOnView(view: RfmFirstView, {search, segmentation}: {search: string; segmentation: {scheme: string; bins: number; rules: unknown}}): boolean {
  return new URLSearchParams(search).size === 0 && segmentation.scheme === view.settings.scheme && segmentation.bins === view.settings.bins && !segmentation.rules;
}

export interface ValuesAtOptions extends Omit<ValuesSqlOptions, "table" | "analysisDate"> {
  analysisDate: string;
  filters: Filters;
  columns: readonly string[];
  /** The summaries' tables, whose cells answer any filters and date without DuckDB. */
  tables?: RfmTables | null;
}

/**
 * The selection under the filters (its transactions, customers, first and last purchase): from the build's
 * cells when the tables have them, otherwise from DuckDB-WASM, started on demand with a status line.
 */
export async function rfmSelection(tables: RfmTables | null, {filters, columns}: {filters: Filters; columns: readonly string[]}): Promise<CellsSelection> {
  const cells = tables ? await tables.cells() : null;
  if (tables && cells) return selectedSummary(cells, tables.current.summary.customer_id, filters).selection;
  const db = await database("for these filters");
  const {transactions, customers, first, last} = await selectTransactions(db.runner, {filters, columns, name: "rfm_selection"});
  return {transactions, customers, first, last};
}

/**
 * The RFM values of the filtered transactions at an analysis date: from a build summary when one answers it
 * (no filters, and a date after every purchase it holds; an earlier summary answers only its own cut date),
 * otherwise from DuckDB-WASM, started on demand with a status line.
 */
/** Whether the build's summaries answer this analysis date for unfiltered data (else rfmValuesAt needs the transactions). */
export function summariesAnswer(summaries: readonly RfmTables["current"][], analysisDate: string): boolean {
  return summaries.some(({metadata}) => (metadata.before === null ? metadata.selection.last === null || analysisDate > metadata.selection.last : analysisDate === metadata.before));
}

export async function rfmValuesAt(summaries: readonly RfmTables["current"][], {filters, columns, analysisDate, frequency, monetary, orderId, tables}: ValuesAtOptions): Promise<ColumnTable> {
  if (unfiltered(filters as Record<string, unknown>)) {
    for (const table of summaries) {
      if (!summariesAnswer([table], analysisDate)) continue;
      // The same summary, date and modes give the same table (the memo below then finds its segmentation).
      const key = JSON.stringify([analysisDate, frequency, monetary]);
      const hit = recall(valuesMemo, (m) => m.summary === table.summary && m.key === key);
      if (hit) return hit.values;
      const values = valuesFromSummary(table.summary, {analysisDate, frequency, monetary});
      remember(valuesMemo, {summary: table.summary, key, values});
      return values;
    }
  }
  const cells = tables ? await tables.cells() : null;
  if (tables && cells) {
    const {summary} = selectedSummary(cells, tables.current.summary.customer_id, filters, analysisDate);
    if (!summary.customer_id.length) return aq.table(Object.fromEntries(VALUE_COLUMNS.map((c) => [c, []])));
    // A remembered summary (a filter set again) gives its remembered table, and with it its segmentation.
    const key = JSON.stringify([analysisDate, frequency, monetary]);
    const hit = recall(valuesMemo, (m) => m.summary === summary && m.key === key);
    if (hit) return hit.values;
    const values = valuesFromSummary(summary, {analysisDate, frequency, monetary});
    remember(valuesMemo, {summary, key, values});
    return values;
  }
  const db = await database(unfiltered(filters as Record<string, unknown>) ? `for the analysis date ${analysisDate}` : "for these filters");
  await db.runner.query(selectionViewSql({filters, columns, name: "rfm_selection"}));
  return customerValues(db.client, {table: "rfm_selection", orderId, analysisDate, frequency, monetary});
}

/**
 * summaryFromCells, remembered for the last few filters: the selection line and the values at the default
 * analysis date (the day after the selection's last purchase, which cuts nothing: cutChangesNothing) share
 * one pass over the cells, and clearing a filter finds its summary again.
 */
function selectedSummary(cells: RfmCells, ids: ArrayLike<string>, filters: Filters, before: string | null = null): ReturnType<typeof summaryFromCells> {
  const key = JSON.stringify(filters);
  const all = recall(summaryMemo, (m) => m.cells === cells && m.ids === ids && m.key === key && m.before === null);
  if (all && cutChangesNothing(all.result.selection, before)) return all.result;
  const hit = recall(summaryMemo, (m) => m.cells === cells && m.ids === ids && m.key === key && m.before === before);
  if (hit) return hit.result;
  const result = summaryFromCells(cells, ids, filters, {before});
  remember(summaryMemo, {cells, ids, key, before, result});
  return result;
}
const summaryMemo: {cells: RfmCells; ids: ArrayLike<string>; key: string; before: string | null; result: ReturnType<typeof summaryFromCells>}[] = [];

/**
 * The last few entries of a memo used (a filter cleared or the bins set back find theirs; memory stays
 * bounded). Segmentations keep twice as many: the movement chart's earlier date takes one beside each.
 */
const MEMO = 3;
function remember<T>(memo: T[], entry: T, size = MEMO): void {
  memo.push(entry);
  if (memo.length > size) memo.shift();
}

/**
 * The entry of a memo that matches, moved to its end (the most recently used): the entry one goes back to
 * (no filter, between one region and another) stays while the others come and go, instead of falling out
 * after MEMO changes as it did when entries left in the order they came.
 */
function recall<T>(memo: T[], matches: (entry: T) => boolean): T | undefined {
  const at = memo.findIndex(matches);
  if (at < 0) return undefined;
  const [entry] = memo.splice(at, 1);
  memo.push(entry);
  return entry;
}
const valuesMemo: {summary: RfmSummary; key: string; values: ColumnTable}[] = [];
const segmentedMemo: {values: ColumnTable; key: string; result: Segmentation}[] = [];

/**
 * segmentCustomers (src/lib/rfm/page.ts), remembered for the last few values tables and settings: clearing a
 * filter or setting the bins back shows the segmentation already made instead of scoring every customer again.
 */
export function segmentCached(values: ColumnTable, options: Parameters<typeof segmentCustomers>[1]): Segmentation {
  const key = JSON.stringify([options.k, options.thresholds ?? {}, options.scheme]);
  const hit = recall(segmentedMemo, (m) => m.values === values && m.key === key);
  if (hit) return hit.result;
  const result = segmentCustomers(values, options);
  remember(segmentedMemo, {values, key, result}, 2 * MEMO);
  return result;
}

/**
 * headline and scoreGrid (src/lib/rfm/page.ts) of a segmentation, remembered with it: a remembered
 * segmentation (a filter cleared, the bins set back) shows its figures without another pass over its customers.
 */
export function headlineCached(segmented: Segmentation): Headline {
  let found = headlines.get(segmented);
  if (!found) headlines.set(segmented, (found = headline(segmented)));
  return found;
}
const headlines = new WeakMap<Segmentation, Headline>();

export function scoreGridCached(segmented: Segmentation, {segment = null}: {segment?: string | null} = {}): GridCell[] {
  let bySegment = grids.get(segmented);
  if (!bySegment) grids.set(segmented, (bySegment = new Map()));
  let found = bySegment.get(segment);
  if (!found) {
    if (bySegment.size > 4) bySegment.clear();
    bySegment.set(segment, (found = scoreGrid(segmented.customers, {segment})));
  }
  return found;
}
const grids = new WeakMap<Segmentation, Map<string | null, GridCell[]>>();

/**
 * Resolves once the page has painted (two animation frames, or 100 ms where frames do not run, as in a
 * background tab), so that work started after it does not hold back what is already drawn.
 */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => (clearTimeout(timer), resolve()), 0)));
  });
}

/**
 * afterPaint for a cell's work below the first screen: resolves once the page has painted, or rejects as
 * soon as the cell is invalidated (another change came first), so that the outdated work is not done at all
 * (it would only delay the next change's charts). It must settle: Observable's runtime starts a cell's next
 * run only once its previous run has settled, and ignores the rejection of an outdated run.
 */
export function afterPaintUnlessInvalidated(invalidation: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    afterPaint().then(() => void (settled || ((settled = true), resolve())));
    invalidation.then(() => void (settled || ((settled = true), reject(new Error("superseded by a newer change")))));
  });
}
