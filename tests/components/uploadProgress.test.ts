import {describe, expect, it} from "vitest";
import {readingLine} from "../../src/components/uploadProgress.js";

describe("readingLine", () => {
  it("says the bytes read of the file's size and, once some are in, the rows so far", () => {
    expect(readingLine("big.csv", {bytesRead: 0, size: 208_123_456, rows: 0})).toBe("Reading big.csv: 0 MB of 208 MB");
    expect(readingLine("big.csv", {bytesRead: 83_400_000, size: 208_123_456, rows: 2_000_000})).toBe("Reading big.csv: 83 MB of 208 MB, 2,000,000 rows so far");
    expect(readingLine("small.csv", {bytesRead: 1_234_567, size: 2_500_000, rows: 10})).toBe("Reading small.csv: 1.2 MB of 2.5 MB, 10 rows so far");
  });
});
