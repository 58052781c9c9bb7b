import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {loadDemo} from "../../../src/data/source.js";
import {presentColumns} from "../../../src/lib/explore/derived.js";
import {selectTransactions} from "../../../src/lib/sql/selection.js";
import {customerData, type CustomerData} from "../../../src/lib/clv/customers.js";
import {LEARNED_WINDOW_DAYS, discountedWeeks, learnedClv, learnedHorizonValue} from "../../../src/lib/clv/learnedClv.js";
import {learnedCustomers, learnedFeatureRows, learnedFeatureTable, presentFeatures, whatIfFeatureRow} from "../../../src/lib/clv/learnedFeatures.js";
import {isPackedProfiles, packLearned} from "../../../src/lib/clv/packedProfiles.js";
import {CATEGORICAL_FEATURES, NUMERIC_FEATURES, learnedModelToJSON, predictLearned, trainLearnedModel} from "../../../src/lib/clv/learned.js";
import {featureImportance} from "../../../src/lib/clv/importance.js";
import {compareModels, naiveBaseline} from "../../../src/lib/clv/validate.js";
import {profileSegments} from "../../../src/lib/clv/profiles.js";
import {addDays, nextDay} from "../../../src/lib/time.js";
import {CLV_MODEL_NAMES, TRANSACTION_MODEL_NAMES, clvModelLabel} from "../../../src/lib/models/index.js";

describe("learnedHorizonValue", () => {
  it("keeps the window's weekly spend for the horizon, discounted by month", () => {
    const wpm = 365.25 / 7 / 12;
    // 26 weeks → 52 spend: 2 a week; 3 months at 10% a month: 2·wpm·(1/1.1 + 1/1.21 + 1/1.331).
    const [v] = learnedHorizonValue([52], 26, {horizonMonths: 3, discountRate: 0.1});
    expect(v).toBeCloseTo(2 * wpm * (1 / 1.1 + 1 / 1.21 + 1 / 1.331), 10);
    expect(learnedHorizonValue([52], 26, {horizonMonths: 12, discountRate: 0})[0]).toBeCloseTo(2 * wpm * 12, 10);
    expect(discountedWeeks(1, 0)).toBeCloseTo(wpm, 12);
    expect(() => learnedHorizonValue([1], 0, {horizonMonths: 1, discountRate: 0})).toThrow(/positive number of weeks, got 0/);
    expect(() => discountedWeeks(1.5, 0)).toThrow(/horizonMonths .* 1.5/);
  });
});

describe("whatIfFeatureRow", () => {
  it("turns the what-if form's weeks into the summary's recency, with the scores and the picked customer's region", () => {
    const rfm = {r_score: 4, f_score: 2, m_score: 3, segment: "Regular"};
    expect(whatIfFeatureRow({frequency: 3, tenureWeeks: 52, weeksSinceLast: 8, monetary: 60}, rfm, {region: "Ontario"})).toEqual({
      frequency: 3,
      recency: 44,
      T: 52,
      monetary: 60,
      r_score: 4,
      f_score: 2,
      m_score: 3,
      rfm_segment: "Regular",
      region: "Ontario",
      customer_segment: null,
      category: null,
      partner_share: 0
    });
    // A picked customer's top category and partner share.
    expect(whatIfFeatureRow({frequency: 3, tenureWeeks: 52, weeksSinceLast: 8, monetary: 60}, rfm, {top_category: "Toys", partner_share: 0.4})).toMatchObject({category: "Toys", partner_share: 0.4});
    expect(whatIfFeatureRow({frequency: 0, tenureWeeks: 5, weeksSinceLast: 9, monetary: 0}, rfm).recency).toBe(0);
  });
});

describe("the site's model list", () => {
  it("offers every transaction model and the learned one", () => {
    expect(CLV_MODEL_NAMES).toEqual([...TRANSACTION_MODEL_NAMES, "learned"]);
    expect(clvModelLabel("learned")).toBe("Learned (random forest)");
    expect(clvModelLabel("bgnbd")).toBe("BG/NBD");
  });
});

