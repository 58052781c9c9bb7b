/**
 * DuckDB-WASM runs in a Web Worker. When the worker itself fails (the WebAssembly memory cannot grow any
 * more, an abort), @duckdb/duckdb-wasm 1.29 logs the error and forgets its pending requests without rejecting
 * them, so a page awaiting a query would wait for ever with no message. engineFailure() listens for that error
 * once per database and rejects; guard() races a piece of work against it, so the page shows why it stopped.
 */
import type {DuckDBClient} from "npm:@observablehq/duckdb";

/** Thrown when the DuckDB worker itself failed; every later query of that database fails the same way. */
export class EngineStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineStopped";
  }
}

const failures = new WeakMap<object, Promise<never>>();

function workerOf(client: DuckDBClient): Worker | null {
  return ((client._db as unknown as {_worker?: Worker | null})._worker ?? null) as Worker | null;
}

/** A promise that rejects (EngineStopped) when the database's worker fails, and never resolves. */
export function engineFailure(client: DuckDBClient): Promise<never> {
  let failure = failures.get(client._db);
  if (!failure) {
    const worker = workerOf(client);
    failure = new Promise<never>((_, reject) => {
      worker?.addEventListener(
        "error",
        (event: ErrorEvent) => reject(new EngineStopped(`DuckDB stopped: ${event.message || "its worker failed"}`)),
        {once: true}
      );
    });
    failure.catch(() => {}); // observed by guard(); no unhandled rejection when nothing is running
    failures.set(client._db, failure);
  }
  return failure;
}

/** `work`, or EngineStopped as soon as the database's worker fails while it runs. */
export function guard<T>(client: DuckDBClient, work: Promise<T>): Promise<T> {
  return Promise.race([work, engineFailure(client)]);
}
