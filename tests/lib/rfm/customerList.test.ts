import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {orderRows, rowsWhere, searchRows} from "../../../src/lib/rfm/customerList.js";

/** The reference: a full stable sort of row objects, missing values last, as the page's table promises. */
function reference(values: (number | string | null)[], rows: number[], descending: boolean): number[] {
  const missing = (v: unknown) => v === null || v !== v;
  return rows.slice().sort((a, b) => {
    const va = values[a], vb = values[b];
    if (missing(va) || missing(vb)) return missing(va) && missing(vb) ? a - b : missing(va) ? 1 : -1;
    const c = va! < vb! ? -1 : va! > vb! ? 1 : 0;
    return (descending ? -c : c) || a - b;
  });
}

describe("orderRows", () => {
  it("orders numbers and strings both ways, missing last, ties by row", () => {
    const values = [3, null, 1, 3, NaN, 2];
    expect(Array.from(orderRows(values, rowsWhere(6)))).toEqual([2, 5, 0, 3, 1, 4]);
    expect(Array.from(orderRows(values, rowsWhere(6), {descending: true}))).toEqual([0, 3, 5, 2, 1, 4]);
    expect(Array.from(orderRows(["b", "a", "c"], rowsWhere(3), {descending: true, limit: 2}))).toEqual([2, 0]);
    expect(Array.from(orderRows([1, 2], rowsWhere(2), {limit: 0}))).toEqual([]);
  });

  it("the first m rows equal those of a full sort, for any m and subset (property)", () => {
    const value = fc.oneof(fc.integer({min: -5, max: 5}), fc.constant(null), fc.constant(Number.NaN), fc.double({noNaN: true}));
    fc.assert(
      fc.property(fc.array(value, {maxLength: 200}), fc.nat(250), fc.boolean(), fc.boolean(), (values, limit, descending, subset) => {
        const rows = rowsWhere(values.length, subset ? (i) => i % 3 !== 1 : undefined);
        const want = reference(values, Array.from(rows), descending).slice(0, limit);
        expect(Array.from(orderRows(Float64Array.from(values, (v) => (v === null ? Number.NaN : v)), rows, {descending, limit}))).toEqual(
          reference(values.map((v) => (v === null ? Number.NaN : v)), Array.from(rows), descending).slice(0, limit)
        );
        expect(Array.from(orderRows(values, rows, {descending, limit}))).toEqual(want);
      })
    );
  });

  it("orders typed integer columns as numbers, not as text", () => {
    expect(Array.from(orderRows(Int32Array.from([10, 9, 100]), rowsWhere(3)))).toEqual([1, 0, 2]);
  });
});

describe("searchRows", () => {
  const ids = ["C0001", "C0002", "X-C0003", "c0010"];
  const segments = ["Champions", "At risk", "Champions", "Lost"];
  const all = rowsWhere(4);

  it("matches each word at the start of a word of some column, case ignored", () => {
    expect(Array.from(searchRows([ids, segments], "c000", all))).toEqual([0, 1]); // "X-C0003": after a hyphen is not a word start
    expect(Array.from(searchRows([ids, segments], "C001", all))).toEqual([3]);
    expect(Array.from(searchRows([ids, segments], "risk", all))).toEqual([1]);
    expect(Array.from(searchRows([ids, segments], "champ c0001", all))).toEqual([0]);
    expect(Array.from(searchRows([ids, segments], "  ", all))).toEqual([0, 1, 2, 3]);
    expect(Array.from(searchRows([ids, segments], "hampions", all))).toEqual([]);
    expect(Array.from(searchRows([ids, segments], "c0(", all))).toEqual([]); // regex characters are literal
    expect(Array.from(searchRows([ids, segments], "lost", Int32Array.from([0, 1, 2])))).toEqual([]); // only within `rows`
  });

  it("agrees with a row-by-row search of the values (property)", () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9 -]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word), {maxLength: 60}), word, (pairs, query) => {
        const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
        const terms = query.split(/\s+/).filter(Boolean).map((t) => t.toLowerCase());
        // A word starts at 0 or after a character that is neither a letter nor a hyphen.
        const starts = (text: string, term: string) => [...text].some((_, i) => (i === 0 || !/[a-zA-Z-]/.test(text[i - 1])) && text.toLowerCase().startsWith(term, i));
        const want = pairs.flatMap((_, i) => (terms.every((t) => starts(a[i], t) || starts(b[i], t)) ? [i] : []));
        expect(Array.from(searchRows([a, b], query, rowsWhere(pairs.length)))).toEqual(want);
      })
    );
  });
});
