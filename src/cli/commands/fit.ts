/**
 * `clv fit FILE --model bgnbd|pareto-nbd|gamma-gamma`: fits a model by maximum likelihood on the calibration
 * summaries of FILE (or on a precomputed summary with --summary) and prints the parameters, their standard
 * errors, the log-likelihood and whether the fit converged. Exit status 1 when it did not.
 */
import {describeExclusions, spendColumns, spendEligible, type SpendExclusions} from "../../lib/fit/columns.js";
import {bootstrapSpendFit, bootstrapTransactionFit} from "../../lib/fit/bootstrap.js";
import {compressSpend, compressSummaries} from "../../lib/fit/compress.js";
import {transactionModel} from "../../lib/models/index.js";
import {BG_BB} from "../../lib/models/bgbb.js";
import {fitTransaction} from "../../lib/fit/transaction.js";
import type {GammaGammaParams} from "../../lib/models/gammagamma.js";
import {fitGammaGamma} from "../../lib/fit/spend.js";
import {type FitResult} from "../../lib/fit/engine.js";
import {fitTransactionModel} from "../../lib/clv/predict.js";
import {DataError} from "../../lib/errors.js";
import {sqlString} from "../../lib/sql/quote.js";
import {openDuckDB, type NodeDuckDB} from "../../node/duckdb.js";
import type {SummaryRow} from "../../lib/fit/columns.js";
import {COMMON_HELP, choiceOption, parseCommand, progress, progressDone} from "../args.js";
import {openPurchases, type Session} from "../session.js";
import {FIT_CLI_NAMES, FIT_HELP, FIT_OPTIONS, compressedCalibration, fitSettings, listOfChoices, transactionModelName} from "../fitting.js";

const HELP = `usage: clv fit FILE --model ${FIT_CLI_NAMES.join("|")} [options]
       clv fit --db URL --table NAME --model ... [options]
       clv fit --summary SUMMARY.csv --model ... [options]

Fits the model on the per-customer summaries (frequency = repeat purchase days, recency, T; monetary =
mean spend of the repeat purchases, for gamma-gamma) of the calibration period. bgbb (Fader, Hardie &
Shang 2010) is for discrete opportunities and reads --summary only: frequency = opportunities with a
transaction, recency = the last of them (0 if none), T = opportunities observed.

fit:
  --model NAME            ${listOfChoices(FIT_CLI_NAMES)} (required)
  --summary FILE.csv      fit a precomputed summary with columns frequency, recency, T[, monetary][, weight]
                          (weight: how many customers share the row)
${FIT_HELP}
  --json                  {"model", "params", "standardErrors", "logLikelihood" (null when the fit did not
                          converge), "converged", "identified", "identification", "iterations", "customers",
                          "seconds", "message"; gamma-gamma adds "excluded": {reason: customers left out}; --bootstrap adds
                          "intervals": {parameter: [low, high]} and "bootstrap": {replicates, level, seed,
                          failed}}

${COMMON_HELP}`;

/**
 * The rows of a summary file, one per customer: a `weight` column (how many customers share the row, a whole
 * number >= 0) repeats its row that many times.
 */
async function readSummaryFile(db: NodeDuckDB, path: string, monetary: boolean): Promise<SummaryRow[]> {
  const columns = monetary ? `frequency, recency, "T", monetary` : `frequency, recency, "T"`;
  const source = `read_csv(${sqlString(path)}, header = true)`;
  try {
    const names = (await db.query<{column_name: string}>(`DESCRIBE SELECT * FROM ${source}`)).map((c) => c.column_name);
    const weighted = names.includes("weight");
    const rows = await db.query<SummaryRow & {weight?: number}>(
      `SELECT ${columns.replace(/(\w+|"T")/g, (c) => `CAST(${c} AS DOUBLE) AS ${c}`)}${weighted ? ", CAST(weight AS DOUBLE) AS weight" : ""} FROM ${source}`
    );
    if (!weighted) return rows;
    const out: SummaryRow[] = [];
    rows.forEach((row, i) => {
      const w = Number(row.weight);
      if (!Number.isInteger(w) || w < 0) throw new DataError("mapping", `${path} row ${i + 1}: weight must be a whole number of customers >= 0, got ${row.weight}`);
      const {weight: _, ...one} = row;
      for (let k = 0; k < w; k++) out.push(one);
    });
    return out;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const message = (error as Error).message.split("\n")[0];
    if (/not found|Binder Error/i.test(message)) {
      throw new DataError("mapping", `${path} must have the columns frequency, recency, T${monetary ? ", monetary" : ""} (${message})`);
    }
    throw new DataError("unreadable", `cannot read ${path}: ${message}`);
  }
}

function localSession(db: NodeDuckDB): Pick<Session, "db" | "close"> {
  return {db, close: async () => db.close()};
}

/** The bootstrap of the fit just made, on the same summaries. */
function bootstrapFit(model: string, summary: ArrayLike<SummaryRow>, params: object, penalizer: number, settings: {replicates: number; level: number; seed: number}) {
  const options = {...settings, penalizer, onProgress: (done: number, total: number) => progress(`bootstrap refit ${done} of ${total}`)};
  if (model === "gamma-gamma") {
    const cols = spendColumns(summary);
    return bootstrapSpendFit(compressSpend(cols, spendEligible(cols).mask), params as GammaGammaParams, options);
  }
  const spec = model === BG_BB.cliName ? BG_BB : transactionModel(transactionModelName(model));
  return bootstrapTransactionFit(spec as typeof BG_BB, compressSummaries(summary), params as never, options);
}

