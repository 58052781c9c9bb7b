import {describe, expect, test} from "vitest";
import {decodeFilters, decodeValue, describeFilters, encodeFilters, encodeValue, sameValue, toggleFilterValue, withFilters, withParams} from "../../src/lib/urlState.js";

describe("filters in the query string", () => {
  test("encode and decode round trip, list filters as repeated parameters", () => {
    const filters = {from: "2023-01-01", to: "2023-06-30", region: ["West", "Ontario & Québec"], customer_segment: ["Home Office"]};
    const search = withFilters("", filters);
    expect(search).toBe("?from=2023-01-01&to=2023-06-30&region=West&region=Ontario+%26+Qu%C3%A9bec&customer_segment=Home+Office");
    expect(decodeFilters(search)).toEqual({filters, rejected: []});
  });

  test("a URL without filter parameters says nothing (the stored filters apply)", () => {
    expect(decodeFilters("")).toBeNull();
    expect(decodeFilters("?measure=revenue&grain=week")).toBeNull();
  });

  test("no filters is written as filters=none and read as an empty set", () => {
    expect(encodeFilters({})).toEqual([["filters", "none"]]);
    expect(encodeFilters({region: [], from: null})).toEqual([["filters", "none"]]);
    expect(decodeFilters("?filters=none")).toEqual({filters: {}, rejected: []});
  });

  test("withFilters replaces the filter parameters and keeps the page's own", () => {
    const search = withFilters("?measure=transactions&region=East&filters=none", {province: ["Alberta"]});
    expect(search).toBe("?measure=transactions&province=Alberta");
    expect(withFilters(search, {})).toBe("?measure=transactions&filters=none");
  });

  test("a date that is not a day is rejected, not applied; repeated values count once", () => {
    expect(decodeFilters("?from=2023-02-29&to=yesterday&region=West&region=West&region=")).toEqual({
      filters: {region: ["West"]},
      rejected: [
        ["from", "2023-02-29"],
        ["to", "yesterday"]
      ]
    });
  });
});

