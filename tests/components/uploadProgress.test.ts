import {describe, expect, it} from "vitest";
import {cleaningLine, readingLine} from "../../src/components/uploadProgress.js";

describe("readingLine", () => {
  it("says the bytes read of the file's size and, once some are in, the rows so far", () => {
    expect(readingLine("big.csv", {bytesRead: 0, size: 208_123_456, rows: 0})).toBe("Reading big.csv: 0 MB of 208 MB");
    expect(readingLine("big.csv", {bytesRead: 83_400_000, size: 208_123_456, rows: 2_000_000})).toBe("Reading big.csv: 83 MB of 208 MB, 2,000,000 rows so far");
    expect(readingLine("small.csv", {bytesRead: 1_234_567, size: 2_500_000, rows: 10})).toBe("Reading small.csv: 1.2 MB of 2.5 MB, 10 rows so far");
  });
});

describe("cleaningLine", () => {
  it("names the stage and the rows cleaned so far", () => {
    expect(cleaningLine("big.csv", {rows: 0, total: 5_000_000, stage: "repeats"})).toBe("Cleaning big.csv: finding repeated rows among 5,000,000");
    expect(cleaningLine("big.csv", {rows: 750_000, total: 5_000_000, stage: "rows"})).toBe("Cleaning big.csv: 750,000 of 5,000,000 rows cleaned");
    expect(cleaningLine("big.csv", {rows: 5_000_000, total: 5_000_000, stage: "rules"})).toBe("Cleaning big.csv: 5,000,000 of 5,000,000 rows cleaned; duplicates, returns and the report");
  });
});
