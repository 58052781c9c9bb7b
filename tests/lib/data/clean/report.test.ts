import {afterAll, beforeAll, describe, expect, it} from "vitest";
import fc from "fast-check";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {openDuckDBWasm, type WasmDuckDB} from "../../../../src/node/duckdb-wasm.js";
import {DROP_REASONS, type CleanOptions} from "../../../../src/lib/data/clean/classify.js";
import {dateExpr, decideDateOrder, numberExpr} from "../../../../src/lib/data/clean/parse.js";
import {sqlString} from "../../../../src/lib/sql/quote.js";
import {cleanTransactions, type DataQualityReport} from "../../../../src/lib/data/clean/report.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import type {SqlRunner} from "../../../../src/lib/types.js";

const COLUMNS = ["InvoiceNo", "CustomerID", "InvoiceDate", "Amount"];
const MAPPING: Mapping = {order_id: "InvoiceNo", customer_id: "CustomerID", order_date: "InvoiceDate", amount: "Amount"};

// One row per rule, in file order; comments give the expected fate with asOf 2011-12-31 and dropZero.
const FIXTURE: (string | null)[][] = [
  ["1001", "A", "2010-12-01", "10.00"], //       1 kept
  ["1002", "", "2010-12-01", "5"], //            2 missing_customer_id
  ["1003", "NA", "2010-12-02", "5"], //          3 missing_customer_id
  ["1004", "B", null, "5"], //                   4 missing_date
  ["1005", "B", "not a date", "5"], //           5 unparseable_date
  ["1006", "B", "2010-13-45", "5"], //           6 unparseable_date
  ["1007", "B", "2030-01-01", "5"], //           7 future_date
  ["1008", "B", "2010-12-03", " "], //           8 missing_amount
  ["1009", "B", "2010-12-03", "abc"], //         9 non_numeric_amount
  ["1001", "A", "2010-12-01", "10.00"], //      10 duplicate of 1
  ["1010", "B", "2010-12-04", "0"], //          11 zero_amount
  ["C1011", "A", "2010-12-05", "-4.00"], //     12 return (cancellation, negative)
  ["1012", "B", "2010-12-06", "$1,234.50"], //  13 kept
  ["1013", "B", "12/7/2010 8:26", "(12.00)"], // 14 return (accounting negative)
  ["C1014", "D", "2010-12-08", "3"], //         15 return (cancellation, positive); D never buys
  ["1015", "A", "20101209", "7"] //             16 kept
];

function sqlValue(value: string | null): string {
  return value === null ? "NULL" : sqlString(value);
}

async function loadRaw(db: NodeDuckDB | WasmDuckDB, rows: (string | null)[][], columns = COLUMNS): Promise<void> {
  const run = (sql: string) => ("run" in db && db.run ? db.run(sql) : db.query(sql));
  await run(`CREATE OR REPLACE TABLE raw (${columns.map((c) => `"${c}" VARCHAR`).join(", ")})`);
  if (rows.length > 0) {
    await run(`INSERT INTO raw VALUES ${rows.map((row) => `(${row.map(sqlValue).join(", ")})`).join(", ")}`);
  }
}

function zeroCounts(): Record<string, number> {
  return Object.fromEntries(DROP_REASONS.map((r) => [r, 0]));
}

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

