// A clean file counted from statistics (CleanTransactionsOptions.statistics, report.ts statisticsTally): when the
// column statistics and one query over the distinct customers show that every row is kept, the report is counted
// without classifying a row. It must be the report the classification gives (statistics: false), on clean files
// (where the shortcut must be taken: no query reads the classified rows) and on files with any one flaw, or many
// (where it must not be, or must still agree), and the kept transactions must be the same rows. The chunked
// cleaning (chunked.ts, the page's) takes the same shortcut on the same files: a clean file is not classified and
// its transactions are read straight from the raw rows (keptRowsSql); it must give the same report and rows too.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {cleanTransactions, type CleanTransactionsOptions, type DataQualityReport} from "../../../../src/lib/data/clean/report.js";
import {cleanTransactionsInChunks} from "../../../../src/lib/data/clean/chunked.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import type {DuckRunner} from "../../../../src/lib/sql/relations.js";
import {createRandom} from "../../../../src/lib/data/random.js";
import {loadRawTable} from "./rawTable.js";

const COLUMNS = ["id", "day", "amount", "order", "qty", "profit", "region"];
const MAPPING: Mapping = {customer_id: "id", order_date: "day", amount: "amount", region: "region"};

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

type Row = (string | null)[];

async function loadRaw(rows: readonly Row[]): Promise<void> {
  await loadRawTable(db, COLUMNS, rows);
}

/** A runner over db that records the SELECTs it is sent, and every statement. */
function recording(): {runner: DuckRunner; selects: string[]; statements: string[]} {
  const selects: string[] = [];
  const statements: string[] = [];
  const runner: DuckRunner = {
    query: <T,>(sql: string) => {
      if (/^\s*(WITH|SELECT)\b/i.test(sql)) selects.push(sql);
      statements.push(sql);
      return db.query<T>(sql);
    },
    run: (sql: string) => {
      statements.push(sql);
      return db.run(sql);
    }
  };
  return {runner, selects, statements};
}

