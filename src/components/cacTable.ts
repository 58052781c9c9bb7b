/**
 * An editable table of the cost to acquire a customer per group (cohort, region, segment): one number box
 * per group, each starting at `value`. Its value is {group: CAC}, updated on every edit (an `input` event), so
 * a page can `view()` it. An empty or negative box keeps the default.
 */
import * as Inputs from "npm:@observablehq/inputs";

export function CacTable(groups: readonly string[], {value = 0, label = "group"}: {value?: number; label?: string} = {}): HTMLElement {
  const inputs = Object.fromEntries(groups.map((g) => [g, Inputs.number([0, 100_000], {label: g, value, step: 1, width: 90})]));
  const form = Inputs.form(inputs) as HTMLElement & {value: Record<string, number>};
  form.classList.add("cac-table");
  form.setAttribute("aria-label", `CAC per ${label}`);
  Object.assign(form.style, {display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))", gap: "0 1.5rem"});
  const read = () => Object.fromEntries(Object.entries(form.value).map(([g, v]) => [g, Number.isFinite(v) && v >= 0 ? v : value]));
  // The form's own value has raw entries; the page reads the checked copy.
  const element = document.createElement("div");
  element.append(form);
  let current = read();
  Object.defineProperty(element, "value", {get: () => current, set: () => {}});
  // The edit's input event reaches the form before it bubbles on to this element, where view() hears it.
  form.addEventListener("input", () => (current = read()));
  return element;
}
