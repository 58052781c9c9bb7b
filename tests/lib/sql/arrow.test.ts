import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {DateDay, Float64, Int32, Int64, Table, Utf8, makeData, makeVector, tableFromArrays, vectorFromArray} from "apache-arrow";
import {arrowColumns, arrowRows} from "../../../src/lib/sql/arrow.js";
import {openDuckDBWasm} from "../../../src/node/duckdb-wasm.js";

describe("arrowColumns", () => {
  it("gives the values arrowRows gives, column by column, keeping typed arrays for numbers without nulls", () => {
    const table = tableFromArrays({
      day: Int32Array.from([3, 1, 2]),
      revenue: BigInt64Array.from([10n, 20n, 30n]),
      amount: Float64Array.from([1.5, 2.5, 3.5]),
      region: ["West", "East", "West"]
    });
    const columns = arrowColumns(table);
    expect(columns.day).toBeInstanceOf(Int32Array);
    expect(columns.revenue).toBeInstanceOf(Float64Array);
    const rows = arrowRows<Record<string, unknown>>(table);
    for (const name of Object.keys(columns)) expect(Array.from(columns[name])).toEqual(rows.map((row) => row[name]));
  });

  it("keeps nulls, dates and BIGINTs as the rows do (DuckDB-WASM results)", async () => {
    const db = await openDuckDBWasm();
    try {
      const sql = `SELECT * FROM (VALUES (1, DATE '2024-01-02', 'a', 5::BIGINT), (NULL, NULL, NULL, NULL), (3, DATE '2024-03-04', 'c', 7::BIGINT)) t(customer, day, name, n)`;
      const rows = await db.query<Record<string, unknown>>(sql);
      const columns = await db.queryColumns(sql);
      for (const name of ["customer", "day", "name", "n"]) expect(Array.from(columns[name])).toEqual(rows.map((row) => row[name]));
      expect(columns.day).toEqual(["2024-01-02", null, "2024-03-04"]);
      expect(columns.customer).toEqual([1, null, 3]);
    } finally {
      db.close();
    }
  });

  it("gives every value of long columns of repeated dates and labels (one string each) and of distinct ids", async () => {
    const db = await openDuckDBWasm();
    try {
      // 20,000 rows: ids all distinct (past the 4,096 a column interns before it counts as distinct), regions
      // and days repeated, nulls among them.
      const sql = `SELECT 'customer ' || i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'region ' || (i % 5) END AS region,
        CASE WHEN i % 11 = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % 40 AS INTEGER) END AS day FROM range(20000) t(i)`;
      const rows = await db.query<Record<string, unknown>>(sql);
      const columns = await db.queryColumns(sql);
      for (const name of ["id", "region", "day"]) expect(Array.from(columns[name])).toEqual(rows.map((row) => row[name]));
      expect(new Set(Array.from(columns.id)).size).toBe(20000);
      expect(columns.day[1]).toBe("2024-01-02");
      expect(columns.region[0]).toBeNull();
    } finally {
      db.close();
    }
  });

  it("reads days (Date32) from every batch, sliced or not, nulls kept", () => {
    const days = (values: (number | null)[]) => {
      const valid = new Uint8Array(Math.ceil(values.length / 8));
      values.forEach((v, i) => v !== null && (valid[i >> 3] |= 1 << (i & 7)));
      const nulls = values.filter((v) => v === null).length;
      return makeVector(makeData({type: new DateDay(), length: values.length, nullCount: nulls, nullBitmap: nulls ? valid : null, data: Int32Array.from(values, (v) => v ?? 0)}));
    };
    // Two batches, the first sliced past its first row (its values and validity start at an offset).
    const vector = days([1, 19_724, null, 19_724]).slice(1).concat(days([null, 0, -1, 19_725]));
    const columns = arrowColumns(new Table({day: vector}));
    expect(columns.day).toEqual(["2024-01-02", null, "2024-01-02", null, "1970-01-01", "1969-12-31", "2024-01-03"]);
    expect(columns.day).toEqual(arrowRows<{day: unknown}>(new Table({day: vector})).map((row) => row.day));
  });

  it("reads strings (Utf8) from every batch, sliced or not, ASCII or not, nulls kept", () => {
    const first = vectorFromArray(["skipped", "West", null, "East", "West"], new Utf8()).slice(1);
    const second = vectorFromArray(["Zoë", null, "顧客", "West", ""], new Utf8());
    const table = new Table({label: first.concat(second)});
    const expected = ["West", null, "East", "West", "Zoë", null, "顧客", "West", ""];
    expect(arrowColumns(table).label).toEqual(expected);
    expect(arrowColumns(table).label).toEqual(arrowRows<{label: unknown}>(table).map((row) => row.label));
  });

  it("reads BIGINTs as the numbers Number gives, signed or not, past 2^53 and in a sliced batch (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({min: -(2n ** 63n), max: 2n ** 63n - 1n}), {minLength: 1, maxLength: 40}), fc.nat(3), (values, skip) => {
        const edges = [0n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n, 2n ** 53n - 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), ...values];
        const signed = makeVector(BigInt64Array.from(edges)).slice(Math.min(skip, edges.length - 1));
        const unsigned = makeVector(BigUint64Array.from(edges, (v) => BigInt.asUintN(64, v))).slice(Math.min(skip, edges.length - 1));
        const columns = arrowColumns(new Table({signed, unsigned}));
        expect(columns.signed).toBeInstanceOf(Float64Array);
        expect(Array.from(columns.signed)).toEqual(Array.from(signed.toArray() as BigInt64Array, Number));
        expect(Array.from(columns.unsigned)).toEqual(Array.from(unsigned.toArray() as BigUint64Array, Number));
      })
    );
  });

  it("reads numbers with nulls from every batch, sliced or not, 64-bit ones as numbers", () => {
    const batches = <T>(type: T, first: unknown[], second: unknown[]) =>
      vectorFromArray(first, type as never).slice(1).concat(vectorFromArray(second, type as never));
    const table = new Table({
      int: batches(new Int32(), [9, 1, null, -3], [null, 2_147_483_647, 0]),
      float: batches(new Float64(), [9, 0.5, null, -1e300], [null, Number.MAX_VALUE, -0]),
      big: batches(new Int64(), [9n, 1n, null, -(2n ** 60n)], [null, 2n ** 53n + 1n, -1n])
    });
    const columns = arrowColumns(table);
    expect(columns.int).toEqual([1, null, -3, null, 2_147_483_647, 0]);
    expect(columns.float).toEqual([0.5, null, -1e300, null, Number.MAX_VALUE, -0]);
    expect(columns.big).toEqual([1, null, -(2 ** 60), null, Number(2n ** 53n + 1n), -1]);
    for (const name of ["int", "float", "big"]) expect(columns[name]).toEqual(arrowRows<Record<string, unknown>>(table).map((row) => row[name]));
  });

  it("reads labels found by their bytes, and a column that turns out distinct inside a batch, as the rows do", () => {
    // 3,000 labels (ASCII and not) repeated in one batch, then a sliced batch of ids all distinct: the ids stop
    // the interning part of the way through the second batch, which is read on from that row.
    const labels = Array.from({length: 9000}, (_, i) => (i % 13 === 0 ? null : i % 2 ? `label ${i % 3000}` : `läbel ${i % 3000}`));
    const ids = Array.from({length: 12_001}, (_, i) => (i % 17 === 0 ? null : i % 3 ? `C${i}` : `顧客${i}`));
    const table = new Table({label: vectorFromArray(labels, new Utf8()).concat(vectorFromArray(ids, new Utf8()).slice(1))});
    const expected = [...labels, ...ids.slice(1)];
    expect(arrowColumns(table).label).toEqual(expected);
    expect(arrowColumns(table).label).toEqual(arrowRows<{label: unknown}>(table).map((row) => row.label));
  });
});
