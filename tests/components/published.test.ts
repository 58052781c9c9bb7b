// @vitest-environment jsdom
/*
 * components/published.ts's publishedValue: in a report build, a value the build's tables do not hold gives
 * way to the one they hold, with a note that says so; in an ordinary build nothing changes.
 */
import {afterEach, describe, expect, it} from "vitest";
import {publishedValue, RAW_ROWS_MESSAGE} from "../../src/components/published.js";

function publish(): void {
  const meta = document.createElement("meta");
  meta.name = "clv-publish";
  meta.content = "aggregates";
  document.head.append(meta);
}

afterEach(() => document.head.querySelectorAll("meta").forEach((meta) => meta.remove()));

describe("publishedValue", () => {
  it("keeps any value in an ordinary build", () => {
    expect(publishedValue("2024-01-01", "2024-06-30", "the calibration end")).toEqual({value: "2024-01-01", note: null});
  });

  it("in a report build, shows the build's value and says why when another is asked for", () => {
    publish();
    const {value, note} = publishedValue(20, 26, "a holdout of", (weeks) => `${weeks} weeks`);
    expect(value).toBe(26);
    expect(note!.textContent).toBe(`Not available for a holdout of 20 weeks: ${RAW_ROWS_MESSAGE} Shown for 26 weeks, as published.`);
    expect(note!.className).toContain("published-pinned");
    expect(publishedValue(26, 26, "a holdout of")).toEqual({value: 26, note: null});
    // Nothing built to fall back on (an upload without tables): the value is kept, and the page asks DuckDB.
    expect(publishedValue(20, null, "a holdout of")).toEqual({value: 20, note: null});
  });
});
