/**
 * The settings every page shares, kept in the browser's localStorage like the filters (filterBar.ts): the RFM
 * segmentation (scheme, bins, edited rules; set on the RFM page) and the currency and number format (set on
 * the data page). The checking is pure (src/lib/rfm/segmentation.ts, src/lib/format/setting.ts); this module
 * only stores, and is the load/save API other code (e.g. a view's URL) calls:
 *
 *   loadSegmentation() / saveSegmentation(s)        the segmentation in force (the default when none is kept)
 *   loadFormatSetting() / saveFormatSetting(s|null) the user's format choice (null: none made)
 *   setDataCurrency(code|null)                      the data's currency (its currency column's one code), the
 *                                                   default when the user chose none: set by the data in use
 *   fmt                                             the formatters of the format in force, for every figure
 */
import {DEFAULT_SEGMENTATION_SETTING, readSegmentation, segmentationToJson, type Segmentation} from "../lib/rfm/segmentation.js";
import {currencyCode, formatsOf, readFormatSetting, resolveFormat, type ResolvedFormat} from "../lib/format/setting.js";
import type {FormatSetting, Formats} from "../lib/format/number.js";

const SEGMENTATION_KEY = "clv-explorer:segmentation";
const FORMAT_KEY = "clv-explorer:format";
const DATA_CURRENCY_KEY = "clv-explorer:data-currency";

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private windows): the defaults apply
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage can be full or disabled; the setting then lasts for this page only.
  }
}

/** The kept segmentation, or the default; a kept value that no longer reads is reported, not thrown. */
export function loadSegmentation(): Segmentation & {errors: string[]} {
  const text = read(SEGMENTATION_KEY);
  const {segmentation, errors} = readSegmentation(text ?? undefined);
  return {...segmentation, errors};
}

/** Keeps the segmentation for every page. */
export function saveSegmentation(segmentation: Segmentation): void {
  write(SEGMENTATION_KEY, segmentationToJson({scheme: segmentation.scheme, bins: segmentation.bins, rules: segmentation.rules}));
}

/** Forgets the kept segmentation: pages go back to the default (personas, 5 bins). */
export function clearSegmentation(): void {
  write(SEGMENTATION_KEY, null);
}

/** The user's format choice, or null when they made none (the data's currency, or none, then applies). */
export function loadFormatSetting(): FormatSetting | null {
  return readFormatSetting(read(FORMAT_KEY) ?? undefined).setting;
}

/** The data's currency as kept (a stored value that is no ISO 4217 code counts as none). */
function loadDataCurrency(): string | null {
  return currencyCode(read(DATA_CURRENCY_KEY));
}

let current: ResolvedFormat = resolveFormat(loadFormatSetting(), {dataCurrency: loadDataCurrency()});
let formats: Formats = formatsOf(current);

/** Keeps the format choice (null forgets it) and applies it to every figure formatted from now on. */
export function saveFormatSetting(setting: FormatSetting | null): void {
  write(FORMAT_KEY, setting === null ? null : JSON.stringify(setting));
  current = resolveFormat(setting, {dataCurrency: loadDataCurrency()});
  formats = formatsOf(current);
}

/**
 * Keeps the currency of the data in use (the one code of its currency column, null for none or several), the
 * default of every page where the user chose no currency; applied to every figure formatted from now on.
 * The data page sets it when an upload is used on every page (and clears it going back to the built data).
 */
export function setDataCurrency(code: string | null | undefined): void {
  write(DATA_CURRENCY_KEY, currencyCode(code ?? null));
  current = resolveFormat(loadFormatSetting(), {dataCurrency: loadDataCurrency()});
  formats = formatsOf(current);
}

/**
 * The built data's currency (derived.ts reads it from the build's source.json when the pages use the built
 * data): the default where the user chose none, for this page only (nothing is kept). It replaces a kept
 * upload's currency, which may be left from an upload that could not be opened.
 */
export function useBuildCurrency(code: string | null): void {
  current = resolveFormat(loadFormatSetting(), {dataCurrency: currencyCode(code)});
  formats = formatsOf(current);
}

/** The format in force. */
export function currentFormat(): ResolvedFormat {
  return {...current};
}

/**
 * The formatters of the format in force, for every money figure, axis and download header of the site. Each
 * call reads the setting of the moment; a page shows a new setting when it is drawn again (the control that
 * changes it reloads the page).
 */
export const fmt: Formats = {
  get locale() {
    return formats.locale;
  },
  get currency() {
    return formats.currency;
  },
  integer: (x) => formats.integer(x),
  decimal: (x, digits) => formats.decimal(x, digits),
  percent: (x, digits) => formats.percent(x, digits),
  compact: (x) => formats.compact(x),
  money: (x) => formats.money(x),
  money2: (x) => formats.money2(x),
  moneyCompact: (x) => formats.moneyCompact(x),
  monthLabel: (d) => formats.monthLabel(d),
  dateLabel: (d) => formats.dateLabel(d),
  dayLabel: (d) => formats.dayLabel(d),
  moneyLabel: (label) => formats.moneyLabel(label)
};

export {DEFAULT_SEGMENTATION_SETTING};