export async function run(argv: string[]): Promise<number> {
  const withSummary = argv.includes("--summary") || argv.some((a) => a.startsWith("--summary="));
  const args = parseCommand(argv, {options: {...FIT_OPTIONS, summary: {type: "string"}}, file: !withSummary});
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const model = choiceOption("model", args.values.model, FIT_CLI_NAMES);
  if (!model) throw new DataError("usage", `missing --model (${listOfChoices(FIT_CLI_NAMES)})`);
  const settings = fitSettings(args);
  const discrete = model === BG_BB.cliName;
  if (discrete && !withSummary) {
    throw new DataError("usage", "--model bgbb counts transaction opportunities: give --summary FILE.csv with frequency, recency and T as whole numbers of opportunities");
  }

  const session: Pick<Session, "db" | "close"> = withSummary ? localSession(await openDuckDB()) : await openPurchases(args);
  const {db} = session;
  try {
    const summary = withSummary
      ? await readSummaryFile(db, args.values.summary as string, model === "gamma-gamma")
      : (await compressedCalibration(session as Session, args, settings, model === "gamma-gamma" ? "spend" : "transactions")).summary;
    progressDone();
    const started = performance.now();
    const ids = summary.some((row) => (row as {customer_id?: unknown}).customer_id !== undefined)
      ? summary.map((row) => String((row as {customer_id?: unknown}).customer_id))
      : undefined;
    const options = {penalizer: settings.penalizer, ids};
    let result: FitResult<object> & {assumption?: unknown; warnings?: string[]; excluded?: SpendExclusions};
    try {
      result =
        model === "gamma-gamma"
          ? fitGammaGamma(summary, options)
          : discrete
            ? fitTransaction(BG_BB, summary, options)
            : fitTransactionModel(summary, transactionModelName(model), options);
    } catch (error) {
      throw new DataError("no_rows", `cannot fit ${model}: ${(error as Error).message}`);
    }
    const bootstrap = settings.bootstrap && result.converged ? bootstrapFit(model, summary, result.params, settings.penalizer, settings.bootstrap) : undefined;
    const seconds = (performance.now() - started) / 1000;
    const output = {
      model,
      params: result.params,
      standardErrors: result.standardErrors,
      ...(bootstrap && {intervals: bootstrap.intervals, bootstrap: {replicates: bootstrap.requested, level: bootstrap.level, seed: settings.bootstrap!.seed, failed: bootstrap.failed}}),
      logLikelihood: result.converged ? result.logLikelihood : null,
      converged: result.converged,
      identified: result.identified,
      identification: result.identification,
      iterations: result.iterations,
      customers: result.customers,
      ...(result.excluded !== undefined && {excluded: result.excluded}),
      rows: result.rows,
      seconds: Math.round(seconds * 1000) / 1000,
      unit: discrete ? "opportunity" : settings.unit,
      message: result.message,
      ...(result.assumption !== undefined && {assumption: result.assumption}),
      ...(result.warnings?.length ? {warnings: result.warnings} : {})
    };
    if (args.json) process.stdout.write(`${JSON.stringify(output)}\n`);
    else {
      const se = (result.standardErrors ?? {}) as Record<string, number>;
      const ci = (bootstrap?.intervals ?? {}) as Record<string, [number, number]>;
      const lines = Object.entries(result.params as Record<string, number>).map(
        ([name, value]) =>
          `  ${name.padEnd(6)} ${value.toPrecision(6).padStart(12)}${se[name] !== undefined ? `  (se ${se[name].toPrecision(3)})` : ""}` +
          (ci[name] ? `  ${Math.round(bootstrap!.level * 100)}% interval ${ci[name][0].toPrecision(4)} to ${ci[name][1].toPrecision(4)}` : "")
      );
      process.stdout.write(
        [
          `${model} on ${result.customers.toLocaleString("en-US")} customers (${result.rows.toLocaleString("en-US")} distinct rows), ${discrete ? "over transaction opportunities" : `time in ${settings.unit}s`}`,
          ...(result.excluded && describeExclusions(result.excluded) ? [`  left out: ${describeExclusions(result.excluded)}`] : []),
          ...lines,
          `  ${result.converged ? `log-likelihood ${result.logLikelihood.toFixed(2)}, converged` : "DID NOT CONVERGE"} after ${result.iterations} iterations, ${seconds.toFixed(2)} s`,
          `  ${result.identification}`,
          ...(bootstrap ? [`  intervals from ${bootstrap.requested - bootstrap.failed} of ${bootstrap.requested} bootstrap refits (seed ${settings.bootstrap!.seed})`] : []),
          ...(result.warnings ?? []).map((w) => `  warning: ${w}`)
        ].join("\n") + "\n"
      );
    }
    if (!result.converged) {
      process.stderr.write(`clv: ${model} did not converge: ${result.message}\n`);
      return 1;
    }
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
