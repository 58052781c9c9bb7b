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
 * Length: training, prediction and the checked JSON form share the one-hot encoding and the model's plain form,
 * so they stay together (about 390 lines, a third of them this header); permutation importance, which only
 * reads a trained model, is in importance.ts.
 */
import {RandomForestRegression} from "ml-random-forest";
import {createRandom} from "../data/random.js";
import type {CustomerSummary} from "../types.js";

/**
 * Numeric features the model can use, read from a `FeatureRow`: the calibration summary, the RFM scores
 * (1..5, learnedFeatures.ts), and the share of the customer's calibration spend placed through a partner.
 */
export const NUMERIC_FEATURES = ["recency", "frequency", "monetary", "T", "r_score", "f_score", "m_score", "partner_share"] as const;
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];

/** The features `trainLearnedModel` uses by default: the four of the calibration summary. */
export const SUMMARY_FEATURES = ["recency", "frequency", "monetary", "T"] as const satisfies readonly NumericFeature[];

/**
 * Categorical features the model can one-hot encode: the data's region and customer segment, the RFM
 * segment (learnedFeatures.ts) and the customer's main product category.
 */
export const CATEGORICAL_FEATURES = ["region", "customer_segment", "rfm_segment", "category"] as const;
export type CategoricalFeature = (typeof CATEGORICAL_FEATURES)[number];

export type LearnedFeature = NumericFeature | CategoricalFeature;

/** One customer's calibration-period features: an RFM summary plus optional categories. */
export type FeatureRow = Pick<CustomerSummary, "recency" | "frequency" | "monetary" | "T"> & {
  r_score?: number;
  f_score?: number;
  m_score?: number;
  partner_share?: number;
  region?: string | null;
  customer_segment?: string | null;
  rfm_segment?: string | null;
  category?: string | null;
};

/** A categorical feature's encoding: one indicator column per level; other or missing values are all zeros. */
export interface CategoricalEncoding {
  feature: CategoricalFeature;
  levels: string[];
}

/** A regression tree in plain form: a leaf holds `distribution` (the mean target), a node a split. */
export interface PlainTreeNode {
  distribution?: number;
  splitColumn?: number;
  splitValue?: number;
  gain?: number;
  left?: PlainTreeNode;
  right?: PlainTreeNode;
}

/** One forest grown on one chunk of rows, in the form `RandomForestRegression.load` reads. */
export interface ForestPart {
  /** Number of trees in this part (its weight in the average). */
  trees: number;
  /** Number of training rows in the chunk. */
  rows: number;
  model: {
    name: "RFRegression";
    selectionMethod: "mean";
    baseModel: {
      indexes: number[][];
      n: number;
      replacement: boolean;
      maxFeatures: number;
      nEstimators: number;
      treeOptions: Record<string, unknown>;
      isClassifier: false;
      seed: number;
      useSampleBagging: boolean;
      estimators: {name: "DTRegression"; options: Record<string, unknown>; root: PlainTreeNode}[];
    };
  };
}

/** A trained learned model: plain, serialisable data. */
export interface LearnedModel {
  type: "clv-learned-forest";
  version: 1;
  /** Numeric features in column order. */
  numeric: NumericFeature[];
  /** Categorical encodings, their indicator columns following the numeric ones. */
  categorical: CategoricalEncoding[];
  /** Names of all encoded columns, e.g. `["recency", …, "region=Ontario", …]`. */
  columns: string[];
  /** The forests, one per chunk of training rows; a prediction is their tree-weighted mean. */
  forests: ForestPart[];
  /** Training settings, for the record. */
  seed: number;
  nEstimators: number;
  maxDepth: number | null;
  minNodeSize: number;
  maxRows: number;
  /** Rows offered for training and rows actually used by some tree. */
  trainingRows: number;
  usedRows: number;
}

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
  rows: readonly FeatureRow[],
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
  if (!Array.isArray(rows)) throw new Error(`trainLearnedModel: rows must be an array, got ${typeof rows}`);
  if (target == null || target.length !== rows.length) {
    throw new Error(`trainLearnedModel: target has length ${target?.length}, rows have length ${rows.length}`);
  }
  if (rows.length < 2) throw new Error(`trainLearnedModel: need at least 2 rows, got ${rows.length}`);
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
    levels: topLevels(rows, f, maxLevels)
  }));
  const columns = columnNames(numeric, categorical);
  if (columns.length === 0) throw new Error("trainLearnedModel: no feature columns to train on");
  const X = encode(rows, numeric, categorical, "trainLearnedModel");

  // Shuffle the row order (seeded), then cut into chunks of at most maxRows rows.
  const random = createRandom(seed);
  const order = Array.from(rows, (_, i) => i);
  for (let i = order.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // Chunk sizes differ by at most one row and are at least maxRows / 2 (≥ 5).
  const chunkCount = Math.min(Math.ceil(rows.length / maxRows), nEstimators);
  const used = Math.min(rows.length, chunkCount * maxRows);
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
      index.map((i) => X[i]),
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
    trainingRows: rows.length,
    usedRows
  };
}

