import {readFileSync, statSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {fixture, readFixture, sharedData} from "./datasets.js";

// The committed CDNOW fixtures (tests/fixtures/README.md) are small and hold exactly the published files.
const FIXTURES = [
  ["cdnow/cdnow_customers_summary.csv", "cdnow/cdnow_customers_summary.csv"],
  ["cdnow/cdnow_customers_summary_with_transactions.csv", "cdnow/cdnow_customers_summary_with_transactions.csv"],
  ["cdnow/cdnow_sample_transactions.csv.gz", "cdnow/cdnow_sample_transactions.csv"]
] as const;

describe("tests/fixtures", () => {
  it.each(FIXTURES)("%s is under 100 KB", (name) => {
    expect(statSync(fixture(name)).size).toBeLessThan(100 * 1024);
  });

  it.each(FIXTURES)("%s holds the bytes of ../shared/data/%s", (name, original) => {
    expect(readFixture(name) === readFileSync(sharedData(original), "utf8")).toBe(true);
  });
});
