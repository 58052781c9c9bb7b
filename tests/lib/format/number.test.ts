import {describe, expect, it} from "vitest";
import {DEFAULT_FORMATS, numberFormats} from "../../../src/lib/format/number.js";

describe("numberFormats", () => {
  const cad = numberFormats({currency: "CAD"});

  it("formats money, counts and shares in en-CA with Canadian dollars", () => {
    const f = cad;
    expect(f.money(1234.4)).toBe("$1,234");
    expect(f.money(-12)).toBe("-$12");
    expect(f.money2(12.345)).toBe("$12.35");
    expect(f.moneyCompact(1_234_567)).toBe("$1.2M");
    expect(f.integer(12345.6)).toBe("12,346");
    expect(f.compact(12_345)).toBe("12.3K");
    expect(f.percent(0.1234)).toBe("12.3%");
    expect(f.percent(0.12)).toBe("12%");
    expect(f.percent(0.12, 1)).toBe("12.0%");
    expect(f.decimal(0.012345)).toBe("0.0123");
    expect(f.decimal(3.9e-7)).toBe("0.00000039");
    expect(f.decimal(45409.2)).toBe("45,409");
    // digits are significant digits, kept within what toPrecision takes: a page never throws on a format
    expect(f.decimal(12.345, 0)).toBe("10");
    expect(f.decimal(12.345, 500)).toBe("12.345");
    expect(f.moneyLabel("Revenue")).toBe("Revenue (CAD)");
  });

  it("writes the charts' labels: whole money, compact money for axes, fixed-digit shares", () => {
    const f = cad;
    expect(f.money(1234567.6)).toBe("$1,234,568");
    expect(f.money(-5.4)).toBe("-$5");
    expect(f.moneyCompact(1_250_000)).toBe("$1.3M");
    expect(f.moneyCompact(850_000)).toBe("$850K");
    expect(f.integer(12345.4)).toBe("12,345");
    expect(f.percent(0.5)).toBe("50%");
    expect(f.percent(0.5, 1)).toBe("50.0%");
    expect(f.percent(0.1234, 0)).toBe("12%");
    expect(f.monthLabel("2023-01")).toBe("Jan 2023");
    expect(f.dateLabel("2024-02-29")).toBe("Feb 29, 2024");
  });

  it("prints a dash, never NaN, for missing and non-finite values", () => {
    const f = DEFAULT_FORMATS;
    for (const x of [NaN, Infinity, null, undefined]) {
      for (const format of [f.money, f.money2, f.moneyCompact, f.integer, f.compact, f.percent, f.decimal]) expect(format(x)).toBe("–");
    }
  });

  it("shows no currency by default: none is known until the data or the user gives one", () => {
    expect(DEFAULT_FORMATS.currency).toBeNull();
    expect(DEFAULT_FORMATS.locale).toBe("en-CA");
    expect(DEFAULT_FORMATS.money(1234.4)).toBe("1,234");
    expect(DEFAULT_FORMATS.money2(12.345)).toBe("12.35");
    expect(DEFAULT_FORMATS.moneyCompact(1_234_567)).toBe("1.2M");
    expect(DEFAULT_FORMATS.moneyLabel("Revenue")).toBe("Revenue");
  });

  it("follows the setting: another currency, none, another locale", () => {
    expect(numberFormats({currency: "USD", locale: "en-US"}).money(1234)).toBe("$1,234");
    expect(numberFormats({currency: "EUR", locale: "fr-FR"}).money(1234).replace(/\s/g, " ")).toBe("1 234 €");
    const plain = numberFormats({currency: null});
    expect(plain.money(1234)).toBe("1,234");
    expect(plain.moneyLabel("Revenue")).toBe("Revenue");
    expect(plain.currency).toBeNull();
    expect(() => numberFormats({currency: "DOLLARS"})).toThrow(/currency "DOLLARS" is not known/);
  });

  it("labels UTC days whatever the reader's time zone", () => {
    const f = DEFAULT_FORMATS;
    expect(f.monthLabel("2024-02")).toBe("Feb 2024");
    expect(f.dateLabel("2023-01-05")).toBe("Jan 5, 2023");
    expect(f.dayLabel(new Date(Date.UTC(2023, 0, 5, 23, 30)))).toBe("Thu, Jan 5, 2023");
  });
});
