/**
 * Options and inputs shared by `clv fit` and `clv predict`: model names as the CLI spells them, the time
 * unit, the calibration end, the L2 penalty, and the per-customer summaries of a transactions file.
 */
import {compressedSummarySql, customerSummary, expandWeighted, type WeightedSummaryRow} from "../lib/fit/summary.js";
import type {CustomerSummary, TimeUnit} from "../lib/types.js";
import {DataError} from "../lib/errors.js";
import {DISCRETE_MODELS, TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS, transactionModelByCliName, type TransactionModelName} from "../lib/models/index.js";
import type {Session} from "./session.js";
import {choiceOption, dateOption, type ParsedCommand} from "./args.js";

export const FIT_OPTIONS = {
  model: {type: "string"},
  "calibration-end": {type: "string"},
  unit: {type: "string"},
  penalizer: {type: "string"},
  bootstrap: {type: "string"},
  level: {type: "string"},
  seed: {type: "string"}
} as const;

export const FIT_HELP = `  --calibration-end DATE  last day of the calibration period (default: --as-of, else the last order)
  --unit day|week|month   time unit of recency, T and the parameters (default week)
  --penalizer X           L2 penalty on the log-parameters (default 0); try 0.001 when a fit runs away
  --bootstrap N           N refits on customers resampled with replacement: percentile intervals
  --level L               coverage of the intervals, 0..1 (default 0.9)
  --seed S                seed of the resampling (default 1): the same seed gives the same intervals`;

/** The transaction models' command-line names, from the registry. */
export const TRANSACTION_CLI_NAMES: readonly string[] = TRANSACTION_MODEL_NAMES.map((name) => TRANSACTION_MODELS[name].cliName);
/** Every model `clv fit` takes: the transaction models, the discrete-time ones (--summary only), then the spend model. */
export const FIT_CLI_NAMES: readonly string[] = [...TRANSACTION_CLI_NAMES, ...Object.values(DISCRETE_MODELS).map((m) => m.cliName), "gamma-gamma"];

/** "a, b or c" */
export function listOfChoices(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The registry name of a transaction model given by its command-line name (checked by the caller). */
export function transactionModelName(cliName: string): TransactionModelName {
  const model = transactionModelByCliName(cliName);
  if (!model) throw new DataError("usage", `--model must be one of ${TRANSACTION_CLI_NAMES.join(", ")}, got '${cliName}'`);
  return model.name as TransactionModelName;
}

export interface FitSettings {
  calibrationEnd?: string;
  unit: TimeUnit;
  penalizer: number;
  /** Set with --bootstrap N. */
  bootstrap?: {replicates: number; level: number; seed: number};
}

/** --bootstrap N, --level L, --seed S checked together; undefined without --bootstrap. */
export function bootstrapOption(values: Record<string, string | boolean | undefined>): FitSettings["bootstrap"] {
  const {bootstrap, level, seed} = values;
  if (bootstrap === undefined) {
    if (level !== undefined || seed !== undefined) throw new DataError("usage", `--${level !== undefined ? "level" : "seed"} needs --bootstrap N`);
    return undefined;
  }
  const replicates = Number(bootstrap);
  if (!Number.isInteger(replicates) || replicates < 1 || replicates > 100_000) throw new DataError("usage", `--bootstrap must be a whole number of refits from 1 to 100000, got '${String(bootstrap)}'`);
  const l = level === undefined ? 0.9 : Number(level);
  if (!(l > 0 && l < 1)) throw new DataError("usage", `--level must be a number between 0 and 1, got '${String(level)}'`);
  const s = seed === undefined ? 1 : Number(seed);
  if (!Number.isInteger(s)) throw new DataError("usage", `--seed must be a whole number, got '${String(seed)}'`);
  return {replicates, level: l, seed: s};
}

export function fitSettings(args: ParsedCommand): FitSettings {
  const calibrationEnd = dateOption("calibration-end", args.values["calibration-end"]);
  const unit = choiceOption<TimeUnit>("unit", args.values.unit, ["day", "week", "month"]) ?? "week";
  const raw = args.values.penalizer;
  const penalizer = raw === undefined ? 0 : Number(raw);
  if (!(penalizer >= 0) || !Number.isFinite(penalizer)) throw new DataError("usage", `--penalizer must be a number >= 0, got '${String(raw)}'`);
  if (calibrationEnd && args.asOf && calibrationEnd > args.asOf) {
    throw new DataError("usage", `--calibration-end ${calibrationEnd} is after --as-of ${args.asOf}`);
  }
  return {calibrationEnd, unit, penalizer, bootstrap: bootstrapOption(args.values)};
}

/** The calibration summaries of the session's purchases. */
export async function calibrationSummary(session: Session, args: ParsedCommand, settings: FitSettings): Promise<CustomerSummary[]> {
  checkCalibrationEnd(session, settings);
  const rows = await customerSummary(session.engine, summaryOptions(session, args, settings));
  if (rows.length === 0) throw noCustomers(settings);
  return rows;
}

function summaryOptions(session: Session, args: ParsedCommand, settings: FitSettings) {
  return {table: session.purchases, calibrationEnd: settings.calibrationEnd, asOf: args.asOf, unit: settings.unit, dialect: session.dialect};
}

/**
 * A calibration end outside the data is refused (exit status 2): after the last order, every customer's T
 * counts time the data do not cover and every P(alive) collapses (2099-01-01 gave T ≈ 4,011 weeks and
 * P(alive) ≈ 1e-19); before the first order, nobody is a customer yet.
 */
export function checkCalibrationEnd(session: Pick<Session, "report" | "name">, settings: FitSettings): void {
  const end = settings.calibrationEnd;
  const {firstDate, lastDate} = session.report;
  if (!end || !firstDate || !lastDate) return;
  if (end > lastDate) {
    throw new DataError("usage", `--calibration-end ${end} is after the last order in ${session.name} (${lastDate}): choose a date from ${firstDate} to ${lastDate}`);
  }
  if (end < firstDate) {
    throw new DataError("usage", `--calibration-end ${end} is before the first order in ${session.name} (${firstDate}): choose a date from ${firstDate} to ${lastDate}`);
  }
}

function noCustomers(settings: FitSettings): DataError {
  return new DataError("no_rows", `no customer made a first purchase by the calibration end ${settings.calibrationEnd}`);
}

/**
 * What a model fit needs of the calibration summaries, compressed by the engine (distinct rows with their
 * number of customers, see compressedSummarySql): for "transactions" (frequency, recency, T), for "spend"
 * (frequency, monetary) of the Gamma-Gamma customers. Returns the customers' rows they stand for, and how
 * many rows came back.
 */
export async function compressedCalibration(
  session: Session,
  args: ParsedCommand,
  settings: FitSettings,
  kind: "transactions" | "spend"
): Promise<{summary: ReturnType<typeof expandWeighted>; received: number}> {
  checkCalibrationEnd(session, settings);
  const rows = await session.engine.query<WeightedSummaryRow>(compressedSummarySql({...summaryOptions(session, args, settings), kind}));
  if (rows.length === 0 && kind === "transactions") throw noCustomers(settings);
  return {summary: expandWeighted(rows), received: rows.length};
}
