/**
 * `clv predict FILE`: fits a transaction model (BG/NBD or Pareto/NBD) and Gamma-Gamma on the calibration
 * period and writes, per customer, the summary, P(alive), expected purchases and expected spend over the
 * horizon, and the discounted CLV; with the actual holdout purchases and spend when the data runs past the
 * calibration end. Refuses (exit 1) when a fit does not converge.
 */
import {customerHoldout} from "../../lib/fit/summary.js";
import {fitClvModels, predictCustomers, type TransactionModelName} from "../../lib/clv/predict.js";
import {toCsv} from "../../lib/format/csv.js";
import {DataError} from "../../lib/errors.js";
import {COMMON_HELP, choiceOption, parseCommand, progress, progressDone} from "../args.js";
import {bootstrapClv} from "../../lib/fit/bootstrap.js";
import {continuousRate, dertOfCustomers} from "../../lib/clv/dert.js";
import type {TransactionModel} from "../../lib/models/index.js";
import {openPurchases, writeRows} from "../session.js";
import {FIT_HELP, FIT_OPTIONS, TRANSACTION_CLI_NAMES, calibrationSummary, fitSettings, transactionModelName} from "../fitting.js";
import {LEARNED_MODEL} from "../../lib/models/index.js";
import {predictLearnedRows} from "../learned.js";

const HELP = `usage: clv predict FILE --calibration-end DATE [options]
       clv predict --db URL --table NAME --calibration-end DATE [options]

Per customer: customer_id, frequency, recency, T, monetary, p_alive, expected_purchases (over the
horizon), expected_spend (per purchase, Gamma-Gamma), clv (discounted, margin applied), dert (discounted
expected residual transactions over the whole relationship, Fader, Hardie & Lee 2005, at the same discount
rate compounded continuously; empty with --discount 0), residual_clv (dert × expected_spend × margin), and
frequency_holdout, spend_holdout when the data runs past the calibration end. With --bootstrap N:
p_alive_low, p_alive_high, expected_purchases_low, expected_purchases_high, clv_low and clv_high, the
percentile interval at --level over N refits of both models on customers resampled with replacement.

predict:
  --model NAME              transaction model: ${TRANSACTION_CLI_NAMES.join(", ")} (default bgnbd), or
                            learned: a random forest trained on the 26 weeks before the calibration end
                            (features then, spend after) that predicts each customer's value; it has no
                            p_alive, expected_purchases, expected_spend, dert or residual_clv (empty
                            columns); --seed S (default 42) seeds it; --unit week only, no --bootstrap
  --horizon N               horizon in months (default 12)
  --discount D              monthly discount rate (default 0.01)
  --margin M                gross margin rate applied to spend, 0..1 (default 0.3, as on the CLV pages;
                            1 gives CLV in revenue)
${FIT_HELP}

${COMMON_HELP}`;

function numberOption(flag: string, value: unknown, fallback: number, check: (x: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!check(x)) throw new DataError("usage", `--${flag} must be ${what}, got '${String(value)}'`);
  return x;
}

/** The CLV pages' default "Gross margin rate". */
const DEFAULT_MARGIN = 0.3;

