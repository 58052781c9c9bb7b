import {describe, expect, it} from "vitest";
import {Float64, Utf8, tableFromIPC, tableToIPC, Table, vectorFromArray} from "apache-arrow";
import {dictionaryVector, exactColumn} from "../../../src/lib/data/arrowColumns.js";
import {exactValues, vectorValues} from "../../../src/lib/data/arrowValues.js";

const roundTrip = (values: number[], scales: number[]) => {
  const {vector, scale} = exactColumn(values, scales);
  const table = tableFromIPC(tableToIPC(new Table({v: vector}), "file"));
  return {type: String(table.getChild("v")!.type), scale, back: exactValues(table.getChild("v")!, scale)};
};

describe("exactColumn", () => {
  it("stores weeks counted in days as small integers and reads back the same Float64 bits", () => {
    const weeks = [0, 1 / 7, 3 / 7, 52 + 6 / 7, 100 / 7, 10_000 / 7];
    const {type, scale, back} = roundTrip(weeks, [7]);
    expect(scale).toBe(7);
    expect(type).toBe("Int16");
    expect(Array.from(back)).toEqual(weeks);
    for (let i = 0; i < weeks.length; i++) expect(Object.is(back[i], weeks[i])).toBe(true);
  });

  it("takes the first scale that is exact: counts as Int8, cents as integers of cents", () => {
    expect(roundTrip([0, 3, 120], [1]).type).toBe("Int8");
    const cents = [12.34, 0.1, 99.99, 1000.5];
    const money = roundTrip(cents, [1, 100]);
    expect(money.scale).toBe(100);
    expect(Array.from(money.back)).toEqual(cents);
  });

  it("keeps Float64 when any value would not read back exactly (a mean, a sum with rounding, a NaN, a huge value)", () => {
    for (const values of [[1 / 3, 2], [0.1 + 0.2, 1], [1, NaN], [1e12, 2]]) {
      const {type, scale, back} = roundTrip(values, [1, 7, 100]);
      expect(scale).toBeNull();
      expect(type).toBe("Float64");
      expect(Array.from(back)).toEqual(values);
    }
  });
});

describe("dictionaryVector", () => {
  it("uses the narrowest keys and keeps nulls", () => {
    const small = dictionaryVector(["a", null, "b", "a"]);
    expect(String(small.type)).toBe("Dictionary<Int8, Utf8>");
    expect(Array.from(small)).toEqual(["a", null, "b", "a"]);
    const days = Array.from({length: 400}, (_, i) => `2024-01-${String(i).padStart(3, "0")}`);
    expect(String(dictionaryVector(days).type)).toBe("Dictionary<Int16, Utf8>");
  });
});

describe("vectorValues", () => {
  it("reads a dictionary column's labels, with nulls, across batches", () => {
    const labels = ["2024-01-02", null, "2024-01-03", "2024-01-02", "2024-01-03", null, "2024-01-02"];
    const table = tableFromIPC(tableToIPC(new Table({day: dictionaryVector(labels)}), "file"));
    const column = table.getChild("day")!;
    // Two batches: the second starts at row 3 (the keys of a batch count from its own start).
    const split = column.slice(0, 3).concat(column.slice(3));
    for (const vector of [column, split]) {
      const values = vectorValues(vector);
      expect(values).toEqual(Array.from(column, (v) => v ?? null));
      expect(values).toEqual(labels);
    }
  });

  it("reads plain columns as Array.from does, null for a missing value", () => {
    const table = tableFromIPC(tableToIPC(new Table({n: vectorFromArray([1, null, 3], new Float64()), s: vectorFromArray(["x", null, "y"], new Utf8())}), "file"));
    expect(vectorValues(table.getChild("n")!)).toEqual([1, null, 3]);
    expect(vectorValues(table.getChild("s")!)).toEqual(["x", null, "y"]);
  });
});
