/**
 * `clv rfm FILE`: per customer recency, frequency, monetary, their 1..k scores and the segment, as CSV on
 * stdout, JSON with --json, or a CSV/Parquet file with --out. The per-customer values are SQL
 * (src/lib/rfm/sql.ts), the scores and segments Arquero (scoreRfm and assignSegments, as on the RFM page);
 * segments come from a scheme given as data (personas, the standard 11-segment map, or a JSON file).
 */
import {readFile} from "node:fs/promises";
import * as aq from "arquero";
import {rfmValuesSql} from "../../lib/rfm/sql.js";
import {assignSegments} from "../../lib/rfm/segments.js";
import {parseSegmentation, segmentationScheme} from "../../lib/rfm/segmentation.js";
import type {ColumnTable} from "arquero";
import {DEFAULT_SEGMENTATION, SEGMENT_SCHEMES, parseScheme} from "../../lib/rfm/schemes.js";
import type {SegmentScheme} from "../../lib/rfm/segments.js";
import {checkK, scoreRfm} from "../../lib/rfm/scores.js";
import {toCsv} from "../../lib/format/csv.js";
import {sqlIdentifier} from "../../lib/sql/quote.js";
import {DataError} from "../../lib/errors.js";
import {COMMON_HELP, choiceOption, parseCommand, progressDone} from "../args.js";
import {openPurchasesOnly, writeRows, type PurchasesSession} from "../session.js";

/** The options that choose the segmentation, shared with `clv report`. */
export const SEGMENTATION_HELP = `  --bins K                    scores from 1 to K, 2..10 (default ${DEFAULT_SEGMENTATION.bins}, as on the RFM page)
  --scheme NAME|FILE.json     ${Object.keys(SEGMENT_SCHEMES).join(", ")} (personas5: the five original personas), or a
                              scheme file (default ${DEFAULT_SEGMENTATION.scheme}, as on the RFM page)
  --segmentation FILE.json    the RFM page's segmentation (its "Download these settings" button): scheme,
                              bins and edited rules together; not with --bins or --scheme`;

const HELP = `usage: clv rfm FILE [options]
       clv rfm --db URL --table NAME [options]

Per customer: recency (days from the last purchase to the analysis date), frequency, monetary, r_score,
f_score, m_score (1..k by quantiles; equal values get equal scores) and segment.

rfm:
  --bins K                    scores from 1 to K, 2..10 (default ${DEFAULT_SEGMENTATION.bins}, as on the RFM page)
${SEGMENTATION_HELP}
  --frequency orders|days     count orders or distinct purchase days (default orders)
  --monetary total|mean       total spend or mean spend per order (default total)
  --as-of DATE                analysis date; orders on or after it are left out (default: the day after
                              the last order)

${COMMON_HELP}`;

export const SEGMENTATION_OPTIONS = {bins: {type: "string"}, scheme: {type: "string"}, segmentation: {type: "string"}} as const;

/** The scheme and bins from --segmentation FILE, or from --scheme and --bins (each with its default). */
export async function segmentationOption(values: {bins?: unknown; scheme?: unknown; segmentation?: unknown}): Promise<{scheme: SegmentScheme; k: number}> {
  if (values.segmentation === undefined) return {scheme: await loadScheme(values.scheme as string | undefined), k: bins(values.bins)};
  if (values.scheme !== undefined || values.bins !== undefined) {
    throw new DataError("usage", "give --segmentation FILE or --scheme/--bins, not both (the file holds the scheme and the bins)");
  }
  const path = String(values.segmentation);
  let text: string;
  try {
    text = await readFile(path, "utf-8");
  } catch {
    throw new DataError("usage", `cannot read the segmentation file ${path}`);
  }
  try {
    const segmentation = parseSegmentation(text);
    return {scheme: segmentationScheme(segmentation), k: segmentation.bins};
  } catch (error) {
    throw new DataError("usage", `${path}: ${(error as Error).message.replace(/\n- /g, "; ")}`);
  }
}

/**
 * Every customer's RFM values (SQL on the session's purchases), scores and segment (Arquero), as on the RFM
 * page; throws when no purchase falls before the analysis date.
 */
