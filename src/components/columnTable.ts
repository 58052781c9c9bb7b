/**
 * A table over columns for the RFM page's customer list, for a million rows: no row objects. The rows are
 * numbers into an Arquero table's columns; a click on a header sorts by that column (again: the other way),
 * and only the rows in view are ordered and drawn (src/lib/rfm/customerList.ts: the first m of n rows by a
 * bounded heap), more as the reader scrolls. RowSearch is its search box: its value is the matching rows, as
 * Inputs.search's value is the matching objects, so a page keeps the same idiom (Generators.input).
 */
import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {orderRows, searchRows, type ColumnLike} from "../lib/rfm/customerList.js";
import {columnValues} from "../lib/rfm/scores.js";

export interface ColumnTableOptions {
  /** Columns shown, in order. */
  columns: readonly string[];
  header?: Record<string, string>;
  format?: Record<string, (value: never) => string>;
  width?: Record<string, number>;
  /** The column sorted by first, and whether descending. */
  sort?: string | null;
  reverse?: boolean;
  /** Rows visible before scrolling (the height of the table). */
  rows?: number;
}

const ROW_HEIGHT = 22;
const CHUNK = 100;

const numberText = (value: unknown) => (typeof value === "number" ? value.toLocaleString("en-US") : value === null || value === undefined ? "" : String(value));

/** The `rows` of `table` (row numbers) as a sortable, scrolling HTML table. */
export function ColumnTableView(table: ColumnTable, rows: Int32Array, {columns, header = {}, format = {}, width = {}, sort = null, reverse = false, rows: visible = 14}: ColumnTableOptions): HTMLDivElement {
  const values = new Map<string, ColumnLike>(columns.map((c) => [c, columnValues(table, c) as ColumnLike]));
  const root = document.createElement("div");
  root.className = "column-table";
  Object.assign(root.style, {maxHeight: `${(visible + 1.5) * ROW_HEIGHT}px`, overflowY: "auto"});
  const element = document.createElement("table");
  Object.assign(element.style, {width: "100%", maxWidth: "none", borderCollapse: "collapse"});
  const head = element.createTHead().insertRow();
  const body = element.createTBody();
  root.append(element);
  const state: {sort: string | null; reverse: boolean; shown: number; order: Int32Array} = {sort, reverse, shown: 0, order: new Int32Array(0)};

  const th = (text: string, column: string | null) => {
    const cell = document.createElement("th");
    cell.textContent = text;
    Object.assign(cell.style, {position: "sticky", top: "0", background: "var(--theme-background)", whiteSpace: "nowrap"});
    if (column) {
      cell.dataset.column = column;
      cell.style.cursor = "pointer";
      if (width[column]) cell.style.minWidth = `${width[column]}px`;
      cell.addEventListener("click", () => {
        state.reverse = state.sort === column ? !state.reverse : typeof values.get(column)![rows[0]] === "number";
        state.sort = column;
        draw(Math.max(state.shown, CHUNK));
      });
    }
    head.append(cell);
  };
  th("#", null);
  for (const column of columns) th(header[column] ?? column, column);

  /** Orders the first `count` rows and draws them. */
  function draw(count: number) {
    const limit = Math.min(count, rows.length);
    state.order = state.sort ? orderRows(values.get(state.sort)!, rows, {descending: state.reverse, limit}) : rows.subarray(0, limit);
    state.shown = 0;
    body.replaceChildren();
    for (const cell of head.cells) {
      const column = (cell as HTMLElement).dataset.column;
      cell.setAttribute("aria-sort", column && column === state.sort ? (state.reverse ? "descending" : "ascending") : "none");
      if (column) cell.textContent = `${header[column] ?? column}${column === state.sort ? (state.reverse ? " ▾" : " ▴") : ""}`;
    }
    more(limit);
  }

  /** Draws the ordered rows up to `count`. */
  function more(count: number) {
    const end = Math.min(count, state.order.length);
    const fragment = document.createDocumentFragment();
    for (let k = state.shown; k < end; k++) {
      const row = state.order[k];
      const tr = document.createElement("tr");
      const rank = tr.insertCell();
      rank.textContent = String(k + 1);
      rank.className = "muted";
      for (const column of columns) {
        const value = values.get(column)![row];
        const td = tr.insertCell();
        td.textContent = format[column] && value !== null && value !== undefined ? format[column](value as never) : numberText(value);
        if (typeof value === "number") td.style.textAlign = "right";
      }
      fragment.append(tr);
    }
    body.append(fragment);
    state.shown = end;
  }

  root.addEventListener("scroll", () => {
    if (root.scrollTop + root.clientHeight < root.scrollHeight - 4 * ROW_HEIGHT || state.shown >= rows.length) return;
    // Past the rows ordered so far: order more (the first ones stay where they are: same order, longer list).
    if (state.shown >= state.order.length) {
      const shown = state.shown;
      state.order = state.sort ? orderRows(values.get(state.sort)!, rows, {descending: state.reverse, limit: shown + CHUNK}) : rows.subarray(0, shown + CHUNK);
      state.shown = shown;
    }
    more(state.shown + CHUNK);
  });
  draw(Math.max(2 * visible, 40));
  return root;
}

/**
 * A search box over columns: its value is the rows (of `rows`) whose text matches every word typed, as
 * Inputs.search matches (customerList.ts searchRows); an "input" event follows each change.
 */
export function RowSearch(columns: readonly ColumnLike[], rows: Int32Array, {placeholder = "Search"}: {placeholder?: string} = {}): HTMLFormElement & {value: Int32Array} {
  const form = document.createElement("form") as HTMLFormElement & {value: Int32Array};
  form.className = "row-search";
  const input = document.createElement("input");
  input.type = "search";
  input.placeholder = placeholder;
  input.setAttribute("aria-label", placeholder);
  input.style.width = "min(100%, 20rem)";
  form.append(input);
  form.value = rows;
  form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("input", (event) => {
    event.stopPropagation();
    form.value = searchRows(columns, input.value, rows);
    form.dispatchEvent(new Event("input", {bubbles: true}));
  });
  return form;
}

/** The rows of `table` as a new table of the given columns (for a CSV of exactly the rows listed). */
export function tableRows(table: ColumnTable, rows: Int32Array, columns: readonly string[]): ColumnTable {
  return aq.table(Object.fromEntries(
    columns.map((c) => {
      const values = columnValues(table, c) as ColumnLike;
      return [c, Array.from(rows, (i) => values[i])];
    })
  ));
}
