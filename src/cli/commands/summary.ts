/**
 * `clv summary FILE`: the per-customer summary (frequency, recency, T, monetary, first and last purchase) of
 * src/lib/fit/summary.ts, as CSV on stdout, JSON with --json, or a CSV/Parquet file with --out.
 */
import {customerSummary, summarySql} from "../../lib/fit/summary.js";
import {toCsv} from "../../lib/format/csv.js";
import type {TimeUnit} from "../../lib/types.js";
import {DataError} from "../../lib/errors.js";
import {COMMON_HELP, choiceOption, dateOption, formatNumber, parseCommand, progressDone} from "../args.js";
import {openPurchasesOnly, writeQuery} from "../session.js";

const HELP = `usage: clv summary FILE [options]
       clv summary --db URL --table NAME [options]

Per customer: frequency (repeat purchase days), recency, T, monetary (mean spend of repeat days),
first_purchase, last_purchase.

summary:
  --calibration-end DATE  last day of the calibration period (default: --as-of, else the last order)
  --unit day|week|month   time unit of recency and T (default week)

${COMMON_HELP}`;

const COLUMNS = ["customer_id", "frequency", "recency", "T", "monetary", "first_purchase", "last_purchase"];

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, {options: {"calibration-end": {type: "string"}, unit: {type: "string"}}});
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const calibrationEnd = dateOption("calibration-end", args.values["calibration-end"]);
  const unit = choiceOption<TimeUnit>("unit", args.values.unit, ["day", "week", "month"]) ?? "week";
  if (calibrationEnd && args.asOf && calibrationEnd > args.asOf) {
    throw new DataError("usage", `--calibration-end ${calibrationEnd} is after --as-of ${args.asOf}`);
  }
  const session = await openPurchasesOnly(args);
  try {
    const options = {table: session.purchases, calibrationEnd, asOf: args.asOf, unit, dialect: session.dialect};
    if (args.out) {
      const customers = await writeQuery(session, summarySql(options), args.out);
      progressDone();
      if (!args.quiet && process.stderr.isTTY) {
        process.stderr.write(`clv: wrote ${formatNumber(customers)} customers to ${args.out}\n`);
      }
      return 0;
    }
    const rows = await customerSummary(session.engine, options);
    progressDone();
    if (args.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else process.stdout.write(toCsv(rows as unknown as Record<string, unknown>[], {columns: COLUMNS}));
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
