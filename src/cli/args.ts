/**
 * Option parsing shared by the clv commands: the input file, column mapping overrides, cleaning options,
 * --json, --out, plus a progress line on stderr. A command declares its own extra options and gets back
 * everything parsed and checked; bad options are DataError("usage") with a message naming the value.
 */
import {parseArgs} from "node:util";
import {existsSync, realpathSync, statSync} from "node:fs";
import {dirname, extname, resolve} from "node:path";
import {DataError} from "../lib/errors.js";
import {type DateOrder} from "../lib/data/clean/parse.js";
import {sqlString} from "../lib/sql/quote.js";
import type {LoadOptions} from "../node/load.js";
import type {NodeDuckDB} from "../node/duckdb.js";

type OptionSpec = {type: "string" | "boolean"; short?: string; multiple?: boolean};

/** Mapping flags: --customer COL … → the override key applyOverrides understands. */
export const MAPPING_FLAGS: Record<string, string> = {
  customer: "customer_id",
  date: "order_date",
  amount: "amount",
  order: "order_id",
  quantity: "quantity",
  cost: "cost",
  profit: "profit",
  "unit-price": "unit_price",
  region: "region",
  province: "province",
  partner: "partner",
  offer: "offer_type",
  category: "category",
  segment: "customer_segment",
  "acquisition-cost": "acquisition_cost",
  channel: "channel",
  currency: "currency"
};

export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  ...Object.fromEntries(Object.keys(MAPPING_FLAGS).map((flag) => [flag, {type: "string"} as OptionSpec])),
  json: {type: "boolean"},
  out: {type: "string", short: "o"},
  "as-of": {type: "string"},
  "net-returns": {type: "boolean"},
  dedupe: {type: "string"},
  "drop-zero": {type: "boolean"},
  delimiter: {type: "string"},
  "date-order": {type: "string"},
  quiet: {type: "boolean", short: "q"},
  help: {type: "boolean", short: "h"},
  db: {type: "string"},
  table: {type: "string"},
  query: {type: "string"},
  "db-timeout": {type: "string"}
};

export const COMMON_HELP = `input:
  FILE                 CSV, TSV, whitespace-separated text or Parquet; or a folder or glob of Parquet or
                       CSV files read as one table (hive partitions such as year=2024/ become columns)
  --db URL             read from PostgreSQL instead (postgresql://user:password@host:port/database); the
                       cleaning, summaries and reports run on the server and only results come back
  --table NAME         with --db: the table (or schema.table) of transactions
  --query SQL          with --db: a SELECT giving the transactions, instead of --table
  --db-timeout S       with --db: seconds a statement may run (default 600; connecting: 10)
  --customer COL       column of the customer id (also --date, --amount, --order, --quantity, --cost,
                       --region, --province, --partner, --offer, --category, --segment)
  --profit COL         cost = amount − COL
  --unit-price COL     amount = quantity × COL (with --quantity); or --amount "Quantity*UnitPrice"
  --delimiter C        field delimiter (default: detected)
cleaning:
  --as-of DATE         drop rows dated after DATE (YYYY-MM-DD)
  --net-returns        keep returns as negative rows instead of dropping them
  --dedupe auto|yes|no drop exact duplicate rows (auto: only when there is an order id)
  --drop-zero          drop rows whose amount is 0
  --date-order mdy|dmy read 1/2/2010 month first or day first (default: decided from the data)
output:
  --json               machine-readable output on stdout
  --out FILE           write the result to FILE.csv or FILE.parquet
  --quiet              no progress line on stderr`;

/** Transactions in a database: the URL, a table or a query, and the statement time-out in seconds. */
export interface DatabaseInput {
  url: string;
  table?: string;
  query?: string;
  timeout: number;
}

export interface ParsedCommand {
  file: string;
  /** Set with --db, instead of file. */
  database?: DatabaseInput;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  load: LoadOptions;
  json: boolean;
  out?: string;
  asOf?: string;
  quiet: boolean;
  help: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a YYYY-MM-DD option value; undefined stays undefined. */
export function dateOption(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
    throw new DataError("usage", `--${flag} '${text}' is not a date (expected YYYY-MM-DD)`);
  }
  return text;
}

