import {describe, expect, it} from "vitest";
import {openDuckDB} from "../../../src/node/duckdb.js";
import {customerSummary} from "../../../src/lib/fit/summary.js";
import {purchaseNote} from "../../../src/lib/clv/purchases.js";
import {transactionUnit} from "../../../src/lib/sql/filters.js";

describe("purchaseNote", () => {
  it("says what a transaction is, as the exploration pages do, with and without order ids", () => {
    const withOrders = ["customer_id", "order_date", "amount", "order_id"];
    const withoutOrders = ["customer_id", "order_date", "amount"];
    expect(purchaseNote(withOrders).startsWith(transactionUnit(withOrders).note)).toBe(true);
    expect(purchaseNote(withOrders)).toMatch(/customer's orders on the same day are one purchase/);
    expect(purchaseNote(withoutOrders).startsWith(transactionUnit(withoutOrders).note)).toBe(true);
    expect(purchaseNote(withoutOrders)).toMatch(/customer's transactions on the same day are one purchase/);
  });

  it("describes the summary the models are fitted on: two orders on one day are one purchase", async () => {
    const db = await openDuckDB();
    await db.run("CREATE TABLE transactions (customer_id VARCHAR, order_id VARCHAR, order_date DATE, amount DOUBLE)");
    await db.run("INSERT INTO transactions VALUES ('A', 'o1', DATE '2024-01-01', 10), ('A', 'o2', DATE '2024-01-01', 5), ('A', 'o3', DATE '2024-01-08', 20), ('A', 'o4', DATE '2024-01-08', 4)");
    const [a] = await customerSummary(db, {calibrationEnd: "2024-01-31", unit: "day"});
    db.close();
    // Four orders on two days: one purchase after the first, worth the day's total.
    expect(a.frequency).toBe(1);
    expect(a.monetary).toBe(24);
  });
});
