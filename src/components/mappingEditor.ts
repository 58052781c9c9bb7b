/**
 * The column mapping of an uploaded file, one select per canonical column, pre-set to what the library
 * detected. Its value is the overrides: only the choices that differ from the detection.
 */
import * as Inputs from "npm:@observablehq/inputs";
import {CANONICAL_COLUMNS, describeSource, type Mapping, type MappingOverrides} from "../lib/data/schema.js";
import {REQUIRED_COLUMNS} from "../lib/types.js";

const NONE = "(none)";
/** A required column the detection did not find: shown as such, never silently the file's first column. */
const NOT_FOUND = "(not found: choose a column)";

const HELP: Record<string, string> = {
  customer_id: "who bought",
  order_date: "when",
  amount: "revenue of the line or order",
  order_id: "invoice or order number",
  quantity: "units",
  cost: "cost of goods (or choose a profit column below)",
  region: "e.g. Ontario, Prairies",
  province: "province or state",
  partner: "partner or vendor",
  offer_type: "offer or promotion type",
  category: "product category",
  customer_segment: "e.g. Consumer, Corporate",
  acquisition_cost: "what the order cost to acquire (a customer's CAC: the sum on their orders)",
  channel: "acquisition channel (the customer's: that of their first order)",
  currency: "currency code, e.g. CAD (one code: the site's default currency)"
};

export function MappingEditor(columns: readonly string[], detected: Mapping, stored: MappingOverrides = {}): HTMLElement & {value: MappingOverrides} {
  const controls: Record<string, HTMLElement & {value: unknown}> = {};
  for (const key of CANONICAL_COLUMNS) {
    const source = detected[key];
    const detectedColumn = typeof source === "string" ? source : null;
    const required = (REQUIRED_COLUMNS as readonly string[]).includes(key);
    const options = required ? (source ? [...columns] : [NOT_FOUND, ...columns]) : [NONE, ...columns];
    const initial = stored[key] !== undefined ? (stored[key] === "" ? NONE : stored[key]) : detectedColumn ?? (source ? null : required ? NOT_FOUND : NONE);
    const label = `${key}${required ? " *" : ""}`;
    const derived = source && typeof source !== "string" ? ` (detected: ${describeSource(source)})` : "";
    controls[key] = Inputs.select(source && typeof source !== "string" ? [`${describeSource(source)}`, ...options] : options, {
      label,
      value: initial ?? `${describeSource(source!)}`,
      title: `${HELP[key] ?? ""}${derived}`
    }) as HTMLElement & {value: unknown};
  }
  const form = Inputs.form(controls as never) as HTMLElement & {value: Record<string, string>};
  const read = (): MappingOverrides => {
    const overrides: MappingOverrides = {};
    for (const key of CANONICAL_COLUMNS) {
      const chosen = form.value[key];
      if (chosen === NOT_FOUND) continue; // stays undetected: the check names the missing column
      const source = detected[key];
      const detectedValue = source === undefined ? NONE : describeSource(source);
      if (chosen === detectedValue) continue;
      overrides[key] = chosen === NONE ? "" : chosen;
    }
    return overrides;
  };
  const editor = document.createElement("div");
  editor.className = "mapping-editor";
  editor.append(form);
  Object.defineProperty(editor, "value", {get: read, enumerable: true});
  return editor as unknown as HTMLElement & {value: MappingOverrides};
}
