/**
 * The predictions of every bootstrap refit (fit/bootstrap.ts clvReplicates), computed per distinct row rather
 * than per customer, and what the pages and the CLI read off them: the figures of each refit (total CLV,
 * expected purchases, active customers, the top 10%'s share, sums by group) and per-customer intervals.
 *
 * - The customers are compressed once, not once per refit: distinct (x, t_x, T) rows for the transaction
 *   model, distinct (row, mean spend) "value rows" for CLV.
 * - BG/NBD (Fader, Hardie & Lee 2005, eq. 10), MBG/NBD (Batislam et al. 2007, eq. 7) and Pareto/NBD
 *   (Schmittlein et al. 1987, eq. 22) all have E[Y(t) | x, t_x, T] = g(t; x, T) · P(alive | x, t_x, T): the
 *   part that costs a ₂F₁ per month of the horizon does not depend on t_x. It is computed once per distinct
 *   (x, T) pair, from the pair's row with the latest t_x (the largest P(alive)), and scaled by each row's
 *   P(alive). A pair whose P(alive) is 0 or whose g is not finite is computed row by row, as is every row of
 *   a model without this form.
 * - Figures are scattered to the customers through the row index, each customer's margin and group codes.
 * - Per-customer intervals keep each distinct row's value in every refit (value rows × refits for CLV, rows ×
 *   refits for expected purchases and P(alive)), as Float32 (7 significant digits, plenty for an interval's
 *   ends) to halve the memory, up to `maxValues` values in all; beyond that they are not kept and say why. The CLI's
 *   `predict --bootstrap` and the CLV page's customer table read the same intervals.
 */
import {compressSummaries, type CompressedSummaries} from "../fit/compress.js";
import {spendEligible} from "../fit/columns.js";
import type {ClvReplicate, CustomerIntervals} from "../fit/bootstrap.js";
import {quantileSorted, type Interval} from "../fit/quantiles.js";
import * as gammagamma from "../models/gammagamma.js";
import {transactionModel, type TransactionModel} from "../models/index.js";
import {UNITS_PER_MONTH} from "../time.js";
import type {TimeUnit} from "../types.js";
import {topShare} from "./diagnostics.js";
import {groupCodes, type GroupCodes} from "./groups.js";

export {groupCodes, type GroupCodes};

/** Models whose conditional expected purchases are g(t; x, T) · P(alive | x, t_x, T) (see above). */
const FACTORED = new Set(["bgnbd", "mbgnbd", "paretonbd"]);

/** Summaries of the customers as columns (monetary: mean spend of the repeat purchases). */
export interface ReplicateSummaries {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/** The customers' distinct rows, computed once for all refits. */
export interface DistinctRows {
  customers: number;
  /** Distinct (x, t_x, T), with each customer's row in `index`. */
  rows: CompressedSummaries;
  /** Each row's distinct (x, T) pair, and the number of pairs. */
  pairOf: Int32Array;
  pairs: number;
  /** Each pair's row with the latest t_x. */
  representative: Int32Array;
  /** Distinct (row, mean spend): each customer's value row, each value row's transaction row, x and spend. */
  valueOf: Int32Array;
  valueRows: number;
  valueRow: Int32Array;
  valueX: Float64Array;
  valueMonetary: Float64Array;
  /** 1 when Gamma-Gamma is defined for the value row (spendEligible); others get the population mean. */
  eligible: Uint8Array;
}

export function distinctRows(data: ReplicateSummaries): DistinctRows {
  const n = data.frequency.length;
  for (const key of ["recency", "T", "monetary"] as const) {
    if (data[key].length !== n) throw new Error(`distinctRows: ${data[key].length} ${key} values for ${n} customers`);
  }
  const rows = compressSummaries({frequency: data.frequency, recency: data.recency, T: data.T});
  const pairIndex = new Map<string, number>();
  const pairOf = new Int32Array(rows.rows);
  const reps: number[] = [];
  for (let j = 0; j < rows.rows; j++) {
    const key = `${rows.x[j]}:${rows.T[j]}`;
    let p = pairIndex.get(key);
    if (p === undefined) {
      pairIndex.set(key, (p = reps.length));
      reps.push(j);
    } else if (rows.tx[j] > rows.tx[reps[p]]) reps[p] = j;
    pairOf[j] = p;
  }
  const {mask} = spendEligible({frequency: data.frequency, monetary: data.monetary});
  const valueIndex = new Map<string, number>();
  const valueOf = new Int32Array(n);
  const valueRow: number[] = [];
  const valueMonetary: number[] = [];
  const eligible: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.index[i];
    // Customers Gamma-Gamma leaves out all get the population mean: their spend does not matter.
    const m = mask[i] ? data.monetary[i] : NaN;
    const key = `${row}:${m}`;
    let v = valueIndex.get(key);
    if (v === undefined) {
      valueIndex.set(key, (v = valueRow.length));
      valueRow.push(row);
      valueMonetary.push(m);
      eligible.push(mask[i]);
    }
    valueOf[i] = v;
  }
  return {
    customers: n,
    rows,
    pairOf,
    pairs: reps.length,
    representative: Int32Array.from(reps),
    valueOf,
    valueRows: valueRow.length,
    valueRow: Int32Array.from(valueRow),
    valueX: Float64Array.from(valueRow, (j) => rows.x[j]),
    valueMonetary: Float64Array.from(valueMonetary),
    eligible: Uint8Array.from(eligible)
  };
}

