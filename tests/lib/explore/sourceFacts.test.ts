// source.json: the built data's currency, the pages' default (issue 17: "default from the data"), and its columns
// (the data page says what a transaction is without opening the rows).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {makeDerived, sourceFacts, DERIVED_MEMBERS} from "../../../src/lib/explore/derived.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";

describe("source.json", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await openDuckDB();
    await db.run(`CREATE TABLE one AS SELECT * FROM (VALUES ('a', ' eur'), ('b', 'EUR'), ('c', NULL)) t(customer_id, currency)`);
    await db.run(`CREATE TABLE two AS SELECT * FROM (VALUES ('a', 'EUR'), ('b', 'CAD')) t(customer_id, currency)`);
    await db.run(`CREATE TABLE bad AS SELECT * FROM (VALUES ('a', 'euros')) t(customer_id, currency)`);
  });
  afterAll(() => db?.close());

  it("names the one currency of a currency column, none for several, a non-code or no column", async () => {
    expect(await sourceFacts({db, table: "one", columns: ["customer_id", "currency"]})).toEqual({currency: "EUR", columns: ["customer_id", "currency"]});
    expect(await sourceFacts({db, table: "two", columns: ["customer_id", "currency"]})).toEqual({currency: null, columns: ["customer_id", "currency"]});
    expect(await sourceFacts({db, table: "bad", columns: ["customer_id", "currency"]})).toEqual({currency: null, columns: ["customer_id", "currency"]});
    expect(await sourceFacts({db, table: "one", columns: ["customer_id"]})).toEqual({currency: null, columns: ["customer_id"]});
  });

  it("is a member of the archive, as JSON", async () => {
    const member = DERIVED_MEMBERS.find((m) => m.name === "source.json")!;
    const made = await makeDerived(db, {members: [member], table: "one"});
    expect(JSON.parse(new TextDecoder().decode(made.get("source.json")!))).toEqual({currency: "EUR", columns: ["customer_id", "currency"]});
  });
});