/** Predicts holdout value for each row: the mean over all trees of all forests. */
export function predictLearned(model: LearnedModel, rows: readonly FeatureRow[]): Float64Array {
  checkModel(model, "predictLearned");
  if (!Array.isArray(rows)) throw new Error(`predictLearned: rows must be an array, got ${typeof rows}`);
  return predictEncoded(model, encode(rows, model.numeric, model.categorical, "predictLearned"));
}

/** The model as JSON text (for storage or a text channel; `postMessage` can take the object as is). */
export function learnedModelToJSON(model: LearnedModel): string {
  checkModel(model, "learnedModelToJSON");
  return JSON.stringify(model);
}

/** Reads a model written by `learnedModelToJSON` (text, or the parsed object); throws if it is not one. */
export function learnedModelFromJSON(json: string | unknown): LearnedModel {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new Error(`learnedModelFromJSON: not JSON (${(error as Error).message})`);
    }
  }
  checkModel(value as LearnedModel, "learnedModelFromJSON");
  return value as LearnedModel;
}

// Shared with importance.ts: argument checks, the one-hot encoding and the forests' mean prediction.

export function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`learned: ${name} must be a positive integer, got ${value}`);
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
function topLevels(rows: readonly FeatureRow[], feature: CategoricalFeature, max: number): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const v = row[feature];
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

export function encode(
  rows: readonly FeatureRow[],
  numeric: readonly NumericFeature[],
  categorical: readonly CategoricalEncoding[],
  caller: string
): number[][] {
  const lookups = categorical.map(({levels}) => new Map(levels.map((level, k) => [level, k])));
  return rows.map((row, i) => {
    if (row == null || typeof row !== "object") throw new Error(`${caller}: rows[${i}] is ${row}, not an object`);
    const x: number[] = [];
    for (const f of numeric) {
      const v = row[f];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new Error(`${caller}: rows[${i}].${f} is ${typeof v === "number" ? v : JSON.stringify(v)}, not a finite number`);
      }
      x.push(v);
    }
    categorical.forEach(({feature, levels}, g) => {
      const v = row[feature];
      const hit = v == null ? undefined : lookups[g].get(String(v));
      for (let k = 0; k < levels.length; ++k) x.push(k === hit ? 1 : 0);
    });
    return x;
  });
}

/**
 * The forests' prediction, walking the plain trees directly: what `RandomForestRegression.load(…).predict`
 * computes (each tree reads its feature subset `indexes[t]`, goes left when the value is below the split, and
 * a forest's prediction is the mean of its trees), without building ml-matrix views for every call, which made
 * the permutation importance's many small predictions slow.
 */
export function predictEncoded(model: LearnedModel, X: number[][]): Float64Array {
  const out = new Float64Array(X.length);
  if (X.length === 0) return out;
  for (const part of model.forests) {
    const {indexes, estimators} = part.model.baseModel;
    const n = estimators.length;
    for (let i = 0; i < X.length; ++i) {
      const row = X[i];
      let sum = 0;
      for (let t = 0; t < n; ++t) {
        const columns = indexes[t];
        let node = estimators[t].root;
        while (node.left && node.right) node = row[columns[node.splitColumn!]] < node.splitValue! ? node.left : node.right;
        sum += node.distribution!;
      }
      out[i] += ((sum / n) * part.trees) / model.nEstimators;
    }
  }
  return out;
}

/** The forest's own JSON with class instances replaced by plain objects and per-node options dropped. */
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

export function checkModel(model: LearnedModel, caller: string): void {
  if (model == null || typeof model !== "object" || model.type !== "clv-learned-forest") {
    throw new Error(`${caller}: not a learned model (type ${JSON.stringify((model as {type?: unknown})?.type)})`);
  }
  if (model.version !== 1) throw new Error(`${caller}: unsupported learned model version ${JSON.stringify(model.version)}`);
  if (!Array.isArray(model.forests) || model.forests.length === 0) throw new Error(`${caller}: model has no forests`);
  if (!Array.isArray(model.numeric) || !Array.isArray(model.categorical)) {
    throw new Error(`${caller}: model lacks its feature lists`);
  }
  const trees = model.forests.reduce((s, f) => s + f.trees, 0);
  if (trees !== model.nEstimators) throw new Error(`${caller}: model's forests hold ${trees} trees, expected ${model.nEstimators}`);
}
