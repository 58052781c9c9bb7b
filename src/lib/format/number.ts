/**
 * Number and date formats for every page, chart axis and download header: one set of formatters made from
 * one setting (a locale, and a currency code or none). Missing and non-finite values print as "–", never as
 * NaN. Dates are UTC calendar days (see time.ts), so a label never depends on the reader's time zone.
 */
import {utcDate} from "../time.js";

export interface FormatSetting {
  /** BCP 47 locale of numbers and dates (default "en-CA"). */
  locale?: string;
  /** ISO 4217 currency code of money figures, or null for plain numbers (the default). */
  currency?: string | null;
}

type Value = number | null | undefined;

export interface Formats {
  readonly locale: string;
  readonly currency: string | null;
  /** 12,345 */
  integer(x: Value): string;
  /** Three significant digits for small values (0.123 → "0.123"), whole numbers from 1,000 on. */
  decimal(x: Value, digits?: number): string;
  /** 12.3% from 0.123; `digits` fixes the decimals (default: up to one). */
  percent(x: Value, digits?: number): string;
  /** 12.3K: for axes. */
  compact(x: Value): string;
  /** $12,345 (whole units). */
  money(x: Value): string;
  /** $12.34 */
  money2(x: Value): string;
  /** $1.2M: for axes. */
  moneyCompact(x: Value): string;
  /** "Jan 2023" from a date or a YYYY-MM(-DD) string. */
  monthLabel(date: Date | string): string;
  /** "Jan 5, 2023" */
  dateLabel(date: Date | string): string;
  /** "Thu, Jan 5, 2023" */
  dayLabel(date: Date | string): string;
  /** A column header or axis label with the currency: "Revenue (CAD)", or the label alone without one. */
  moneyLabel(label: string): string;
}

/** The locale of numbers and dates unless the user chose another. */
export const DEFAULT_LOCALE = "en-CA";

const finite = (x: Value): x is number => typeof x === "number" && Number.isFinite(x);
const MISSING = "–";

/** `make()` once, on first use: a formatter costs its locale data when made, and a page uses only some. */
function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/**
 * The formatters of one setting, each made on first use (the first Intl formatters of a page cost tens of
 * milliseconds before its first chart). Throws on an unknown locale or currency code, naming it.
 */
export function numberFormats({locale = DEFAULT_LOCALE, currency = null}: FormatSetting = {}): Formats {
  const style = currency ? ({style: "currency", currency} as const) : ({} as const);
  let money: Intl.NumberFormat;
  try {
    // Made now: it checks the locale and the currency code together.
    money = new Intl.NumberFormat(locale, {...style, minimumFractionDigits: 0, maximumFractionDigits: 0});
  } catch (error) {
    throw new Error(`format: locale ${JSON.stringify(locale)} or currency ${JSON.stringify(currency)} is not known (${(error as Error).message})`);
  }
  const numberFormat = (options: Intl.NumberFormatOptions) => lazy(() => new Intl.NumberFormat(locale, options));
  const dateFormat = (options: Intl.DateTimeFormatOptions) => lazy(() => new Intl.DateTimeFormat(locale, {...options, timeZone: "UTC"}));
  const money2 = numberFormat({...style, minimumFractionDigits: 2, maximumFractionDigits: 2});
  const moneyCompact = numberFormat({...style, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1});
  const integer = numberFormat({maximumFractionDigits: 0});
  const compact = numberFormat({notation: "compact", maximumFractionDigits: 1});
  // decimal's significant digits, printed with the locale's separators and no rounding of their own.
  const plain = numberFormat({maximumFractionDigits: 20});
  const percents = new Map<number | undefined, Intl.NumberFormat>();
  const percentFormat = (digits: number | undefined) => {
    let f = percents.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, {style: "percent", minimumFractionDigits: digits ?? 0, maximumFractionDigits: digits ?? 1});
      percents.set(digits, f);
    }
    return f;
  };
  const month = dateFormat({month: "short", year: "numeric"});
  const date = dateFormat({day: "numeric", month: "short", year: "numeric"});
  const day = dateFormat({weekday: "short", day: "numeric", month: "short", year: "numeric"});
  const asDate = (d: Date | string) => (typeof d === "string" ? utcDate(d) : d);
  const number = (f: () => Intl.NumberFormat) => (x: Value) => (finite(x) ? f().format(x) : MISSING);
  return {
    locale,
    currency: currency ?? null,
    integer: number(integer),
    decimal: (x, digits = 3) => (finite(x) ? (Math.abs(x) >= 1000 ? integer().format(x) : plain().format(Number(x.toPrecision(Math.min(100, Math.max(1, Math.round(digits) || 1)))))) : MISSING),
    percent: (x, digits) => (finite(x) ? percentFormat(digits).format(x) : MISSING),
    compact: number(compact),
    money: number(() => money),
    money2: number(money2),
    moneyCompact: number(moneyCompact),
    monthLabel: (d) => month().format(asDate(d)),
    dateLabel: (d) => date().format(asDate(d)),
    dayLabel: (d) => day().format(asDate(d)),
    moneyLabel: (label) => (currency ? `${label} (${currency})` : label)
  };
}

/** The site's default formats: en-CA numbers, money without a currency (none is known until the data or the user says). */
export const DEFAULT_FORMATS: Formats = numberFormats();
