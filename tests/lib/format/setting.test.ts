import {describe, expect, it} from "vitest";
import {currencyCode, dataCurrency, formatsOf, readFormatSetting, resolveFormat} from "../../../src/lib/format/setting.js";

describe("the format setting", () => {
  it("reads a stored choice: a currency code (any case) or none, and a locale", () => {
    expect(readFormatSetting('{"currency":"eur","locale":"fr-FR"}')).toEqual({setting: {currency: "EUR", locale: "fr-FR"}, errors: []});
    expect(readFormatSetting({currency: null})).toEqual({setting: {currency: null}, errors: []});
    expect(readFormatSetting({currency: ""})).toEqual({setting: {currency: null}, errors: []});
    expect(readFormatSetting({locale: "en-us"})).toEqual({setting: {locale: "en-US"}, errors: []});
    expect(readFormatSetting(undefined)).toEqual({setting: null, errors: []});
  });

  it("names every bad part and keeps the good ones", () => {
    const {setting, errors} = readFormatSetting({currency: "DOLLARS", locale: "en-CA", colour: "red"});
    expect(setting).toEqual({locale: "en-CA"});
    expect(errors).toEqual([
      'currency must be a three-letter ISO 4217 code such as CAD or EUR, or none, got "DOLLARS"',
      'unknown format key "colour"'
    ]);
    expect(readFormatSetting({locale: "not a locale!"}).errors[0]).toMatch(/locale must be a language tag/);
    expect(readFormatSetting("{oops").setting).toBeNull();
    expect(readFormatSetting("{oops").errors[0]).toMatch(/not valid JSON/);
    expect(readFormatSetting([1]).errors[0]).toMatch(/must be an object/);
  });

  it("resolves: the user's choice, else the data's currency, else none; en-CA unless chosen", () => {
    expect(resolveFormat(null)).toEqual({currency: null, locale: "en-CA"});
    expect(resolveFormat(null, {dataCurrency: "GBP"})).toEqual({currency: "GBP", locale: "en-CA"});
    expect(resolveFormat({currency: "EUR"}, {dataCurrency: "GBP"})).toEqual({currency: "EUR", locale: "en-CA"});
    expect(resolveFormat({currency: null}, {dataCurrency: "GBP"})).toEqual({currency: null, locale: "en-CA"});
    expect(resolveFormat({locale: "fr-CA"}, {dataCurrency: "CAD"})).toEqual({currency: "CAD", locale: "fr-CA"});
  });

  it("finds the data's currency in a currency column only when it holds one code", () => {
    expect(dataCurrency(["cad", " CAD", null, "", "CAD"])).toBe("CAD");
    expect(dataCurrency(["CAD", "USD"])).toBeNull();
    expect(dataCurrency(["CAD", "dollars"])).toBeNull();
    expect(dataCurrency([])).toBeNull();
    expect(currencyCode("jpy")).toBe("JPY");
    expect(currencyCode("JP")).toBeNull();
    expect(currencyCode(12)).toBeNull();
  });

  it("makes the formatters of the resolved setting", () => {
    const euro = formatsOf({currency: "EUR", locale: "de-DE"});
    expect(euro.money(1234).replace(/\s/g, " ")).toBe("1.234 €");
    expect(euro.moneyLabel("Revenue")).toBe("Revenue (EUR)");
    expect(formatsOf({currency: "USD", locale: "en-US"}).moneyCompact(1_250_000)).toBe("$1.3M");
    expect(formatsOf({currency: null, locale: "en-CA"}).money(1234)).toBe("1,234");
  });
});