export interface PredictionSettings {
  horizonMonths: number;
  /** Monthly discount rate. */
  discountRate: number;
  /** Time unit of the summaries and of the parameters (default "week"). */
  timeUnit?: TimeUnit;
  /** A holdout period after the calibration end (in `timeUnit`): each refit also sums its expected purchases and spend there. */
  holdoutLength?: number;
}

/** Per distinct (x, t_x, T) row: expected purchases over the horizon, discounted and not, and P(alive). */
export interface RowPredictions {
  discounted: Float64Array;
  total: Float64Array;
  alive: Float64Array;
  /** Expected purchases in the holdout (null without holdoutLength). */
  holdout: Float64Array | null;
}

/**
 * The transaction model's predictions of every distinct row (as clv/value.ts expectedTransactions computes
 * them per customer): Σ_{i≤H} (E[Y(τ_i)] − E[Y(τ_{i−1})]) / (1+d)^i, E[Y(τ_H)] and P(alive).
 */
export function rowPredictions(d: DistinctRows, transaction: TransactionModel, {horizonMonths, discountRate, timeUnit = "week", holdoutLength = 0}: PredictionSettings): RowPredictions {
  if (!(holdoutLength >= 0) || !Number.isFinite(holdoutLength)) throw new Error(`holdoutLength must be a finite number >= 0, got ${holdoutLength}`);
  if (!Number.isInteger(horizonMonths) || horizonMonths < 0) throw new Error(`horizonMonths must be a non-negative integer, got ${horizonMonths}`);
  if (!(discountRate > -1) || !Number.isFinite(discountRate)) throw new Error(`discountRate must be a finite number > -1, got ${discountRate}`);
  const unitsPerMonth = UNITS_PER_MONTH[timeUnit];
  if (unitsPerMonth === undefined) throw new Error(`unknown time unit ${String(timeUnit)} (day, week or month)`);
  const model = transactionModel(transaction.model);
  const params = transaction.params;
  const {x, tx, T} = d.rows;
  const R = d.rows.rows;
  const factors = new Float64Array(horizonMonths + 1);
  for (let i = 1; i <= horizonMonths; i++) factors[i] = 1 / Math.pow(1 + discountRate, i);
  const alive = new Float64Array(R);
  for (let j = 0; j < R; j++) alive[j] = model.probabilityAlive(params, x[j], tx[j], T[j]);
  // Σ over the horizon for one row, divided by `scale` (its P(alive) when factored, else 1).
  const horizonSums = (j: number, scale: number, out: Float64Array, k: number, totals: Float64Array) => {
    let previous = 0;
    let acc = 0;
    for (let i = 1; i <= horizonMonths; i++) {
      const current = model.conditionalExpectedPurchases(params, i * unitsPerMonth, x[j], tx[j], T[j]) / scale;
      acc += (current - previous) * factors[i];
      previous = current;
    }
    out[k] = acc;
    totals[k] = previous;
  };
  const inHoldout = (j: number, scale: number) => (holdoutLength > 0 ? model.conditionalExpectedPurchases(params, holdoutLength, x[j], tx[j], T[j]) / scale : 0);
  const discounted = new Float64Array(R);
  const total = new Float64Array(R);
  const holdout = holdoutLength > 0 ? new Float64Array(R) : null;
  if (FACTORED.has(transaction.model)) {
    const pairDiscounted = new Float64Array(d.pairs);
    const pairTotal = new Float64Array(d.pairs);
    const pairHoldout = new Float64Array(d.pairs);
    for (let p = 0; p < d.pairs; p++) {
      const j = d.representative[p];
      const scale = alive[j];
      if (scale > 0 && Number.isFinite(scale)) {
        horizonSums(j, scale, pairDiscounted, p, pairTotal);
        pairHoldout[p] = inHoldout(j, scale);
      } else pairDiscounted[p] = pairTotal[p] = NaN;
    }
    for (let j = 0; j < R; j++) {
      const p = d.pairOf[j];
      if (Number.isFinite(pairDiscounted[p]) && Number.isFinite(pairTotal[p]) && Number.isFinite(pairHoldout[p])) {
        discounted[j] = pairDiscounted[p] * alive[j];
        total[j] = pairTotal[p] * alive[j];
        if (holdout) holdout[j] = pairHoldout[p] * alive[j];
      } else {
        horizonSums(j, 1, discounted, j, total);
        if (holdout) holdout[j] = inHoldout(j, 1);
      }
    }
  } else {
    for (let j = 0; j < R; j++) {
      horizonSums(j, 1, discounted, j, total);
      if (holdout) holdout[j] = inHoldout(j, 1);
    }
  }
  return {discounted, total, alive, holdout};
}

