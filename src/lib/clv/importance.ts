/**
 * Permutation importance of the learned model's features (Breiman 2001, section 10), measured on held-out
 * rows: how much worse the predictions get when one feature's values are shuffled across customers.
 */
import {createRandom} from "../data/random.js";
import {checkModel, checkRows, encoder, featureTable, positiveInteger, predictEncoded, type FeatureRows, type LearnedModel} from "./learned.js";

export interface FeatureImportance {
  feature: string;
  /** Increase of the mean squared error when this feature is scrambled (≥ 0 means the model relies on it). */
  importance: number;
  /** `importance` as a share of the baseline mean squared error. */
  relative: number;
}

export interface FeatureImportanceOptions {
  seed?: number;
  /** Rows scored (a seeded random sample when there are more). */
  sampleSize?: number;
  /** Permutations averaged per feature. */
  repeats?: number;
}

/**
 * Permutation importance of each feature (Breiman 2001, section 10): the mean squared error of the
 * predictions on `rows` against `target` is measured once as is and then again with one feature's values
 * shuffled across the rows (for a categorical feature, its whole one-hot group moves together), keeping
 * everything else. The importance is the mean increase over `repeats` shuffles; sorted, largest first.
 *
 * ml-random-forest has an impurity-based `featureImportance()`, but it only sees the training data, favours
 * features with many distinct values, and treats ml-cart's regression "gain" (a residual error, lower is
 * better) as if higher were better; permutation importance on held-out data answers the useful question,
 * "how much worse would predictions be without this feature?". At most `sampleSize` rows (default 2,000) are
 * scored, drawn with the seed, to keep it quick.
 */
export function featureImportance(
  model: LearnedModel,
  rows: FeatureRows,
  target: ArrayLike<number>,
  {seed = 42, sampleSize = 2000, repeats = 3}: FeatureImportanceOptions = {}
): FeatureImportance[] {
  checkModel(model, "featureImportance");
  const table = featureTable(rows, "featureImportance");
  if (target == null || target.length !== table.length) {
    throw new Error(`featureImportance: target has length ${target?.length}, rows have length ${table.length}`);
  }
  if (table.length < 2) throw new Error(`featureImportance: need at least 2 rows, got ${table.length}`);
  positiveInteger("sampleSize", sampleSize);
  positiveInteger("repeats", repeats);
  if (!Number.isInteger(seed)) throw new Error(`featureImportance: seed must be an integer, got ${seed}`);

  const random = createRandom(seed);
  let index = Array.from({length: table.length}, (_, i) => i);
  if (index.length > sampleSize) {
    for (let i = 0; i < sampleSize; ++i) {
      const j = i + Math.floor(random() * (index.length - i));
      [index[i], index[j]] = [index[j], index[i]];
    }
    index = index.slice(0, sampleSize);
  }
  // Every row is checked; only the sample is encoded.
  checkRows(table, model.numeric, "featureImportance");
  const encodeRow = encoder(model.numeric, model.categorical, "featureImportance");
  const X = index.map((i) => encodeRow(table.row(i), i));
  const y = index.map((i) => {
    const v = target[i];
    if (!Number.isFinite(v)) throw new Error(`featureImportance: target[${i}] is ${v}, not a finite number`);
    return v;
  });
  const base = meanSquaredError(predictEncoded(model, X), y);

  const groups: {feature: string; columns: number[]}[] = model.numeric.map((f, c) => ({feature: f, columns: [c]}));
  let offset = model.numeric.length;
  for (const {feature, levels} of model.categorical) {
    groups.push({feature, columns: levels.map((_, k) => offset + k)});
    offset += levels.length;
  }

  const result: FeatureImportance[] = [];
  for (const {feature, columns} of groups) {
    let total = 0;
    for (let r = 0; r < repeats; ++r) {
      const perm = X.map((_, i) => i);
      for (let i = perm.length - 1; i > 0; --i) {
        const j = Math.floor(random() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const shuffled = X.map((row, i) => {
        const copy = row.slice();
        for (const c of columns) copy[c] = X[perm[i]][c];
        return copy;
      });
      total += meanSquaredError(predictEncoded(model, shuffled), y) - base;
    }
    const importance = total / repeats;
    result.push({feature, importance, relative: base > 0 ? importance / base : 0});
  }
  return result.sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
}

function meanSquaredError(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; ++i) s += (p[i] - y[i]) ** 2;
  return y.length ? s / y.length : 0;
}