describe("cleanTransactions", () => {
  it("gives every row exactly one reason, in the documented order", async () => {
    await loadRaw(db, FIXTURE);
    const report = await cleanTransactions(db, {mapping: MAPPING, asOf: "2011-12-31", dropZero: true});
    expect(report.rows).toBe(16);
    expect(report.kept).toBe(3);
    expect(report.dropped).toEqual({
      ...zeroCounts(),
      missing_customer_id: 2,
      missing_date: 1,
      unparseable_date: 2,
      future_date: 1,
      missing_amount: 1,
      non_numeric_amount: 1,
      duplicate: 1,
      zero_amount: 1,
      return: 3
    });
    expect(report.customers).toBe(2);
    expect(report.firstDate).toBe("2010-12-01");
    expect(report.lastDate).toBe("2010-12-09");
    expect(report.revenue).toBeCloseTo(1251.5, 9);
    expect(report.returns).toEqual({rows: 3, cancellations: 2, amount: 19, customers: 3, netted: false, kept: 0});
    expect(report.dedupe).toBe(true);
    // Examples keep the original values and the 1-based row number.
    expect(report.examples.duplicate).toEqual([{_row: 10, InvoiceNo: "1001", CustomerID: "A", InvoiceDate: "2010-12-01", Amount: "10.00"}]);
    expect(report.examples.missing_customer_id?.map((e) => e._row)).toEqual([2, 3]);
    expect(report.examples.missing_date?.[0].InvoiceDate).toBeNull();
    const rows = await db.query("SELECT customer_id, order_date, amount, order_id, is_return, source_row FROM transactions");
    expect(rows).toEqual([
      {customer_id: "A", order_date: "2010-12-01", amount: 10, order_id: "1001", is_return: false, source_row: 1},
      {customer_id: "B", order_date: "2010-12-06", amount: 1234.5, order_id: "1012", is_return: false, source_row: 13},
      {customer_id: "A", order_date: "2010-12-09", amount: 7, order_id: "1015", is_return: false, source_row: 16}
    ]);
  });

  it("keeps $0 rows and, without asOf, future dates by default", async () => {
    await loadRaw(db, FIXTURE);
    const report = await cleanTransactions(db, {mapping: MAPPING});
    expect(report.kept).toBe(5);
    expect(report.dropped.zero_amount).toBe(0);
    expect(report.dropped.future_date).toBe(0);
    expect(report.zeroAmount).toBe(1);
    expect(report.warnings).toContain("1 row(s) with amount 0 were kept as purchases");
  });

  it("nets returns against the same customer's purchases with netReturns", async () => {
    await loadRaw(db, FIXTURE);
    const report = await cleanTransactions(db, {mapping: MAPPING, asOf: "2011-12-31", dropZero: true, netReturns: true});
    expect(report.kept).toBe(5);
    expect(report.dropped.return).toBe(0);
    expect(report.dropped.return_without_purchase).toBe(1);
    expect(report.examples.return_without_purchase?.[0]._row).toBe(15);
    expect(report.returns).toMatchObject({rows: 3, netted: true, kept: 2});
    expect(report.revenue).toBeCloseTo(1235.5, 9);
    expect(report.rows).toBe(report.kept + Object.values(report.dropped).reduce((a, b) => a + b, 0));
    const returns = await db.query("SELECT customer_id, amount FROM transactions WHERE is_return ORDER BY source_row");
    expect(returns).toEqual([
      {customer_id: "A", amount: -4},
      {customer_id: "B", amount: -12}
    ]);
  });

  it("keeps exact duplicates when there is no order id (dedupe auto), drops them with dedupe true", async () => {
    const rows = [
      ["A", "1997-01-01", "9.77"],
      ["A", "1997-01-01", "9.77"],
      ["B", "1997-01-02", "1.00"]
    ];
    const mapping: Mapping = {customer_id: "c", order_date: "d", amount: "a"};
    await loadRaw(db, rows, ["c", "d", "a"]);
    const auto = await cleanTransactions(db, {mapping});
    expect([auto.kept, auto.dropped.duplicate, auto.identicalRows, auto.dedupe]).toEqual([3, 0, 1, false]);
    const forced = await cleanTransactions(db, {mapping, dedupe: true});
    expect([forced.kept, forced.dropped.duplicate, forced.identicalRows]).toEqual([2, 1, 0]);
  });

  it("derives amount from quantity × unit price and cost from profit, and types optional columns", async () => {
    const rows = [
      ["A", "2010-12-01", "3", "2.50", "1.5", "West", "x"],
      ["B", "2010-12-02", "two", "1", "0", "East", "y"]
    ];
    const columns = ["c", "d", "q", "p", "profit", "region", "n"];
    await loadRaw(db, rows, columns);
    const mapping: Mapping = {
      customer_id: "c",
      order_date: "d",
      quantity: "q",
      amount: {multiply: ["q", "p"]},
      cost: {amountMinus: "profit"},
      region: "region"
    };
    const report = await cleanTransactions(db, {mapping});
    expect(report.kept).toBe(1);
    expect(report.dropped.non_numeric_amount).toBe(1);
    const [row] = await db.query("SELECT amount, quantity, cost, region, province FROM transactions");
    expect(row).toEqual({amount: 7.5, quantity: 3, cost: 6, region: "West", province: null});
  });

  it("reads acquisition cost as a number (a bad value counted and set to empty), channel and currency as text", async () => {
    const rows = [
      ["A", "2010-12-01", "10", "25.50", " Ads ", "CAD"],
      ["A", "2010-12-02", "5", "", "Ads", "CAD"],
      ["B", "2010-12-03", "7", "n/a!", "Web", "CAD"]
    ];
    await loadRaw(db, rows, ["c", "d", "a", "CAC", "Channel", "Currency"]);
    const mapping: Mapping = {customer_id: "c", order_date: "d", amount: "a", acquisition_cost: "CAC", channel: "Channel", currency: "Currency"};
    const report = await cleanTransactions(db, {mapping});
    expect(report.kept).toBe(3);
    expect(report.warnings).toContain("acquisition_cost: 1 value(s) are not numbers and were set to empty");
    expect(report.currency).toBe("CAD");
    expect(await db.query("SELECT customer_id, acquisition_cost, channel, currency FROM transactions ORDER BY source_row")).toEqual([
      {customer_id: "A", acquisition_cost: 25.5, channel: "Ads", currency: "CAD"},
      {customer_id: "A", acquisition_cost: null, channel: "Ads", currency: "CAD"},
      {customer_id: "B", acquisition_cost: null, channel: "Web", currency: "CAD"}
    ]);
  });

  it("gives no default currency, with a warning, when the kept rows hold several codes", async () => {
    await loadRaw(db, [["A", "2010-12-01", "10", "cad"], ["B", "2010-12-02", "5", "EUR"], ["C", "2010-12-03", "5", ""]], ["c", "d", "a", "cur"]);
    const report = await cleanTransactions(db, {mapping: {customer_id: "c", order_date: "d", amount: "a", currency: "cur"}});
    expect(report.currency).toBeNull();
    expect(report.warnings).toContain("currency: the kept rows hold 2 codes (CAD, EUR): their amounts are added as they are, and no currency is shown by default");
    await loadRaw(db, [["A", "2010-12-01", "10"]], ["c", "d", "a"]);
    expect((await cleanTransactions(db, {mapping: {customer_id: "c", order_date: "d", amount: "a"}})).currency).toBeUndefined();
  });

  it("reports a mapping that does not fit the table", async () => {
    await loadRaw(db, FIXTURE);
    await expect(cleanTransactions(db, {mapping: {...MAPPING, amount: "Total"}})).rejects.toThrow(
      "amount: column 'Total' is not in the file"
    );
    await expect(cleanTransactions(db, {mapping: MAPPING, asOf: "31/12/2011"})).rejects.toThrow(/not a date/);
  });

  it("never loses a row: rows = kept + sum(dropped) for random messy data", async () => {
    const value = (options: (string | null)[]) => fc.constantFrom(...options);
    const row = fc.tuple(
      value(["1", "2", "C3", "c4", "", null, "CA-2016-1"]),
      value(["A", "B", " a ", "", "NA", null, "n/a"]),
      value(["2010-12-01", "12/1/2010", "13/1/2010", "20101301", "", null, "garbage", "2099-01-01", "Dec 1, 2010"]),
      value(["10", "0", "-5", "", null, "x", "(3)", "1,000.00", "$7", "NaN", "1e2"])
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, {maxLength: 30}),
        fc.record({netReturns: fc.boolean(), dropZero: fc.boolean(), dedupe: fc.constantFrom(true, false, "auto" as const)}),
        fc.option(fc.constant("2011-01-01"), {nil: undefined}),
        async (rows, options, asOf) => {
          await loadRaw(db, rows);
          const report = await cleanTransactions(db, {mapping: MAPPING, ...(options as CleanOptions), asOf});
          const dropped = Object.values(report.dropped).reduce((a, b) => a + b, 0);
          expect(report.rows).toBe(rows.length);
          expect(report.kept + dropped).toBe(rows.length);
          const [{n, distinct}] = await db.query<{n: number; distinct: number}>(
            "SELECT count(*) AS n, count(DISTINCT source_row) AS distinct FROM transactions"
          );
          expect(n).toBe(report.kept);
          expect(distinct).toBe(report.kept);
        }
      ),
      {numRuns: 30, seed: 20240601}
    );
  });
});

