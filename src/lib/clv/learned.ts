/**
 * A learned CLV model in the "RFM + machine learning" style: a random-forest regression that maps a
 * customer's calibration-period features (recency, frequency, monetary value, tenure T, and optionally the
 * categorical region and customer segment, one-hot encoded) to the value observed in a holdout period
 * (usually holdout spend). Unlike BG/NBD or Pareto/NBD it assumes no purchase process: it learns whatever
 * relationship the calibration/holdout split shows, so it needs a holdout period to train on and predicts
 * for a horizon of the same length.
 *
 * The forest is ml-random-forest's `RandomForestRegression` (mljs), which grows ml-cart regression trees on
 * bootstrap samples and is deterministic for a given integer seed (Mersenne Twister inside).
 *
 * Training cost. ml-cart searches splits exhaustively: at a node with n rows it evaluates up to n − 1 cut
 * points per feature and re-partitions all n rows for each, so one tree costs roughly 2·F·n² steps (F
 * features). That is fine for a thousand rows and hopeless for 20,000. So the rows are shuffled (seeded) and
 * cut into disjoint chunks of at most `maxRows` rows; the `nEstimators` trees are shared out among the
 * chunks and each tree is grown on a bootstrap of its chunk. Every row is used by some tree, and the cost is
 * nEstimators × cost(one tree on maxRows rows), whatever the number of customers. When there are more
 * chunks than trees, only the first `nEstimators` chunks (a seeded random subset of rows) are used.
 * Every feature column costs the same, and a one-hot column as much as a numeric one, so a region with six
 * levels multiplies the time by about 2.5 over the four RFM columns alone (`maxLevels` caps it).
 *
 * Measured (Node 20, a busy 2-core machine with load average ~10; simulated BG/NBD customers, 100 trees,
 * depth 8): 20,000 customers with the four numeric features (the default) train in 6–9 s with the default
 * maxRows 500 and 37 s with maxRows 1,000 (holdout-spend RMSE 194 vs 190: little gained); adding region
 * and segment (7 one-hot columns) took 30–54 s at maxRows 500 for no gain on that data. Predicting 5,000
 * rows took 0.2–0.3 s (4 columns) to 1.5–2.7 s (11 columns).
 * Train in a Web Worker.
 *
 * The model is plain data (numbers, strings, arrays, objects): it survives `structuredClone`,
 * `postMessage` and `JSON.stringify`; `learnedModelToJSON` / `learnedModelFromJSON` are the checked way
 * across a text boundary.
 *
 * The model's plain form, its encoding and the prediction are in learnedModel.ts (no ML package there, so a
 * page can predict with a model the worker trained); this file trains. Permutation importance, which only reads
 * a trained model, is in importance.ts.
 */
import {RandomForestRegression} from "ml-random-forest";
import {createRandom} from "../data/random.js";
import {
  CATEGORICAL_FEATURES,
  NUMERIC_FEATURES,
  SUMMARY_FEATURES,
  checkRows,
  encoder,
  featureTable,
  positiveInteger,
  type CategoricalEncoding,
  type CategoricalFeature,
  type FeatureRows,
  type FeatureTable,
  type ForestPart,
  type LearnedFeature,
  type LearnedModel,
  type NumericFeature,
  type PlainTreeNode
} from "./learnedModel.js";

export * from "./learnedModel.js";

export interface TrainLearnedOptions {
  /** Seed of the row shuffle and of the forest's bootstrap and feature draws; a 32-bit integer. */
  seed?: number;
  /** Total number of trees. */
  nEstimators?: number;
  /** Maximum tree depth; undefined for unlimited (slower, larger model). */
  maxDepth?: number;
  /** A node with at most this many rows becomes a leaf (ml-cart's `minNumSamples`). */
  minNodeSize?: number;
  /**
   * Features to use; by default the four of the calibration summary (SUMMARY_FEATURES). Categorical features are opt-in (e.g.
   * `[...NUMERIC_FEATURES, "region"]`) because every one-hot column costs as much training time as a numeric
   * one; a requested categorical that no row has adds no columns.
   */
  features?: readonly LearnedFeature[];
  /** Largest chunk of rows one tree is grown from (see the module comment on training cost). */
  maxRows?: number;
  /** At most this many levels (the most frequent) per categorical feature; the rest encode as all zeros. */
  maxLevels?: number;
}

/**
 * Trains the random-forest model of holdout value on calibration features.
 *
 * `rows[i]` are customer i's calibration features and `target[i]` the value to learn (e.g. holdout spend).
 * Defaults: seed 42, 100 trees, depth 8, leaves of at most 5 rows, chunks of 500 rows, 8 levels per
 * category. The same rows, target and options always give the same model.
 */
