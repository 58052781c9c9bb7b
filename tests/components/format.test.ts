import {describe, expect, it} from "vitest";
import {compact, currency, currencyCompact, dateLabel, integer, monthLabel, percent} from "../../src/components/format.js";

describe("format (en-CA)", () => {
  it("writes currency without decimals and compact currency for axes", () => {
    expect(currency(1234567.6)).toBe("$1,234,568");
    expect(currency(-5.4)).toBe("-$5");
    expect(currencyCompact(1_250_000)).toBe("$1.3M");
    expect(currencyCompact(850_000)).toBe("$850K");
  });
  it("writes counts, shares and dates", () => {
    expect(integer(12345.4)).toBe("12,345");
    expect(compact(12_345)).toBe("12.3K");
    expect(percent(0.1234)).toBe("12.3%");
    expect(percent(0.5)).toBe("50%");
    expect(monthLabel("2023-01")).toBe("Jan 2023");
    expect(dateLabel("2024-02-29")).toBe("Feb 29, 2024");
  });
  it("shows a dash for missing values", () => {
    for (const f of [currency, currencyCompact, integer, compact, percent]) {
      expect(f(null)).toBe("–");
      expect(f(undefined)).toBe("–");
      expect(f(NaN)).toBe("–");
    }
  });
});
