// @vitest-environment jsdom
import {beforeEach, describe, expect, it} from "vitest";
import {clearSegmentation, currentFormat, fmt, loadFormatSetting, loadSegmentation, saveFormatSetting, saveSegmentation} from "../../src/components/settings.js";
import {STANDARD_SEGMENTS} from "../../src/lib/rfm/schemes.js";

beforeEach(() => {
  localStorage.clear();
  saveFormatSetting(null);
});

describe("settings kept in the browser", () => {
  it("keeps the segmentation for every page, and forgets it", () => {
    expect(loadSegmentation()).toEqual({scheme: "personas", bins: 5, rules: null, errors: []});
    saveSegmentation({scheme: "standard", bins: 4, rules: STANDARD_SEGMENTS});
    expect(loadSegmentation()).toEqual({scheme: "standard", bins: 4, rules: STANDARD_SEGMENTS, errors: []});
    clearSegmentation();
    expect(loadSegmentation().scheme).toBe("personas");
  });

  it("reads a stale stored segmentation as the default, saying why", () => {
    localStorage.setItem("clv-explorer:segmentation", JSON.stringify({scheme: "gone", bins: 3}));
    const stale = loadSegmentation();
    expect({scheme: stale.scheme, bins: stale.bins}).toEqual({scheme: "personas", bins: 3});
    expect(stale.errors).toEqual(['scheme must be one of personas, personas5, standard, got "gone"']);
  });

  it("formats every figure with the currency and locale in force", () => {
    expect(loadFormatSetting()).toBeNull();
    expect(fmt.money(1234)).toBe("1,234");
    saveFormatSetting({currency: "EUR", locale: "en-CA"});
    expect(loadFormatSetting()).toEqual({currency: "EUR", locale: "en-CA"});
    expect(currentFormat()).toEqual({currency: "EUR", locale: "en-CA"});
    expect(fmt.money(1234)).toBe("€1,234");
    expect(fmt.moneyCompact(1_250_000)).toBe("€1.3M");
    expect(fmt.moneyLabel("revenue")).toBe("revenue (EUR)");
    expect(fmt.currency).toBe("EUR");
    saveFormatSetting({currency: "USD", locale: "en-US"});
    expect(fmt.money2(12.5)).toBe("$12.50");
    saveFormatSetting(null);
    expect(fmt.money(1234)).toBe("1,234");
    expect(fmt.moneyLabel("revenue")).toBe("revenue");
  });
});