describe("date and number parsing", () => {
  async function parse(expr: (v: string) => string, values: string[]): Promise<unknown[]> {
    const list = values.map((v) => `(${sqlString(v)}, ${values.indexOf(v)})`).join(", ");
    const rows = await db.query<{x: unknown}>(`SELECT ${expr("v")} AS x FROM (VALUES ${list}) AS t(v, i) ORDER BY i`);
    return rows.map((r) => r.x);
  }

  it("reads the accepted date forms", async () => {
    const values = [
      "2010-12-01", "2010-12-01 08:26:00", "2010-12-01T08:26:00Z", "2010/12/1", "20101201", "12/1/2010", "12/1/10",
      "12/1/2010 8:26", "12-01-2010", "01-Dec-2010", "Dec 1, 2010", "December 1, 2010"
    ];
    expect(await parse((v) => dateExpr(v, "mdy"), values)).toEqual(values.map(() => "2010-12-01"));
    expect(await parse((v) => dateExpr(v, "dmy"), ["1/12/2010", "1.12.10", "31/1/1999"])).toEqual([
      "2010-12-01", "2010-12-01", "1999-01-31"
    ]);
    expect(await parse((v) => dateExpr(v, "mdy"), ["2010-02-30", "13/13/2010", "1/2", "2010", "garbage", "12/1/1969"])).toEqual([
      null, null, null, null, null, "1969-12-01"
    ]);
  });

  it("reads the accepted number forms", async () => {
    const values = ["1,234.50", "$12", "(12.00)", "-$3", " 4 ", "1e3", "+.5", "NaN", "inf", "12,5", "1,234", "1.2.3", "€ 7"];
    expect(await parse((v) => numberExpr(v), values)).toEqual([1234.5, 12, -12, -3, 4, 1000, 0.5, null, null, null, 1234, null, 7]);
    expect(await parse((v) => numberExpr(v, true), ["1.234,50", "12,5", "7", "(3,25)"])).toEqual([1234.5, 12.5, 7, -3.25]);
  });

  it("decides day first only when the data says so", () => {
    expect(decideDateOrder({slashed: 10, firstOver12: 3, secondOver12: 0}).order).toBe("dmy");
    expect(decideDateOrder({slashed: 10, firstOver12: 0, secondOver12: 3})).toEqual({order: "mdy"});
    expect(decideDateOrder({slashed: 10, firstOver12: 0, secondOver12: 0}).warning).toMatch(/assumed month first/);
    expect(decideDateOrder({slashed: 10, firstOver12: 2, secondOver12: 3}).warning).toMatch(/2 day-first value/);
    expect(decideDateOrder({slashed: 0, firstOver12: 0, secondOver12: 0})).toEqual({order: "mdy"});
  });

  it("applies the decision to the whole column", async () => {
    await loadRaw(db, [["1", "A", "13/1/2010", "1"], ["2", "A", "2/1/2010", "1"]]);
    const report = await cleanTransactions(db, {mapping: MAPPING});
    expect(report.dateOrder).toBe("dmy");
    expect(report.firstDate).toBe("2010-01-02");
    expect(report.lastDate).toBe("2010-01-13");
  });
});

// The page runs the same SQL in DuckDB-WASM 1.29 (DuckDB 1.1): check it gives the same report there.

describe("DuckDB-WASM parity", () => {
  it("cleans the fixture to the same report as native DuckDB", {timeout: 120_000}, async () => {
    const wasm = await openDuckDBWasm();
    try {
      const reports: DataQualityReport[] = [];
      for (const runner of [db, wasm]) {
        await loadRaw(runner, FIXTURE);
        reports.push(await cleanTransactions(runner, {mapping: MAPPING, asOf: "2011-12-31", netReturns: true}));
      }
      expect(reports[1]).toEqual(reports[0]);
      const [version] = await wasm.query<{v: string}>("SELECT version() AS v");
      expect(version.v).toMatch(/^v1\.1/);
    } finally {
      wasm.close();
    }
  });
});
