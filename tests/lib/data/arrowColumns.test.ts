import {describe, expect, it} from "vitest";
import {Dictionary, Float64, Int8, Utf8, tableFromIPC, tableToIPC, Table, vectorFromArray} from "apache-arrow";
import {dictionaryVector, exactColumn, nullableFloat64, utf8Vector} from "../../../src/lib/data/arrowColumns.js";
import {exactValues, utf8Ids, vectorValues} from "../../../src/lib/data/arrowValues.js";
import {customerName, idAt, idCount} from "../../../src/lib/fit/columns.js";

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

  it("reads a Utf8 column a batch at a time as Arrow's get does: ASCII and other scripts, nulls, a batch sliced at an offset", () => {
    const ids = ["C1", null, "Zoë", "C22", "顧客-7", "", null, "C333", "x".repeat(40)];
    const column = tableFromIPC(tableToIPC(new Table({id: vectorFromArray(ids, new Utf8())}), "file")).getChild("id")!;
    // Three batches: the second and third views into the first's buffers, starting at rows 2 and 5.
    const split = column.slice(0, 2).concat(column.slice(2, 5)).concat(column.slice(5));
    for (const vector of [column, split]) {
      expect(vectorValues(vector)).toEqual(Array.from(vector, (v) => v ?? null));
      expect(vectorValues(vector)).toEqual(ids);
    }
  });

  it("reads plain columns as Array.from does, null for a missing value", () => {
    const table = tableFromIPC(tableToIPC(new Table({n: vectorFromArray([1, null, 3], new Float64()), s: vectorFromArray(["x", null, "y"], new Utf8())}), "file"));
    expect(vectorValues(table.getChild("n")!)).toEqual([1, null, 3]);
    expect(vectorValues(table.getChild("s")!)).toEqual(["x", null, "y"]);
  });
});

describe("the column builders made without Arrow's builders", () => {
  /** A vector as it reads back from an Arrow IPC file: type, nulls and values. */
  const read = (vector: import("apache-arrow").Vector) => {
    const back = tableFromIPC(tableToIPC(new Table({v: vector}), "file")).getChild("v")!;
    return {type: String(back.type), nulls: back.nullCount, values: Array.from(back, (v) => v ?? null)};
  };

  it("dictionaryVector numbers labels as Arrow's dictionary builder does, with the narrowest keys", () => {
    const few = ["West", null, "East", "West", "Ünïcode", null, "East"];
    expect(read(dictionaryVector(few))).toEqual(read(vectorFromArray(few, new Dictionary(new Utf8(), new Int8()))));
    expect(read(dictionaryVector(few)).values).toEqual(few);
    expect(dictionaryVector(few).data[0].dictionary!.toArray()).toEqual(["West", "East", "Ünïcode"]);
    const many = Array.from({length: 300}, (_, i) => `label ${i % 200}`);
    expect(read(dictionaryVector(many))).toEqual({type: "Dictionary<Int16, Utf8>", nulls: 0, values: many});
    expect(read(dictionaryVector([]))).toEqual({type: "Dictionary<Int8, Utf8>", nulls: 0, values: []});
  });

  it("utf8Vector writes ASCII, other scripts and nulls as Arrow's Utf8 builder does", () => {
    const ids = ["C1", null, "", "Zoë", "顧客-7", "x".repeat(5000), null, "C2"];
    expect(read(utf8Vector(ids))).toEqual(read(vectorFromArray(ids, new Utf8())));
    expect(read(utf8Vector(ids)).values).toEqual(ids);
    // Many values: the buffer grows past its first size.
    const long = Array.from({length: 5000}, (_, i) => `customer-${i}-${"é".repeat(i % 7)}`);
    expect(read(utf8Vector(long)).values).toEqual(long);
    // A number where a string was meant is written as its text, not lost.
    expect(read(utf8Vector([12, "a"] as unknown as string[])).values).toEqual(["12", "a"]);
  });

  it("nullableFloat64 keeps nulls as nulls and NaN as a value", () => {
    const values = [1.5, null, Number.NaN, -0, 3, null];
    const out = read(nullableFloat64(values));
    expect(out).toEqual(read(vectorFromArray(values, new Float64())));
    expect(out.nulls).toBe(2);
    expect(Number.isNaN(out.values[2])).toBe(true);
    expect(read(nullableFloat64([1, 2])).nulls).toBe(0);
  });
});

describe("utf8Ids", () => {
  const ids = ["C1", "Zoë", "", "顧客-7", "C22", "x".repeat(40), "C333"];
  const column = tableFromIPC(tableToIPC(new Table({id: vectorFromArray(ids, new Utf8())}), "file")).getChild("id")!;

  it("gives a Utf8 column's ids as bytes with offsets from 0, across batches sliced at an offset, in arrays of their own", () => {
    const split = column.slice(0, 3).concat(column.slice(3));
    for (const vector of [column, split]) {
      const out = utf8Ids(vector);
      expect(idCount(out)).toBe(ids.length);
      expect(Array.from({length: ids.length}, (_, i) => idAt(out, i))).toEqual(ids);
      expect(out.offsets[0]).toBe(0);
      // Not views of the table's buffers: moving them to a worker leaves the table whole.
      for (const data of vector.data) {
        expect(out.bytes.buffer).not.toBe((data.values as Uint8Array).buffer);
        expect(out.offsets.buffer).not.toBe((data.valueOffsets as Int32Array).buffer);
      }
    }
    expect(customerName(3, utf8Ids(split))).toBe('customer "顧客-7"');
    expect(customerName(7, utf8Ids(split))).toBe("summary row 7");
  });

  it("written back by utf8Vector, reads as the strings it came from", () => {
    const back = tableFromIPC(tableToIPC(new Table({id: utf8Vector(utf8Ids(column.slice(2).concat(column.slice(0, 2))))}), "file")).getChild("id")!;
    expect(Array.from(back)).toEqual([...ids.slice(2), ...ids.slice(0, 2)]);
    expect(utf8Vector(utf8Ids(column)).nullCount).toBe(0);
  });

  it("refuses a column with a missing id or of another type", () => {
    const withNull = tableFromIPC(tableToIPC(new Table({id: vectorFromArray(["a", null], new Utf8())}), "file")).getChild("id")!;
    expect(() => utf8Ids(withNull)).toThrow(/1 missing/);
    expect(() => utf8Ids(vectorFromArray([1, 2], new Float64()))).toThrow(/Utf8 column, not Float64/);
  });
});
