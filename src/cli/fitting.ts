/**
 * Options and inputs shared by `clv fit` and `clv predict`: model names as the CLI spells them, the time
 * unit, the calibration end, the L2 penalty, and the per-customer summaries of a transactions file.
 */
import {compressedSummarySql, customerSummary, expandWeighted, type WeightedSummaryRow} from "../lib/fit/summary.js";
import type {CustomerSummary, TimeUnit} from "../lib/types.js";
import {DataError} from "../lib/errors.js";
import {TRANSACTION_MODEL_NAMES, TRANSACTION_MODELS, transactionModelByCliName, type TransactionModelName} from "../lib/models/index.js";
import type {Session} from "./session.js";
import {choiceOption, dateOption, type ParsedCommand} from "./args.js";

export const FIT_OPTIONS = {
  model: {type: "string"},
  "calibration-end": {type: "string"},
  unit: {type: "string"},
  penalizer: {type: "string"}
} as const;

export const FIT_HELP = `  --calibration-end DATE  last day of the calibration period (default: --as-of, else the last order)
  --unit day|week|month   time unit of recency, T and the parameters (default week)
  --penalizer X           L2 penalty on the log-parameters (default 0); try 0.001 when a fit runs away`;

/** The transaction models' command-line names, from the registry. */
export const TRANSACTION_CLI_NAMES: readonly string[] = TRANSACTION_MODEL_NAMES.map((name) => TRANSACTION_MODELS[name].cliName);
/** Every model `clv fit` takes: the transaction models, then the spend model. */
export const FIT_CLI_NAMES: readonly string[] = [...TRANSACTION_CLI_NAMES, "gamma-gamma"];

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
  return {calibrationEnd, unit, penalizer};
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