export function trainLearnedModel(
  rows: FeatureRows,
  target: ArrayLike<number>,
  {
    seed = 42,
    nEstimators = 100,
    maxDepth = 8,
    minNodeSize = 5,
    features,
    maxRows = 500,
    maxLevels = 8
  }: TrainLearnedOptions = {}
): LearnedModel {
  const table = featureTable(rows, "trainLearnedModel");
  if (target == null || target.length !== table.length) {
    throw new Error(`trainLearnedModel: target has length ${target?.length}, rows have length ${table.length}`);
  }
  if (table.length < 2) throw new Error(`trainLearnedModel: need at least 2 rows, got ${table.length}`);
  if (!Number.isInteger(seed) || seed < -2147483648 || seed > 4294967295) {
    throw new Error(`trainLearnedModel: seed must be a 32-bit integer, got ${seed}`);
  }
  positiveInteger("nEstimators", nEstimators);
  if (maxDepth !== undefined && maxDepth !== Infinity) positiveInteger("maxDepth", maxDepth);
  positiveInteger("minNodeSize", minNodeSize);
  positiveInteger("maxLevels", maxLevels);
  if (!Number.isInteger(maxRows) || maxRows < 10) {
    throw new Error(`trainLearnedModel: maxRows must be an integer ≥ 10, got ${maxRows}`);
  }
  for (let i = 0; i < target.length; ++i) {
    if (!Number.isFinite(target[i])) throw new Error(`trainLearnedModel: target[${i}] is ${target[i]}, not a finite number`);
  }

  const chosen = features ? checkFeatures(features) : [...SUMMARY_FEATURES];
  const numeric = NUMERIC_FEATURES.filter((f) => chosen.includes(f));
  const categorical = CATEGORICAL_FEATURES.filter((f) => chosen.includes(f)).map((f) => ({
    feature: f,
    levels: topLevels(table, f, maxLevels)
  }));
  const columns = columnNames(numeric, categorical);
  if (columns.length === 0) throw new Error("trainLearnedModel: no feature columns to train on");
  // Every row is checked, and only the rows the chunks use are encoded (a few thousand of maybe millions).
  checkRows(table, numeric, "trainLearnedModel");
  const encodeRow = encoder(numeric, categorical, "trainLearnedModel");

  // Shuffle the row order (seeded), then cut into chunks of at most maxRows rows.
  const random = createRandom(seed);
  const order = Array.from({length: table.length}, (_, i) => i);
  for (let i = order.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // Chunk sizes differ by at most one row and are at least maxRows / 2 (≥ 5).
  const chunkCount = Math.min(Math.ceil(table.length / maxRows), nEstimators);
  const used = Math.min(table.length, chunkCount * maxRows);
  const forests: ForestPart[] = [];
  let usedRows = 0;
  for (let c = 0; c < chunkCount; ++c) {
    const index = order.slice(Math.floor((c * used) / chunkCount), Math.floor(((c + 1) * used) / chunkCount));
    const trees = Math.floor(nEstimators / chunkCount) + (c < nEstimators % chunkCount ? 1 : 0);
    const forest = new RandomForestRegression({
      seed: (Math.floor(random() * 2147483647) + 1) | 0,
      nEstimators: trees,
      maxFeatures: 1.0,
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      selectionMethod: "mean",
      treeOptions: {maxDepth: maxDepth ?? Infinity, minNumSamples: minNodeSize}
    });
    forest.train(
      index.map((i) => encodeRow(table.row(i), i)),
      index.map((i) => target[i])
    );
    forests.push({trees, rows: index.length, model: plainForest(forest.toJSON())});
    usedRows += index.length;
  }

  return {
    type: "clv-learned-forest",
    version: 1,
    numeric,
    categorical,
    columns,
    forests,
    seed,
    nEstimators,
    maxDepth: maxDepth === undefined || maxDepth === Infinity ? null : maxDepth,
    minNodeSize,
    maxRows,
    trainingRows: table.length,
    usedRows
  };
}

function checkFeatures(features: readonly LearnedFeature[]): LearnedFeature[] {
  if (!Array.isArray(features)) throw new Error(`trainLearnedModel: features must be an array, got ${typeof features}`);
  for (const f of features) {
    if (!(NUMERIC_FEATURES as readonly string[]).includes(f) && !(CATEGORICAL_FEATURES as readonly string[]).includes(f)) {
      throw new Error(
        `trainLearnedModel: unknown feature ${JSON.stringify(f)}; expected one of ${[...NUMERIC_FEATURES, ...CATEGORICAL_FEATURES].join(", ")}`
      );
    }
  }
  return [...features];
}

/** The most frequent levels of a categorical feature (ties by name), at most `max`. */
function topLevels(rows: FeatureTable, feature: CategoricalFeature, max: number): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const v = rows.value(feature, i);
    if (v != null && v !== "") counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([level]) => level);
}

function columnNames(numeric: readonly NumericFeature[], categorical: readonly CategoricalEncoding[]): string[] {
  return [...numeric, ...categorical.flatMap(({feature, levels}) => levels.map((level) => `${feature}=${level}`))];
}

function plainForest(json: unknown): ForestPart["model"] {
  const model = json as {selectionMethod: "mean"; baseModel: Record<string, unknown> & {estimators: {options: Record<string, unknown>; root: unknown}[]}};
  const base = model.baseModel;
  return {
    name: "RFRegression",
    selectionMethod: model.selectionMethod,
    baseModel: {
      indexes: (base.indexes as number[][]).map((ix) => [...ix]),
      n: base.n as number,
      replacement: base.replacement as boolean,
      maxFeatures: base.maxFeatures as number,
      nEstimators: base.nEstimators as number,
      treeOptions: {...(base.treeOptions as Record<string, unknown>)},
      isClassifier: false,
      seed: base.seed as number,
      useSampleBagging: base.useSampleBagging as boolean,
      estimators: base.estimators.map((est) => ({
        name: "DTRegression",
        options: {...est.options, maxDepth: finiteOrNull(est.options.maxDepth)},
        root: plainNode(est.root)
      }))
    }
  };
}

function finiteOrNull(v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? null : v;
}

function plainNode(node: unknown): PlainTreeNode {
  const n = node as PlainTreeNode;
  if (n.distribution !== undefined) return {distribution: n.distribution};
  return {
    splitColumn: n.splitColumn,
    splitValue: n.splitValue,
    gain: n.gain,
    left: plainNode(n.left),
    right: plainNode(n.right)
  };
}

