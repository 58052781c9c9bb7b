import {describe, expect, it} from "vitest";
import {cleanedSummary, dateWarnings, isOutOfMemory, noRowsMessage, tooLargeMessage} from "../../../src/lib/data/uploadMessages.js";
import {DROP_REASONS, type DropReason} from "../../../src/lib/data/clean/classify.js";

const none = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;

describe("noRowsMessage", () => {
  it("a file of only negative amounts names the returns and the option that keeps them", () => {
    expect(noRowsMessage({rows: 4, dropped: {...none, return: 4}})).toBe(
      'every row of the file (4) was dropped while cleaning: 4 rows that are returns, with a negative amount or a cancelled order (turn on "Net returns against purchases" to keep them, netted against purchases)'
    );
  });

  it("lists every reason, the largest first", () => {
    const message = noRowsMessage({rows: 1_205, dropped: {...none, unparseable_date: 1_200, missing_customer_id: 5}});
    expect(message).toBe(
      "every row of the file (1,205) was dropped while cleaning: 1,200 rows with a date that cannot be read (check the order_date column in the mapping); 5 rows without a customer id (check the customer_id column in the mapping)"
    );
  });
});

describe("dateWarnings", () => {
  it("warns when every date, or the last, lies after today; nothing otherwise", () => {
    expect(dateWarnings({firstDate: "2099-01-02", lastDate: "2099-03-01"}, {today: "2026-11-30"})).toEqual([
      "every order is dated in the future (2099-01-02 to 2099-03-01, after today 2026-11-30): check the order_date column and the date order (day or month first)"
    ]);
    expect(dateWarnings({firstDate: "2026-01-01", lastDate: "2027-01-01"}, {today: "2026-11-30"})[0]).toMatch(/^some orders are dated in the future \(the last on 2027-01-01/);
    expect(dateWarnings({firstDate: "2026-01-01", lastDate: "2026-11-30"}, {today: "2026-11-30"})).toEqual([]);
    expect(dateWarnings({firstDate: null, lastDate: null}, {today: "2026-11-30"})).toEqual([]);
  });
});

describe("cleanedSummary", () => {
  it("says how many rows were read, kept and dropped", () => {
    expect(cleanedSummary({rows: 1_205, kept: 1_200, dropped: {...none, duplicate: 3, missing_date: 2}})).toBe("Read and cleaned 1,205 rows: 1,200 kept, 5 dropped");
    expect(cleanedSummary({rows: 1, kept: 1, dropped: none})).toBe("Read and cleaned 1 row: all 1 kept");
    expect(cleanedSummary({rows: 4, kept: 0, dropped: {...none, return: 4}})).toBe("Read and cleaned 4 rows: 0 kept, 4 dropped");
  });
  it("refuses counts that do not add up instead of losing a row silently", () => {
    expect(() => cleanedSummary({rows: 10, kept: 8, dropped: {...none, duplicate: 1}})).toThrow(/8 kept \+ 1 dropped ≠ 10 rows/);
  });
});

describe("tooLargeMessage", () => {
  it("names the file, its size, how far it got and what to do", () => {
    expect(tooLargeMessage({name: "big.csv", size: 208_000_000, bytesRead: 96_000_000, rows: 2_300_000, detail: "Out of Memory Error: failed to allocate\nmore"})).toBe(
      "big.csv (208 MB) is more than this page can hold: DuckDB in the browser ran out of memory after reading 96 MB of 208 MB (2,300,000 rows) (Out of Memory Error: failed to allocate). " +
        "Use a smaller file (fewer columns, a shorter date range or a sample of customers), close other tabs and reload, or analyse the whole file with the command-line tool (npx clv), which has no such limit."
    );
    expect(tooLargeMessage({name: "big.csv", size: 5_500_000, rows: 100})).toMatch(/^big\.csv \(5\.5 MB\) is more than this page can hold: DuckDB in the browser ran out of memory with its 100 rows\. Use/);
  });
});

describe("isOutOfMemory", () => {
  it("tells DuckDB's and the WebAssembly engine's memory errors from others", () => {
    expect(isOutOfMemory(new Error("Out of Memory Error: could not allocate block of size 256.0 KiB (1.9 GiB/2.0 GiB used)"))).toBe(true);
    expect(isOutOfMemory(new Error("DuckDB stopped: Uncaught RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded"))).toBe(true);
    expect(isOutOfMemory("Aborted(OOM)")).toBe(true);
    expect(isOutOfMemory(new Error("CSV Error on Line: 3"))).toBe(false);
  });
});
