import {describe, expect, it} from "vitest";
import {capitalized} from "../../../src/lib/format/text.js";

describe("capitalized", () => {
  it("upper-cases the first letter only", () => {
    expect(capitalized("orders")).toBe("Orders");
    expect(capitalized("line items")).toBe("Line items");
    expect(capitalized("éclairs")).toBe("Éclairs");
  });
  it("leaves an empty text empty", () => {
    expect(capitalized("")).toBe("");
  });
});
