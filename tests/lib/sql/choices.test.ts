import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {filterChoices} from "../../../src/lib/sql/choices.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
  await db.query(`CREATE TABLE transactions AS SELECT * FROM (VALUES
    ('c1', DATE '2024-01-05', 10.0, 'West', 'BC', 'Retail'),
    ('c2', DATE '2023-12-31', 20.0, 'East', 'ON', 'Retail'),
    ('c3', DATE '2024-03-01', 5.0, 'East', NULL, 'Retail'),
    ('c4', DATE '2024-02-10', 7.0, NULL, 'QC', 'Retail')
  ) AS t(customer_id, order_date, amount, region, province, customer_segment)`);
  await db.query(`CREATE TABLE "odd ""name""" AS SELECT * FROM transactions WHERE region = 'East'`);
});
afterAll(() => db?.close());

describe("filterChoices", () => {
  const columns = ["customer_id", "order_date", "amount", "region", "province", "customer_segment"];

  it("offers the sorted non-null values of each list column with more than one, and the date span", async () => {
    expect(await filterChoices(db, columns)).toEqual({
      values: {region: ["East", "West"], province: ["BC", "ON", "QC"]},
      first: "2023-12-31",
      last: "2024-03-01"
    });
  });

  it("offers nothing for a column it is not told the table has", async () => {
    expect((await filterChoices(db, ["customer_id", "order_date", "amount", "province"])).values).toEqual({province: ["BC", "ON", "QC"]});
  });

  it("reads another table, quoting its name", async () => {
    expect(await filterChoices(db, columns, 'odd "name"')).toEqual({values: {}, first: "2023-12-31", last: "2024-03-01"});
  });
});
