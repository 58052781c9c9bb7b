/**
 * A page's view in its URL's query string: the shared filters and each input's value, written as plain
 * parameters (`?region=West&region=East&measure=transactions&horizon=24`), so that a copied link opens the
 * same view. Pure: the page side (reading `location.search`, `history.replaceState`) is
 * src/components/urlState.ts.
 *
 * Values are typed by the input's own default value: a number decodes as a number, a Date (Inputs.date) from
 * YYYY-MM-DD, a boolean from true/false, a list from the parameter repeated, an object (Inputs.form) field by
 * field as `name.field`. A text that does not read as that type decodes to an error message, never to a
 * wrong value.
 */
import {isIsoDay, isoDayOf, utcDate} from "./time.js";
import {LIST_FILTERS, type Filters, type ListFilter} from "./sql/filters.js";

/** The filter parameters: the date range and the list filters under their own names. */
export const FILTER_PARAMS = ["from", "to", ...LIST_FILTERS] as const;
/** `filters=none`: the link says "no filters" (rather than nothing, which leaves the stored filters). */
export const NO_FILTERS = ["filters", "none"] as const;

export type Param = [name: string, value: string];

/** The parameters for a set of filters; `filters=none` when none applies. */
export function encodeFilters(filters: Filters | null | undefined): Param[] {
  const params: Param[] = [];
  for (const key of ["from", "to"] as const) if (filters?.[key]) params.push([key, filters[key]!]);
  for (const key of LIST_FILTERS) for (const value of filters?.[key] ?? []) params.push([key, value]);
  return params.length ? params : [[NO_FILTERS[0], NO_FILTERS[1]]];
}

/**
 * The filters a query string holds, or null when it says nothing about them (the page then uses the stored
 * filters). A date that is not YYYY-MM-DD is left out and reported in `rejected`.
 */
export function decodeFilters(search: string | URLSearchParams): {filters: Filters; rejected: Param[]} | null {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const said = params.get(NO_FILTERS[0]) === NO_FILTERS[1] || FILTER_PARAMS.some((key) => params.has(key));
  if (!said) return null;
  const filters: Filters = {};
  const rejected: Param[] = [];
  for (const key of ["from", "to"] as const) {
    const value = params.get(key);
    if (value == null || value === "") continue;
    if (isIsoDay(value)) filters[key] = value;
    else rejected.push([key, value]);
  }
  for (const key of LIST_FILTERS) {
    const values = [...new Set(params.getAll(key).filter((value) => value !== ""))];
    if (values.length) filters[key] = values;
  }
  return {filters, rejected};
}

/** The query string with the filter parameters replaced by these filters' (other parameters kept in order). */
export function withFilters(search: string, filters: Filters | null | undefined): string {
  const params = new URLSearchParams(search);
  for (const key of [...FILTER_PARAMS, NO_FILTERS[0]]) params.delete(key);
  for (const [key, value] of encodeFilters(filters)) params.append(key, value);
  return queryString(params);
}

/**
 * The parameters of one input's value under `name`. Null and empty lists are written as an empty parameter
 * (`name=`), so that "cleared" differs from "not in the link".
 */
export function encodeValue(name: string, value: unknown): Param[] {
  return encodeAny(name, value);
}

function encodeAny(name: string, value: unknown): Param[] {
  if (value == null) return [[name, ""]];
  if (Array.isArray(value)) return value.length ? value.map((v) => [name, scalarText(v)]) : [[name, ""]];
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, v]) => encodeAny(`${name}.${key}`, v));
  return [[name, scalarText(value)]];
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : isoDayOf(value);
  if (value == null) return "";
  return String(value);
}

export type Decoded = {ok: true; value: unknown} | {ok: false; message: string};

/**
 * The value the query string holds for `name`, typed like `like` (the input's default value): {ok: true,
 * value}, {ok: false, message} when the text does not read as that type, or null when the URL has no such
 * parameter (the input keeps its default).
 */
