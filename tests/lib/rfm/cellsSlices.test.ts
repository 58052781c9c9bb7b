// The RFM cells grouped a run of customers at a time (rfmCellsTable's customersPerRun) equal the cells of
// one query, column for column and in the same order (customers numbered across the runs as in one query), in native DuckDB and DuckDB-WASM (the page's engine), on Superstore (order ids
// repeat there) with a row whose region is missing; and both engines give the same cells.
import {describe, expect, it} from "vitest";
import type {Table} from "apache-arrow";
import {bothEngines} from "../engines.js";
import {presentColumns} from "../../../src/lib/explore/derived.js";
import {rfmCellsTable} from "../../../src/lib/rfm/cells.js";
import {superstoreTable} from "../explore/rows.js";

const engines = bothEngines(async (db) => {
  await db.run(superstoreTable());
  await db.run(`INSERT INTO transactions (customer_id, order_date, amount, order_id, region) VALUES ('SS-1', DATE '2011-05-06', 3.25, NULL, NULL)`);
});

/** Every column's values (dictionaries decoded, nulls as null) and the metadata. */
function decoded(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {metadata: [table.schema.metadata.get("clv")]};
  for (const field of table.schema.fields) out[field.name] = Array.from(table.getChild(field.name)!, (v) => v ?? null);
  return out;
}

describe("rfmCellsTable grouped by runs of customers", () => {
  it("gives the same cells for any run size, in both engines", async () => {
    const made: Record<string, unknown[]>[] = [];
    for (const db of [engines.native, engines.wasm]) {
      const columns = await presentColumns(db, "transactions");
      const whole = decoded(await rfmCellsTable(db, {table: "transactions", columns, customersPerRun: 1e9}));
      expect(whole.customer.length).toBeGreaterThan(1000);
      expect(whole.order).toBeDefined();
      expect(whole.region).toContain(null);
      for (const customersPerRun of [1, 97, 500]) {
        expect(decoded(await rfmCellsTable(db, {table: "transactions", columns, customersPerRun})), `runs of ${customersPerRun}`).toEqual(whole);
      }
      made.push(whole);
    }
    // Customers are numbered as the summary's rows (by customer_id) and rows sorted on every key: the same in both engines.
    expect(made[1]).toEqual(made[0]);
  }, 120_000);
});
