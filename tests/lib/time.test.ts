import {describe, expect, it} from "vitest";
import {
  addDays,
  checkIsoDay,
  DAYS_PER_MONTH,
  dayNumber,
  daysBetween,
  isIsoDay,
  isoDay,
  isoDayOf,
  nextDay,
  perDistinctDate,
  UNIT_DAYS,
  UNITS_PER_MONTH,
  utcDate,
  weeksBetween
} from "../../src/lib/time.js";

describe("time units", () => {
  it("count a month as a twelfth of 365.25 days in every unit", () => {
    expect(DAYS_PER_MONTH).toBe(30.4375);
    expect(UNIT_DAYS).toEqual({day: 1, week: 7, month: 30.4375});
    for (const unit of ["day", "week", "month"] as const) expect(UNITS_PER_MONTH[unit] * UNIT_DAYS[unit]).toBeCloseTo(DAYS_PER_MONTH, 12);
  });
});

describe("calendar days", () => {
  it("number days from 1970-01-01 and back", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2024-03-01") - dayNumber("2024-02-28")).toBe(2); // leap year
    expect(dayNumber("2023-03-01") - dayNumber("2023-02-28")).toBe(1);
    for (const day of ["1969-12-31", "2000-02-29", "2024-12-31"]) expect(isoDay(dayNumber(day))).toBe(day);
  });

  it("accept only real calendar days and name the bad value", () => {
    expect(isIsoDay("2024-02-29")).toBe(true);
    for (const bad of ["2023-02-29", "2024-13-01", "2024-1-05", "05/01/2024", "", null, 20240105]) expect(isIsoDay(bad)).toBe(false);
    expect(() => checkIsoDay("2023-02-29", "from")).toThrow(/from must be a YYYY-MM-DD date, got "2023-02-29"/);
    expect(() => dayNumber("yesterday", "asOf")).toThrow(/asOf must be a YYYY-MM-DD date, got "yesterday"/);
  });

  it("add days across month and year ends", () => {
    expect(addDays("2023-12-31", 1)).toBe("2024-01-01");
    expect(nextDay("2024-02-28")).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysBetween("2024-01-01", "2024-12-31")).toBe(365);
    expect(weeksBetween("2024-01-01", "2024-01-15")).toBe(2);
    expect(daysBetween("2024-01-10", "2024-01-01")).toBe(-9);
  });

  it("read days and months as midnight UTC", () => {
    expect(utcDate("2024-02").toISOString()).toBe("2024-02-01T00:00:00.000Z");
    expect(utcDate("2024-02-10").toISOString()).toBe("2024-02-10T00:00:00.000Z");
    expect(isoDayOf(new Date(Date.UTC(2024, 1, 10, 23, 59)))).toBe("2024-02-10");
  });
});

describe("perDistinctDate", () => {
  it("computes once per distinct date, gives the same results and errors as the function", () => {
    let calls = 0;
    const day = perDistinctDate((d) => (calls++, dayNumber(d, "last_purchase")));
    const dates = ["2024-01-02", "2024-01-02", "2023-12-31", "2024-01-02", "2023-12-31"];
    expect(dates.map(day)).toEqual(dates.map((d) => dayNumber(d)));
    expect(calls).toBe(2);
    expect(() => day("2024-02-30")).toThrow(/last_purchase must be a YYYY-MM-DD date, got "2024-02-30"/);
    const blank = perDistinctDate(() => undefined);
    expect([blank("a"), blank("a")]).toEqual([undefined, undefined]);
  });
});