/** Gamma-Gamma's expected spend per purchase of every value row (the population mean where it is not defined). */
export function valueRowSpend(d: DistinctRows, spend: gammagamma.GammaGammaParams): Float64Array {
  const mean = gammagamma.conditionalExpectedAverageSpend(spend, 0, 0);
  return Float64Array.from(d.eligible, (ok, v) => (ok ? gammagamma.conditionalExpectedAverageSpend(spend, d.valueX[v], d.valueMonetary[v]) : mean));
}

/** The figures of one refit. Sums are in the page's money (CLV × each customer's margin rate). */
export interface ReplicateFigure {
  /** Σ CLV over the customers. */
  total: number;
  /** Σ expected purchases over the horizon. */
  purchases: number;
  /** Customers with P(alive) above 0.5. */
  active: number;
  /** Share of the total CLV held by the top 10% of customers. */
  topShare: number;
  /** Per grouping (in the order asked), Σ CLV and Σ expected purchases of each group, by group index. */
  groups: {clv: Float64Array; purchases: Float64Array}[];
  /** With a holdout: Σ expected purchases in it and Σ expected spend (purchases × spend per purchase, no margin). */
  holdout?: {purchases: number; spend: number};
}

/** Per-customer intervals at one level: CLV (× margin), expected purchases and P(alive) (null unless kept). */
export interface CustomerIntervalSet {
  level: number;
  clv: CustomerIntervals;
  expectedPurchases: CustomerIntervals;
  probabilityAlive: CustomerIntervals | null;
}

export interface RefitFiguresOptions {
  /** Each customer's margin rate (1 for revenue). */
  margins: ArrayLike<number>;
  groupings?: readonly GroupCodes[];
  /**
   * Keep each row's values for per-customer intervals, for up to this many refits (0: none). The values kept
   * are (value rows + 2 × rows) × refits, at most `maxValues` (default 2^25, 128 MB of Float32).
   */
  perCustomer?: number;
  maxValues?: number;
  /** Keep P(alive) for per-customer intervals too (default true). */
  keepAlive?: boolean;
}

