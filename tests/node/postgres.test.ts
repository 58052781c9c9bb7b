// Every clv command against a real PostgreSQL server (Debian's postgresql, started by ./pg-server.ts) gives
// the same output as on the file the table was loaded from: the CDNOW master log, and a messy file with a row
// for every cleaning rule. Bad inputs fail with one line and exit status 2, quickly.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {clv} from "../cli/clv.js";
import {sharedData} from "../datasets.js";
import {startPostgres, type PgServer} from "./pg-server.js";

const CDNOW = sharedData("cdnow/CDNOW_master.txt");
const MESSY = [
  "invoice,customer,date,amount",
  "1001,A,2010-12-01,10.00",
  "1002,,2010-12-01,5",
  "1003,NA,2010-12-02,5",
  "1004,B,,5",
  "1005,B,not a date,5",
  "1006,B,2010-02-30,5",
  "1007,B,2030-01-01,5",
  "1008,B,2010-12-03, ",
  "1009,B,2010-12-03,abc",
  "1001,A,2010-12-01,10.00",
  "1010,B,2010-12-04,0",
  "C1011,A,2010-12-05,-4.00",
  '1012,B,2010-12-06,"$1,234.50"',
  "1013,B,12/7/2010 8:26,(12.00)",
  "C1014,D,2010-12-08,3",
  "1015,A,20101209,7",
  "1016,E,09-Dec-2010,1e3",
  '1017,E,"Dec 10, 2010",+2.5',
  "1018,F,2011-01-05T10:00:00Z,3.25",
  "1019,F,1/2/11,1e999",
  "1020,G,  2011-02-01  ,  8 "
].join("\n");

let server: PgServer;
let dir: string;
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  url = server.url;
  dir = mkdtempSync(join(tmpdir(), "clv-pg-test-"));
  const cdnow = readFileSync(CDNOW, "utf-8")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(/\s+/).join(","));
  writeFileSync(join(dir, "cdnow.csv"), `${cdnow.join("\n")}\n`);
  writeFileSync(join(dir, "messy.csv"), `${MESSY}\n`);
  server.psql("CREATE TABLE cdnow (customer_id text, date text, number_of_cds text, dollar_value text)");
  server.psql(`\\copy cdnow FROM '${join(dir, "cdnow.csv")}' WITH (FORMAT csv, HEADER true)`);
  server.psql('CREATE SCHEMA shop; CREATE TABLE shop."Messy Orders" (invoice text, customer text, date text, amount text)');
  server.psql(`\\copy shop."Messy Orders" FROM '${join(dir, "messy.csv")}' WITH (FORMAT csv, HEADER true)`);
}, 120_000);

afterAll(() => {
  server?.stop();
  if (dir) rmSync(dir, {recursive: true, force: true});
});

const DB = () => ["--db", url, "--table", "cdnow"];

async function same(args: string[], file: string, table: string[]): Promise<string> {
  const [fromFile, fromDb] = await Promise.all([clv([...args.slice(0, 1), file, ...args.slice(1)]), clv([...args, ...table])]);
  expect(fromDb.stderr).toBe(fromFile.stderr.replaceAll(file.split("/").pop()!, table[3]));
  expect(fromDb.code).toBe(fromFile.code);
  expect(fromDb.stdout).toBe(fromFile.stdout);
  return fromDb.stdout;
}

