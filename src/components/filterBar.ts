/**
 * The filters every exploration page shares (date range, region, province, customer segment, category).
 * The current choice lives in the URL (`?region=West&from=2023-01-01`, src/lib/urlState.ts), so that a
 * copied link opens the same view, and in localStorage, so it survives moving between pages: a URL that
 * says nothing about the filters takes the stored ones. Each page builds the bar from the values its data
 * holds and reads the bar's value as a `Filters` object for the library.
 */
import * as Inputs from "npm:@observablehq/inputs";
import {isoDayOf, utcDate} from "../lib/time.js";
import {decodeFilters, describeFilters, toggleFilterValue, withFilters} from "../lib/urlState.js";
import {CopyLink, replaceSearch} from "./urlState.js";
import {LIST_FILTERS, hasFilters, reconcileFilters, type DroppedFilter, type FilterChoiceValues, type Filters, type ListFilter} from "../lib/sql/filters.js";

const STORAGE_KEY = "clv-explorer:filters";

const LABELS: Record<ListFilter, string> = {
  region: "Region",
  province: "Province",
  customer_segment: "Customer segment",
  category: "Category"
};

export function loadFilters(): Filters {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    return value && typeof value === "object" ? (value as Filters) : {};
  } catch {
    return {};
  }
}

export function saveFilters(filters: Filters): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(filters));
  } catch {
    // Storage can be full or disabled (private windows); the filters then last for this page only.
  }
}

const iso = (date: Date | null) => (date ? isoDayOf(date) : null);
const utc = (date: string | null | undefined) => (date ? utcDate(date) : null);

/** Forgets the stored filters: the data changed (an upload used or forgotten), so they may not apply. */
export function clearFilters(): void {
  saveFilters({});
}

const dropLabel = (d: DroppedFilter) => `${d.key === "from" ? "From" : d.key === "to" ? "To" : LABELS[d.key]}: ${d.values.join(", ")}`;

/** The filter bar's element: its value, and cross-filtering (a click on a chart sets one list filter). */
export type FilterBarElement = HTMLElement & {
  value: Filters;
  /** Sets a list filter (values the data does not offer are left out); false when the bar has no such filter. */
  setFilter(key: ListFilter, values: readonly string[]): boolean;
};

/**
 * A click on a chart's bar, province or segment: sets `key` to that value, or clears it when it already was
 * the whole filter (toggleFilterValue). A null value (the "(unknown)" group) changes nothing.
 */
export function toggleFilter(bar: FilterBarElement, key: ListFilter, value: string | readonly string[] | null | undefined): void {
  bar.setFilter(key, toggleFilterValue(bar.value[key], value));
}

/**
 * An input whose value is the current Filters, from the URL or, when it says nothing, the storage. Values
 * the data does not hold (chosen on another data set) are cleared from the storage, for every page, and the
 * bar says which (reconcileFilters), so a filter never applies silently where it has no meaning. Changing any
 * control stores the new value and writes it into the URL; `setFilter` is for charts that filter on a click.
 */
export function FilterBar(choices: FilterChoiceValues, {dates = true}: {dates?: boolean} = {}): FilterBarElement {
  const linked = decodeFilters(location.search);
  const {filters: stored, dropped} = reconcileFilters(linked ? linked.filters : loadFilters(), choices);
  if (linked) dropped.unshift(...linked.rejected.map(([key, value]) => ({key: key as "from" | "to", values: [value]})));
  // A link's filters become the stored ones (the next page keeps them); stored filters go into the URL.
  if (dropped.length || linked) saveFilters(stored);
  if (linked || hasFilters(stored)) replaceSearch(withFilters(location.search, stored));
  const controls: Record<string, HTMLElement & {value: unknown}> = {};
  if (dates) {
    const inside = (date: string | null | undefined) => (date && date >= choices.first && date <= choices.last ? date : null);
    controls.from = Inputs.date({label: "From", value: utc(inside(stored.from)), min: choices.first, max: choices.last});
    controls.to = Inputs.date({label: "To", value: utc(inside(stored.to)), min: choices.first, max: choices.last});
  }
  for (const [key, options] of Object.entries(choices.values) as [ListFilter, readonly string[]][]) {
    const value = (stored[key] ?? []).filter((v) => options.includes(v));
    controls[key] = Inputs.select(options, {label: LABELS[key], multiple: Math.min(6, options.length), value});
  }
  const form = Inputs.form(controls as never, {template: filterTemplate}) as HTMLElement & {value: Record<string, unknown>};
  const read = (): Filters => {
    const raw = form.value;
    const filters: Filters = {};
    if (dates) {
      filters.from = iso(raw.from as Date | null);
      filters.to = iso(raw.to as Date | null);
    }
    for (const key of LIST_FILTERS) if (key in raw) filters[key] = raw[key] as string[];
    return filters;
  };
  const bar = document.createElement("div");
  bar.className = "filter-bar";
  bar.append(form);
  Object.defineProperty(bar, "value", {get: read, enumerable: true});
  // Printed instead of the controls (style.css): the filters in force, in one line.
  const printed = document.createElement("p");
  printed.className = "filter-summary";
  printed.textContent = describeFilters(read());
  form.addEventListener("input", () => {
    printed.textContent = describeFilters(read());
    const filters = {...loadFilters(), ...read()};
    saveFilters(filters);
    replaceSearch(withFilters(location.search, filters));
    bar.dispatchEvent(new Event("input", {bubbles: true}));
  });
  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Clear filters";
  clear.addEventListener("click", () => {
    saveFilters({});
    for (const control of Object.values(controls)) {
      control.value = Array.isArray(control.value) ? [] : null;
      control.dispatchEvent(new Event("input", {bubbles: true}));
    }
  });
  bar.append(printed, clear, CopyLink(() => withFilters(location.search, {...loadFilters(), ...read()})));
  const setFilter = (key: ListFilter, values: readonly string[]): boolean => {
    const control = controls[key];
    if (!control) return false;
    const offered = new Set(choices.values[key] ?? []);
    control.value = values.filter((value) => offered.has(value));
    control.dispatchEvent(new Event("input", {bubbles: true}));
    return true;
  };
  Object.defineProperty(bar, "setFilter", {value: setFilter});
  if (dropped.length) {
    const note = document.createElement("p");
    note.className = "filter-dropped muted";
    note.textContent = `Cleared, as this data does not have them: ${dropped.map(dropLabel).join(" · ")}.`;
    bar.append(note);
  }
  form.addEventListener("input", (event) => event.stopPropagation(), {capture: false});
  return bar as unknown as FilterBarElement;
}

function filterTemplate(inputs: Record<string, HTMLElement>): HTMLElement {
  const details = document.createElement("details");
  details.open = true;
  const summary = document.createElement("summary");
  summary.textContent = "Filters (shared by every page)";
  const grid = document.createElement("div");
  grid.className = "filter-grid";
  grid.append(...Object.values(inputs));
  details.append(summary, grid);
  return details;
}
