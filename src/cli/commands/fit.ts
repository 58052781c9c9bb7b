/**
 * `clv fit FILE --model bgnbd|pareto-nbd|gamma-gamma`: fits a model by maximum likelihood on the calibration
 * summaries of FILE (or on a precomputed summary with --summary) and prints the parameters, their standard
 * errors, the log-likelihood and whether the fit converged. Exit status 1 when it did not.
 */
import {describeExclusions, type SpendExclusions} from "../../lib/fit/columns.js";
import {fitGammaGamma} from "../../lib/fit/spend.js";
import {type FitResult} from "../../lib/fit/engine.js";
import {fitTransactionModel} from "../../lib/clv/predict.js";
import {DataError} from "../../lib/errors.js";
import {sqlString} from "../../lib/sql/quote.js";
import {openDuckDB, type NodeDuckDB} from "../../node/duckdb.js";
import type {SummaryRow} from "../../lib/fit/columns.js";
import {COMMON_HELP, choiceOption, parseCommand, progressDone} from "../args.js";
import {openPurchases, type Session} from "../session.js";
import {FIT_CLI_NAMES, FIT_HELP, FIT_OPTIONS, compressedCalibration, fitSettings, listOfChoices, transactionModelName} from "../fitting.js";

const HELP = `usage: clv fit FILE --model ${FIT_CLI_NAMES.join("|")} [options]
       clv fit --db URL --table NAME --model ... [options]
       clv fit --summary SUMMARY.csv --model ... [options]

Fits the model on the per-customer summaries (frequency = repeat purchase days, recency, T; monetary =
mean spend of the repeat purchases, for gamma-gamma) of the calibration period.

fit:
  --model NAME            ${listOfChoices(FIT_CLI_NAMES)} (required)
  --summary FILE.csv      fit a precomputed summary with columns frequency, recency, T[, monetary]
${FIT_HELP}
  --json                  {"model", "params", "standardErrors", "logLikelihood" (null when the fit did not
                          converge), "converged", "identified", "identification", "iterations", "customers",
                          "seconds", "message"; gamma-gamma adds "excluded": {reason: customers left out}}

${COMMON_HELP}`;

async function readSummaryFile(db: NodeDuckDB, path: string, monetary: boolean): Promise<SummaryRow[]> {
  const columns = monetary ? `frequency, recency, "T", monetary` : `frequency, recency, "T"`;
  try {
    return await db.query<SummaryRow>(
      `SELECT ${columns.replace(/(\w+|"T")/g, (c) => `CAST(${c} AS DOUBLE) AS ${c}`)} FROM read_csv(${sqlString(path)}, header = true)`
    );
  } catch (error) {
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
      result = model === "gamma-gamma" ? fitGammaGamma(summary, options) : fitTransactionModel(summary, transactionModelName(model), options);
    } catch (error) {
      throw new DataError("no_rows", `cannot fit ${model}: ${(error as Error).message}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const output = {
      model,
      params: result.params,
      standardErrors: result.standardErrors,
      logLikelihood: result.converged ? result.logLikelihood : null,
      converged: result.converged,
      identified: result.identified,
      identification: result.identification,
      iterations: result.iterations,
      customers: result.customers,
      ...(result.excluded !== undefined && {excluded: result.excluded}),
      rows: result.rows,
      seconds: Math.round(seconds * 1000) / 1000,
      unit: settings.unit,
      message: result.message,
      ...(result.assumption !== undefined && {assumption: result.assumption}),
      ...(result.warnings?.length ? {warnings: result.warnings} : {})
    };
    if (args.json) process.stdout.write(`${JSON.stringify(output)}\n`);
    else {
      const se = (result.standardErrors ?? {}) as Record<string, number>;
      const lines = Object.entries(result.params as Record<string, number>).map(
        ([name, value]) => `  ${name.padEnd(6)} ${value.toPrecision(6).padStart(12)}${se[name] !== undefined ? `  (se ${se[name].toPrecision(3)})` : ""}`
      );
      process.stdout.write(
        [
          `${model} on ${result.customers.toLocaleString("en-US")} customers (${result.rows.toLocaleString("en-US")} distinct rows), time in ${settings.unit}s`,
          ...(result.excluded && describeExclusions(result.excluded) ? [`  left out: ${describeExclusions(result.excluded)}`] : []),
          ...lines,
          `  ${result.converged ? `log-likelihood ${result.logLikelihood.toFixed(2)}, converged` : "DID NOT CONVERGE"} after ${result.iterations} iterations, ${seconds.toFixed(2)} s`,
          `  ${result.identification}`,
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
