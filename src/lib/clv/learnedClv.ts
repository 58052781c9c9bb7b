/**
 * The learned CLV as a model of its own (issue 17): the random forest of learned.ts trained on the
 * calibration period only and used to predict every customer's value over a horizon, like the BG/NBD family.
 *
 * Training needs examples of "features, then what followed", and the calibration period holds them: the
 * features are taken at a training end `window` weeks before the calibration end, and the target is each of
 * those customers' spend in the `window` weeks that followed, up to the calibration end. The trained forest
 * then reads the features at the calibration end and predicts the spend of the next `window` weeks. Nothing
 * after the calibration end is used, so a holdout after it stays an honest test.
 *
 * Features (learnedFeatures.ts): recency, frequency, monetary value, tenure T, the r/f/m scores and the RFM
 * segment, and the data's optional columns when present (region, customer segment, main category, partner
 * share). A feature that takes one value for every training customer is left out (it cannot split anything).
 *
 * From the window to the horizon: the forest predicts spend over `window` weeks; the horizon's value assumes
 * the customer keeps that weekly rate for the horizon, month by month, discounted like value.ts
 * (Σ_{i=1..H} rate · weeks-per-month / (1 + d)^i). It has no purchase process, so it gives no P(alive) and no
 * expected purchases: those columns are empty for it, and the pages say so.
 */
import {featureImportance, type FeatureImportance} from "./importance.js";
import {SUMMARY_FEATURES, predictLearned, trainLearnedModel, type FeatureRows, type LearnedFeature, type LearnedModel, type TrainLearnedOptions} from "./learned.js";
import {learnedFeatureTable, presentFeatures, type LearnedCustomers} from "./learnedFeatures.js";
import type {WireLearnedCustomers} from "./packedProfiles.js";
import {discountedWeeks, learnedHorizonValue} from "./learnedValue.js";

export {LEARNED_WINDOW_DAYS, discountedWeeks, learnedHorizonValue} from "./learnedValue.js";

export type {LearnedCustomers};

/**
 * The forest's settings for the learned CLV: fewer trees and smaller chunks than trainLearnedModel's
 * defaults, since the features here have about 20 encoded columns rather than 4 (the cost grows with the
 * columns and the square of the chunk). On the demo (20,000 customers, 23 columns) 50 trees on chunks of
 * 300 gave a holdout-spend RMSE of 147.6 against 145.8 with 100 trees on chunks of 500, in a third of the time.
 */
export const LEARNED_FOREST = Object.freeze({nEstimators: 50, maxRows: 300});

/** Permutation importance: 1,000 customers, two shuffles per feature. */
export const LEARNED_IMPORTANCE = Object.freeze({sampleSize: 1000, repeats: 2});

/** The training customers: their profiles as objects or packed (packedProfiles.ts, as they reach the fit worker). */
export interface LearnedTraining extends WireLearnedCustomers {
  /** Each training customer's spend in the `windowWeeks` after the training end. */
  target: ArrayLike<number>;
  /** Length of the target period in weeks. */
  windowWeeks: number;
}

export interface LearnedClvOptions extends Pick<TrainLearnedOptions, "seed" | "nEstimators" | "maxDepth" | "maxRows" | "minNodeSize"> {
  horizonMonths: number;
  /** Monthly discount rate. */
  discountRate: number;
  /**
   * Actual spend (over `windowWeeks`) on which to measure the permutation importance, with its rows: by
   * default the scored customers' own (their feature table is made once, for the prediction and the
   * importance alike). Without `importanceOn` the importance is measured on the training customers (in-sample).
   */
  importanceOn?: {rows?: FeatureRows; target: ArrayLike<number>};
}

export interface LearnedClvResult {
  model: LearnedModel;
  /** The features trained on. */
  features: LearnedFeature[];
  windowWeeks: number;
  /** Predicted spend over the next `windowWeeks` (what a holdout of that length is compared with). */
  windowSpend: Float64Array;
  /** Predicted spend over the horizon, undiscounted. */
  horizonSpend: Float64Array;
  /** Discounted value over the horizon in revenue (margin 1), as fitClv's `clv`. */
  clv: Float64Array;
  importance: FeatureImportance[];
  /** Customers trained on. */
  trainingCustomers: number;
  /** Wall times, ms. */
  ms: {training: number; importance: number};
}

/** Trains the learned model on `training` and predicts each of `customers` over the horizon. */
export function learnedClv(training: LearnedTraining, customers: WireLearnedCustomers, options: LearnedClvOptions): LearnedClvResult {
  const {horizonMonths, discountRate, importanceOn, ...train} = options;
  const {target, windowWeeks} = training;
  if (!(Number.isFinite(windowWeeks) && windowWeeks > 0)) throw new Error(`learned CLV: the training window must be a positive number of weeks, got ${windowWeeks}`);
  discountedWeeks(horizonMonths, discountRate); // checks the settings before the training
  const n = training.summaries.frequency.length;
  if (n < 2) {
    throw new Error(`learned CLV: only ${n} customer${n === 1 ? "" : "s"} had bought by the training end ${training.calibrationEnd}: too few to learn from (choose a later calibration end)`);
  }
  const started = performance.now();
  // Feature tables: a row is made when the forest reads it (a few thousand trained on, the rest scored block by block).
  const trainingRows = learnedFeatureTable(training);
  // With every feature constant (a handful of alike customers) the forest still trains, on the summary's four.
  const present = presentFeatures(trainingRows);
  const features = present.length ? present : [...SUMMARY_FEATURES];
  const model = trainLearnedModel(trainingRows, target, {...LEARNED_FOREST, ...train, features});
  const rows = learnedFeatureTable(customers);
  const windowSpend = predictLearned(model, rows);
  const trained = performance.now();
  const importance = featureImportance(model, importanceOn ? importanceOn.rows ?? rows : trainingRows, importanceOn?.target ?? target, {...LEARNED_IMPORTANCE, seed: train.seed ?? 42});
  return {
    model,
    features,
    windowWeeks,
    windowSpend,
    horizonSpend: learnedHorizonValue(windowSpend, windowWeeks, {horizonMonths, discountRate: 0}),
    clv: learnedHorizonValue(windowSpend, windowWeeks, {horizonMonths, discountRate}),
    importance,
    trainingCustomers: n,
    ms: {training: Math.round(trained - started), importance: Math.round(performance.now() - trained)}
  };
}
