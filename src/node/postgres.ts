/**
 * PostgreSQL behind the SqlRunner interface, for the CLI's --db option (Node only: pages and src/lib never
 * import it). Results stream back in chunks through a cursor (pg-cursor: a portal read a few thousand rows at
 * a time, no SQL cursor or temporary object on the server), never as one fetch of a whole table, and the
 * runner counts the rows and bytes that came back. Values are normalised to the DuckDB runner's conventions
 * (src/node/duckdb.ts): BIGINT and NUMERIC become numbers, DATE "YYYY-MM-DD", TIMESTAMP an ISO string.
 *
 * Every failure is a DataError with one line naming what went wrong (bad URL, server not reachable, login,
 * missing database or table, unknown column, time-out); the connection and every statement have time-outs.
 */
import pg from "pg";
import Cursor from "pg-cursor";
import {DataError} from "../lib/errors.js";
import {postgres, type Dialect} from "../lib/sql/dialect.js";
import type {ServerRunner} from "../lib/sql/relations.js";

export interface PostgresOptions {
  /** Seconds to wait for the connection (default 10). */
  connectTimeout?: number;
  /** Seconds one statement may run (default 600). */
  statementTimeout?: number;
  /** Rows per chunk read from the cursor (default 10000). */
  chunkRows?: number;
}

/** A result column: its name and the DuckDB type that holds its values. */
export interface ResultField {
  name: string;
  type: string;
}

export interface PostgresRunner extends ServerRunner {
  dialect: Dialect;
  /** The columns of the last query's result. */
  lastFields: ResultField[];
  /** Rows and bytes received from the server since the connection opened. */
  transferred(): {rows: number; bytes: number};
  close(): Promise<void>;
}

const OID = {bool: 16, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701, varchar: 1043, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700};

const DUCK_TYPES: Record<number, string> = {
  [OID.bool]: "BOOLEAN",
  [OID.int2]: "INTEGER",
  [OID.int4]: "INTEGER",
  [OID.int8]: "BIGINT",
  [OID.float4]: "DOUBLE",
  [OID.float8]: "DOUBLE",
  [OID.numeric]: "DOUBLE",
  [OID.date]: "DATE",
  [OID.timestamp]: "TIMESTAMP",
  [OID.timestamptz]: "TIMESTAMP"
};

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: Number,
  [OID.numeric]: Number,
  [OID.date]: (text) => text,
  [OID.timestamp]: (text) => new Date(`${text.replace(" ", "T")}Z`).toISOString(),
  [OID.timestamptz]: (text) => new Date(text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).toISOString()
};

const types = {
  getTypeParser(oid: number, format?: string) {
    return PARSERS[oid] ?? pg.types.getTypeParser(oid, format as "text");
  }
};

/** host:port/database of a URL, without the password, for messages. */
function describeUrl(url: URL): string {
  return `${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname.length > 1 ? url.pathname : ""}`;
}

/** Checks a --db URL: postgres:// or postgresql:// with a host. */
export function parsePostgresUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DataError("usage", `--db must be a URL such as postgresql://user@host:5432/database, got '${text.replace(/:[^:@/]*@/, ":***@")}'`);
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new DataError("usage", `--db: only postgresql:// URLs are supported, got '${url.protocol}//…'`);
  }
  return url;
}

/** A one-line DataError for an error from the server or the network. */
export function postgresError(error: unknown, where: string): DataError {
  if (error instanceof DataError) return error;
  const e = error as Error & {code?: string; severity?: string};
  const message = (e.message ?? String(error)).split("\n")[0];
  switch (e.code) {
    case "ECONNREFUSED":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new DataError("unreadable", `cannot connect to ${where}: connection refused (is the server running and listening there?)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new DataError("unreadable", `cannot connect to ${where}: unknown host`);
    case "ETIMEDOUT":
      return new DataError("unreadable", `cannot connect to ${where}: timed out`);
    case "28P01":
    case "28000":
      return new DataError("unreadable", `cannot log in to ${where}: ${message}`);
    case "3D000":
      return new DataError("not_found", `${where}: ${message}`);
    case "42P01":
      return new DataError("not_found", `${where}: ${message}`);
    case "42703":
      return new DataError("usage", `${where}: ${message}`);
    case "42601":
    case "42883":
    case "42P10":
      return new DataError("usage", `${where}: ${message}`);
    case "57014":
      return new DataError("unreadable", `${where}: the statement ran into its time-out (${message})`);
  }
  if (/timeout|timed out/i.test(message)) return new DataError("unreadable", `cannot connect to ${where}: timed out`);
  if (/terminated|ECONNRESET|Connection terminated/i.test(message)) return new DataError("unreadable", `${where}: the connection was lost (${message})`);
  return new DataError("unreadable", `${where}: ${message}`);
}

/** Opens a connection to a postgresql:// URL. */
export async function openPostgres(text: string, {connectTimeout = 10, statementTimeout = 600, chunkRows = 10000}: PostgresOptions = {}): Promise<PostgresRunner> {
  const url = parsePostgresUrl(text);
  const where = describeUrl(url);
  const client = new pg.Client({
    connectionString: text,
    connectionTimeoutMillis: connectTimeout * 1000,
    statement_timeout: statementTimeout * 1000,
    keepAlive: true,
    application_name: "clv",
    types
  });
  // A dropped connection surfaces on the query that is waiting; without this listener it would crash Node.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; SET jit = off");
  } catch (error) {
    await client.end().catch(() => {});
    throw postgresError(error, where);
  }
  const socket = (client as unknown as {connection: {stream: {bytesRead: number}}}).connection.stream;
  const startBytes = socket.bytesRead;
  let rowsReceived = 0;
  const runner: PostgresRunner = {
    dialect: postgres,
    lastFields: [],
    async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      const cursor = client.query(new Cursor<T>(sql, null, {types}));
      const rows: T[] = [];
      try {
        for (;;) {
          const chunk = await cursor.read(chunkRows);
          for (const row of chunk) rows.push(row);
          rowsReceived += chunk.length;
          if (chunk.length < chunkRows) break;
        }
        runner.lastFields = (cursor._result?.fields ?? []).map((f) => ({name: f.name, type: DUCK_TYPES[f.dataTypeID] ?? "VARCHAR"}));
      } catch (error) {
        throw postgresError(error, where);
      } finally {
        await cursor.close().catch(() => {});
      }
      return rows;
    },
    async fields(sql: string): Promise<string[]> {
      try {
        const result = await client.query(sql);
        return result.fields.map((f) => f.name);
      } catch (error) {
        throw postgresError(error, where);
      }
    },
    transferred: () => ({rows: rowsReceived, bytes: socket.bytesRead - startBytes}),
    async close() {
      await client.end().catch(() => {});
    }
  };
  return runner;
}
