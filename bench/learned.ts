/**
 * Benchmark (not a test) of the learned CLV model (src/lib/clv/learnedClv.ts) on the demo of the build (20,000
 * customers by default) at the CLV page's default calibration end: the training (features 26 weeks earlier,
 * spend up to the calibration end), the permutation importance, and the holdout-spend RMSE against the naive
 * past rate. Run: `npx tsx bench/learned.ts [customers]`.
 */
import {openDuckDB} from "../src/node/duckdb.js";
import {loadDemo} from "../src/data/source.js";
import {presentColumns} from "../src/lib/explore/derived.js";
import {selectTransactions} from "../src/lib/sql/selection.js";
import {customerData} from "../src/lib/clv/customers.js";
import {LEARNED_WINDOW_DAYS, learnedClv} from "../src/lib/clv/learnedClv.js";
import {learnedFeatureRows} from "../src/lib/clv/learnedFeatures.js";
import {naiveBaseline, rootMeanSquaredError} from "../src/lib/clv/validate.js";
import {addDays} from "../src/lib/time.js";

const customersWanted = Number(process.argv[2] ?? 20_000);
const db = await openDuckDB();
try {
  await loadDemo(db, {customers: customersWanted});
  const columns = await presentColumns(db);
  const selection = await selectTransactions(db, {filters: {}, columns, name: "s", dates: false});
  const calibrationEnd = addDays(selection.last!, -LEARNED_WINDOW_DAYS);
  const trainingEnd = addDays(calibrationEnd, -LEARNED_WINDOW_DAYS);
  const customers = await customerData(db, {view: "s", columns, calibrationEnd, first: selection.first!, last: selection.last!});
  const training = await customerData(db, {view: "s", columns, calibrationEnd: trainingEnd, first: selection.first!, last: calibrationEnd});
  const actual = customers.holdout!.map((h) => h.spend_holdout);
  const started = performance.now();
  const result = learnedClv({...training, target: training.holdout!.map((h) => h.spend_holdout), windowWeeks: training.holdoutWeeks}, customers, {
    horizonMonths: 12,
    discountRate: 0.01,
    importanceOn: {rows: learnedFeatureRows(customers), target: actual}
  });
  const total = performance.now() - started;
  const naive = naiveBaseline(
    Array.from(customers.summaries.frequency, (frequency, i) => ({frequency, monetary: customers.summaries.monetary[i], T: customers.summaries.T[i]})),
    {holdoutLength: customers.holdoutWeeks}
  );
  console.log(`learned CLV on the demo: ${training.profiles.length} training customers, ${customers.profiles.length} predicted; ${result.model.columns.length} encoded columns (${result.features.join(", ")})`);
  console.log(`  training ${result.ms.training} ms, importance ${result.ms.importance} ms, total with prediction ${Math.round(total)} ms`);
  console.log(`  holdout-spend RMSE: learned ${rootMeanSquaredError(actual, result.windowSpend).toFixed(1)}, naive ${rootMeanSquaredError(actual, naive.spend).toFixed(1)}`);
} finally {
  db.close();
}
