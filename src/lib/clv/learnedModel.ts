/**
 * The learned CLV model's plain form (learned.ts trains it): its features, its types, the one-hot encoding
 * and the prediction, which walks the plain trees. Apart from learned.ts because it needs no ML package, so
 * the pages can predict with a model the worker trained (the what-if form) without loading ml-random-forest.
 */
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

/**
 * Feature rows read one at a time: what the model's functions take. An array of rows is one; learnedFeatures.ts
 * makes another from columns (a value per customer), which makes a row only when it is read, so that a million
 * customers' rows are never held at once.
 */
export interface FeatureTable {
  readonly length: number;
  /** Row i (made anew at each call by a table of columns). */
  row(i: number): FeatureRow;
  /** One feature of row i: row(i)[feature], undefined where the row has no such key. */
  value(feature: LearnedFeature, i: number): FeatureRow[LearnedFeature];
}

export type FeatureRows = readonly FeatureRow[] | FeatureTable;

/** Rows as a FeatureTable (an array read in place); `caller` names the function in the error for anything else. */
export function featureTable(rows: FeatureRows, caller: string): FeatureTable {
  if (Array.isArray(rows)) {
    const array = rows as readonly FeatureRow[];
    const row = (i: number) => {
      const r = array[i];
      if (r == null || typeof r !== "object") throw new Error(`${caller}: rows[${i}] is ${r}, not an object`);
      return r;
    };
    return {length: array.length, row, value: (feature, i) => row(i)[feature]};
  }
  const table = rows as FeatureTable | null | undefined;
  if (table && typeof table === "object" && typeof table.row === "function" && typeof table.value === "function" && Number.isInteger(table.length)) return table;
  throw new Error(`${caller}: rows must be an array, got ${typeof rows}`);
}

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

/** Predicts holdout value for each row: the mean over all trees of all forests. */
export function predictLearned(model: LearnedModel, rows: FeatureRows): Float64Array {
  checkModel(model, "predictLearned");
  const table = featureTable(rows, "predictLearned");
  // Block by block: an encoded copy of every row (an array of some 20 numbers each) is not held at once.
  const encodeRow = encoder(model.numeric, model.categorical, "predictLearned");
  const out = new Float64Array(table.length);
  for (let start = 0; start < table.length; start += PREDICT_BLOCK) {
    const X: number[][] = [];
    for (let i = start; i < Math.min(table.length, start + PREDICT_BLOCK); i++) X.push(encodeRow(table.row(i), i));
    out.set(predictEncoded(model, X), start);
  }
  return out;
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

export function encode(
  rows: readonly FeatureRow[],
  numeric: readonly NumericFeature[],
  categorical: readonly CategoricalEncoding[],
  caller: string
): number[][] {
  return rows.map(encoder(numeric, categorical, caller));
}

/**
 * One row's encoding (encode's, row by row): for callers that use a few of many rows (a forest trained on chunks,
 * the importance's sample) or a block at a time (predictLearned), so that no encoded copy of every row is held.
 */
export function encoder(numeric: readonly NumericFeature[], categorical: readonly CategoricalEncoding[], caller: string): (row: FeatureRow, i: number) => number[] {
  const lookups = categorical.map(({levels}) => new Map(levels.map((level, k) => [level, k])));
  const check = numericCheck(numeric, caller);
  return (row, i) => {
    check(row, i);
    const x: number[] = [];
    for (const f of numeric) x.push(row[f] as number);
    categorical.forEach(({feature, levels}, g) => {
      const v = row[feature];
      const hit = v == null ? undefined : lookups[g].get(String(v));
      for (let k = 0; k < levels.length; ++k) x.push(k === hit ? 1 : 0);
    });
    return x;
  };
}

/** Checks what encode checks of each row (an object with finite numeric features), without encoding it. */
export function checkRows(rows: FeatureRows, numeric: readonly NumericFeature[], caller: string): void {
  const table = featureTable(rows, caller);
  for (let i = 0; i < table.length; i++) for (const f of numeric) checkFinite(caller, i, f, table.value(f, i));
}

function numericCheck(numeric: readonly NumericFeature[], caller: string): (row: FeatureRow, i: number) => void {
  return (row, i) => {
    if (row == null || typeof row !== "object") throw new Error(`${caller}: rows[${i}] is ${row}, not an object`);
    for (const f of numeric) checkFinite(caller, i, f, row[f]);
  };
}

/** Row i's numeric feature f is a finite number. */
function checkFinite(caller: string, i: number, f: NumericFeature, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${caller}: rows[${i}].${f} is ${typeof v === "number" ? v : JSON.stringify(v)}, not a finite number`);
}

/** Rows predictLearned encodes at a time. */
const PREDICT_BLOCK = 8192;

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