const BASE_COLUMNS = ["customer_id", "frequency", "recency", "T", "monetary", "p_alive", "expected_purchases", "expected_spend", "clv", "dert", "residual_clv"];
const TYPES: Record<string, string> = {
  frequency: "INTEGER",
  recency: "DOUBLE",
  T: "DOUBLE",
  monetary: "DOUBLE",
  p_alive: "DOUBLE",
  expected_purchases: "DOUBLE",
  expected_spend: "DOUBLE",
  clv: "DOUBLE",
  dert: "DOUBLE",
  residual_clv: "DOUBLE",
  p_alive_low: "DOUBLE",
  p_alive_high: "DOUBLE",
  expected_purchases_low: "DOUBLE",
  expected_purchases_high: "DOUBLE",
  clv_low: "DOUBLE",
  clv_high: "DOUBLE",
  frequency_holdout: "INTEGER",
  spend_holdout: "DOUBLE"
};

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv, {options: {...FIT_OPTIONS, horizon: {type: "string"}, discount: {type: "string"}, margin: {type: "string"}}});
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const cliModel = choiceOption("model", args.values.model, [...TRANSACTION_CLI_NAMES, LEARNED_MODEL]) ?? "bgnbd";
  const learned = cliModel === LEARNED_MODEL;
  // The learned model takes --seed on its own; the transaction models only with --bootstrap.
  const settings = fitSettings(learned ? {...args, values: {...args.values, seed: undefined}} : args);
  const model = learned ? "bgnbd" : transactionModelName(cliModel);
  const horizonMonths = numberOption("horizon", args.values.horizon, 12, (x) => Number.isInteger(x) && x >= 1 && x <= 600, "a whole number of months from 1 to 600");
  const discountRate = numberOption("discount", args.values.discount, 0.01, (x) => x >= 0 && x < 1, "a monthly rate from 0 to 1");
  const margin = numberOption("margin", args.values.margin, DEFAULT_MARGIN, (x) => x > 0 && x <= 1, "a share from 0 to 1");

  if (learned) return predictLearnedRows(args, settings, {horizonMonths, discountRate, margin, columns: BASE_COLUMNS, types: TYPES});
  const session = await openPurchases(args);
  const {db} = session;
  try {
    const summary = await calibrationSummary(session, args, settings);
    const ids = summary.map((row) => row.customer_id);
    let fit;
    try {
      fit = fitClvModels(summary, {model, penalizer: settings.penalizer, ids});
    } catch (error) {
      throw new DataError("no_rows", `cannot fit the models: ${(error as Error).message}`);
    }
    for (const [name, result] of [[cliModel, fit.transaction], ["gamma-gamma", fit.spend]] as const) {
      if (!result.converged) throw new DataError("no_rows", `${name} did not converge (${result.message}); try --penalizer 0.001`);
    }
    const notIdentified = [[cliModel, fit.transaction], ["gamma-gamma", fit.spend]].filter(([, result]) => !(result as {identified: boolean}).identified);
    if (notIdentified.length) {
      const what = notIdentified.map(([name, result]) => `${name}: ${(result as {identification: string}).identification}`).join(" ");
      process.stderr.write(`clv: warning: the predictions rest on a fit that is not identified (${what.replace(/\s+/g, " ")})\n`);
    }
    const predictions = predictCustomers(summary, fit, {horizonMonths, discountRate, margin, timeUnit: settings.unit, ids});
    const transaction = {model, params: fit.transaction.params} as TransactionModel;
    // Without discounting the residual transactions of a customer who never leaves are unbounded: no DERT.
    const residual =
      discountRate > 0
        ? dertOfCustomers(transaction, continuousRate(discountRate, settings.unit), {
            frequency: summary.map((r) => r.frequency),
            recency: summary.map((r) => r.recency),
            T: summary.map((r) => r.T)
          })
        : null;
    const rows: Record<string, unknown>[] = summary.map((row, i) => ({
      ...row,
      ...predictions[i],
      dert: residual ? residual[i] : null,
      residual_clv: residual ? margin * predictions[i].expected_spend * residual[i] : null
    }));
    const columns = [...BASE_COLUMNS];
    if (settings.bootstrap) {
      const boot = bootstrapClv(
        {
          frequency: summary.map((r) => r.frequency),
          recency: summary.map((r) => r.recency),
          T: summary.map((r) => r.T),
          monetary: summary.map((r) => r.monetary)
        },
        {transaction, spend: fit.spend.params},
        {horizonMonths, discountRate, margin, timeUnit: settings.unit},
        {...settings.bootstrap, penalizer: settings.penalizer, onProgress: (done, total) => progress(`bootstrap refit ${done} of ${total}`)}
      );
      if (boot.succeeded === 0) throw new DataError("no_rows", `none of the ${boot.requested} bootstrap refits converged; try --penalizer 0.001`);
      if (boot.failed > 0) process.stderr.write(`clv: warning: ${boot.failed} of ${boot.requested} bootstrap refits did not converge; the intervals rest on the other ${boot.succeeded}\n`);
      rows.forEach((row, i) => {
        row.clv_low = boot.clv.low[i];
        row.clv_high = boot.clv.high[i];
        row.expected_purchases_low = boot.expectedPurchases.low[i];
        row.expected_purchases_high = boot.expectedPurchases.high[i];
        row.p_alive_low = boot.probabilityAlive.low[i];
        row.p_alive_high = boot.probabilityAlive.high[i];
      });
      columns.splice(columns.indexOf("p_alive") + 1, 0, "p_alive_low", "p_alive_high");
      columns.splice(columns.indexOf("expected_purchases") + 1, 0, "expected_purchases_low", "expected_purchases_high");
      columns.push("clv_low", "clv_high");
    }
    const [{last}] = await session.engine.query<{last: string}>(`SELECT CAST(max(order_date) AS DATE) AS last FROM ${session.purchases}`);
    if (settings.calibrationEnd && last > settings.calibrationEnd) {
      const holdout = new Map(
        (
          await customerHoldout(session.engine, {table: session.purchases, calibrationEnd: settings.calibrationEnd, unit: settings.unit, dialect: session.dialect})
        ).map((h) => [h.customer_id, h])
      );
      for (const row of rows) {
        const h = holdout.get(row.customer_id as string);
        row.frequency_holdout = h?.frequency_holdout ?? 0;
        row.spend_holdout = h?.spend_holdout ?? 0;
      }
      columns.push("frequency_holdout", "spend_holdout");
    }
    progressDone();
    if (args.out) await writeRows(db, rows, columns, args.out, TYPES);
    else if (args.json) process.stdout.write(`${JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))))}\n`);
    else process.stdout.write(toCsv(rows, {columns}));
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
