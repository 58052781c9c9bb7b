import {describe, expect, it} from "vitest";
import {openDuckDB} from "../../../src/node/duckdb.js";
import {
  baseCtes,
  filterConditions,
  filterPredicate,
  filterWhere,
  hasFilters,
  reconcileFilters,
  resolveColumns,
  sqlIdentifier,
  sqlString,
  tableColumns,
  transactionCountSql,
  transactionUnit
} from "../../../src/lib/sql/filters.js";
import {superstoreTable} from "../explore/rows.js";
import {checkIsoDay as isoDate, nextDay} from "../../../src/lib/time.js";

describe("sqlString and sqlIdentifier", () => {
  it("double the quote characters", () => {
    expect(sqlString("O'Brien")).toBe("'O''Brien'");
    expect(sqlString("''")).toBe("''''''");
    expect(sqlString("back\\slash")).toBe("'back\\slash'");
    expect(sqlIdentifier('a"b')).toBe('"a""b"');
  });
  it("refuse NUL characters and non-strings", () => {
    expect(() => sqlString("a\u0000b")).toThrow(/NUL/);
    expect(() => sqlString(3 as unknown as string)).toThrow(/expected a string/);
    expect(() => sqlIdentifier("")).toThrow(/invalid identifier/);
  });
});

describe("isoDate and nextDay", () => {
  it("accept real calendar days only", () => {
    expect(isoDate("2024-02-29")).toBe("2024-02-29");
    expect(() => isoDate("2023-02-29", "from")).toThrow(/from must be a YYYY-MM-DD date, got "2023-02-29"/);
    expect(() => isoDate("2024-1-05")).toThrow();
    expect(() => isoDate("2024-01-05'; DROP TABLE transactions; --")).toThrow();
  });
  it("step over month and year ends", () => {
    expect(nextDay("2024-02-28")).toBe("2024-02-29");
    expect(nextDay("2023-02-28")).toBe("2023-03-01");
    expect(nextDay("1999-12-31")).toBe("2000-01-01");
  });
});

describe("filterWhere", () => {
  it("is empty without filters, and treats empty lists as no filter", () => {
    expect(filterWhere(undefined)).toBe("");
    expect(filterWhere({})).toBe("");
    expect(filterWhere({region: [], province: null})).toBe("");
    expect(filterPredicate({})).toBe("TRUE");
    expect(hasFilters({region: []})).toBe(false);
    expect(hasFilters({to: "2020-01-01"})).toBe(true);
  });
  it("writes dates as a half-open range and lists as IN with quoted literals", () => {
    expect(filterWhere({from: "2020-01-01", to: "2020-12-31", region: ["West", "Atlantic"]})).toBe(
      `WHERE "order_date" >= DATE '2020-01-01' AND "order_date" < DATE '2021-01-01' AND "region" IN ('West', 'Atlantic')`
    );
  });
  it("ignores filters on columns the table lacks", () => {
    const conditions = filterConditions(
      {from: "2020-01-01", region: ["West"], customer_segment: ["Consumer"], category: ["Furniture"]},
      {columns: ["customer_id", "order_date", "amount", "category"]}
    );
    expect(conditions).toEqual([`"order_date" >= DATE '2020-01-01'`, `"category" IN ('Furniture')`]);
  });
  it("qualifies with an alias and can leave dates out", () => {
    expect(filterWhere({from: "2020-01-01", province: ["Québec"]}, {alias: "t", dates: false})).toBe(`WHERE "t"."province" IN ('Québec')`);
  });
  it("rejects bad dates and non-list values, naming them", () => {
    expect(() => filterWhere({to: "yesterday"})).toThrow(/to must be a YYYY-MM-DD date, got "yesterday"/);
    expect(() => filterWhere({region: "West" as unknown as string[]})).toThrow(/region must be a list/);
  });
});

