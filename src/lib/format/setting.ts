/**
 * The one currency and number-format setting of the site: a currency code (or none) and a locale. The user's
 * choice is kept in the browser (src/components/settings.ts); without one, the currency is the data's (from
 * a currency column, see dataCurrency) or none, and the locale en-CA. numberFormats() turns the resolved
 * setting into the formatters every page, axis and download header uses.
 */
import {DEFAULT_LOCALE, numberFormats, type FormatSetting} from "./number.js";

/** A complete setting: what numberFormats() is given. */
export interface ResolvedFormat {
  currency: string | null;
  locale: string;
}

/** The currencies offered in a choice (any other valid ISO 4217 code is accepted too). */
export const CURRENCY_CHOICES: readonly string[] = ["CAD", "USD", "EUR", "GBP", "AUD", "CHF", "JPY", "CNY", "INR", "MXN", "BRL"];
/** The locales offered in a choice. */
export const LOCALE_CHOICES: readonly string[] = ["en-CA", "fr-CA", "en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "ja-JP"];

const CODE = /^[A-Z]{3}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The code in upper case when it is an ISO 4217 code Intl knows, else null. */
export function currencyCode(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const code = value.trim().toUpperCase();
  if (!CODE.test(code)) return null;
  try {
    new Intl.NumberFormat("en", {style: "currency", currency: code});
    return code;
  } catch {
    return null;
  }
}

function knownLocale(value: unknown): string | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    return Intl.NumberFormat.supportedLocalesOf([value.trim()]).length ? Intl.getCanonicalLocales(value.trim())[0] : null;
  } catch {
    return null;
  }
}

/**
 * A stored or typed setting, checked: {currency: code | null, locale}, either part optional. Each part that
 * is wrong is left out and named in `errors`; nothing at all gives null (no choice made).
 */
export function readFormatSetting(input: unknown): {setting: FormatSetting | null; errors: string[]} {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return {setting: null, errors: [`the format setting is not valid JSON: ${(error as Error).message}`]};
    }
  }
  if (value === undefined || value === null) return {setting: null, errors: []};
  if (!isObject(value)) return {setting: null, errors: [`a format setting must be an object {currency, locale}, got ${JSON.stringify(value)}`]};
  const errors: string[] = [];
  const setting: FormatSetting = {};
  if (value.currency === null || value.currency === "") setting.currency = null;
  else if (value.currency !== undefined) {
    const code = currencyCode(value.currency);
    if (code) setting.currency = code;
    else errors.push(`currency must be a three-letter ISO 4217 code such as CAD or EUR, or none, got ${JSON.stringify(value.currency)}`);
  }
  if (value.locale !== undefined) {
    const locale = knownLocale(value.locale);
    if (locale) setting.locale = locale;
    else errors.push(`locale must be a language tag such as en-CA or fr-FR, got ${JSON.stringify(value.locale)}`);
  }
  for (const key of Object.keys(value)) if (key !== "currency" && key !== "locale") errors.push(`unknown format key ${JSON.stringify(key)}`);
  return {setting: "currency" in setting || "locale" in setting ? setting : null, errors};
}

/**
 * The setting in force: the user's choice where they made one, else the data's currency (null when the data
 * has none) and en-CA.
 */
export function resolveFormat(chosen: FormatSetting | null, {dataCurrency = null}: {dataCurrency?: string | null} = {}): ResolvedFormat {
  return {
    currency: chosen && chosen.currency !== undefined ? chosen.currency : dataCurrency,
    locale: chosen?.locale ?? DEFAULT_LOCALE
  };
}

/**
 * The data's currency from the values of a currency column: the one valid ISO 4217 code they hold (case and
 * spaces ignored, empty values skipped), or null when there is none or more than one (amounts in several
 * currencies cannot share one sign).
 */
export function dataCurrency(values: Iterable<unknown>): string | null {
  const codes = new Set<string>();
  for (const value of values) {
    if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) continue;
    const code = currencyCode(value);
    if (!code) return null;
    codes.add(code);
    if (codes.size > 1) return null;
  }
  return codes.size === 1 ? [...codes][0] : null;
}

/** The formats of a resolved setting (numberFormats), falling back to no currency and en-CA when Intl refuses it. */
export function formatsOf(resolved: ResolvedFormat) {
  try {
    return numberFormats(resolved);
  } catch {
    return numberFormats({currency: null, locale: DEFAULT_LOCALE});
  }
}
