/**
 * Sets the date range of the page's FilterBar from code (a brush): stores it with saveFilters, so other
 * pages follow, and writes it into the bar's From and To inputs, whose "input" event makes the bar emit
 * its new value, so every cell that reads the filters re-runs once.
 */
import {loadFilters, saveFilters} from "./filterBar.js";
import type {DateRange} from "../lib/explore/brush.js";

export function setFilterDates(bar: HTMLElement, {from, to}: DateRange): void {
  saveFilters({...loadFilters(), from, to});
  // FilterBar builds From then To with Inputs.date: each is a <form> around an <input type=date>.
  const [fromInput, toInput] = Array.from(bar.querySelectorAll("input[type=date]"), (input) => input.closest("form")) as (
    | (HTMLFormElement & {value: unknown})
    | null
  )[];
  if (!fromInput || !toInput) return; // a bar without dates: the stored filter applies on the next page
  fromInput.value = from;
  toInput.value = to;
  toInput.dispatchEvent(new Event("input", {bubbles: true}));
}