export async function segmentedCustomers(
  session: PurchasesSession,
  {
    scheme,
    k,
    analysisDate,
    frequency = "orders",
    monetary = "total",
    values: only
  }: {
    scheme: SegmentScheme;
    k: number;
    analysisDate?: string;
    frequency?: "orders" | "days";
    monetary?: "total" | "mean";
    /** The per-customer values to bring over from the engine (customer_id and the three scored always come); default all. */
    values?: readonly string[];
  }
): Promise<ColumnTable> {
  const all = rfmValuesSql({table: session.purchases, orderId: session.mapping.order_id !== undefined, analysisDate, frequency, monetary, dialect: session.dialect});
  // Only the columns the caller needs cross into JavaScript (a million customers' dates as text cost more than
  // scoring them). DuckDB keeps the values query's customer_id order through the projection (and scoreRfm
  // sorts if the order were lost); a server is asked for it again.
  const names = only && [...new Set(["customer_id", "recency", "frequency", "monetary", ...only])];
  const order = session.dialect.name === "duckdb" ? "" : `\nORDER BY ${session.dialect.byteOrder("customer_id")}`;
  const sql = names ? `SELECT ${names.map((name) => sqlIdentifier(name)).join(", ")} FROM (${all}) rfm_values${order}` : all;
  const values = session.server ? aq.from(await session.engine.query<Record<string, unknown>>(sql)) : aq.table(await session.db.queryColumns(sql));
  if (values.numRows() === 0) throw new DataError("no_rows", `no purchase before the analysis date ${analysisDate}`);
  return assignSegments(scoreRfm(values, {k}), scheme, {k});
}

export const COLUMNS = ["customer_id", "recency", "frequency", "monetary", "r_score", "f_score", "m_score", "segment"];
const TYPES = {recency: "INTEGER", frequency: "INTEGER", monetary: "DOUBLE", r_score: "INTEGER", f_score: "INTEGER", m_score: "INTEGER"};

async function loadScheme(value: string | undefined): Promise<SegmentScheme> {
  const name = value ?? DEFAULT_SEGMENTATION.scheme;
  if (Object.hasOwn(SEGMENT_SCHEMES, name)) return SEGMENT_SCHEMES[name];
  if (!/\.json$/i.test(name)) {
    throw new DataError("usage", `--scheme must be ${Object.keys(SEGMENT_SCHEMES).join(", ")} or a .json file, got '${name}'`);
  }
  let text: string;
  try {
    text = await readFile(name, "utf-8");
  } catch {
    throw new DataError("usage", `cannot read the scheme file ${name}`);
  }
  try {
    return parseScheme(text);
  } catch (error) {
    throw new DataError("usage", `${name}: ${(error as Error).message.replace(/\n- /g, "; ")}`);
  }
}

function bins(value: unknown): number {
  if (value === undefined) return DEFAULT_SEGMENTATION.bins;
  try {
    return checkK(Number(value));
  } catch {
    throw new DataError("usage", `--bins must be an integer from 2 to 10, got '${String(value)}'`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, {
    options: {...SEGMENTATION_OPTIONS, frequency: {type: "string"}, monetary: {type: "string"}}
  });
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const {scheme, k} = await segmentationOption(args.values);
  const frequency = choiceOption("frequency", args.values.frequency, ["orders", "days"] as const) ?? "orders";
  const monetary = choiceOption("monetary", args.values.monetary, ["total", "mean"] as const) ?? "total";
  const session = await openPurchasesOnly(args);
  const {db} = session;
  try {
    // The per-customer values are SQL (aggregation over transactions); they cross as columns into Arquero,
    // where scoreRfm and assignSegments do the scoring, as on the RFM page.
    const segmented = (await segmentedCustomers(session, {scheme, k, analysisDate: args.asOf, frequency, monetary, values: COLUMNS.slice(0, 4)})).select(COLUMNS);
    progressDone();
    if (args.out) await writeRows(db, segmented, COLUMNS, args.out, TYPES);
    else if (args.json) process.stdout.write(`${JSON.stringify(segmented.objects())}\n`);
    else process.stdout.write(toCsv(segmented, {columns: COLUMNS}));
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
