import {describe, expect, test} from "vitest";
import {BASE_BYTES, BYTES_PER_ROW, DEFAULT_LIMIT_BYTES, ENGINE_LIMIT_BYTES, MEMORY_PER_FILE_BYTE, estimateUpload, memoryLimit, rowsText, tooLargeWarning} from "../../src/components/uploadEstimate.js";

/** A CSV of `rows` rows of the same width: "c000001,2024-01-01,12.50\n" (25 bytes). */
function csv(rows: number): Blob {
  const lines = ["customer_id,order_date,amount"];
  for (let i = 0; i < rows; i++) lines.push(`c${String(i).padStart(6, "0")},2024-01-01,12.50`);
  return new Blob([lines.join("\n") + "\n"]);
}

const roomy = {bytes: 64 * 1024 ** 3, source: "test"};

describe("estimateUpload", () => {
  test("a file smaller than the sample is counted exactly (with or without a last line end)", async () => {
    const estimate = await estimateUpload(csv(1000), {limit: roomy});
    expect(estimate).toMatchObject({rows: 1000, exact: true, tooLarge: false});
    const noEnd = await estimateUpload(new Blob(["a,b\n1,2\n3,4"]), {limit: roomy});
    expect(noEnd?.rows).toBe(2);
    expect(rowsText(estimate!)).toBe("1,000 rows");
  });

  test("a larger file is extrapolated from the sample's bytes per row", async () => {
    const file = csv(200_000); // 25 bytes a row: 5 MB
    const estimate = (await estimateUpload(file, {sampleBytes: 64 * 1024, limit: roomy}))!;
    expect(estimate.exact).toBe(false);
    expect(estimate.bytesPerRow).toBeCloseTo(25, 0);
    expect(Math.abs(estimate.rows - 200_000)).toBeLessThan(200);
    expect(estimate.memoryBytes).toBeCloseTo(BASE_BYTES + estimate.rows * BYTES_PER_ROW + file.size * MEMORY_PER_FILE_BYTE, 0);
    expect(rowsText(estimate)).toBe("about 200,000 rows");
  });

  test("beyond the limit it warns, with the numbers and the command-line tool", async () => {
    const file = csv(200_000);
    const estimate = (await estimateUpload(file, {sampleBytes: 64 * 1024, limit: {bytes: 100e6, source: "a test limit"}}))!;
    expect(estimate.tooLarge).toBe(true);
    const warning = tooLargeWarning("big.csv", estimate);
    expect(warning).toMatch(/^big\.csv \(5 MB\) has about 200,000 rows \(25 bytes a row in its first 0\.1 MB\)/);
    expect(warning).toContain("(0.1 GB: a test limit)");
    expect(warning).toContain("npx clv report big.csv --out report");
    expect(warning).toContain("You can still try here.");
  });

  test("a file with no line end in the sample gives no estimate", async () => {
    expect(await estimateUpload(new Blob(["x".repeat(5000)]), {sampleBytes: 1000})).toBeNull();
  });
});

describe("memoryLimit", () => {
  test("half the device memory, at most one engine's 4 GB; the JS heap limit; else the stated default", () => {
    expect(memoryLimit({deviceMemory: 2}).bytes).toBe(1024 ** 3);
    expect(memoryLimit({deviceMemory: 2}).source).toContain("2 GB this device reports");
    expect(memoryLimit({deviceMemory: 8, heapLimit: 1e9}).bytes).toBe(ENGINE_LIMIT_BYTES);
    expect(memoryLimit({heapLimit: 1e9}).bytes).toBe(1e9);
    expect(memoryLimit({}).bytes).toBe(DEFAULT_LIMIT_BYTES);
    expect(memoryLimit({}).source).toContain("does not say");
  });
});
