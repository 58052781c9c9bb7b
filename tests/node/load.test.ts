import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {openDuckDB, type NodeDuckDB} from "../../src/node/duckdb.js";
import {loadTransactionsFile} from "../../src/node/load.js";
import {DataError} from "../../src/lib/errors.js";
import {sharedData} from "../datasets.js";

const MALFORMED = fileURLToPath(new URL("../fixtures/malformed/", import.meta.url));

let db: NodeDuckDB;
beforeEach(async () => {
  db = await openDuckDB();
});
afterEach(() => db.close());

const total = (dropped: Record<string, number>) => Object.values(dropped).reduce((a, b) => a + b, 0);

describe("loadTransactionsFile on real data", () => {
  it("loads the CDNOW sample CSV (mixed line endings): 6,919 rows, 2,357 customers", async () => {
    const {report, mapping} = await loadTransactionsFile(db, sharedData("cdnow/cdnow_sample_transactions.csv"));
    expect(mapping).toEqual({customer_id: "customer_id", order_date: "date", quantity: "quantity", amount: "amount"});
    expect(report).toMatchObject({rows: 6919, kept: 6919, customers: 2357, firstDate: "1997-01-01", lastDate: "1998-06-30"});
    expect(report.zeroAmount).toBe(8);
    expect(report.identicalRows).toBe(21);
    const [{n}] = await db.query<{n: number}>("SELECT count(*) AS n FROM transactions");
    expect(n).toBe(6919);
  });

  it("loads the headerless whitespace original the same way", async () => {
    const {report, mapping} = await loadTransactionsFile(db, sharedData("cdnow/CDNOW_sample.txt"));
    expect(mapping).toMatchObject({order_date: "column2", amount: "column4", quantity: "column3"});
    expect(report).toMatchObject({rows: 6919, kept: 6919, customers: 2357, revenue: expect.closeTo(244091.94, 6)});
  });

  it("loads Superstore: BOM, Customer Name key, M/D/YY dates, cost = Sales − Profit", async () => {
    const {report, mapping} = await loadTransactionsFile(db, sharedData("superstore/SampleSuperstoreSales.csv"));
    expect(mapping.customer_id).toBe("Customer Name");
    expect(mapping.cost).toEqual({amountMinus: "Profit"});
    expect(report).toMatchObject({
      rows: 8399, kept: 8399, customers: 795, firstDate: "2009-01-01", lastDate: "2012-12-30", dateOrder: "mdy"
    });
    const [first] = await db.query("SELECT customer_id, order_date, amount, cost, province, customer_segment FROM transactions LIMIT 1");
    expect(first).toEqual({
      customer_id: "Muhammed MacIntyre",
      order_date: "2010-10-13",
      amount: 261.54,
      cost: expect.closeTo(474.79, 9),
      province: "Nunavut",
      customer_segment: "Small Business"
    });
  });

  it("applies overrides and asOf", async () => {
    const {report, mapping} = await loadTransactionsFile(db, sharedData("superstore/SampleSuperstoreSales.csv"), {
      mapping: {date: "ship date", customer: "Customer Name"},
      asOf: "2012-06-30"
    });
    expect(mapping.order_date).toBe("Ship Date");
    expect(report.dropped.future_date).toBeGreaterThan(0);
    expect(report.rows).toBe(report.kept + total(report.dropped));
    expect(report.lastDate! <= "2012-06-30").toBe(true);
  });

  it("reads Parquet written by DuckDB", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clv-test-"));
    try {
      await loadTransactionsFile(db, sharedData("cdnow/cdnow_sample_transactions.csv"));
      const file = join(dir, "t.parquet");
      await db.run(`COPY (SELECT customer_id, order_date, amount FROM transactions) TO '${file}' (FORMAT PARQUET)`);
      const {report} = await loadTransactionsFile(db, file);
      expect(report).toMatchObject({rows: 6919, kept: 6919, customers: 2357});
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe("loadTransactionsFile on malformed files", () => {
  const cases: [string, string, string][] = [
    ["missing.csv", "not_found", "no such file"],
    ["empty.csv", "empty", "empty.csv is empty"],
    ["header-only.csv", "header_only", "header-only.csv has a header but no data rows"],
    ["ragged.csv", "ragged", "ragged.csv line 3 has 2 fields, the header has 3 (ragged rows)"],
    ["ragged-extra.csv", "ragged", "ragged-extra.csv line 3 has 4 fields, the header has 3 (ragged rows)"],
    ["latin1.csv", "encoding", "not UTF-8 text"],
    ["nul-bytes.csv", "encoding", "NUL bytes"],
    ["binary.bin", "binary", "binary file"],
    ["unterminated-quote.csv", "unreadable", "quoted value that is never closed"],
    ["no-customer.csv", "mapping", "no column found for customer_id"]
  ];
  for (const [name, code, message] of cases) {
    it(`${name}: ${code}`, async () => {
      const error = await loadTransactionsFile(db, `${MALFORMED}${name}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).code).toBe(code);
      expect((error as DataError).message).toContain(message);
      expect((error as DataError).message).not.toContain("\n");
    });
  }

  it("reads the semicolon file with day-first dates and decimal commas", async () => {
    const {report} = await loadTransactionsFile(db, `${MALFORMED}semicolon.csv`);
    expect(report).toMatchObject({rows: 3, kept: 3, firstDate: "2010-12-01", lastDate: "2011-01-02", dateOrder: "dmy"});
    expect(report.revenue).toBeCloseTo(1253.75, 9);
  });

  it("reads mixed line endings", async () => {
    const {report} = await loadTransactionsFile(db, `${MALFORMED}mixed-newlines.csv`);
    expect(report).toMatchObject({rows: 3, kept: 3, customers: 2});
  });
});

describe("lazy cleaning (the CLI's view over the classified rows)", () => {
  const files = [sharedData("superstore/SampleSuperstoreSales.csv"), `${MALFORMED}semicolon.csv`, `${MALFORMED}mixed-newlines.csv`];
  for (const file of files) {
    it(`gives the same report and transactions as a table: ${file.split("/").pop()}`, async () => {
      const eager = await loadTransactionsFile(db, file, {netReturns: true});
      const rows = await db.query("SELECT * FROM transactions ORDER BY source_row");
      const other = await openDuckDB();
      try {
        const lazy = await loadTransactionsFile(other, file, {netReturns: true, lazy: true});
        expect(lazy).toEqual(eager);
        const [{type}] = await other.query<{type: string}>("SELECT table_type AS type FROM information_schema.tables WHERE table_name = 'transactions'");
        expect(type).toBe("VIEW");
        expect(await other.query("SELECT * FROM transactions ORDER BY source_row")).toEqual(rows);
      } finally {
        other.close();
      }
    });
  }
});