/** Checks that a value is one of `choices`. */
export function choiceOption<T extends string>(flag: string, value: unknown, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) {
    throw new DataError("usage", `--${flag} must be one of ${choices.join(", ")}, got '${String(value)}'`);
  }
  return value as T;
}

/**
 * Parses a command's argv: exactly one FILE (unless `file: false`), the common options and `options`.
 * Returns help: true (and no checks) when --help is given.
 */
export function parseCommand(
  argv: string[],
  {options = {}, file: needsFile = true}: {options?: Record<string, OptionSpec>; file?: boolean} = {}
): ParsedCommand {
  let parsed: {values: Record<string, unknown>; positionals: string[]};
  const specs = {...COMMON_OPTIONS, ...options};
  try {
    parsed = parseArgs({args: joinNegativeValues(argv, specs), options: specs, allowPositionals: true, strict: true});
  } catch (error) {
    throw new DataError("usage", (error as Error).message.split("\n")[0]);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const positionals = parsed.positionals;
  const database = help ? undefined : databaseInput(values, positionals, needsFile);
  if (!help && needsFile && !database && positionals.length !== 1) {
    throw new DataError("usage", positionals.length === 0 ? "missing FILE" : `expected one FILE, got ${positionals.length}`);
  }
  const mapping: Record<string, string> = {};
  for (const [flag, key] of Object.entries(MAPPING_FLAGS)) {
    if (typeof values[flag] === "string") mapping[key] = values[flag] as string;
  }
  const asOf = help ? undefined : dateOption("as-of", values["as-of"]);
  const dedupeFlag = help ? undefined : choiceOption("dedupe", values.dedupe, ["auto", "yes", "no"] as const);
  const dateOrder = help ? undefined : choiceOption<DateOrder>("date-order", values["date-order"], ["mdy", "dmy"]);
  const delimiter = values.delimiter === "\\t" || values.delimiter === "tab" ? "\t" : (values.delimiter as string | undefined);
  if (!help && delimiter !== undefined && delimiter.length !== 1) {
    throw new DataError("usage", `--delimiter must be one character (or 'tab'), got '${delimiter}'`);
  }
  const out = typeof values.out === "string" ? values.out : undefined;
  if (!help && out !== undefined) {
    outputFormat(out);
    checkOutputPath(out, [positionals[0], values.summary].filter((v): v is string => typeof v === "string"), "file");
  }
  const quiet = values.quiet === true;
  return {
    file: positionals[0],
    database,
    values,
    positionals,
    json: values.json === true,
    out,
    asOf,
    quiet,
    help,
    load: {
      mapping,
      asOf,
      netReturns: values["net-returns"] === true,
      dedupe: dedupeFlag === undefined || dedupeFlag === "auto" ? "auto" : dedupeFlag === "yes",
      dropZero: values["drop-zero"] === true,
      dateOrder,
      delimiter,
      onProgress: quiet ? undefined : progress
    }
  };
}

/** --db, --table, --query and --db-timeout checked together; undefined without --db. */
function databaseInput(values: Record<string, unknown>, positionals: string[], needsFile: boolean): DatabaseInput | undefined {
  const url = values.db as string | undefined;
  const table = values.table as string | undefined;
  const query = values.query as string | undefined;
  if (url === undefined) {
    if (table !== undefined || query !== undefined) throw new DataError("usage", `--${table !== undefined ? "table" : "query"} needs --db URL`);
    return undefined;
  }
  if (!needsFile) throw new DataError("usage", "--db cannot be combined with --summary");
  if (positionals.length > 0) throw new DataError("usage", `give either FILE or --db, not both (got FILE '${positionals[0]}')`);
  if ((table === undefined) === (query === undefined)) throw new DataError("usage", "--db needs exactly one of --table NAME or --query SQL");
  const raw = values["db-timeout"];
  const timeout = raw === undefined ? 600 : Number(raw);
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new DataError("usage", `--db-timeout must be a number of seconds > 0, got '${String(raw)}'`);
  return {url, table, query, timeout};
}

/**
 * `--horizon -5`: node's parseArgs reads "-5" as an option and says "argument is ambiguous". A value that looks
 * like a negative number after an option that takes a value is joined to it (`--horizon=-5`), so the option's
 * own check can say what is wrong with it.
 */
export function joinNegativeValues(argv: string[], specs: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith("--") ? arg.slice(2) : arg.length === 2 && arg[0] === "-" ? Object.keys(specs).find((k) => specs[k].short === arg[1]) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && specs[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The real path of `path` when it exists, else its absolute path. */
function samePathKey(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/**
 * Refuses an output path that would overwrite an input, or that cannot be written: a missing folder, or a
 * folder where a file is expected (and the reverse for `kind: "folder"`). DataError("usage"), exit status 2,
 * with one line naming the path.
 */
export function checkOutputPath(out: string, inputs: readonly string[], kind: "file" | "folder"): void {
  const key = samePathKey(out);
  for (const input of inputs) {
    if (samePathKey(input) === key) {
      throw new DataError("usage", `--out ${out} is the input ${input}: writing there would overwrite it; choose another name`);
    }
  }
  if (kind === "folder") {
    if (existsSync(out) && !statSync(out).isDirectory()) throw new DataError("usage", `--out ${out} is a file, not a folder`);
    return;
  }
  const folder = dirname(resolve(out));
  if (!existsSync(folder)) throw new DataError("usage", `cannot write ${out}: the folder ${dirname(out)} does not exist`);
  if (!statSync(folder).isDirectory()) throw new DataError("usage", `cannot write ${out}: ${dirname(out)} is not a folder`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new DataError("usage", `cannot write ${out}: it is a folder`);
}

/** "csv" or "parquet" from an output file name; anything else is a usage error. */
export function outputFormat(path: string): "csv" | "parquet" {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".parquet") return "parquet";
  throw new DataError("usage", `--out must end in .csv or .parquet, got '${path}'`);
}

/** Writes the result of `query` to `path` (CSV with a header, or Parquet) with DuckDB's COPY; returns the rows written. */
export async function writeOut(db: NodeDuckDB, query: string, path: string): Promise<number> {
  const format = outputFormat(path);
  const options = format === "csv" ? "FORMAT CSV, HEADER" : "FORMAT PARQUET";
  try {
    // COPY answers with the number of rows it wrote: no second run of the query to count them.
    const [result] = await db.query<{Count: number}>(`COPY (${query}) TO ${sqlString(path)} (${options})`);
    return Number(result?.Count ?? 0);
  } catch (error) {
    throw outputError(path, error);
  }
}

/**
 * A file-system error while writing `path`, as one line and exit status 2 (DataError "unreadable", the
 * README's "an unreadable file" status, which covers files that cannot be written): permission, full disk,
 * missing folder, a folder in the way.
 */
export function outputError(path: string, error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "ENOENT"
        ? "its folder does not exist"
        : code === "EEXIST"
          ? "a file of that name is in the way"
          : code === "EISDIR"
            ? "it is a folder"
            : code === "ENOTDIR"
              ? "part of the path is a file, not a folder"
              : code === "ENOSPC"
                ? "the disk is full"
                : (error as Error).message.split("\n")[0];
  return new DataError("unreadable", `cannot write ${path}: ${reason}`);
}

let progressShown = false;

/** Shows a transient progress line on stderr, only when stderr is a terminal. */
export function progress(message: string): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\r\x1b[Kclv: ${message}…`);
  progressShown = true;
}

/** Clears the progress line, if any. */
export function progressDone(): void {
  if (progressShown) process.stderr.write("\r\x1b[K");
  progressShown = false;
}

/** Numbers for people: 12,345 and 1,234.56. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
}
