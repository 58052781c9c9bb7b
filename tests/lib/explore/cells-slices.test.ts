// The exploration cells grouped a run of customers at a time (exploreCellsTable's customersPerRun) and merged
// into day order are the cells of one query over every row, value for value, key for key and in the same
// order: on Superstore's order lines (orders split, every dimension, nulls in customer and order keys via a
// missing id, a row without a date), in DuckDB-WASM and native DuckDB, with runs that do not divide the
// customers, runs of a few customers, and one run; checked against a query that numbers the customers itself.
import {describe, expect, it} from "vitest";
import type {Table} from "apache-arrow";
import {bothEngines} from "../engines.js";
import {exploreCellsTable, presentColumns} from "../../../src/lib/explore/derived.js";
import {toMicros} from "../../../src/lib/sql/filters.js";
import {superstoreTable} from "./rows.js";

const engines = bothEngines(async (db) => {
  await db.run(superstoreTable());
  // A row without a customer and one without an order id: null keys.
  // A row without a date (cleaning drops them): no day to file it under, so in no cell (not on 1970-01-01).
  await db.run(`INSERT INTO transactions (customer_id, order_date, amount, order_id, region) VALUES (NULL, DATE '2011-05-05', 12.5, 'X-1', 'West'), (NULL, DATE '2011-05-05', 2.5, 'X-3', 'West'), ('SS-1', DATE '2011-05-06', 3.25, NULL, NULL), ('SS-1', NULL, 4.5, 'X-2', 'East')`);
});

/** Every column's values, decoded (dictionary labels, nulls), and the schema's metadata. */
function decoded(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {metadata: [table.schema.metadata.get("clv")]};
  for (const field of table.schema.fields) out[field.name] = Array.from(table.getChild(field.name)!, (v) => (v == null ? null : Number.isInteger(v) ? v : typeof v === "bigint" ? Number(v) : v));
  return out;
}

const DIMS = ["region", "province", "customer_segment", "category", "partner", "offer_type"];

describe("exploreCellsTable grouped by runs of customers", () => {
  for (const engine of ["native", "wasm"] as const) {
    it(`gives the cells of one query over every row for any run size (${engine})`, async () => {
      const db = engines[engine];
      const context = {db, table: "transactions", columns: await presentColumns(db, "transactions")};
      const whole = await exploreCellsTable(context);
      expect(whole.numRows).toBeGreaterThan(1000);
      expect(whole.schema.fields.map((f) => f.name)).toEqual(["day", ...DIMS, "customer", "order", "transactions", "revenue"]);
      expect(whole.getChild("customer")!.nullCount).toBe(2);
      expect(whole.getChild("order")!.nullCount).toBeGreaterThan(0);
      expect(whole.getChild("region")!.nullCount).toBeGreaterThan(0);
      // The cells as one query gives them: customers and orders numbered from 1 in id order, sorted as the table is.
      const expected = await db.query<Record<string, unknown>>(`WITH t AS (
        SELECT *, CASE WHEN customer_id IS NOT NULL THEN dense_rank() OVER (PARTITION BY customer_id IS NULL ORDER BY customer_id) END AS customer,
               CASE WHEN order_id IS NOT NULL THEN dense_rank() OVER (PARTITION BY order_id IS NULL ORDER BY order_id) END AS "order"
        FROM transactions)
        SELECT CAST(date_diff('day', DATE '1970-01-01', CAST(order_date AS DATE)) AS INTEGER) AS day, ${DIMS.join(", ")}, customer, "order",
               CAST(count(*) AS INTEGER) AS transactions, CAST(sum(${toMicros("amount")}) AS DOUBLE) AS revenue
        FROM t WHERE order_date IS NOT NULL
        GROUP BY ALL ORDER BY day, ${DIMS.join(", ")}, customer, "order"`);
      const got = decoded(whole);
      for (const name of ["day", ...DIMS, "customer", "order", "transactions", "revenue"]) {
        expect(got[name], name).toEqual(expected.map((row) => (row[name] == null ? null : typeof row[name] === "string" ? row[name] : Number(row[name]))));
      }
      const [{customers}] = await db.query<{customers: number}>(`SELECT count(DISTINCT customer_id) AS customers FROM transactions WHERE order_date IS NOT NULL`);
      expect(JSON.parse(got.metadata[0] as string).customerKeys).toBe(Number(customers));
      for (const customersPerRun of [5, 97, 1000]) {
        const runs = await exploreCellsTable(context, {customersPerRun});
        expect(runs.schema.fields.map((f) => String(f.type)), `runs of ${customersPerRun}`).toEqual(whole.schema.fields.map((f) => String(f.type)));
        expect(decoded(runs), `runs of ${customersPerRun}`).toEqual(got);
      }
    });
  }

  it("gives the same cells in DuckDB-WASM and native DuckDB", async () => {
    const a = decoded(await exploreCellsTable({db: engines.native, table: "transactions", columns: await presentColumns(engines.native, "transactions")}, {customersPerRun: 333}));
    const b = decoded(await exploreCellsTable({db: engines.wasm, table: "transactions", columns: await presentColumns(engines.wasm, "transactions")}, {customersPerRun: 50}));
    expect(b).toEqual(a);
  });
});
