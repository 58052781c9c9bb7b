/**
 * `clv report FILE --out DIR`: the exploration tables of src/lib/explore as CSV files in DIR:
 * retention.csv (cohort × months_since_first), m1.csv (M1 retention by cohort), top_partners.csv,
 * favourite_offers.csv, and segments.csv (the RFM segments of the segmentation given, as on the RFM page). Without a partner or offer type column (or with one that is all NULL) the last two
 * hold only their header.
 */
import {existsSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {NodeDuckDB} from "../../node/duckdb.js";
import {openPurchases, writeQuery, type Session} from "../session.js";
import {duckdbHost} from "../../lib/sql/relations.js";
import {duckdb} from "../../lib/sql/dialect.js";
import type {QueryOptions} from "../../lib/sql/filters.js";
import {cohortMatrixSql, m1RetentionSql} from "../../lib/explore/cohorts.js";
import {favouritesSql, topPartnersSql} from "../../lib/explore/partners.js";
import {DataError} from "../../lib/errors.js";
import {DEFAULT_SEGMENTATION_SETTING, segmentationScheme} from "../../lib/rfm/segmentation.js";
import {segmentNames, segmentSummary, type SegmentScheme} from "../../lib/rfm/segments.js";
import {toCsv} from "../../lib/format/csv.js";
import {SEGMENTATION_HELP, SEGMENTATION_OPTIONS, segmentationOption, segmentedCustomers} from "./rfm.js";
import {COMMON_HELP, checkOutputPath, outputError, parseCommand, progressDone} from "../args.js";

const HELP = `usage: clv report FILE --out DIR [options]
       clv report --db URL --table NAME --out DIR [options]

Writes into DIR (created if need be):
  retention.csv         cohort (month of first purchase, YYYY-MM), months_since_first, cohort_size,
                        active_customers, retention; complete months only
  m1.csv                cohort, cohort_size, m1_customers, m1_retention: the share of a cohort that buys
                        again in the calendar month after its first; cohorts whose next month is not
                        complete in the data are left out
  top_partners.csv      rank, partner, revenue, transactions (orders when there is an order id, else
                        rows), customers, share (of all revenue)
  favourite_offers.csv  customer_id, offer_type (the one the customer spent most on; ties: most recent
                        purchase, then name), spend, total_spend, share, last_purchase
  segments.csv          segment, customers, share, revenue, revenue_share, recency, frequency, monetary
                        (means): the RFM segments in rule order, scored on orders and total spend up to
                        the analysis date (--as-of, default the day after the last order)
Returns kept by --net-returns are not purchases and are left out.

report:
  --out DIR            the output folder (required)
  --top N              number of partners in top_partners.csv (default 10)
${SEGMENTATION_HELP}

${COMMON_HELP.replace(/\n {2}--out FILE[^\n]*/, "")}`;

export const FILES = {
  retention: "retention.csv",
  m1: "m1.csv",
  topPartners: "top_partners.csv",
  favouriteOffers: "favourite_offers.csv",
  segments: "segments.csv"
} as const;

const SEGMENT_COLUMNS = ["segment", "customers", "share", "revenue", "revenue_share", "recency", "frequency", "monetary"];

const HEADERS = {
  topPartners: ["rank", "partner", "revenue", "transactions", "customers", "share"],
  favouriteOffers: ["customer_id", "offer_type", "spend", "total_spend", "share", "last_purchase"]
};

/**
 * Takes `--out DIR` (also `-o DIR`, `--out=DIR`) out of argv: the shared parser reads --out as one .csv or
 * .parquet file, while the report writes a folder.
 */
function takeOutDir(argv: string[]): {argv: string[]; out?: string} {
  const rest: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === "--out" || arg === "-o") {
      if (i + 1 >= argv.length) throw new DataError("usage", `${arg} needs a folder`);
      out = argv[++i];
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else rest.push(arg);
  }
  return {argv: rest, out};
}

function topOption(value: unknown): number {
  if (value === undefined) return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new DataError("usage", `--top must be a positive integer, got '${String(value)}'`);
  return n;
}

