/**
 * The filters every exploration page shares (date range, region, province, customer segment, category).
 * The current choice lives in localStorage, so it survives moving between pages; each page builds the bar
 * from the values its data holds and reads the bar's value as a `Filters` object for the library.
 */
import * as Inputs from "npm:@observablehq/inputs";
import {isoDayOf, utcDate} from "../lib/time.js";
import {LIST_FILTERS, reconcileFilters, type DroppedFilter, type FilterChoiceValues, type Filters, type ListFilter} from "../lib/sql/filters.js";

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

/**
 * An input whose value is the current Filters. Stored values the data does not hold (chosen on another data
 * set) are cleared from the storage, for every page, and the bar says which (reconcileFilters), so a filter
 * never applies silently where it has no meaning. Changing any control stores the new value.
 */
export function FilterBar(choices: FilterChoiceValues, {dates = true}: {dates?: boolean} = {}): HTMLElement & {value: Filters} {
  const {filters: stored, dropped} = reconcileFilters(loadFilters(), choices);
  if (dropped.length) saveFilters(stored);
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
  form.addEventListener("input", () => {
    saveFilters({...loadFilters(), ...read()});
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
  bar.append(clear);
  if (dropped.length) {
    const note = document.createElement("p");
    note.className = "filter-dropped muted";
    note.textContent = `Cleared, as this data does not have them: ${dropped.map(dropLabel).join(" · ")}.`;
    bar.append(note);
  }
  form.addEventListener("input", (event) => event.stopPropagation(), {capture: false});
  return bar as unknown as HTMLElement & {value: Filters};
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