export function decodeValue(search: string | URLSearchParams, name: string, like: unknown): Decoded | null {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  if (isPlainObject(like)) {
    const value: Record<string, unknown> = {};
    let any = false;
    for (const [key, field] of Object.entries(like)) {
      const decoded = decodeValue(params, `${name}.${key}`, field);
      if (decoded && !decoded.ok) return decoded;
      any ||= !!decoded;
      value[key] = decoded ? decoded.value : field;
    }
    return any ? {ok: true, value} : null;
  }
  if (!params.has(name)) return null;
  const texts = params.getAll(name);
  if (Array.isArray(like)) {
    if (texts.length === 1 && texts[0] === "") return {ok: true, value: []};
    const values: unknown[] = [];
    for (const text of texts) {
      const decoded = decodeScalar(name, text, like.find((v) => v != null));
      if (!decoded.ok) return decoded;
      values.push(decoded.value);
    }
    return {ok: true, value: values};
  }
  if (texts.length > 1) return {ok: false, message: `${name}: one value expected, the link gives ${texts.length}`};
  return decodeScalar(name, texts[0], like);
}

function decodeScalar(name: string, text: string, like: unknown): Decoded {
  if (text === "" && typeof like !== "string") return {ok: true, value: null};
  if (typeof like === "number") {
    const value = Number(text);
    return text.trim() !== "" && Number.isFinite(value) ? {ok: true, value} : {ok: false, message: `${name}: "${text}" is not a number`};
  }
  if (typeof like === "boolean") {
    return text === "true" || text === "false" ? {ok: true, value: text === "true"} : {ok: false, message: `${name}: "${text}" is not true or false`};
  }
  if (like instanceof Date) {
    return isIsoDay(text) ? {ok: true, value: utcDate(text)} : {ok: false, message: `${name}: "${text}" is not a date (YYYY-MM-DD)`};
  }
  // A string, or a default of null (an empty Inputs.date, an unselected radio): a date if it reads as one.
  if (like == null && isIsoDay(text)) return {ok: true, value: utcDate(text)};
  return {ok: true, value: text};
}

/** The query string with `name`'s parameters (and its fields') replaced by `params`. */
export function withParams(search: string, name: string, params: readonly Param[]): string {
  const current = new URLSearchParams(search);
  for (const key of [...new Set(current.keys())]) if (key === name || key.startsWith(`${name}.`)) current.delete(key);
  for (const [key, value] of params) current.append(key, value);
  return queryString(current);
}

/** "?a=1&b=2", or "" with no parameters. */
export function queryString(params: URLSearchParams): string {
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Two input values are the same view (Dates by day, lists and objects item by item). */
export function sameValue(a: unknown, b: unknown): boolean {
  const ea = encodeAny("", a);
  const eb = encodeAny("", b);
  return ea.length === eb.length && ea.every(([k, v], i) => k === eb[i][0] && v === eb[i][1]);
}

/**
 * Cross-filtering: the list filter after a click on `value` (a bar, a segment), or on a set of values (a
 * province on the map that the data spells two ways, "ON" and "Ontario"). A click on what is already the
 * whole filter clears it; any other click makes the filter exactly that. A null value or an empty set (the
 * "(unknown)" group, a province without sales: no list filter can select them) leaves the filter as it is.
 */
export function toggleFilterValue(current: readonly string[] | null | undefined, value: string | readonly string[] | null | undefined): string[] {
  const list = [...(current ?? [])];
  const values = value == null ? [] : typeof value === "string" ? [value] : [...new Set(value)];
  if (!values.length) return list;
  const same = list.length === values.length && values.every((v) => list.includes(v));
  return same ? [] : values;
}

/** True when `key` is one of the shared list filters. */
export function isListFilter(key: string): key is ListFilter {
  return (LIST_FILTERS as readonly string[]).includes(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && Object.getPrototypeOf(value) === Object.prototype;
}

const FILTER_NAMES: Record<ListFilter, string> = {region: "Region", province: "Province", customer_segment: "Customer segment", category: "Category"};

/**
 * The filters in force as one line, for print (the filter bar's controls are not printed):
 * "Filters: from 2023-01-01 to 2023-06-30 · Region: West, Ontario · Category: Books", or "Filters: none
 * (all the data)". Empty lists and dates count as no filter.
 */
export function describeFilters(filters: Filters | null | undefined): string {
  const parts: string[] = [];
  const {from, to} = filters ?? {};
  if (from && to) parts.push(`from ${from} to ${to}`);
  else if (from) parts.push(`from ${from}`);
  else if (to) parts.push(`up to ${to}`);
  for (const key of LIST_FILTERS) {
    const values = filters?.[key];
    if (values?.length) parts.push(`${FILTER_NAMES[key]}: ${values.join(", ")}`);
  }
  return `Filters: ${parts.length ? parts.join(" · ") : "none (all the data)"}`;
}
