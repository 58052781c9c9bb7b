// The exploration cells grouped a range of days at a time (exploreCellsTable's sliceRows: transactions per
// range) are the cells of one query over every row, value for value and in the same order: on Superstore's
// order lines (orders split, every dimension, nulls in customer and order keys via a missing id), in
// DuckDB-WASM and native DuckDB, with ranges that do not divide the rows, ranges smaller than a day's
// transactions (a day is never split), and one range.
import {describe, expect, it} from "vitest";
import type {Table} from "apache-arrow";
import {bothEngines} from "../engines.js";
import {exploreCellsTable, presentColumns} from "../../../src/lib/explore/derived.js";
import {superstoreTable} from "./rows.js";

const engines = bothEngines(async (db) => {
  await db.run(superstoreTable());
  // A row without a customer and one without an order id: null keys.
  // A row without a date (cleaning drops them): no day to file it under, so in no cell (not on 1970-01-01).
  await db.run(`INSERT INTO transactions (customer_id, order_date, amount, order_id, region) VALUES (NULL, DATE '2011-05-05', 12.5, 'X-1', 'West'), ('SS-1', DATE '2011-05-06', 3.25, NULL, NULL), ('SS-1', NULL, 4.5, 'X-2', 'East')`);
});

/** Every column's values, decoded (dictionary labels, nulls), and the schema's metadata. */
function decoded(table: Table): Record<string, unknown[]> & {metadata: unknown[]} {
  const out: Record<string, unknown[]> = {metadata: [table.schema.metadata.get("clv")]};
  for (const field of table.schema.fields) out[field.name] = Array.from(table.getChild(field.name)!, (v) => v ?? null);
  return out as Record<string, unknown[]> & {metadata: unknown[]};
}

/**
 * The cells as a canonical, comparable value: customer and order keys are numbered by the engine in no set
 * order (row_number() OVER ()), so each cell is written with its key replaced by its customer's (and order's)
 * sorted list of cells, and the cells are sorted.
 */
function canonical(table: Table): {metadata: unknown; cells: string[]} {
  const d = decoded(table);
  const names = table.schema.fields.map((f) => f.name).filter((n) => n !== "customer" && n !== "order");
  const plain = (i: number) => JSON.stringify(names.map((n) => d[n][i]));
  const groups = (key: string) => {
    const by = new Map<unknown, string[]>();
    (d[key] ?? []).forEach((k, i) => k !== null && (by.get(k) ?? by.set(k, []).get(k)!).push(plain(i)));
    return new Map([...by].map(([k, cells]) => [k, cells.sort().join("|")]));
  };
  const customers = groups("customer");
  const orders = groups("order");
  const cells = d.day.map((_, i) => `${plain(i)} c:${customers.get(d.customer[i]) ?? null} o:${d.order ? (orders.get(d.order[i]) ?? null) : "-"}`);
  return {metadata: d.metadata[0], cells: cells.sort()};
}

describe("exploreCellsTable grouped by ranges of days", () => {
  for (const engine of ["native", "wasm"] as const) {
    it(`gives the same cells for any range size (${engine})`, async () => {
      const db = engines[engine];
      const context = {db, table: "transactions", columns: await presentColumns(db, "transactions")};
      const whole = await exploreCellsTable(context, {sliceRows: 1e9});
      expect(whole.numRows).toBeGreaterThan(1000);
      const columns = whole.schema.fields.map((f) => f.name);
      expect(columns).toContain("order");
      expect(whole.getChild("customer")!.nullCount).toBeGreaterThan(0);
      expect(whole.getChild("order")!.nullCount).toBeGreaterThan(0);
      expect(whole.getChild("region")!.nullCount).toBeGreaterThan(0);
      expect(Math.min(...Array.from(whole.getChild("day")!, Number))).toBeGreaterThan(10_000);
      for (const sliceRows of [5, 97, 1000]) {
        const sliced = await exploreCellsTable(context, {sliceRows});
        expect(sliced.schema.fields.map((f) => String(f.type)), `slices of ${sliceRows}`).toEqual(whole.schema.fields.map((f) => String(f.type)));
        expect(canonical(sliced), `slices of ${sliceRows}`).toEqual(canonical(whole));
        // In the same order: sorted by day, then the dimensions' codes (the keys are numbered anew per call).
        const order = (table: Table) => JSON.stringify(["day", ...columns.filter((n) => !["day", "customer", "order", "transactions", "revenue"].includes(n))].map((n) => Array.from(table.getChild(n)!, (v) => v ?? null)));
        expect(order(sliced), `slices of ${sliceRows}`).toBe(order(whole));
      }
      // The values against the cells' own SQL, row by row (sorted as the table is).
      const expected = await db.query<Record<string, unknown>>(`SELECT region, customer_id IS NULL AS no_customer, transactions FROM (
        SELECT CAST(order_date AS DATE) AS d, region, province, customer_segment, category, customer_id, order_id, COUNT(*) AS transactions
        FROM transactions WHERE order_date IS NOT NULL GROUP BY ALL) c ORDER BY d, region, province, customer_segment, category`);
      const got = decoded(whole);
      expect((got.transactions as number[]).reduce((a, b) => a + b, 0)).toBe(expected.reduce((a, r) => a + Number(r.transactions), 0));
      expect(new Set(got.region as unknown[])).toEqual(new Set(expected.map((r) => r.region)));
      expect((got.customer as unknown[]).filter((v) => v === null).length).toBe(expected.filter((r) => r.no_customer).length);
    });
  }

  it("gives the same cells in DuckDB-WASM and native DuckDB, but for the key numbering", async () => {
    const a = canonical(await exploreCellsTable({db: engines.native, table: "transactions", columns: await presentColumns(engines.native, "transactions")}, {sliceRows: 333}));
    const b = canonical(await exploreCellsTable({db: engines.wasm, table: "transactions", columns: await presentColumns(engines.wasm, "transactions")}, {sliceRows: 500}));
    expect(b).toEqual(a);
  });
});
