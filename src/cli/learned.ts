/**
 * `clv predict --model learned`: the learned CLV model (src/lib/clv/learnedClv.ts) on a file, with the same
 * code as the Predicted CLV page: customerData() at the training end (calibration end − 26 weeks, with the
 * spend up to the calibration end as the target) and at the calibration end, then the forest's value per
 * customer in the columns of the other models (the ones it has no figure for are empty).
 */
import {customerData} from "../lib/clv/customers.js";
import {LEARNED_WINDOW_DAYS, learnedClv} from "../lib/clv/learnedClv.js";
import {toCsv} from "../lib/format/csv.js";
import {DataError} from "../lib/errors.js";
import {addDays} from "../lib/time.js";
import {progressDone, type ParsedCommand} from "./args.js";
import {checkCalibrationEnd, type FitSettings} from "./fitting.js";
import {openPurchases, writeRows} from "./session.js";

export interface LearnedPredictOptions {
  horizonMonths: number;
  discountRate: number;
  margin: number;
  /** The output columns of `clv predict` (without the holdout ones) and their SQL types. */
  columns: readonly string[];
  types: Record<string, string>;
}

export async function predictLearnedRows(args: ParsedCommand, settings: FitSettings, {horizonMonths, discountRate, margin, columns, types}: LearnedPredictOptions): Promise<number> {
  if (settings.unit !== "week") throw new DataError("usage", `--model learned works in weeks: leave out --unit ${settings.unit}`);
  if (args.values.bootstrap !== undefined) throw new DataError("usage", "--bootstrap is for the transaction models, not --model learned (use --seed to vary the forest)");
  const rawSeed = args.values.seed;
  const seed = rawSeed === undefined ? 42 : Number(rawSeed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2147483647) throw new DataError("usage", `--seed must be a whole number from 0 to 2147483647, got '${String(rawSeed)}'`);

  const session = await openPurchases(args);
  try {
    if (session.dialect.name !== "duckdb") throw new DataError("usage", "--model learned reads files and folders, not --db: its customer profiles are DuckDB SQL");
    checkCalibrationEnd(session, settings);
    const [range] = await session.engine.query<{first: string | null; last: string | null}>(
      `SELECT strftime(CAST(min(order_date) AS DATE), '%Y-%m-%d') AS first, strftime(CAST(max(order_date) AS DATE), '%Y-%m-%d') AS last FROM ${session.purchases}`
    );
    if (!range?.first || !range.last) throw new DataError("no_rows", "no purchases to learn from");
    const last = args.asOf && args.asOf < range.last ? args.asOf : range.last;
    const calibrationEnd = settings.calibrationEnd ?? last;
    const trainingEnd = addDays(calibrationEnd, -LEARNED_WINDOW_DAYS);
    if (trainingEnd < range.first) {
      throw new DataError(
        "usage",
        `--model learned trains on the ${LEARNED_WINDOW_DAYS / 7} weeks before the calibration end, and ${session.name} starts ${range.first}: choose a calibration end from ${addDays(range.first, LEARNED_WINDOW_DAYS)}`
      );
    }
    const columnsPresent = await session.engine.columns(session.purchases);
    const view = session.purchases;
    const customers = await customerData(session.engine, {view, columns: columnsPresent, calibrationEnd, first: range.first, last});
    const training = await customerData(session.engine, {view, columns: columnsPresent, calibrationEnd: trainingEnd, first: range.first, last: calibrationEnd});
    let result;
    try {
      result = learnedClv(
        {...training, target: training.holdout!.map((h) => h.spend_holdout), windowWeeks: training.holdoutWeeks},
        customers,
        {horizonMonths, discountRate, seed}
      );
    } catch (error) {
      throw new DataError("no_rows", `cannot train the learned model: ${(error as Error).message}`);
    }
    process.stderr.write(
      `clv: learned model trained on ${training.profiles.length} customers (features at ${trainingEnd}, spend to ${calibrationEnd}); features: ${result.features.join(", ")}; seed ${seed}\n`
    );
    const {summaries} = customers;
    const rows: Record<string, unknown>[] = customers.profiles.map((p, i) => ({
      customer_id: p.customer_id,
      frequency: summaries.frequency[i],
      recency: summaries.recency[i],
      T: summaries.T[i],
      monetary: summaries.monetary[i],
      p_alive: null,
      expected_purchases: null,
      expected_spend: null,
      clv: margin * result.clv[i],
      dert: null,
      residual_clv: null
    }));
    const out = [...columns];
    if (customers.holdout) {
      customers.holdout.forEach((h, i) => Object.assign(rows[i], {frequency_holdout: h.frequency_holdout, spend_holdout: h.spend_holdout}));
      out.push("frequency_holdout", "spend_holdout");
    }
    progressDone();
    if (args.out) await writeRows(session.db, rows, out, args.out, types);
    else if (args.json) process.stdout.write(`${JSON.stringify(rows.map((row) => Object.fromEntries(out.map((c) => [c, row[c]]))))}\n`);
    else process.stdout.write(toCsv(rows, {columns: out}));
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