/** The SQL of each file, on `table`, given the columns the table has. */
export function reportQueries(options: QueryOptions & {top?: number; columns: readonly string[]}): {
  retention: string;
  m1: string;
  topPartners: string | null;
  favouriteOffers: string | null;
} {
  const {top = 10, columns} = options;
  const retention = `SELECT cohort, months_since_first, cohort_size, active_customers, retention
FROM (${cohortMatrixSql(options)}) cells WHERE complete
ORDER BY cohort, months_since_first`;
  const topPartners = columns.includes("partner")
    ? `SELECT rank, partner, revenue, transactions, customers, revenue_share AS share FROM (${topPartnersSql({...options, n: top})}) ranked_partners
ORDER BY rank`
    : null;
  const favouriteOffers = columns.includes("offer_type")
    ? `SELECT customer_id, favourite AS offer_type, spend, total_spend, share, last_purchase
FROM (${favouritesSql({...options, column: "offer_type"})}) favourite_offers
ORDER BY ${(options.dialect ?? duckdb).byteOrder("customer_id")}`
    : null;
  return {retention, m1: m1RetentionSql(options), topPartners, favouriteOffers};
}

/**
 * Writes the four files into `dir` from `table` of db, or of the session's engine (a database server) when a
 * session is given; returns the row count of each.
 */
export async function writeReport(
  db: NodeDuckDB,
  dir: string,
  {
    table = "transactions",
    top = 10,
    session,
    scheme = segmentationScheme(DEFAULT_SEGMENTATION_SETTING),
    k = DEFAULT_SEGMENTATION_SETTING.bins,
    analysisDate
  }: {table?: string; top?: number; session?: Session; scheme?: SegmentScheme; k?: number; analysisDate?: string} = {}
): Promise<Record<keyof typeof FILES, number>> {
  try {
    await mkdir(dir, {recursive: true});
  } catch (error) {
    throw outputError(dir, error);
  }
  const source: Session = session ?? ({db, engine: duckdbHost(db), purchases: table, mapping: {}, dialect: duckdb} as unknown as Session);
  const columns = await source.engine.columns(table);
  const queries = reportQueries({table, top, columns, dialect: source.engine.dialect});
  const counts = {} as Record<keyof typeof FILES, number>;
  for (const key of Object.keys(FILES) as (keyof typeof FILES)[]) {
    const path = join(dir, FILES[key]);
    if (key === "segments") {
      const customers = await segmentedCustomers({...source, purchases: table}, {scheme, k, analysisDate});
      const summary = segmentSummary(customers, {order: segmentNames(scheme)});
      await writeFile(path, toCsv(summary, {columns: SEGMENT_COLUMNS})).catch((error) => {
        throw outputError(path, error);
      });
      counts[key] = summary.numRows();
      continue;
    }
    const sql = queries[key as Exclude<keyof typeof FILES, "segments">];
    if (sql === null) {
      await writeFile(path, `${HEADERS[key as keyof typeof HEADERS].join(",")}\n`).catch((error) => {
        throw outputError(path, error);
      });
      counts[key] = 0;
      continue;
    }
    counts[key] = await writeQuery(source, sql, path);
  }
  return counts;
}

export async function run(argv: string[]): Promise<number> {
  const taken = takeOutDir(argv);
  const args = parseCommand(taken.argv, {options: {top: {type: "string"}, ...SEGMENTATION_OPTIONS}});
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!taken.out) throw new DataError("usage", "missing --out DIR");
  const inputs = args.file ? [args.file] : [];
  checkOutputPath(taken.out, inputs, "folder");
  if (existsSync(taken.out)) for (const name of Object.values(FILES)) checkOutputPath(join(taken.out, name), inputs, "file");
  const top = topOption(args.values.top);
  const {scheme, k} = await segmentationOption(args.values);
  const session = await openPurchases(args);
  const {db, mapping} = session;
  try {
    const counts = await writeReport(db, taken.out, {table: session.purchases, top, session, scheme, k, analysisDate: args.asOf});
    progressDone();
    if (args.json) {
      process.stdout.write(`${JSON.stringify({out: taken.out, files: FILES, rows: counts})}\n`);
    } else if (!args.quiet) {
      // The cleaned table has every canonical column; an unmapped one is all NULL.
      if (!mapping.partner) process.stderr.write("clv: no partner column mapped (--partner COL): top_partners.csv is empty\n");
      if (!mapping.offer_type) process.stderr.write("clv: no offer type column mapped (--offer COL): favourite_offers.csv is empty\n");
      process.stderr.write(`clv: wrote ${Object.values(FILES).join(", ")} to ${taken.out}\n`);
    }
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