describe("CDNOW from PostgreSQL and from the file", () => {
  it("check: the same quality report", async () => {
    const file = await clv(["check", CDNOW, "--json"]);
    const db = await clv(["check", "--json", ...DB()]);
    expect(db.code).toBe(0);
    expect(JSON.parse(db.stdout)).toEqual(JSON.parse(file.stdout));
    expect(JSON.parse(db.stdout).rows).toBe(69659);
  }, 300_000);

  it("summary: the same rows, to the byte", async () => {
    const out = await same(["summary", "--calibration-end", "1997-09-30"], CDNOW, DB());
    expect(out.split("\n").length).toBe(23572);
  }, 300_000);

  it("rfm: the same scores and segments", async () => {
    await same(["rfm", "--bins", "4"], CDNOW, DB());
  }, 300_000);

  for (const model of ["bgnbd", "pareto-nbd", "gamma-gamma"]) {
    it(`fit ${model}: the same parameters`, async () => {
      const file = JSON.parse((await clv(["fit", CDNOW, "--model", model, "--calibration-end", "1997-09-30", "--json"])).stdout);
      const db = JSON.parse((await clv(["fit", "--model", model, "--calibration-end", "1997-09-30", "--json", ...DB()])).stdout);
      for (const key of ["params", "standardErrors", "logLikelihood", "converged", "customers", "rows"]) expect(db[key]).toEqual(file[key]);
      expect(db.converged).toBe(true);
    }, 300_000);
  }

  it("report: the same CSV files", async () => {
    const a = join(dir, "report-file");
    const b = join(dir, "report-db");
    expect((await clv(["report", CDNOW, "--out", a, "-q"])).code).toBe(0);
    expect((await clv(["report", "--out", b, "-q", ...DB()])).code).toBe(0);
    expect(readdirSync(b).sort()).toEqual(["favourite_offers.csv", "m1.csv", "retention.csv", "segments.csv", "top_partners.csv"]);
    for (const name of readdirSync(a)) expect(readFileSync(join(b, name), "utf-8")).toBe(readFileSync(join(a, name), "utf-8"));
    expect(readFileSync(join(b, "retention.csv"), "utf-8").split("\n").length).toBeGreaterThan(50);
  }, 300_000);

  it("--query reads the rows a SELECT gives", async () => {
    const {code, stdout} = await clv(["summary", "--db", url, "--query", "SELECT * FROM cdnow WHERE customer_id <= '00100'"]);
    expect(code).toBe(0);
    expect(stdout.split("\n").filter(Boolean).length).toBe(101);
  }, 300_000);
});

describe("a messy file from PostgreSQL and from the file", () => {
  const messy = () => join(dir, "messy.csv");
  const table = () => ["--db", url, "--table", 'shop."Messy Orders"'];

  for (const options of [[], ["--net-returns"], ["--as-of", "2011-12-31", "--drop-zero", "--dedupe", "no"]]) {
    it(`check ${options.join(" ")}: every row kept or dropped for the same reason, same examples`, async () => {
      const file = await clv(["check", messy(), "--json", ...options]);
      const db = await clv(["check", "--json", ...options, ...table()]);
      expect(db.code).toBe(file.code);
      const report = JSON.parse(db.stdout);
      expect(report).toEqual(JSON.parse(file.stdout));
      expect(report.rows).toBe(21);
      expect(report.kept + Object.values(report.dropped as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(21);
    }, 300_000);
  }

  it("summary: the same rows", async () => {
    const file = await clv(["summary", messy(), "--net-returns", "--unit", "day"]);
    const db = await clv(["summary", "--net-returns", "--unit", "day", ...table()]);
    expect(db.code).toBe(0);
    expect(db.stdout).toBe(file.stdout);
  }, 300_000);
});

describe("bad inputs: one line, exit status 2, no hang", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["a URL that is not one", () => ["--db", "not a url", "--table", "cdnow"], /--db must be a URL/],
    ["a non-PostgreSQL URL", () => ["--db", "mysql://localhost/x", "--table", "cdnow"], /only postgresql:\/\//],
    ["a server that does not answer", () => ["--db", `postgresql://clv@127.0.0.1:1/postgres`, "--table", "cdnow"], /cannot connect to 127\.0\.0\.1:1/],
    ["a missing database", () => ["--db", url.replace(/\/postgres$/, "/nosuchdb"), "--table", "cdnow"], /nosuchdb/],
    ["a missing table", () => ["--db", url, "--table", "nosuch"], /relation "nosuch" does not exist/],
    ["a wrong column name", () => ["--db", url, "--table", "cdnow", "--customer", "nosuch"], /no column 'nosuch'/],
    ["a query with a wrong column", () => ["--db", url, "--query", "SELECT nosuch FROM cdnow"], /column "nosuch" does not exist/],
    ["--table without --db", () => ["--table", "cdnow"], /--table needs --db/]
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const started = Date.now();
      const {code, stdout, stderr} = await clv(["summary", ...args()]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^clv: [^\n]+\n$/);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(Date.now() - started).toBeLessThan(30_000);
    }, 60_000);
  }
});
