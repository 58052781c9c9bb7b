import {afterAll, beforeAll, describe} from "vitest";
import {CLV_MEMBERS} from "../../../src/lib/clv/derived.js";
import {makeDerived} from "../../../src/lib/explore/derived.js";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {superstoreTable} from "../explore/rows.js";

/** The data sets every CLV page's first view is checked on: the demo and a real log. */
const DATA_SETS = [
  ["the demo (1,500 customers)", async (db: NodeDuckDB) => void (await loadDemo(db, {customers: 1500}))],
  ["Superstore (../shared/data)", async (db: NodeDuckDB) => void (await db.run(superstoreTable()))]
] as const;

/**
 * One `describe` per data set, titled `${title} on ${data set}`: the build's CLV members whose names match
 * `names` are made once (as the data loader makes them), and `body` reads them with `member(name)`.
 */
export function describeOnBuiltMembers(title: string, names: RegExp, body: (member: (name: string) => Uint8Array) => void): void {
  for (const [name, create] of DATA_SETS) {
    describe(`${title} on ${name}`, () => {
      let db: NodeDuckDB | undefined;
      let members = new Map<string, Uint8Array>();
      beforeAll(async () => {
        db = await openDuckDB();
        await create(db);
        members = await makeDerived(db, {members: CLV_MEMBERS.filter((m) => names.test(m.name))});
      }, 120_000);
      afterAll(() => db?.close());
      body((member) => {
        const bytes = members.get(member);
        if (!bytes) throw new Error(`the build made no member ${member}`);
        return bytes;
      });
    });
  }
}
