/**
 * `clv fit FILE --model bgnbd|pareto-nbd|gamma-gamma`: fits a model by maximum likelihood on the calibration
 * summaries of FILE (or on a precomputed summary with --summary) and prints the parameters, their standard
 * errors, the log-likelihood and whether the fit converged. Exit status 1 when it did not.
 */
import {fitGammaGamma, type FitResult} from "../../lib/fit/fit.js";
import {fitTransactionModel, spendCustomers} from "../../lib/clv/predict.js";
import {DataError} from "../../lib/errors.js";
import {literal} from "../../lib/data/clean/parse.js";
import {openDuckDB, type NodeDuckDB} from "../../node/duckdb.js";
import type {SummaryRow} from "../../lib/fit/fit.js";
import {COMMON_HELP, choiceOption, parseCommand, progressDone} from "../args.js";
import {openPurchases, type Session} from "../session.js";
import {FIT_HELP, FIT_OPTIONS, MODEL_NAMES, compressedCalibration, fitSettings, type CliModel} from "../fitting.js";

const HELP = `usage: clv fit FILE --model bgnbd|pareto-nbd|gamma-gamma [options]
       clv fit --db URL --table NAME --model ... [options]
       clv fit --summary SUMMARY.csv --model ... [options]

Fits the model on the per-customer summaries (frequency = repeat purchase days, recency, T; monetary =
mean spend of the repeat purchases, for gamma-gamma) of the calibration period.

fit:
  --model NAME            bgnbd, pareto-nbd or gamma-gamma (required)
  --summary FILE.csv      fit a precomputed summary with columns frequency, recency, T[, monetary]
${FIT_HELP}
  --json                  {"model", "params", "standardErrors", "logLikelihood", "converged", "iterations",
                          "customers", "seconds", "message"}

${COMMON_HELP}`;

async function readSummaryFile(db: NodeDuckDB, path: string, monetary: boolean): Promise<SummaryRow[]> {
  const columns = monetary ? `frequency, recency, "T", monetary` : `frequency, recency, "T"`;
  try {
    return await db.query<SummaryRow>(
      `SELECT ${columns.replace(/(\w+|"T")/g, (c) => `CAST(${c} AS DOUBLE) AS ${c}`)} FROM read_csv(${literal(path)}, header = true)`
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
  const model = choiceOption<CliModel>("model", args.values.model, Object.keys(MODEL_NAMES) as CliModel[]);
  if (!model) throw new DataError("usage", "missing --model (bgnbd, pareto-nbd or gamma-gamma)");
  const settings = fitSettings(args);

  const session: Pick<Session, "db" | "close"> = withSummary ? localSession(await openDuckDB()) : await openPurchases(args);
  const {db} = session;
  try {
    const summary = withSummary
      ? await readSummaryFile(db, args.values.summary as string, model === "gamma-gamma")
      : (await compressedCalibration(session as Session, args, settings, model === "gamma-gamma" ? "spend" : "transactions")).summary;
    progressDone();
    const started = performance.now();
    const options = {penalizer: settings.penalizer};
    let result: FitResult<object> & {assumption?: unknown; warnings?: string[]};
    try {
      result = model === "gamma-gamma" ? fitGammaGamma(spendCustomers(summary), options) : fitTransactionModel(summary, MODEL_NAMES[model] as "bgnbd" | "paretonbd", options);
    } catch (error) {
      throw new DataError("no_rows", `cannot fit ${model}: ${(error as Error).message}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const output = {
      model,
      params: result.params,
      standardErrors: result.standardErrors,
      logLikelihood: result.logLikelihood,
      converged: result.converged,
      iterations: result.iterations,
      customers: result.customers,
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
          ...lines,
          `  log-likelihood ${result.logLikelihood.toFixed(2)}, ${result.converged ? "converged" : "DID NOT CONVERGE"} after ${result.iterations} iterations, ${seconds.toFixed(2)} s`,
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