describe("input values in the query string", () => {
  const decode = (search: string, name: string, like: unknown) => decodeValue(search, name, like);

  test("each type round trips through its parameters", () => {
    const cases: [unknown, unknown][] = [
      ["transactions", "revenue"],
      [24, 12],
      [0.015, 0.01],
      [false, true],
      [new Date("2023-04-05T00:00:00Z"), new Date("2024-01-01T00:00:00Z")],
      [["a", "b c"], []],
      [{favourite: "partner", by: "region"}, {favourite: "category", by: "rfm"}],
      [{horizonMonths: 6, discountRate: 0.02, margin: 0.4}, {horizonMonths: 12, discountRate: 0.01, margin: 0.3}]
    ];
    for (const [value, like] of cases) {
      const search = withParams("?other=1", "x", encodeValue("x", value));
      const decoded = decode(search, "x", like);
      expect(decoded?.ok, JSON.stringify(value)).toBe(true);
      expect(sameValue(decoded!.ok && decoded!.value, value), JSON.stringify(value)).toBe(true);
      expect(new URLSearchParams(search).get("other")).toBe("1");
    }
  });

  test("dates are written as days, objects field by field", () => {
    expect(encodeValue("end", new Date("2023-04-05T00:00:00Z"))).toEqual([["end", "2023-04-05"]]);
    expect(encodeValue("range", {first: "2022-01", last: "2022-06"})).toEqual([
      ["range.first", "2022-01"],
      ["range.last", "2022-06"]
    ]);
  });

  test("absent parameters leave the default; a form takes the fields the link gives", () => {
    expect(decode("?y=3", "x", 12)).toBeNull();
    expect(decode("?range.last=2022-06", "range", {first: "2021-01", last: "2022-12"})).toEqual({ok: true, value: {first: "2021-01", last: "2022-06"}});
  });

  test("null and empty lists are explicit, so cleared differs from default", () => {
    expect(encodeValue("d", null)).toEqual([["d", ""]]);
    expect(decode("?d=", "d", new Date("2023-01-01T00:00:00Z"))).toEqual({ok: true, value: null});
    expect(encodeValue("l", [])).toEqual([["l", ""]]);
    expect(decode("?l=", "l", ["a"])).toEqual({ok: true, value: []});
  });

  test("a text of the wrong type is an error naming the parameter, never a value", () => {
    expect(decode("?h=twelve", "h", 12)).toEqual({ok: false, message: 'h: "twelve" is not a number'});
    expect(decode("?h=1e999", "h", 12)).toEqual({ok: false, message: 'h: "1e999" is not a number'});
    expect(decode("?b=yes", "b", true)).toEqual({ok: false, message: 'b: "yes" is not true or false'});
    expect(decode("?d=2023-13-01", "d", new Date(0))).toEqual({ok: false, message: 'd: "2023-13-01" is not a date (YYYY-MM-DD)'});
    expect(decode("?h=1&h=2", "h", 12)).toEqual({ok: false, message: "h: one value expected, the link gives 2"});
    expect(decode("?f.n=x", "f", {n: 1, s: "a"})).toEqual({ok: false, message: 'f.n: "x" is not a number'});
  });

  test("an input whose default is null reads a day as a date, other text as text", () => {
    const decoded = decode("?d=2023-04-05", "d", null);
    expect(decoded?.ok && (decoded.value as Date).toISOString()).toBe("2023-04-05T00:00:00.000Z");
    expect(decode("?m=bgnbd", "m", null)).toEqual({ok: true, value: "bgnbd"});
  });

  test("withParams replaces a name and its fields only", () => {
    expect(withParams("?a=1&ab=2&a.x=3&b=4", "a", [["a", "9"]])).toBe("?ab=2&b=4&a=9");
    expect(withParams("?a=1", "a", [])).toBe("");
  });

  test("sameValue compares views: dates by day, lists in order", () => {
    expect(sameValue(new Date("2023-01-01T00:00:00Z"), new Date("2023-01-01T00:00:00Z"))).toBe(true);
    expect(sameValue(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameValue(12, "12")).toBe(true); // the same text in the URL
    expect(sameValue({a: 1}, {a: 2})).toBe(false);
  });
});

describe("cross-filtering toggles", () => {
  test("a click sets the filter to the value; a second click on it clears", () => {
    expect(toggleFilterValue([], "West")).toEqual(["West"]);
    expect(toggleFilterValue(["West"], "West")).toEqual([]);
    expect(toggleFilterValue(["West"], "East")).toEqual(["East"]);
    expect(toggleFilterValue(["West", "East"], "West")).toEqual(["West"]);
    expect(toggleFilterValue(null, "West")).toEqual(["West"]);
  });

  test("a set of values (a province spelled two ways) toggles as a whole", () => {
    expect(toggleFilterValue([], ["ON", "Ontario"])).toEqual(["ON", "Ontario"]);
    expect(toggleFilterValue(["Ontario", "ON"], ["ON", "Ontario"])).toEqual([]);
    expect(toggleFilterValue(["ON"], ["ON", "Ontario"])).toEqual(["ON", "Ontario"]);
  });

  test("the (unknown) group cannot be a list filter: the filter stays", () => {
    expect(toggleFilterValue(["West"], null)).toEqual(["West"]);
    expect(toggleFilterValue(["West"], [])).toEqual(["West"]);
  });
});

describe("the filters in force as one line (print)", () => {
  test("dates and lists, in the filter bar's order; empty ones left out", () => {
    expect(describeFilters({from: "2023-01-01", to: "2023-06-30", region: ["West"], province: [], category: ["Books", "Games"]})).toBe(
      "Filters: from 2023-01-01 to 2023-06-30 · Region: West · Category: Books, Games"
    );
    expect(describeFilters({to: "2023-06-30", customer_segment: ["Corporate"]})).toBe("Filters: up to 2023-06-30 · Customer segment: Corporate");
    expect(describeFilters({from: "2023-01-01", region: null})).toBe("Filters: from 2023-01-01");
  });

  test("no filter says so", () => {
    expect(describeFilters({})).toBe("Filters: none (all the data)");
    expect(describeFilters({from: null, to: null, region: [], province: null})).toBe("Filters: none (all the data)");
    expect(describeFilters(null)).toBe("Filters: none (all the data)");
  });
});