describe("the learned CLV model on the demo", () => {
  let db: NodeDuckDB;
  let customers: CustomerData;
  let training: CustomerData;
  beforeAll(async () => {
    db = await openDuckDB();
    await loadDemo(db, {customers: 4000});
    const columns = await presentColumns(db);
    const selection = await selectTransactions(db, {filters: {}, columns, name: "s", dates: false});
    const calibrationEnd = addDays(selection.last!, -LEARNED_WINDOW_DAYS);
    const trainingEnd = addDays(calibrationEnd, -LEARNED_WINDOW_DAYS);
    customers = await customerData(db, {view: "s", columns, calibrationEnd, first: selection.first!, last: selection.last!});
    training = await customerData(db, {view: "s", columns, calibrationEnd: trainingEnd, first: selection.first!, last: calibrationEnd});
  }, 120_000);
  afterAll(() => db?.close());

  const trainingSet = () => ({...learnedCustomers(training), target: training.holdout!.map((h) => h.spend_holdout), windowWeeks: training.holdoutWeeks});

  it("has the RFM scores and segment (the CLV page's), region, customer segment, top category and partner share as features", () => {
    const rows = learnedFeatureRows(customers);
    const segments = profileSegments(customers.profiles, {analysisDate: nextDay(customers.calibrationEnd)});
    expect(rows.map((r) => r.rfm_segment)).toEqual(segments);
    expect(rows.every((r) => [1, 2, 3, 4, 5].includes(r.r_score!) && [1, 2, 3, 4, 5].includes(r.m_score!))).toBe(true);
    expect(rows[0].region).toBe(customers.profiles[0].region);
    // The demo has category and partner columns: each customer's top category and top partner's share of spend.
    expect(presentFeatures(rows)).toEqual(["recency", "frequency", "monetary", "T", "r_score", "f_score", "m_score", "rfm_segment", "region", "customer_segment", "category", "partner_share"]);
    expect(rows.map((r) => r.category)).toEqual(customers.profiles.map((p) => p.top_category));
    expect(rows.every((r) => r.partner_share! >= 0 && r.partner_share! <= 1)).toBe(true);
    // What the page sends the worker keeps them.
    expect(learnedFeatureRows(learnedCustomers(customers))).toEqual(rows);
    // A feature with one value for everyone, and an optional column nobody has, are left out.
    expect(presentFeatures(rows.map((r) => ({...r, region: "East", category: null})))).not.toContain("region");
  });

  it("reads packed profiles in place (learnedFeatureTable): each row, and each feature of it, is the objects' row", () => {
    const rows = learnedFeatureRows(customers);
    const packed = packLearned(learnedCustomers(customers));
    expect(isPackedProfiles(packed.profiles)).toBe(true);
    const table = learnedFeatureTable(packed);
    expect(table.length).toBe(rows.length);
    const features = [...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES];
    for (let i = 0; i < rows.length; i++) {
      expect(table.row(i)).toEqual(rows[i]);
      // Key for key, in the same order (the encoding reads by name; a row's keys are its features).
      expect(Object.keys(table.row(i))).toEqual(Object.keys(rows[i]));
      for (const f of features) expect(table.value(f, i)).toBe(rows[i][f]);
    }
    expect(presentFeatures(table)).toEqual(presentFeatures(rows));
    // A customer without a region: absent from the row, as in the objects' row.
    const someWithout = {...learnedCustomers(customers)};
    someWithout.profiles = someWithout.profiles.map((p, i) => (i % 3 ? p : (({region: _, ...rest}) => rest)(p)));
    const withoutRows = learnedFeatureRows(someWithout);
    expect(withoutRows[0]).not.toHaveProperty("region");
    const withoutTable = learnedFeatureTable(packLearned(someWithout));
    expect(Array.from({length: 30}, (_, i) => withoutTable.row(i))).toEqual(withoutRows.slice(0, 30));
    expect(withoutTable.value("region", 0)).toBeUndefined();
    // Extras take precedence over the profiles' top category and partner share, packed or not.
    const extras = {category: customers.profiles.map((_, i) => (i % 2 ? "Odd" : null)), partner_share: Float64Array.from(customers.profiles, (_, i) => (i % 5) / 5)};
    const withExtras = {...learnedCustomers(customers), extras};
    const extraRows = learnedFeatureRows(withExtras);
    expect(extraRows.slice(0, 4).map((r) => [r.category, r.partner_share])).toEqual([[null, 0], ["Odd", 0.2], [null, 0.4], ["Odd", 0.6]]);
    const extraTable = learnedFeatureTable(packLearned(withExtras));
    for (let i = 0; i < 50; i++) expect(extraTable.row(i)).toEqual(extraRows[i]);
    expect(extraTable.value("category", 1)).toBe("Odd");
  });

  it("trains, predicts and measures importance on a feature table as on its rows", () => {
    const features = presentFeatures(learnedFeatureRows(customers));
    const options = {features, nEstimators: 6, maxRows: 200, seed: 7};
    const target = customers.holdout!.map((h) => h.spend_holdout);
    const table = learnedFeatureTable(packLearned(learnedCustomers(customers)));
    const rows = learnedFeatureRows(customers);
    const fromRows = trainLearnedModel(rows, target, options);
    const fromTable = trainLearnedModel(table, target, options);
    expect(learnedModelToJSON(fromTable)).toBe(learnedModelToJSON(fromRows));
    expect(predictLearned(fromTable, table)).toEqual(predictLearned(fromRows, rows));
    expect(featureImportance(fromTable, table, target, {sampleSize: 300, repeats: 1})).toEqual(featureImportance(fromRows, rows, target, {sampleSize: 300, repeats: 1}));
    // A row that is not a finite number is named as in an array.
    const broken = {...table, value: (f: (typeof features)[number], i: number) => (i === 5 && f === "monetary" ? Number.NaN : table.value(f, i))};
    expect(() => trainLearnedModel(broken, target, options)).toThrow(/trainLearnedModel: rows\[5\]\.monetary is NaN, not a finite number/);
    expect(() => predictLearned(fromRows, {length: 3} as never)).toThrow(/predictLearned: rows must be an array/);
  });

  it("trained on the calibration period only, beats the naive past rate on the holdout", () => {
    expect(training.last).toBe(customers.calibrationEnd);
    const result = learnedClv(trainingSet(), customers, {horizonMonths: 12, discountRate: 0.01, importanceOn: undefined});
    expect(result.windowWeeks).toBe(26);
    expect(result.features).toContain("rfm_segment");
    expect(result.clv.length).toBe(customers.profiles.length);
    expect(result.clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const actual = customers.holdout!.map((h) => h.spend_holdout);
    expect(customers.holdoutWeeks).toBe(26);
    const naive = naiveBaseline(
      Array.from(customers.summaries.frequency, (frequency, i) => ({frequency, monetary: customers.summaries.monetary[i], T: customers.summaries.T[i]})),
      {holdoutLength: customers.holdoutWeeks}
    );
    const comparison = compareModels({spend: actual}, {naive, learned: {spend: result.windowSpend}});
    const [naiveRow, learnedRow] = comparison.rows;
    expect(comparison.winner.name).toBe("learned");
    expect(learnedRow.rmse).toBeLessThan(0.9 * naiveRow.rmse);
    expect(learnedRow.mae).toBeLessThan(naiveRow.mae);
    expect(Math.abs(learnedRow.spend.percentError)).toBeLessThan(Math.abs(naiveRow.spend.percentError));
    expect(result.importance.map((d) => d.feature).sort()).toEqual([...result.features].sort());
    expect(result.importance.map((d) => d.feature)).toEqual(expect.arrayContaining(["category", "partner_share"]));
  }, 600_000);

  it("gives identical predictions for the same seed and others for another seed", () => {
    const options = {horizonMonths: 12, discountRate: 0.01, nEstimators: 6};
    const a = learnedClv(trainingSet(), customers, {...options, seed: 3});
    const b = learnedClv(trainingSet(), customers, {...options, seed: 3});
    const c = learnedClv(trainingSet(), customers, {...options, seed: 4});
    expect(Array.from(a.clv)).toEqual(Array.from(b.clv));
    expect(a.importance).toEqual(b.importance);
    expect(Array.from(a.clv)).not.toEqual(Array.from(c.clv));
  }, 600_000);

  it("measures the importance on the scored customers' own rows when only their actual spend is given", () => {
    const options = {horizonMonths: 12, discountRate: 0.01, nEstimators: 6, seed: 5};
    const actual = customers.holdout!.map((h) => h.spend_holdout);
    const own = learnedClv(trainingSet(), customers, {...options, importanceOn: {target: actual}});
    const given = learnedClv(trainingSet(), customers, {...options, importanceOn: {rows: learnedFeatureRows(customers), target: actual}});
    const inSample = learnedClv(trainingSet(), customers, options);
    expect(own.importance).toEqual(given.importance);
    expect(own.importance).not.toEqual(inSample.importance);
  }, 600_000);

  it("refuses a training set too small to learn from, saying why", () => {
    const few = {...trainingSet(), summaries: {frequency: [1], recency: [1], T: [2], monetary: [3]}, profiles: training.profiles.slice(0, 1), target: [0]};
    expect(() => learnedClv(few, customers, {horizonMonths: 12, discountRate: 0.01})).toThrow(/only 1 customer had bought by the training end/);
  });
});