/**
 * The figures of each refit on one set of customers: construct once (the rows are compressed here), then
 * `add` each refit. With `perCustomer`, `customerIntervals(level)` gives every customer's interval at any
 * level afterwards, from the values kept.
 */
export class RefitFigures {
  readonly rows: DistinctRows;
  /** Why per-customer intervals are not kept (null when they are, or were not asked for). */
  readonly perCustomerProblem: string | null = null;
  private readonly margins: ArrayLike<number>;
  private readonly groupings: readonly GroupCodes[];
  private readonly capacity: number;
  private readonly clvValues: Float32Array | null = null;
  private readonly purchaseValues: Float32Array | null = null;
  private readonly aliveValues: Float32Array | null = null;
  private kept = 0;
  private readonly clv: Float64Array;

  constructor(summaries: ReplicateSummaries, private readonly settings: PredictionSettings, {margins, groupings = [], perCustomer = 0, maxValues = 2 ** 25, keepAlive = true}: RefitFiguresOptions) {
    const n = summaries.frequency.length;
    if (margins.length !== n) throw new Error(`RefitFigures: ${margins.length} margins for ${n} customers`);
    for (const g of groupings) if (g.codes.length !== n) throw new Error(`RefitFigures: ${g.codes.length} group codes for ${n} customers`);
    this.rows = distinctRows(summaries);
    this.margins = margins;
    this.groupings = groupings;
    this.clv = new Float64Array(n);
    this.capacity = Math.max(0, Math.floor(perCustomer));
    if (this.capacity > 0) {
      const needed = (this.rows.valueRows + (keepAlive ? 2 : 1) * this.rows.rows.rows) * this.capacity;
      if (needed > maxValues) {
        this.capacity = 0;
        this.perCustomerProblem = `not available: per-customer intervals would keep ${needed.toLocaleString("en-US")} values (${this.rows.valueRows.toLocaleString("en-US")} distinct customers × ${perCustomer.toLocaleString("en-US")} refits), more than the ${maxValues.toLocaleString("en-US")} held in memory; use fewer refits, or the command line (clv predict --bootstrap) on a sample`;
      } else {
        this.clvValues = new Float32Array(this.rows.valueRows * this.capacity);
        this.purchaseValues = new Float32Array(this.rows.rows.rows * this.capacity);
        if (keepAlive) this.aliveValues = new Float32Array(this.rows.rows.rows * this.capacity);
      }
    }
  }

  /** Refits whose values are kept for per-customer intervals. */
  get replicates(): number {
    return this.kept;
  }

