/**
 * The CLV pages' data: they open on the derived tables (src/lib/clv/derived.ts: the unfiltered data at the
 * default calibration end, already fitted with the default models; made at build time, or on the data page
 * for an upload) and go to DuckDB-WASM, started on demand with a status line, only for what those tables
 * cannot answer: filters or another calibration end.
 */
import {derivedTables, type DerivedSource} from "./derived.js";
import {clvFromTable, type BuiltClv, type ClvTablesMetadata, type ClvVariant} from "../lib/clv/tables.js";
import type {ClvFirstView} from "../lib/clv/firstView.js";
import {viewFromJson} from "../lib/clv/viewJson.js";
import {StatusIndicator, type StatusIndicatorElement} from "./statusIndicator.js";
import {fmt} from "./settings.js";
import {birthsAndRepeats, customerData, type CustomerData} from "../lib/clv/customers.js";
import {selectTransactions, type Selection} from "../lib/sql/selection.js";
import type {Filters} from "../lib/sql/filters.js";
import {database, unfiltered} from "./onDemand.js";
import {firstChartPainted} from "./firstPaint.js";

export type {BuiltClv};

/**
 * The CLV table of a variant for the data in use (the build's, or the one the data page made from an
 * upload), with its source; null when an upload's tables lack it (kept by an older version of the site):
 * the page then reads the upload with DuckDB.
 */
export async function clvBuild(variant: ClvVariant): Promise<(BuiltClv & {source: DerivedSource}) | null> {
  const derived = await derivedTables();
  try {
    return {...clvFromTable(await derived.table(`clv-${variant}.arrow`)), source: derived.source};
  } catch (error) {
    if (derived.source.kind === "build") throw error;
    return null;
  }
}

/**
 * The small first view of a variant (src/lib/clv/firstView.ts: the figures at the page's default inputs and
 * the table's metadata), which the page opens on; null when the data in use has none (an upload kept by an
 * older version, or a fit that failed): the page then reads the per-customer table.
 */
export async function clvView(variant: ClvVariant): Promise<{view: ClvFirstView; source: DerivedSource} | null> {
  return clvViewMember<ClvFirstView>(`clv-${variant}-view.json`);
}

/**
 * A page's first view by member name (a JSON made at build time, or on the data page for an upload); null
 * when the data in use has none (an upload kept by an older version, a fit that failed).
 */
export async function clvViewMember<T>(name: string): Promise<{view: T; source: DerivedSource} | null> {
  const derived = await derivedTables();
  try {
    const view = viewFromJson<T | null>(new TextDecoder().decode(await derived.bytes(name)));
    return view ? {view, source: derived.source} : null;
  } catch (error) {
    if (derived.source.kind === "build") throw error;
    return null;
  }
}

let tableStatus: StatusIndicatorElement | undefined;

/** The status line of the per-customer table's loading (hidden until a page asks for the table). */
export function clvTableStatus(): StatusIndicatorElement {
  if (!tableStatus) {
    tableStatus = StatusIndicator("");
    tableStatus.id = "clv-table-status";
    tableStatus.style.display = "none";
  }
  return tableStatus;
}

const loading = new Map<ClvVariant, ReturnType<typeof clvBuild>>();

/**
 * Runs `f` once the page has drawn what it is drawing: after a frame and an idle moment, twice (each idle
 * wait at most `timeout` ms). A table wanted only for the intervals is read then, so that reading it does
 * not hold back the first charts.
 */
function afterPaint(f: () => void, timeout = 1500): void {
  const idle = (globalThis as {requestIdleCallback?: (f: () => void, options: {timeout: number}) => void}).requestIdleCallback ?? ((g: () => void) => setTimeout(g, 200));
  // Twice: the page's cells run across several frames, and the first idle moment may fall between two of them.
  requestAnimationFrame(() => idle(() => requestAnimationFrame(() => idle(f, {timeout})), {timeout}));
}

/**
 * The per-customer table of a variant, loaded once per page on first need (`why`: what needs it), with the
 * status line saying so while it loads. With `later`, the load starts only once the first chart is painted
 * and the page has drawn what follows (for what can wait, such as the intervals: the first charts come from
 * the first view, and a slow first chart must not find the table's download ahead of it).
 */
export function clvBuildOnDemand(variant: ClvVariant, why: string, customers?: number, {later = false}: {later?: boolean} = {}): ReturnType<typeof clvBuild> {
  let found = loading.get(variant);
  if (!found) {
    const load = () => {
      const status = clvTableStatus();
      status.style.display = "";
      status.running(`Loading the table of every customer${customers ? ` (${fmt.integer(customers)})` : ""} ${why}…`);
      const started = performance.now();
      return clvBuild(variant).then(
        (built) => (status.done(`Table of every customer loaded ${why} in ${((performance.now() - started) / 1000).toFixed(1)} s.`), built),
        (error) => (status.failed(`The table of every customer could not be loaded: ${error instanceof Error ? error.message : error}`), Promise.reject(error))
      );
    };
    found = later ? new Promise<Awaited<ReturnType<typeof clvBuild>>>((resolve, reject) => void firstChartPainted().then(() => afterPaint(() => load().then(resolve, reject)))) : load();
    loading.set(variant, found);
  }
  return found;
}

export interface ClvSelectionOptions {
  filters: Filters;
  columns: readonly string[];
  /** The view's name in DuckDB. */
  name: string;
}

/** The selection (dates: false): the build's when nothing is filtered, otherwise DuckDB's view. */
export async function clvSelection(built: {metadata: ClvTablesMetadata} | null, {filters, columns, name}: ClvSelectionOptions): Promise<Selection> {
  if (built && unfiltered(filters as Record<string, unknown>)) return {table: name, ...built.metadata.selection};
  return selectTransactions((await database("for these filters")).runner, {filters, columns, name, dates: false});
}

/**
 * customerData() of the selection at a calibration end: the build's when it answers (no filters, its
 * calibration end and holdout end), otherwise from DuckDB (the view is made again, since the page may not have needed it).
 */
export async function clvCustomers(built: BuiltClv | null, options: ClvSelectionOptions & {calibrationEnd: string; first: string; last: string}): Promise<CustomerData> {
  const {filters, columns, name, calibrationEnd, first, last} = options;
  if (built && unfiltered(filters as Record<string, unknown>) && calibrationEnd === built.metadata.calibrationEnd && last === built.data.last) return built.data;
  const db = await database(unfiltered(filters as Record<string, unknown>) ? `for the calibration end ${calibrationEnd}` : "for these filters");
  await selectTransactions(db.runner, {filters, columns, name, dates: false});
  return customerData(db.runner, {view: name, columns, calibrationEnd, first, last});
}

/** First purchases and repeat purchase days per day, for the data in use (birthsAndRepeats). */
export async function clvDaily(built: BuiltClv | null, data: CustomerData): Promise<Awaited<ReturnType<typeof birthsAndRepeats>>> {
  if (built && data === built.data) return built.metadata.daily;
  return birthsAndRepeats((await database("for the cumulative purchases")).runner, {view: data.view, calibrationEnd: data.calibrationEnd});
}
