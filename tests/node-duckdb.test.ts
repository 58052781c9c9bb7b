import {describe, expect, it} from "vitest";
import {openDuckDB} from "../src/node/duckdb.js";

describe("openDuckDB", () => {
  it("normalises BIGINT, DATE and DOUBLE the way the browser side sees them", async () => {
    const db = await openDuckDB();
    const rows = await db.query("SELECT 3::BIGINT AS n, DATE '2020-01-02' AS d, 1.5::DOUBLE AS x, 'a' AS s");
    expect(rows).toEqual([{n: 3, d: "2020-01-02", x: 1.5, s: "a"}]);
    db.close();
  });
});
