import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {selectionViewSql, selectTransactions} from "../../../src/lib/sql/selection.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
  await db.query(`CREATE TABLE transactions AS SELECT * FROM (VALUES
    ('c1', DATE '2024-01-05', 10.0, 'West'),
    ('c1', DATE '2024-02-05', 20.0, 'West'),
    ('c2', DATE '2024-03-01', 5.0, 'East'),
    ('c3', DATE '2024-04-01', NULL, 'East'),
    (NULL, DATE '2024-04-02', 7.0, 'East'),
    ('c4', NULL, 8.0, 'West')
  ) AS t(customer_id, order_date, amount, region)`);
});
afterAll(() => db?.close());

describe("selectTransactions", () => {
  const columns = ["customer_id", "order_date", "amount", "region"];

  it("keeps the complete rows that pass the filters and describes them", async () => {
    expect(await selectTransactions(db, {filters: {}, columns})).toEqual({table: "selection", transactions: 3, customers: 2, first: "2024-01-05", last: "2024-03-01"});
    expect(await selectTransactions(db, {filters: {region: ["West"]}, columns, name: "west"})).toEqual({
      table: "west",
      transactions: 2,
      customers: 1,
      first: "2024-01-05",
      last: "2024-02-05"
    });
  });

  it("applies the date filter unless told not to", async () => {
    const filters = {from: "2024-02-01", to: "2024-02-29"};
    expect((await selectTransactions(db, {filters, columns})).transactions).toBe(1);
    expect((await selectTransactions(db, {filters, columns, dates: false})).transactions).toBe(3);
  });

  it("describes an empty selection with null dates", async () => {
    expect(await selectTransactions(db, {filters: {region: ["North"]}, columns})).toMatchObject({transactions: 0, customers: 0, first: null, last: null});
  });

  it("counts orders, not rows, when the table has an order id", async () => {
    await db.query(`CREATE TABLE lines AS SELECT * FROM (VALUES
      ('c1', DATE '2024-01-05', 10.0, 'A1'), ('c1', DATE '2024-01-05', 5.0, 'A1'), ('c2', DATE '2024-01-06', 7.0, NULL), ('c2', DATE '2024-01-07', 8.0, NULL)
    ) AS t(customer_id, order_date, amount, order_id)`);
    const columns = ["customer_id", "order_date", "amount", "order_id"];
    expect(await selectTransactions(db, {filters: {}, columns, table: "lines", name: "line_selection"})).toMatchObject({transactions: 3, customers: 2});
  });

  it("quotes the view name and the filter values", () => {
    const sql = selectionViewSql({filters: {region: ["O'Brien"]}, columns, name: 'my "view"'});
    expect(sql).toContain(`VIEW "my ""view"""`);
    expect(sql).toContain("'O''Brien'");
  });
});
