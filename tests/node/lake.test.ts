// A data lake (a folder of hive-partitioned Parquet files, or a glob of CSV files) reads as one table: every
// command gives the same output as on the single file it was cut from.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {clv} from "../cli/clv.js";
import {sharedData} from "../datasets.js";
import {openDuckDB} from "../../src/node/duckdb.js";

const SAMPLE = sharedData("cdnow/cdnow_sample_transactions.csv");
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "clv-lake-"));
  // The file mixes LF and CRLF line ends, which DuckDB's CSV reader refuses: read an LF copy.
  const copy = join(dir, "sample.csv");
  writeFileSync(copy, readFileSync(SAMPLE, "utf-8").replace(/\r/g, ""));
  const db = await openDuckDB();
  try {
    const rows = `SELECT *, year(CAST(date AS DATE)) AS year, lpad(CAST(month(CAST(date AS DATE)) AS VARCHAR), 2, '0') AS month FROM read_csv('${copy}', all_varchar = true)`;
    await db.run(`COPY (${rows}) TO '${join(dir, "parquet")}' (FORMAT PARQUET, PARTITION_BY (year, month))`);
    await db.run(`COPY (${rows}) TO '${join(dir, "csv")}' (FORMAT CSV, HEADER, PARTITION_BY (year))`);
  } finally {
    db.close();
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe("data lakes", () => {
  it("a hive-partitioned Parquet folder and a CSV glob give the file's summary and fit", async () => {
    const file = await clv(["summary", SAMPLE, "--calibration-end", "1997-09-30"]);
    expect(file.code).toBe(0);
    for (const lake of [join(dir, "parquet"), join(dir, "csv", "*", "*.csv")]) {
      const result = await clv(["summary", lake, "--calibration-end", "1997-09-30", "--customer", "customer_id", "--date", "date", "--amount", "amount"]);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(file.stdout);
    }
    const check = JSON.parse((await clv(["check", join(dir, "parquet"), "--json", "--customer", "customer_id", "--date", "date", "--amount", "amount"])).stdout);
    expect(check.rows).toBe(6919);
    expect(check.customers).toBe(2357);
  }, 120_000);

  it("an empty glob and a folder without data files are clear errors", async () => {
    const none = await clv(["check", join(dir, "nothing", "*.parquet")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^clv: no file matches [^\n]+\n$/);
    const empty = mkdtempSync(join(tmpdir(), "clv-lake-empty-"));
    const folder = await clv(["check", empty]);
    rmSync(empty, {recursive: true, force: true});
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/folder without \.parquet or \.csv files/);
  }, 60_000);
});
