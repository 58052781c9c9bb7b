import {describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {ROOT, clv} from "./clv.js";
import {sharedData} from "../datasets.js";

const MALFORMED = fileURLToPath(new URL("../fixtures/malformed/", import.meta.url));

const sum = (dropped: Record<string, number>) => Object.values(dropped).reduce((a, b) => a + b, 0);

describe("clv check --json", () => {
  it("CDNOW: 6,919 rows, 2,357 customers", async () => {
    const {code, stdout, stderr} = await clv(["check", sharedData("cdnow/cdnow_sample_transactions.csv"), "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({rows: 6919, kept: 6919, customers: 2357, firstDate: "1997-01-01", lastDate: "1998-06-30"});
    expect(report.rows).toBe(report.kept + sum(report.dropped));
    for (const key of ["rows", "kept", "customers"]) expect(Number.isInteger(report[key])).toBe(true);
  });

  it("Superstore: 8,399 rows, 795 customers", async () => {
    const {code, stdout} = await clv(["check", sharedData("superstore/SampleSuperstoreSales.csv"), "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({rows: 8399, kept: 8399, customers: 795, firstDate: "2009-01-01", lastDate: "2012-12-30"});
    expect(report.mapping.customer_id).toBe("Customer Name");
  });

  it("honours mapping overrides and --as-of", async () => {
    const {code, stdout} = await clv([
      "check", sharedData("superstore/SampleSuperstoreSales.csv"), "--json", "--date", "Ship Date", "--as-of", "2011-12-31"
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.mapping.order_date).toBe("Ship Date");
    expect(report.dropped.future_date).toBeGreaterThan(0);
    expect(report.rows).toBe(8399);
    expect(report.rows).toBe(report.kept + sum(report.dropped));
  });
});

describe("clv check, readable", () => {
  it("prints counts, the mapping and warnings", async () => {
    const {code, stdout} = await clv(["check", sharedData("cdnow/cdnow_sample_transactions.csv")]);
    expect(code).toBe(0);
    expect(stdout).toContain("cdnow_sample_transactions.csv: 6,919 rows, 6,919 kept, 0 dropped");
    expect(stdout).toContain("customers: 2,357, 1997-01-01 to 1998-06-30");
    expect(stdout).toContain("warning: 8 row(s) with amount 0 were kept as purchases");
  });
});

describe.concurrent("unreadable input", () => {
  const unreadable = [
    "empty.csv", "header-only.csv", "ragged.csv", "ragged-extra.csv", "latin1.csv", "nul-bytes.csv", "binary.bin",
    "utf16.csv", "spreadsheet.xlsx", "unterminated-quote.csv", "not-parquet.parquet", "blank-lines.csv", "no-such-file.csv"
  ];
  for (const name of unreadable) {
    it(`${name}: exit 2, one line on stderr`, async () => {
      const {code, stdout, stderr} = await clv(["check", `${MALFORMED}${name}`, "--json"]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^clv: [^\n]+\n$/);
      expect(stderr).not.toMatch(/at .*\.ts:\d+/);
    });
  }
});

describe("exit codes and messages", () => {
  it("a file whose columns cannot be mapped exits 1", async () => {
    const {code, stderr} = await clv(["check", `${MALFORMED}no-customer.csv`]);
    expect(code).toBe(1);
    expect(stderr).toBe("clv: no-customer.csv: no column found for customer_id (columns: region, date, amount)\n");
  });

  it("a forced wrong delimiter is named", async () => {
    const {code, stderr} = await clv(["check", `${MALFORMED}semicolon.csv`, "--delimiter", ","]);
    expect(code).toBe(2);
    expect(stderr).toContain("separated by ';'");
  });

  it("usage errors exit 2", async () => {
    expect((await clv([])).code).toBe(2);
    const unknown = await clv(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(unknown.stderr).toContain("usage: clv <command>");
    const badDate = await clv(["check", `${MALFORMED}semicolon.csv`, "--as-of", "yesterday"]);
    expect(badDate).toMatchObject({code: 2, stderr: "clv: --as-of 'yesterday' is not a date (expected YYYY-MM-DD)\n"});
    expect((await clv(["check"])).stderr).toBe("clv: missing FILE\n");
    expect((await clv(["check", "a.csv", "--bogus"])).code).toBe(2);
  });

  it("prints a stack only with CLV_DEBUG=1", async () => {
    const {code, stderr} = await clv(["check", `${MALFORMED}ragged.csv`], {CLV_DEBUG: "1"});
    expect(code).toBe(2);
    expect(stderr.split("\n").length).toBeGreaterThan(2);
  });

  it("--help prints the options and exits 0", async () => {
    const {code, stdout} = await clv(["check", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--customer COL");
  });
});

describe("clv summary", () => {
  it("reproduces the published CDNOW calibration summary for customer 0001", async () => {
    const {code, stdout} = await clv([
      "summary", sharedData("cdnow/cdnow_sample_transactions.csv"), "--calibration-end", "1997-09-30", "--json"
    ]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(2357);
    expect(rows[0]).toMatchObject({customer_id: "0001", frequency: 2, first_purchase: "1997-01-01", last_purchase: "1997-08-02"});
    expect(rows[0].recency).toBeCloseTo(30.43, 2);
    expect(rows[0].T).toBeCloseTo(38.86, 2);
    // The published value is rounded to 2 decimals: 22.345 → 22.35.
    expect(Math.abs(rows[0].monetary - 22.35)).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it("writes CSV to stdout, and CSV or Parquet files with --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clv-cli-"));
    try {
      const csv = await clv(["summary", `${MALFORMED}mixed-newlines.csv`, "--unit", "day"]);
      expect(csv.code).toBe(0);
      expect(csv.stdout).toBe(
        "customer_id,frequency,recency,T,monetary,first_purchase,last_purchase\n" +
          "A1,1,35,35,4.5,2010-12-01,2011-01-05\n" +
          "A2,0,0,34,0,2010-12-02,2010-12-02\n"
      );
      const out = join(dir, "s.csv");
      expect((await clv(["summary", `${MALFORMED}mixed-newlines.csv`, "--unit", "day", "--out", out])).code).toBe(0);
      expect(readFileSync(out, "utf8").split("\n")[0]).toBe("customer_id,frequency,recency,T,monetary,first_purchase,last_purchase");
      const parquet = join(dir, "s.parquet");
      expect((await clv(["summary", `${MALFORMED}mixed-newlines.csv`, "--out", parquet])).code).toBe(0);
      const check = await clv(["check", parquet, "--json", "--customer", "customer_id", "--date", "first_purchase", "--amount", "monetary"]);
      expect(JSON.parse(check.stdout)).toMatchObject({rows: 2});
      const bad = await clv(["summary", `${MALFORMED}mixed-newlines.csv`, "--out", join(dir, "s.xlsx")]);
      expect(bad.code).toBe(2);
      expect((await clv(["summary", `${MALFORMED}mixed-newlines.csv`, "--unit", "year"])).stderr).toBe(
        "clv: --unit must be one of day, week, month, got 'year'\n"
      );
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
