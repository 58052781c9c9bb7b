import {describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {describeReadError, rawTableSql, readErrorCode} from "../../../src/lib/data/ingest.js";
import {checkRawShape, firstInvalidUtf8, inspectBytes, normalizeNewlines, splitCsvLine, uniqueColumnNames} from "../../../src/lib/data/inspect.js";
import {DataError} from "../../../src/lib/errors.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/malformed/${name}`, import.meta.url)));

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError) return error.code;
    throw error;
  }
  return undefined;
}

describe("inspectBytes", () => {
  it("sniffs the delimiter and the header", () => {
    expect(inspectBytes(bytes("a,b,c\n1,2,3\n"))).toEqual({
      format: "csv", delimiter: ",", header: true, columns: ["a", "b", "c"], newline: "\n", bom: false
    });
    expect(inspectBytes(bytes("a;b\n1;2,5\n")).delimiter).toBe(";");
    expect(inspectBytes(bytes("a\tb\r\n1\t2\r\n")).newline).toBe("\r\n");
    expect(inspectBytes(bytes('"x, y"|z\n1|2\n')).columns).toEqual(["x, y", "z"]);
    expect(inspectBytes(bytes("\uFEFFRow ID,Sales\n1,2\n"))).toMatchObject({bom: true, columns: ["Row ID", "Sales"]});
  });

  it("reads a first line that looks like data as data", () => {
    expect(inspectBytes(bytes("0001,1997-01-01,2,29.33\n0002,1997-01-02,1,9.99\n"))).toMatchObject({
      header: false,
      columns: ["column0", "column1", "column2", "column3"]
    });
  });

  it("recognises whitespace-separated text (CDNOW_sample.txt)", () => {
    expect(inspectBytes(bytes(" 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n"))).toMatchObject({
      format: "whitespace",
      header: false,
      columns: ["column0", "column1", "column2", "column3", "column4"]
    });
    expect(inspectBytes(bytes(" customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n"))).toMatchObject({
      format: "whitespace",
      header: true,
      columns: ["customer_id", "date", "number_of_cds", "dollar_value"]
    });
  });

  it("names what is wrong with each malformed fixture", () => {
    const cases: [string, string, RegExp][] = [
      ["empty.csv", "empty", /empty\.csv is empty/],
      ["blank-lines.csv", "empty", /only blank lines/],
      ["header-only.csv", "header_only", /header but no data rows/],
      ["latin1.csv", "encoding", /not UTF-8 text \(byte 0xE9 on line 2/],
      ["nul-bytes.csv", "encoding", /NUL bytes \(first on line 2\)/],
      ["binary.bin", "binary", /binary file/],
      ["utf16.csv", "encoding", /UTF-16/],
      ["spreadsheet.xlsx", "binary", /ZIP archive/],
      ["not-parquet.parquet", "binary", /not a Parquet file/]
    ];
    for (const [name, code, message] of cases) {
      expect(codeOf(() => inspectBytes(fixture(name), {name})), name).toBe(code);
      expect(() => inspectBytes(fixture(name), {name})).toThrow(message);
    }
  });

  it("reports a forced wrong delimiter", () => {
    expect(() => inspectBytes(fixture("semicolon.csv"), {name: "s.csv", delimiter: ","})).toThrow(
      "s.csv was read as a single column 'customer;date;amount': the fields seem separated by ';', not the delimiter used"
    );
  });

  it("accepts the tricky but valid fixtures", () => {
    expect(inspectBytes(fixture("mixed-newlines.csv")).newline).toBe("mixed");
    expect(inspectBytes(fixture("semicolon.csv"))).toMatchObject({delimiter: ";", columns: ["customer", "date", "amount"]});
    expect(inspectBytes(fixture("ragged.csv")).delimiter).toBe(",");
  });

  it("does not call a cut file header-only", () => {
    expect(inspectBytes(bytes("a,b\n1,"), {complete: false}).columns).toEqual(["a", "b"]);
  });

  it("recognises Parquet by its magic bytes", () => {
    expect(inspectBytes(bytes("PAR1...")).format).toBe("parquet");
  });
});

describe("helpers", () => {
  it("splits quoted CSV fields", () => {
    expect(splitCsvLine('a,"b,c","d ""e""",', ",")).toEqual(["a", "b,c", 'd "e"', ""]);
  });

  it("makes header names unique as DuckDB does", () => {
    expect(uniqueColumnNames(["a", "a", "", "a_1"])).toEqual(["a", "a_1", "column2", "a_1_1"]);
  });

  it("finds the first invalid UTF-8 byte", () => {
    expect(firstInvalidUtf8(bytes("héllo €"))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe9, 0x62]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(-1); // cut at the end: fine
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]))).toBe(0); // overlong
  });

  it("normalises newlines", () => {
    expect(new TextDecoder().decode(normalizeNewlines(bytes("a\nb\r\nc\rd")))).toBe("a\nb\nc\nd");
  });

  it("checks the raw table's shape", () => {
    expect(() => checkRawShape(["a|b|c"], 3, "f.csv")).toThrow(/separated by '\|'/);
    expect(() => checkRawShape(["a", "b"], 0, "f.csv")).toThrow(/header but no data rows/);
    expect(() => checkRawShape(["a", "b"], 2, "f.csv")).not.toThrow();
  });

  it("writes a strict read_csv with every column VARCHAR", () => {
    const sql = rawTableSql("up load.csv", {format: "csv", delimiter: "\t", header: true, columns: ["it's", "b"], newline: "\n", bom: false});
    expect(sql).toBe(
      `CREATE OR REPLACE TABLE "raw" AS SELECT * FROM read_csv('up load.csv', auto_detect = false, header = true, delim = '\t', quote = '"', escape = '"', columns = {'it''s': 'VARCHAR', 'b': 'VARCHAR'})`
    );
  });
});

describe("describeReadError", () => {
  const duck = (message: string) => new Error(message);
  it("turns DuckDB errors into one line", () => {
    const ragged = duck("Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 4,5\nExpected Number of Columns: 3 Found: 2\n...");
    expect(describeReadError(ragged, {file: "f.csv"})).toBe("f.csv line 3 has 2 fields, the header has 3 (ragged rows)");
    expect(readErrorCode(ragged)).toBe("ragged");
    const unicode = duck("Invalid Input Error: CSV Error on Line: 7\nInvalid unicode (byte sequence mismatch) detected.");
    expect(describeReadError(unicode, {file: "f.csv"})).toBe("f.csv is not UTF-8 text (line 7): re-save it as UTF-8");
    expect(readErrorCode(unicode)).toBe("encoding");
    expect(describeReadError(duck('IO Error: No files found that match the pattern "x.csv"'), {file: "x.csv"})).toBe(
      "cannot open x.csv: no such file"
    );
    expect(describeReadError(duck("Invalid Input Error: No magic bytes found at end of file 'x.parquet'"), {file: "x.parquet"})).toBe(
      "x.parquet is not a valid Parquet file"
    );
    expect(describeReadError(duck("Something odd\nmore"), {file: "f"})).toBe("f: Something odd");
    expect(describeReadError(new DataError("empty", "f is empty"))).toBe("f is empty");
  });
});
