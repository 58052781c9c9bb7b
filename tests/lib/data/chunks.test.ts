import {describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {RecordChunker, type Chunk} from "../../../src/lib/data/chunks.js";
import {describeReadError, rawChunkSql, rawTableSql, shiftErrorLine} from "../../../src/lib/data/ingest.js";
import {inspectBytes} from "../../../src/lib/data/inspect.js";
import {openDuckDB} from "../../../src/node/duckdb.js";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Feeds `text` to a chunker in pieces of `piece` bytes and returns the chunks. */
function chunksOf(text: string, {target, piece}: {target: number; piece: number}): Chunk[] {
  const bytes = encode(text);
  const chunker = new RecordChunker(target);
  const chunks: Chunk[] = [];
  for (let at = 0; at < bytes.length; at += piece) chunks.push(...chunker.push(bytes.slice(at, at + piece)));
  chunks.push(...chunker.finish());
  return chunks;
}

const QUOTED = 'id,note,amount\r\n1,"a, b",3\r\n2,"two\nlines",4\r\n3,"say ""hi""\n",5\r\n4,plain,6\r\n5,"x\n\ny",7';

describe("RecordChunker", () => {
  it("cuts only after a newline outside quotes, and loses or repeats no byte", () => {
    for (const target of [1, 5, 17, 1000]) {
      for (const piece of [1, 3, 7, 64]) {
        const chunks = chunksOf(QUOTED, {target, piece});
        expect(chunks.map((c) => decode(c.bytes)).join("")).toBe(QUOTED);
        let offset = 0;
        let lines = 0;
        for (const [i, chunk] of chunks.entries()) {
          expect(chunk.offset).toBe(offset);
          expect(chunk.linesBefore).toBe(lines);
          const text = decode(chunk.bytes);
          // Every chunk but the last ends a record: an even number of quotes and a final newline.
          if (i < chunks.length - 1) {
            expect(text.endsWith("\n")).toBe(true);
            expect((text.match(/"/g) ?? []).length % 2).toBe(0);
          }
          offset += chunk.bytes.length;
          lines += (text.match(/\n/g) ?? []).length;
        }
      }
    }
  });

  it("makes chunks of at least the target size but the last", () => {
    const text = Array.from({length: 1000}, (_, i) => `c${i},2024-01-01,${i}\n`).join("");
    const chunks = chunksOf(text, {target: 1000, piece: 300});
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.bytes.length).toBeGreaterThanOrEqual(1000);
    expect(chunks.map((c) => decode(c.bytes)).join("")).toBe(text);
  });

  it("keeps a record longer than the target whole, and gives nothing for an empty file", () => {
    const long = `a,b\n1,"${"x\n".repeat(50)}"\n2,y\n`;
    const chunks = chunksOf(long, {target: 10, piece: 4});
    expect(chunks.map((c) => decode(c.bytes))).toEqual(["a,b\n", `1,"${"x\n".repeat(50)}"\n`, "2,y\n"]);
    expect(new RecordChunker(10).finish()).toEqual([]);
    expect(() => new RecordChunker(0)).toThrow(/positive/);
  });
});

describe("rawChunkSql", () => {
  it("reads a file chunk by chunk into the same raw table as in one read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clv-chunks-"));
    const db = await openDuckDB();
    try {
      // As when the quoted newlines lie beyond the bytes inspected: a CRLF file.
      const inspection = inspectBytes(encode("id,note,amount\r\n1,x,3\r\n"));
      expect(inspection.newline).toBe("\r\n");
      writeFileSync(join(dir, "whole.csv"), QUOTED);
      await db.query(rawTableSql(join(dir, "whole.csv"), inspection, {table: "whole"}));
      const chunks = chunksOf(QUOTED, {target: 12, piece: 5});
      expect(chunks.length).toBeGreaterThan(2);
      for (const [i, chunk] of chunks.entries()) {
        const file = join(dir, `chunk-${i}.csv`);
        writeFileSync(file, chunk.bytes);
        await db.query(rawChunkSql(file, inspection, {first: i === 0, table: "pieces"}));
      }
      const whole = await db.query(`SELECT * FROM whole`);
      expect(whole).toHaveLength(5);
      expect(whole[2]).toEqual({id: "3", note: 'say "hi"\n', amount: "5"});
      expect(await db.query(`SELECT * FROM pieces`)).toEqual(whole);
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("reads CSV only", () => {
    expect(() => rawChunkSql("f", {format: "whitespace", header: true, columns: ["a"], newline: "\n", bom: false}, {first: false})).toThrow(/CSV/);
  });
});

describe("shiftErrorLine", () => {
  it("turns a chunk's line number into the file's", () => {
    const error = new Error("Invalid Input Error: CSV Error on Line: 3\nExpected Number of Columns: 3 Found: 2");
    expect(describeReadError(shiftErrorLine(error, 1000), {file: "big.csv"})).toBe("big.csv line 1003 has 2 fields, the header has 3 (ragged rows)");
    expect(shiftErrorLine(error, 0)).toBe(error);
    const other = new Error("something else");
    expect(shiftErrorLine(other, 10)).toBe(other);
  });
});
