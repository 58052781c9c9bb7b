import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {decodeIds, encodeIds} from "../../../src/lib/rfm/ids.js";
import {summaryFromTable, summaryTable} from "../../../src/lib/rfm/derived.js";

describe("encodeIds", () => {
  it("codes zero-padded and plain numbers and reads them back", () => {
    expect(encodeIds(["C0000014", "C0000244", "C1000000"])).toEqual({prefix: "C", width: 7, codes: Int32Array.from([14, 244, 1000000])});
    expect(encodeIds(["7", "12", "100"])).toEqual({prefix: "", width: 0, codes: Int32Array.from([7, 12, 100])});
    expect(decodeIds({prefix: "C", width: 7, codes: Int32Array.from([14])})).toEqual(["C0000014"]);
  });

  it("keeps text when an id would not read back", () => {
    expect(encodeIds(["C01", "C1"])).toBeNull(); // widths differ and one has a leading zero
    expect(encodeIds(["C1", "D2"])).toBeNull(); // prefixes differ
    expect(encodeIds(["a-1", "a-1x"])).toBeNull();
    expect(encodeIds(["99999999999"])).toBeNull(); // past Int32
    expect(encodeIds(["abc"])).toBeNull();
    expect(encodeIds([])).toBeNull();
  });

  it("reads back every id it codes (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^[A-Z]?0*[0-9]{1,6}$/), fc.string({maxLength: 4})), {minLength: 1, maxLength: 30}), (ids) => {
        const coded = encodeIds(ids);
        if (coded) expect(decodeIds(coded)).toEqual(ids);
      })
    );
  });

  it("codes every list of one prefix and numbers, zero-padded to one width or written with no leading zero (property)", () => {
    const prefix = fc.stringMatching(/^[A-Za-z_-]{0,3}$/);
    const numbers = fc.array(fc.integer({min: 0, max: 2_147_483_647}), {minLength: 1, maxLength: 30});
    fc.assert(
      fc.property(prefix, numbers, fc.integer({min: 0, max: 10}), (head, values, pad) => {
        const width = Math.max(pad, ...values.map((v) => String(v).length));
        for (const ids of [values.map((v) => head + String(v).padStart(width, "0")), values.map((v) => head + String(v))]) {
          const coded = encodeIds(ids);
          expect(coded).not.toBeNull();
          expect(Array.from(coded!.codes)).toEqual(values);
          expect(decodeIds(coded!)).toEqual(ids);
        }
      })
    );
  });
});

describe("summaryTable", () => {
  const metadata = {columns: ["customer_id", "order_date", "amount"], orderId: false, choices: {} as never, selection: {transactions: 3, customers: 2, first: null, last: null}, before: null};
  const summary = (ids: string[], micros: number[]) => ({customer_id: ids, first_day: Int32Array.from([1, 2]), last_day: Int32Array.from([3, 4]), orders: Int32Array.from([1, 2]), days: Int32Array.from([1, 2]), micros: Float64Array.from(micros)});

  it("stores coded ids and cents and reads back the same summary", () => {
    const table = summaryTable(summary(["C0001", "C0020"], [12_340_000, 99_990_000]), metadata);
    expect(table.getChild("customer_id")!.type.toString()).toMatch(/Int/);
    expect(table.getChild("micros")!.type.toString()).toMatch(/Int/);
    const back = summaryFromTable(table).summary;
    expect(Array.from(back.customer_id)).toEqual(["C0001", "C0020"]);
    expect(Array.from(back.micros)).toEqual([12_340_000, 99_990_000]);
  });

  it("keeps text ids and Float64 micros when they are not codes and cents", () => {
    const table = summaryTable(summary(["b", "a7"], [12_345_678, 1]), metadata);
    expect(table.getChild("customer_id")!.type.toString()).toBe("Utf8");
    expect(table.getChild("micros")!.type.toString()).toBe("Float64");
    const back = summaryFromTable(table).summary;
    expect(Array.from(back.customer_id)).toEqual(["b", "a7"]);
    expect(Array.from(back.micros)).toEqual([12_345_678, 1]);
  });
});