  /** The figures of one refit; null when its predictions are not finite (the refit is then left out). */
  add(fit: ClvReplicate): ReplicateFigure | null {
    let predictions: RowPredictions;
    let spend: Float64Array;
    try {
      predictions = rowPredictions(this.rows, fit.transaction, this.settings);
      spend = valueRowSpend(this.rows, fit.spend);
    } catch {
      return null;
    }
    const {discounted, total: purchasesOf, alive, holdout: holdoutOf} = predictions;
    const d = this.rows;
    const index = d.rows.index;
    const clv = this.clv;
    let total = 0;
    let purchases = 0;
    let active = 0;
    for (let i = 0; i < d.customers; i++) {
      const j = index[i];
      clv[i] = spend[d.valueOf[i]] * discounted[j] * this.margins[i];
      total += clv[i];
      purchases += purchasesOf[j];
      if (alive[j] > 0.5) active++;
    }
    let holdout: ReplicateFigure["holdout"];
    if (holdoutOf) {
      holdout = {purchases: 0, spend: 0};
      for (let i = 0; i < d.customers; i++) {
        const h = holdoutOf[index[i]];
        holdout.purchases += h;
        holdout.spend += h * spend[d.valueOf[i]];
      }
      if (!Number.isFinite(holdout.purchases) || !Number.isFinite(holdout.spend)) return null;
    }
    if (!Number.isFinite(total) || !Number.isFinite(purchases)) return null;
    for (let j = 0; j < d.rows.rows; j++) if (!Number.isFinite(alive[j])) return null;
    const groups = this.groupings.map(({labels, codes}) => {
      const g = {clv: new Float64Array(labels.length), purchases: new Float64Array(labels.length)};
      for (let i = 0; i < d.customers; i++) {
        g.clv[codes[i]] += clv[i];
        g.purchases[codes[i]] += purchasesOf[index[i]];
      }
      return g;
    });
    if (this.kept < this.capacity) {
      const b = this.kept++;
      const C = this.capacity;
      for (let v = 0; v < d.valueRows; v++) this.clvValues![v * C + b] = spend[v] * discounted[d.valueRow[v]];
      for (let j = 0; j < d.rows.rows; j++) {
        this.purchaseValues![j * C + b] = purchasesOf[j];
        if (this.aliveValues) this.aliveValues[j * C + b] = alive[j];
      }
    }
    return {total, purchases, active, topShare: topShare(clv, {share: 0.1}), groups, ...(holdout ? {holdout} : {})};
  }

  /**
   * Every customer's percentile interval at `level` over the refits kept (fit/quantiles.ts percentileInterval,
   * computed once per distinct row): CLV × the customer's margin, expected purchases, P(alive). Null when
   * none were kept (see perCustomerProblem).
   */
  customerIntervals(level: number): CustomerIntervalSet | null {
    return this.customerIntervalSets([level])?.[0] ?? null;
  }

  /** customerIntervals at several levels, each distinct row's values sorted once. */
  customerIntervalSets(levels: readonly number[]): CustomerIntervalSet[] | null {
    for (const level of levels) if (!(level > 0 && level < 1)) throw new Error(`interval level must be between 0 and 1, got ${level}`);
    if (!this.clvValues || this.kept === 0) return null;
    const d = this.rows;
    const n = d.customers;
    const perRow = (values: Float32Array, rows: number) => {
      const out = levels.map(() => ({low: new Float64Array(rows), high: new Float64Array(rows)}));
      const sorted = new Float64Array(this.kept);
      for (let r = 0; r < rows; r++) {
        let m = 0;
        for (let b = 0; b < this.kept; b++) {
          const value = values[r * this.capacity + b];
          if (Number.isFinite(value)) sorted[m++] = value;
        }
        const finite = sorted.subarray(0, m).sort();
        levels.forEach((level, k) => {
          out[k].low[r] = quantileSorted(finite, (1 - level) / 2);
          out[k].high[r] = quantileSorted(finite, (1 + level) / 2);
        });
      }
      return out;
    };
    const clvRows = perRow(this.clvValues, d.valueRows);
    const purchaseRows = perRow(this.purchaseValues!, d.rows.rows);
    const aliveRows = this.aliveValues ? perRow(this.aliveValues, d.rows.rows) : null;
    return levels.map((level, k) => {
      const clv = {low: new Float64Array(n), high: new Float64Array(n)};
      for (let i = 0; i < n; i++) {
        const m = this.margins[i];
        const low = m * clvRows[k].low[d.valueOf[i]];
        const high = m * clvRows[k].high[d.valueOf[i]];
        // A negative margin turns the interval over.
        clv.low[i] = Math.min(low, high);
        clv.high[i] = Math.max(low, high);
      }
      const scatter = (rows: {low: Float64Array; high: Float64Array}) => ({
        low: Float64Array.from(d.rows.index, (j) => rows.low[j]),
        high: Float64Array.from(d.rows.index, (j) => rows.high[j])
      });
      return {level, clv, expectedPurchases: scatter(purchaseRows[k]), probabilityAlive: aliveRows ? scatter(aliveRows[k]) : null};
    });
  }
}

export type {Interval};
