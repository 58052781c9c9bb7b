// Shared by the exploration tests: the Superstore data as a transactions table, a small sales fixture, and
// rows without their customer counts.
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {sharedData} from "../../datasets.js";

/**
 * SQL creating `table` from ../shared/data's Superstore orders in the canonical columns. Superstore has no
 * partners or offers: product sub-categories and ship modes stand in for them.
 */
export function superstoreTable(table = "transactions"): string {
  return `CREATE TABLE ${table} AS
  SELECT "Customer Name" AS customer_id,
         CAST(strptime("Order Date", '%m/%d/%y') AS DATE) AS order_date,
         CAST("Sales" AS DOUBLE) AS amount,
         "Product Sub-Category" AS partner, "Ship Mode" AS offer_type,
         "Region" AS region, "Province" AS province, "Customer Segment" AS customer_segment,
         "Product Category" AS category, "Order ID" AS order_id
  FROM read_csv('${sharedData("superstore/SampleSuperstoreSales.csv")}', header = true, all_varchar = true)`;
}

/** A hand-written fixture, VALUES rows of (customer_id, date, amount, region), as the transactions table. */
export async function salesFixture(rows: string): Promise<NodeDuckDB> {
  const db = await openDuckDB();
  await db.run(`CREATE TABLE transactions AS
    SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, region
    FROM (VALUES ${rows}) t(customer_id, d, amount, region)`);
  return db;
}
const CUSTOMER_FIELDS = ["customers", "customers_7d", "customers_28d", "previous_customers"];

/** The rows with every customers field set to null (what cells without a customer key give). */
export function withoutCustomers<T extends object>(rows: readonly T[]): T[] {
  return rows.map((row) => {
    const out = {...row} as Record<string, unknown>;
    for (const key of CUSTOMER_FIELDS) if (key in out) out[key] = null;
    return out as T;
  });
}
