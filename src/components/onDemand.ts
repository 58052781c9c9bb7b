/**
 * DuckDB-WASM on first need: pages that open on build-time tables start the transactions database only when
 * an input asks for something those tables cannot answer, and say so in a status line while it starts (a
 * 36 MB wasm to fetch and compile, then the transactions to load). One database per page, as
 * transactionsDatabase() gives; the status line is one element per page too, shown from the first need on.
 */
import type {TransactionsDatabase} from "./database.js";
import {RawRowsUnavailable, RAW_ROWS_MESSAGE} from "./published.js";
import {StatusIndicator, type StatusIndicatorElement} from "./statusIndicator.js";

let status: StatusIndicatorElement | null = null;
let started: Promise<TransactionsDatabase> | null = null;

/** The page's status line for the database (hidden until it is first needed). */
export function databaseStatus(): StatusIndicatorElement {
  if (!status) {
    status = StatusIndicator("");
    status.id = "duckdb-status";
    status.style.display = "none";
  }
  return status;
}

/** The transactions database, started now if it was not yet; `why` says in the status line what needs it. */
export function database(why: string): Promise<TransactionsDatabase> {
  if (started) return started;
  const line = databaseStatus();
  line.style.display = "";
  line.running(`Starting DuckDB-WASM and loading the transactions: ${why}…`);
  const start = performance.now();
  // The DuckDB client (and the Arrow build it comes with, the upload reader, the cleaning) load on this first
  // need, not with the page: a page that never needs the raw rows never downloads them.
  started = import("./database.js").then(({transactionsDatabase}) => transactionsDatabase()).then(
    (db) => {
      line.done(`DuckDB-WASM started in ${((performance.now() - start) / 1000).toFixed(1)} s (${why}).`);
      return db;
    },
    (error) => {
      // The site ships only DuckDB-WASM's "eh" build (scripts/prune-dist.mjs): name the browsers it needs.
      line.failed(
        error instanceof RawRowsUnavailable
          ? `Not available ${why}: ${RAW_ROWS_MESSAGE}`
          : `DuckDB-WASM could not be started: ${error instanceof Error ? error.message : error}. ` +
              "It needs a browser with WebAssembly exception handling (Chrome 95+, Firefox 100+, Safari 15.2+)."
      );
      throw error;
    }
  );
  return started;
}

/** True when no filter is set (the build's tables hold exactly the unfiltered data). */
export function unfiltered(filters: Record<string, unknown>): boolean {
  return Object.values(filters).every((value) => value == null || value === "" || (Array.isArray(value) && value.length === 0));
}