async function keptRows(table: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY source_row`);
  return rows.map((row) => JSON.stringify(row));
}

/**
 * The report with statistics and without, on the raw table as loaded; expects them equal, and the same kept
 * rows. Returns the report and whether the statistics counted it (no SELECT read the classified rows).
 */
async function compare(options: Omit<CleanTransactionsOptions, "lazy" | "table" | "statistics">, chunkRows = 2): Promise<{report: DataQualityReport; counted: boolean}> {
  const {runner, selects} = recording();
  const fast = await cleanTransactions(runner, {...options, lazy: true, table: "fast_tx"});
  const full = await cleanTransactions(db, {...options, lazy: true, table: "full_tx", statistics: false});
  expect(fast).toEqual(full);
  expect(await keptRows("fast_tx")).toEqual(await keptRows("full_tx"));
  const counted = !selects.some((sql) => sql.includes("clv_classified_fast_tx"));
  // The chunked cleaning, in chunks of `chunkRows` rows: the same report and rows, and it classifies exactly when the
  // lazy path does (no statement carries a row's reason, classifySql's __clv_pre_reason, when it does not).
  const chunked = recording();
  expect(await cleanTransactionsInChunks(chunked.runner, {...options, table: "chunked_tx", chunkRows})).toEqual(full);
  expect(await keptRows("chunked_tx")).toEqual(await keptRows("full_tx"));
  expect(!chunked.statements.some((sql) => sql.includes("__clv_pre_reason")), "the chunked path classified as the lazy path did").toBe(counted);
  return {report: fast, counted};
}

/** A clean file: plain ids, ISO days, plain amounts (0 included), order ids, quantities and profits; rows 2 and 5 repeat row 1. */
const CLEAN: Row[] = [
  ["A", "2020-01-01", "10.5", "1001", "1", "2.5", "north"],
  ["A", "2020-01-01", "10.5", "1001", "1", "2.5", "north"],
  ["B", "2020-01-03", "0", "1002", "2", "-1", null],
  ["C", "2020-02-29", "3e2", "1003", null, null, "south"],
  ["A", "2020-01-01", "10.5", "1001", "1", "2.5", "north"],
  ["D", "2021-12-31", "0.004999", "1004", "1.5", "0", "south"],
  ["E", "2020-06-15", "123456.785", "1005", "3", "7", ""]
];

const FULL_MAPPING: Mapping = {...MAPPING, quantity: "qty", cost: {amountMinus: "profit"}};

describe("a clean file counted from statistics", () => {
  it("gives the classification's report without classifying a row", async () => {
    await loadRaw(CLEAN);
    const plain = await compare({mapping: MAPPING});
    expect(plain.counted).toBe(true);
    expect([plain.report.rows, plain.report.kept, plain.report.identicalRows, plain.report.customers, plain.report.zeroAmount]).toEqual([7, 7, 2, 5, 1]);
    expect([plain.report.firstDate, plain.report.lastDate]).toEqual(["2020-01-01", "2021-12-31"]);
    expect(plain.report.revenue).toBeCloseTo(10.5 * 3 + 300 + 0.004999 + 123456.785, 5);
    // Quantity and cost from columns, netted returns (there are none), an asOf after the last day.
    const full = await compare({mapping: FULL_MAPPING, netReturns: true, asOf: "2022-01-01", dedupe: false});
    expect(full.counted).toBe(true);
    expect(full.report.identicalRows).toBe(2);
  });

  it("with dedupe, counts from statistics only when no row repeats another", async () => {
    await loadRaw(CLEAN);
    const repeated = await compare({mapping: {...MAPPING, order_id: "order"}});
    expect(repeated.counted).toBe(false);
    expect(repeated.report.dropped.duplicate).toBe(2);
    await loadRaw(CLEAN.filter((_, i) => i !== 1 && i !== 4));
    const distinct = await compare({mapping: {...MAPPING, order_id: "order"}});
    expect(distinct.counted).toBe(true);
    expect([distinct.report.kept, distinct.report.dedupe, distinct.report.identicalRows]).toEqual([5, true, 0]);
  });

  // One flaw at a time, in the row of C (index 3): each must send the file to the classification (or, for
  // those the statistics cannot see, still give its report).
  const flaws: [string, (row: Row) => Row, Partial<CleanTransactionsOptions>?][] = [
    ["missing customer", (r) => [null, ...r.slice(1)]],
    ["a missing-value token as customer", (r) => ["N/A", ...r.slice(1)]],
    ["a padded customer, the same as another once trimmed", (r) => [" A", ...r.slice(1)]],
    ["a padded customer of its own", (r) => ["C\t", ...r.slice(1)]],
    ["missing date", (r) => [r[0], null, ...r.slice(2)]],
    ["a slashed date", (r) => [r[0], "2/29/2020", ...r.slice(2)]],
    ["a date that is no date", (r) => [r[0], "2020-02-30", ...r.slice(2)]],
    ["a future date with asOf", (r) => [r[0], "2020-03-01", ...r.slice(2)], {asOf: "2020-02-29"} as Partial<CleanTransactionsOptions>],
    ["missing amount", (r) => [...r.slice(0, 2), null, ...r.slice(3)]],
    ["an amount with a currency sign", (r) => [...r.slice(0, 2), "$300", ...r.slice(3)]],
    ["a negative amount", (r) => [...r.slice(0, 2), "-300", ...r.slice(3)]],
    ["a negative amount, netted", (r) => [...r.slice(0, 2), "-300", ...r.slice(3)], {netReturns: true}],
    ["a $0 amount with dropZero", (r) => [...r.slice(0, 2), "0", ...r.slice(3)], {dropZero: true}],
    ["an amount too large to sum in millionths", (r) => [...r.slice(0, 2), "1e300", ...r.slice(3)]],
    ["a cancellation order id", (r) => [...r.slice(0, 3), " C1003", ...r.slice(4)]],
    ["a quantity that is no number", (r) => [...r.slice(0, 4), "two", ...r.slice(5)]],
    ["a profit that is no number", (r) => [...r.slice(0, 5), "n.a.", ...r.slice(6)]]
  ];
  for (const [name, flaw, options = {}] of flaws) {
    it(`classifies the rows of a file with ${name}, with the same report`, async () => {
      await loadRaw(CLEAN.map((row, i) => (i === 3 ? flaw(row) : row)));
      const mapping = {...FULL_MAPPING, order_id: "order"};
      if (name.includes("too large")) {
        // The classification's sum fails on such an amount; the statistics must not hide that.
        await expect(cleanTransactions(db, {mapping, dedupe: false, lazy: true, table: "fast_tx", ...options})).rejects.toThrow();
        await expect(cleanTransactions(db, {mapping, dedupe: false, lazy: true, table: "full_tx", statistics: false, ...options})).rejects.toThrow();
        return;
      }
      const {report, counted} = await compare({mapping, dedupe: false, ...options});
      expect(counted).toBe(false);
      expect(report.kept < report.rows || report.warnings.length > 0 || report.returns.rows > 0).toBe(true);
    });
  }

  it("agrees with the classification on seeded messy files, with every option", async () => {
    let counted = 0;
    let classified = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      await loadRaw(seededRows(seed, 60));
      for (const options of [{}, {netReturns: true}, {dropZero: true, asOf: "2020-01-02"}, {dedupe: true}, {dedupe: false, netReturns: true}] as Partial<CleanTransactionsOptions>[]) {
        const result = await compare({mapping: {...FULL_MAPPING, order_id: "order"}, ...options}, 25);
        if (result.counted) counted++;
        else classified++;
      }
    }
    // The pools make both kinds of file (the test would prove little otherwise).
    expect(counted).toBeGreaterThan(0);
    expect(classified).toBeGreaterThan(0);
  }, 180_000);
});

/**
 * Rows from small pools, so that many repeat; a seed whose draw is odd takes only clean values (so that some
 * files are clean), the others also draw a flaw now and then.
 */
function seededRows(seed: number, n: number): Row[] {
  const next = createRandom(seed);
  const clean = seed % 2 === 1;
  const pick = <T,>(good: readonly T[], bad: readonly T[]) => (!clean && next() < 0.1 ? bad[Math.floor(next() * bad.length)] : good[Math.floor(next() * good.length)]);
  return Array.from({length: n}, () => [
    pick(["A", "B", "C", "D"], [" C", "NA", null, "-"]),
    pick(["2020-01-01", "2020-01-02", "2020-01-03"], ["1/3/2020", "not a date", null]),
    pick(["1.5", "1.50", "0", "7", "2e1"], ["-2", "NaN", " 3", "$4", null]),
    pick(["1", "2", "3"], ["C3", "c4"]),
    pick(["1", "2", null], ["x"]),
    pick(["0.5", "1", null], ["?"]),
    pick(["north", "south", null], [""])
  ]);
}
