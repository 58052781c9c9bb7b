import {describe, expect, it} from "vitest";
import fc from "fast-check";
import * as aq from "arquero";
import {csvCell, toCsv} from "../../../src/lib/format/csv.js";

describe("csvCell", () => {
  it("prefixes text that a spreadsheet would run as a formula", () => {
    expect(csvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe("\"'\rx\"");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("=1", {escapeFormulas: false})).toBe("=1");
  });

  it("writes numbers as numbers and blanks for missing values", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(1.5)).toBe("1.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(new Date("2024-03-01"))).toBe("2024-03-01");
    expect(csvCell(new Date("2024-03-01T12:30:00Z"))).toBe("2024-03-01T12:30:00.000Z");
  });

  it("quotes delimiters, quotes and line breaks", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("=a,b")).toBe("\"'=a,b\"");
    expect(csvCell("a;b", {delimiter: ";"})).toBe('"a;b"');
    expect(csvCell("a,b", {delimiter: ";"})).toBe("a,b");
  });
});

/** A small RFC 4180 reader, to check that the writer round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), ++i;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += c;
  }
  return rows;
}

describe("toCsv", () => {
  it("writes a table with a header", () => {
    const t = aq.table({segment: ["Champions", "=HYPERLINK(1)"], customers: [3, -1], note: ['a "b", c', null]});
    expect(toCsv(t)).toBe('segment,customers,note\nChampions,3,"a ""b"", c"\n\'=HYPERLINK(1),-1,\n');
  });

  it("writes arrays of objects, chosen columns and CRLF", () => {
    const rows = [{a: 1, b: "x"}, {a: 2, b: "+y"}];
    expect(toCsv(rows, {columns: ["b"], newline: "\r\n"})).toBe("b\r\nx\r\n'+y\r\n");
    expect(toCsv([])).toBe("\n");
  });

  it("rejects bad options and unknown columns", () => {
    expect(() => toCsv([], {delimiter: '"'})).toThrow(/delimiter.*"\\""/);
    expect(() => toCsv([], {delimiter: ";;"})).toThrow(/";;"/);
    expect(() => toCsv(aq.table({a: [1]}), {columns: ["b"]})).toThrow(/no column "b"/);
  });

  it("round-trips any text, with risky cells prefixed", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({unit: fc.constantFrom("a", ",", '"', "\n", "\r", "=", "-", " ", "@", "\t")}), {minLength: 2, maxLength: 2}), {maxLength: 8}), (cells) => {
        const rows = cells.map(([x, y]) => ({x, y}));
        const parsed = parseCsv(toCsv(rows, {columns: ["x", "y"]}));
        expect(parsed[0]).toEqual(["x", "y"]);
        const expected = cells.map((pair) => pair.map((s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s)));
        expect(parsed.slice(1)).toEqual(expected);
      })
    );
  });

  it("heads named columns with their given header (the currency of money columns), the others by name", () => {
    const rows = [{customer_id: "a", revenue: 12.5}];
    expect(toCsv(rows, {headers: {revenue: "revenue (EUR)"}})).toBe("customer_id,revenue (EUR)\na,12.5\n");
    expect(toCsv(rows, {headers: {}})).toBe("customer_id,revenue\na,12.5\n");
  });
});
