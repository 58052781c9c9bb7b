/**
 * An exploration page's first view (src/lib/explore/firstView.ts): the small JSON member the page draws its
 * first charts from, made when the site was built (or on the data page for an upload) by the same functions
 * the page runs over the full cells table. The full table (derived.ts, exploreTables) is read after the first
 * chart, when the browser is idle, for the filters and inputs the view does not hold.
 *
 * An upload kept by an earlier version of the site has no first views: the page then computes its view from
 * the cells, as before.
 */
import {derivedTables, exploreTables, type DerivedSource} from "./derived.js";
import {exploreView, exploreViewMember, readViewJson, type ExplorePage, type ExploreViews} from "../lib/explore/firstView.js";
import type {CellTable} from "../lib/explore/cellTable.js";
import {firstChartPainted} from "./firstPaint.js";

export interface FirstView<P extends ExplorePage> {
  source: DerivedSource;
  view: ExploreViews[P];
  /** The full cells table, read once (it may already be loading). */
  cells(): Promise<CellTable>;
  /** The full cells table once the first chart is drawn: for figures below the first view that need it anyway. */
  cellsAfterFirstChart(): Promise<CellTable>;
}

const cells = async () => (await exploreTables()).cells;

/** Runs `task` once the page's first chart is painted and the browser is idle: reading the full cells then does not compete with the first paint. */
function afterFirstChart(task: () => unknown): void {
  const idle = (globalThis as {requestIdleCallback?: (callback: () => void, options?: {timeout: number}) => void}).requestIdleCallback;
  const run = () => void task();
  void firstChartPainted().then(() => (idle ? idle(run, {timeout: 2000}) : setTimeout(run, 100)));
}

/** The page's first view; with `full` (the default) the full cells are read after the first paint. */
export async function firstView<P extends ExplorePage>(page: P, {full = true}: {full?: boolean} = {}): Promise<FirstView<P>> {
  const derived = await derivedTables();
  let view: ExploreViews[P];
  let source = derived.source;
  try {
    view = readViewJson<ExploreViews[P]>(new TextDecoder().decode(await derived.bytes(exploreViewMember(page))));
  } catch {
    const tables = await exploreTables();
    source = tables.source;
    view = exploreView(tables.cells, page);
  }
  const later = full ? new Promise<CellTable>((resolve, reject) => afterFirstChart(() => cells().then(resolve, reject))) : null;
  later?.catch(() => {}); // a failure shows when a cell awaits the table
  return {source, view, cells, cellsAfterFirstChart: () => later ?? cells()};
}
