import {describe, expect, it} from "vitest";
import {brushRange, floorTo, offsetBy, rangeSpan, roundTo} from "../../../src/lib/explore/brush.js";
import {isoDayOf as isoDay} from "../../../src/lib/time.js";

const d = (s: string) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
const span = {first: "2022-01-01", last: "2025-06-30"};

describe("floorTo, offsetBy, roundTo", () => {
  it("floor to the day, the ISO week's Monday and the month", () => {
    expect(isoDay(floorTo(d("2024-02-29T18:00:00Z"), "day"))).toBe("2024-02-29");
    expect(isoDay(floorTo(d("2024-03-03"), "week"))).toBe("2024-02-26"); // a Sunday belongs to the week before
    expect(isoDay(floorTo(d("2024-02-26"), "week"))).toBe("2024-02-26");
    expect(isoDay(floorTo(d("2024-02-29"), "month"))).toBe("2024-02-01");
  });
  it("move by whole periods", () => {
    expect(isoDay(offsetBy(d("2024-02-28"), "day", 2))).toBe("2024-03-01");
    expect(isoDay(offsetBy(d("2024-12-30"), "week", 1))).toBe("2025-01-06");
    expect(isoDay(offsetBy(d("2024-12-01"), "month", 1))).toBe("2025-01-01");
  });
  it("round to the nearest boundary, half-way up", () => {
    expect(isoDay(roundTo(d("2024-01-10T11:59:00Z"), "day"))).toBe("2024-01-10");
    expect(isoDay(roundTo(d("2024-01-10T12:00:00Z"), "day"))).toBe("2024-01-11");
    expect(isoDay(roundTo(d("2024-01-10"), "month"))).toBe("2024-01-01");
    expect(isoDay(roundTo(d("2024-01-20"), "month"))).toBe("2024-02-01");
    expect(isoDay(roundTo(d("2024-01-12"), "week"))).toBe("2024-01-15"); // Friday → next Monday
  });
});

describe("brushRange", () => {
  it("snaps a brushed span to whole days with an inclusive end", () => {
    expect(brushRange(d("2023-03-04T20:00:00Z"), d("2023-03-10T03:00:00Z"), span)).toEqual({from: "2023-03-05", to: "2023-03-09"});
  });
  it("snaps to whole months and weeks at those grains", () => {
    expect(brushRange(d("2023-02-20"), d("2023-05-10"), {...span, grain: "month"})).toEqual({from: "2023-03-01", to: "2023-04-30"});
    expect(brushRange(d("2023-03-01"), d("2023-03-16"), {...span, grain: "week"})).toEqual({from: "2023-02-27", to: "2023-03-12"}); // Thursday 16th → Monday 13th
  });
  it("keeps at least one period, whichever way the span was drawn", () => {
    expect(brushRange(d("2023-03-04T10:00:00Z"), d("2023-03-04T11:00:00Z"), span)).toEqual({from: "2023-03-04", to: "2023-03-04"});
    expect(brushRange(d("2023-05-10"), d("2023-02-20"), {...span, grain: "month"})).toEqual({from: "2023-03-01", to: "2023-04-30"});
  });
  it("clips to the data's first and last day", () => {
    expect(brushRange(d("2021-12-20"), d("2022-01-20"), {...span, grain: "month"})).toEqual({from: "2022-01-01", to: "2022-01-31"});
    expect(brushRange(d("2025-06-10"), d("2025-07-01T00:00:00Z"), {...span, grain: "week"})).toEqual({from: "2025-06-09", to: "2025-06-30"});
    expect(brushRange(d("2025-08-01"), d("2025-09-01"), {...span, grain: "month"})).toBeNull();
  });
  it("snaps to the data's ends when they are nearer than a period boundary", () => {
    // 1 July 2025 (a Tuesday) is the end of the data: nearer than Monday 7 July, and than Monday 30 June.
    expect(brushRange(d("2025-06-16"), d("2025-07-01T00:00:00Z"), {...span, grain: "week"})).toEqual({from: "2025-06-16", to: "2025-06-30"});
    expect(brushRange(d("2021-12-29"), d("2022-01-05"), {...span, grain: "week"})).toEqual({from: "2022-01-01", to: "2022-01-02"});
  });
});

describe("rangeSpan", () => {
  it("is null without dates, else [from, day after to) within the data", () => {
    expect(rangeSpan({from: null, to: null}, span)).toBeNull();
    expect(rangeSpan({from: "2023-01-01", to: "2023-01-31"}, span)).toEqual([d("2023-01-01"), d("2023-02-01")]);
    expect(rangeSpan({from: null, to: "2023-01-31"}, span)).toEqual([d("2022-01-01"), d("2023-02-01")]);
    expect(rangeSpan({from: "2020-01-01", to: null}, span)).toEqual([d("2022-01-01"), d("2025-07-01")]);
  });
});
