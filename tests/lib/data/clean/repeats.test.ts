// Repeated rows without dedupe (ClassifyPlan.repeats): the report's count of kept rows that repeat an earlier
// row comes from the hashes of the repeated rows and the candidates' distinct values, not from numbering every
// row. It must equal the old count (every row numbered by all its columns, __clv_dup > 1) on seeded data with
// identical kept rows, identical dropped rows, identical returns, NULL cells and NaN-like texts, lazy or not,
// and the kept transactions must be the same rows.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../../src/node/duckdb.js";
import {classifySql} from "../../../../src/lib/data/clean/classify.js";
import {cleanTransactions, tallySql} from "../../../../src/lib/data/clean/report.js";
import type {Mapping} from "../../../../src/lib/data/schema.js";
import {createRandom} from "../../../../src/lib/data/random.js";
import {loadRawTable} from "./rawTable.js";

const COLUMNS = ["id", "day", "amount", "region"];
const MAPPING: Mapping = {customer_id: "id", order_date: "day", amount: "amount", region: "region"};

let db: NodeDuckDB;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

async function loadRaw(rows: (string | null)[][]): Promise<void> {
  await loadRawTable(db, COLUMNS, rows);
}

/** Rows drawn from small pools, so that many repeat exactly; some cells are NULL, NaN-like or negative. */
function seededRows(seed: number, n: number): (string | null)[][] {
  const next = createRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const ids = ["A", "B", "C", " C", "D", "NA", null];
  const days = ["2020-01-01", "2020-01-02", "1/3/2020", "not a date", null];
  const amounts = ["1.5", "1.50", "-2", "0", "NaN", "nan", " 3", "$4", null];
  const regions = ["north", "south", "", null];
  return Array.from({length: n}, () => [pick(ids), pick(days), pick(amounts), pick(regions)]);
}

/** The old count: every row numbered by all its columns (the classification as it was before repeats). */
async function numberedCount(options: {netReturns?: boolean}): Promise<number> {
  const sql = classifySql({rawTable: "raw", columns: COLUMNS, mapping: MAPPING, dateOrder: "mdy", dedupe: false, compact: true, ...options});
  await db.run(`CREATE OR REPLACE TEMP VIEW old_classified AS ${sql}`);
  const [tally] = await db.query<{identical_kept: number}>(tallySql("old_classified"));
  return Number(tally.identical_kept);
}

async function keptRows(table: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY source_row`);
  return rows.map((row) => JSON.stringify(row));
}

describe("repeated rows without dedupe", () => {
  it("counts the kept rows that repeat an earlier row as numbering every row does", async () => {
    let some = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      await loadRaw(seededRows(seed, 400));
      for (const netReturns of [false, true]) {
        const expected = await numberedCount({netReturns});
        const lazy = await cleanTransactions(db, {mapping: MAPPING, netReturns, lazy: true, table: "lazy_tx"});
        const stored = await cleanTransactions(db, {mapping: MAPPING, netReturns, table: "stored_tx"});
        expect(lazy.dedupe).toBe(false);
        expect([lazy.identicalRows, stored.identicalRows]).toEqual([expected, expected]);
        expect(lazy.rows).toBe(400);
        expect(await keptRows("lazy_tx")).toEqual(await keptRows("stored_tx"));
        some += expected;
      }
    }
    // The pools are small: the seeds give repeated kept rows (the test would prove nothing otherwise).
    expect(some).toBeGreaterThan(100);
  });

  it("tells NULL cells and empty or padded texts apart, and finds no repeats in distinct rows", async () => {
    await loadRaw([
      ["A", "2020-01-01", "1", null],
      ["A", "2020-01-01", "1", ""],
      ["A", "2020-01-01", "1", null], // repeats row 1
      ["A ", "2020-01-01", "1", null], // padded: not the same text
      ["B", "2020-01-01", "NaN", null], // dropped (NaN reads as missing), and so is its repeat
      ["B", "2020-01-01", "NaN", null]
    ]);
    const report = await cleanTransactions(db, {mapping: MAPPING, lazy: true});
    expect([report.kept, report.dropped.missing_amount, report.identicalRows]).toEqual([4, 2, 1]);
    expect(await numberedCount({})).toBe(1);
    await loadRaw([
      ["A", "2020-01-01", "1", "x"],
      ["B", "2020-01-01", "1", "x"]
    ]);
    const none = await cleanTransactions(db, {mapping: MAPPING, lazy: true});
    expect([none.kept, none.identicalRows]).toEqual([2, 0]);
  });
});
