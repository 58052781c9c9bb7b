/**
 * The control of the site's currency and number format: a currency (or none) and a locale, with an example
 * figure. (No data source records its currency yet, so the default is none; resolveFormat takes the data's
 * currency once one does.) A change is kept (settings.ts) and the page reloads, so that every page, axis and
 * download header shows the new format.
 */
import {CURRENCY_CHOICES, LOCALE_CHOICES, formatsOf, resolveFormat} from "../lib/format/setting.js";
import type {FormatSetting} from "../lib/format/number.js";
import {currentFormat, saveFormatSetting} from "./settings.js";

const NONE = "none";

function select(label: string, name: string, options: [string, string][], value: string): HTMLLabelElement {
  const wrap = document.createElement("label");
  wrap.className = "format-control-field";
  wrap.append(`${label} `);
  const input = document.createElement("select");
  input.name = name;
  for (const [key, text] of options) {
    const option = document.createElement("option");
    option.value = key;
    option.textContent = text;
    option.selected = key === value;
    input.append(option);
  }
  wrap.append(input);
  return wrap;
}

export function FormatControl({reload = () => location.reload()}: {reload?: () => void} = {}): HTMLFormElement {
  const shown = currentFormat();
  const currencies = [...new Set([...CURRENCY_CHOICES, ...(shown.currency ? [shown.currency] : [])])];
  const locales = [...new Set([...LOCALE_CHOICES, shown.locale])];
  const currencyValue = shown.currency ?? NONE;
  const form = document.createElement("form");
  form.className = "format-control";
  form.id = "format-control";
  const currency = select("Currency", "currency", [[NONE, "none: plain numbers"], ...currencies.map((c): [string, string] => [c, c])], currencyValue);
  const locale = select("Number format", "locale", locales.map((l): [string, string] => [l, `${l}: ${formatsOf({currency: null, locale: l}).money2(1234567.891)}`]), shown.locale);
  const example = document.createElement("p");
  example.className = "muted";
  example.id = "format-example";
  const fmt = formatsOf(shown);
  example.textContent = `In use: ${fmt.money2(1234567.891)} · ${fmt.moneyCompact(1234567)} on chart axes · "${fmt.moneyLabel("revenue")}" in download headers.`;
  form.append(currency, locale, example);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => {
    const c = (form.elements.namedItem("currency") as HTMLSelectElement).value;
    const l = (form.elements.namedItem("locale") as HTMLSelectElement).value;
    const setting: FormatSetting = {locale: l, currency: c === NONE ? null : c};
    saveFormatSetting(setting);
    const now = formatsOf(resolveFormat(setting));
    example.textContent = `In use: ${now.money2(1234567.891)}; the page reloads to show it everywhere.`;
    reload();
  });
  return form;
}