describe("filters in DuckDB", () => {
  it("select the right rows, quotes and all, and survive injection attempts", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE transactions AS SELECT * FROM (VALUES
      ('a', DATE '2020-01-01', 1.0, 'O''Hara Bay', 'Consumer'),
      ('b', DATE '2020-01-31', 2.0, 'West', 'Corporate'),
      ('c', DATE '2020-02-01', 4.0, 'West', NULL),
      ('d', DATE '2020-02-02', 8.0, NULL, 'Consumer')
    ) t(customer_id, order_date, amount, region, customer_segment)`);
    const sum = async (filters: Parameters<typeof filterWhere>[0]) => {
      const columns = await tableColumns(db);
      const [row] = await db.query<{s: number | null}>(`SELECT SUM(amount) AS s FROM transactions ${filterWhere(filters, {columns})}`);
      return row.s;
    };
    expect(await sum({})).toBe(15);
    expect(await sum({region: ["O'Hara Bay"]})).toBe(1);
    expect(await sum({region: ["West"], customer_segment: ["Corporate", "Consumer"]})).toBe(2);
    expect(await sum({from: "2020-01-31", to: "2020-02-01"})).toBe(6);
    expect(await sum({to: "2020-01-31"})).toBe(3);
    expect(await sum({category: ["Furniture"]})).toBe(15); // no category column: ignored
    expect(await sum({region: ["x') OR TRUE OR ('"]})).toBe(null);
    expect(await db.query("SELECT COUNT(*) AS n FROM transactions")).toEqual([{n: 4}]);
    db.close();
  });

  it("finds the columns of a table or a subquery, and builds the span of days", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE transactions AS SELECT 'a' AS customer_id, DATE '2020-01-30' AS order_date, 1.5 AS amount
                  UNION ALL SELECT 'a', DATE '2020-02-02', 2.5`);
    expect(await tableColumns(db)).toEqual(["customer_id", "order_date", "amount"]);
    const resolved = await resolveColumns(db, {table: "(SELECT customer_id, amount FROM transactions)"});
    expect(resolved.columns).toEqual(["customer_id", "amount"]);
    const days = await db.query(`WITH ${baseCtes({filters: {to: "2020-02-01", from: "2019-12-01"}})} SELECT day FROM days ORDER BY day`);
    expect(days).toEqual([{day: "2020-01-30"}, {day: "2020-01-31"}, {day: "2020-02-01"}]);
    const none = await db.query(`WITH ${baseCtes({filters: {from: "2021-01-01"}})} SELECT day FROM days`);
    expect(none).toEqual([]);
    db.close();
  });
});

describe("transactionUnit and transactionCountSql", () => {
  it("count Superstore's 5,496 orders, not its 8,399 rows, when the order id is there", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const withOrders = await tableColumns(db);
    expect(transactionUnit(withOrders)).toMatchObject({orders: true, plural: "orders"});
    const [orders] = await db.query<{n: number}>(`SELECT ${transactionCountSql(withOrders)} AS n FROM transactions`);
    expect(orders.n).toBe(5496);
    const withoutOrders = withOrders.filter((c) => c !== "order_id");
    expect(transactionUnit(withoutOrders)).toMatchObject({orders: false, plural: "transactions"});
    expect(transactionUnit(withoutOrders).note).toMatch(/row/);
    const [rows] = await db.query<{n: number}>(`SELECT ${transactionCountSql(withoutOrders)} AS n FROM transactions`);
    expect(rows.n).toBe(8399);
    db.close();
  });
  it("count a row without an order id as a transaction of its own, on rows and on cells", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1), ('a', 1), ('b', 1), (NULL, 1), (NULL, 1)) v(order_id, x)`);
    const [rows] = await db.query<{n: number}>(`SELECT ${transactionCountSql(["order_id"])} AS n FROM t`);
    expect(rows.n).toBe(4);
    await db.run(`CREATE TABLE c AS SELECT order_id, COUNT(*) AS transactions FROM t GROUP BY order_id`);
    const [cells] = await db.query<{n: number}>(`SELECT ${transactionCountSql(["order_id"], {rows: "transactions"})} AS n FROM c`);
    expect(cells.n).toBe(4);
    const [none] = await db.query<{n: number}>(`SELECT ${transactionCountSql(["order_id"], {rows: "transactions"})} AS n FROM c WHERE false`);
    expect(none.n).toBe(0);
    db.close();
  });
});

describe("reconcileFilters", () => {
  const superstore = {
    values: {region: ["Atlantic", "Ontario", "Prarie", "West"], province: ["Ontario", "Saskachewan"], category: ["Furniture", "Technology"]},
    first: "2009-01-01",
    last: "2012-12-30"
  };
  it("drops the values, columns and dates another data set's filters had that this one does not", () => {
    const stored = {
      from: "2024-02-01",
      to: "2012-06-30",
      region: ["West", "North"],
      province: ["Saskatchewan"],
      customer_segment: ["Gold"],
      category: ["Furniture"]
    };
    expect(reconcileFilters(stored, superstore)).toEqual({
      filters: {to: "2012-06-30", region: ["West"], category: ["Furniture"]},
      dropped: [
        {key: "from", values: ["2024-02-01"]},
        {key: "region", values: ["North"]},
        {key: "province", values: ["Saskatchewan"]},
        {key: "customer_segment", values: ["Gold"]}
      ]
    });
  });
  it("keeps filters that apply, and reports nothing for empty ones", () => {
    const stored = {from: "2009-01-01", to: null, region: ["Ontario"], province: [], category: null};
    expect(reconcileFilters(stored, superstore)).toEqual({filters: {from: "2009-01-01", region: ["Ontario"]}, dropped: []});
    expect(reconcileFilters(null, superstore)).toEqual({filters: {}, dropped: []});
  });
  it("drops what storage mangled", () => {
    const stored = {from: "not a date", region: "West"} as unknown as Parameters<typeof reconcileFilters>[0];
    expect(reconcileFilters(stored, superstore)).toEqual({filters: {}, dropped: [{key: "from", values: ["not a date"]}]});
  });
});
