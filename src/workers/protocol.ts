/**
 * Messages between the pages and the fit worker (src/workers/fitWorker.ts). Types and one type guard: the page
 * side (src/components/fitClient.ts) and the worker both import them.
 *
 * Per-customer values travel as Float64Arrays, aligned by index with the summaries the page sent; the worker
 * transfers its result buffers (no copy).
 */
import type {TransactionModelName, TransactionParams} from "../lib/models/index.js";
import type {GammaGammaParams} from "../lib/models/gammagamma.js";
import type {FeatureImportance} from "../lib/clv/importance.js";
import type {SpendExclusions, Utf8Ids} from "../lib/fit/columns.js";
import type {GroupCodes, ReplicateFigure} from "../lib/clv/intervals.js";
import type {ClvReplicate, CustomerIntervals} from "../lib/fit/bootstrap.js";
import type {WireLearnedCustomers} from "../lib/clv/packedProfiles.js";
import type {LearnedFeature, LearnedModel} from "../lib/clv/learned.js";

export type {TransactionModelName, TransactionParams};

/** Per-customer calibration summaries (time in weeks), aligned by index. */
export interface SummaryArrays {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Mean spend of the repeat purchase days (0 without repeat purchases). */
  monetary: Float64Array;
  /** Each customer's id from the data: error messages name customers by it (as UTF-8 bytes from a table: Utf8Ids). */
  ids?: string[] | Utf8Ids;
}

export interface ClvSettings {
  horizonMonths: number;
  /** Monthly discount rate. */
  discountRate: number;
}

/** A fit's outcome without the bulky parts, as the pages show it. */
export interface FitSummary<P> {
  params: P;
  standardErrors: P | null;
  /** Null when the fit did not converge (the number would mean nothing). */
  logLikelihood: number | null;
  converged: boolean;
  /** False when the data do not pin the parameters down (see FitResult.identification in src/lib/fit.ts). */
  identified: boolean;
  identification: string;
  iterations: number;
  message: string;
  customers: number;
  /** Wall time of the fit in the worker, ms. */
  ms: number;
}


export interface SpendFitSummary extends FitSummary<GammaGammaParams> {
  correlation: number | null;
  warnings: string[];
  /** Customers Gamma-Gamma left out, by reason. */
  excluded: SpendExclusions;
  /** The same in words ("" when none). */
  excludedText: string;
}

/** A fit that threw: its message. Each fit is reported on its own, so one failure does not hide the others. */
export interface FitFailure {
  error: string;
}

export type Fitted<S> = S | FitFailure;

/** True when the fit failed (narrows the type). */
export function failed<S extends object>(fit: Fitted<S>): fit is FitFailure {
  return "error" in fit;
}

/** Fit a transaction model and Gamma-Gamma, then compute CLV and the per-customer predictions. */
export interface FitRequest extends ClvSettings {
  type: "fit";
  id: number;
  model: TransactionModelName;
  summaries: SummaryArrays;
  /** L2 penalty on the log-parameters of every fit (default 0). */
  penalizer?: number;
  /** Length of a holdout period in weeks: when > 0 the result has each customer's expected purchases in it. */
  holdoutWeeks?: number;
}

/** What CLV for other settings needs from a fit (null parameters: that fit failed). */
export interface FittedModels {
  model: TransactionModelName;
  params: TransactionParams | null;
  spend: GammaGammaParams | null;
  summaries: SummaryArrays;
}

/** CLV again with other settings, from the last fit (no refit), or from `fitted` (a fit the build made). */
export interface ClvRequest extends ClvSettings {
  type: "clv";
  id: number;
  fitted?: FittedModels;
}

/**
 * Holdout validation: the probabilistic models fitted on the calibration summaries predict the holdout; the
 * learned model is trained on an earlier split (features at calibration end − holdout, target the spend in
 * the following holdout-long period) and predicts from the calibration features.
 */
export interface ValidateRequest {
  type: "validate";
  id: number;
  calibration: SummaryArrays;
  holdoutWeeks: number;
  /** Actual holdout spend of the calibration customers (for the learned model's feature importance). */
  actualSpend: Float64Array;
  training: SummaryArrays;
  /** Spend of each training customer in the period that followed the training split. */
  trainingTarget: Float64Array;
  /** L2 penalty on the log-parameters of the probabilistic fits (default 0). */
  penalizer?: number;
  /**
   * The learned model's features beyond the summaries (the profiles of both splits): with them the learned
   * row is the CLV page's learned model (learnedClv.ts: RFM scores and segment, region, …); without, the
   * forest sees the four summary columns only.
   */
  learned?: {training: WireLearnedCustomers; calibration: WireLearnedCustomers};
}

/**
 * Bootstrap refits of the last fit (or of `fitted`, a fit the build made) and the figures of each refit
 * (src/lib/clv/intervals.ts). The worker keeps the refits: asking again with other settings, margins or
 * groupings but the same fit, replicates, seed and penalizer recomputes the figures without refitting.
 * Progress messages carry `done` and `total`; a "cancel" message with the request's id stops it between two
 * refits.
 */
export interface BootstrapRequest extends ClvSettings {
  type: "bootstrap";
  id: number;
  replicates: number;
  seed: number;
  penalizer?: number;
  /** Each customer's margin rate (the figures are CLV × margin). */
  margins: Float64Array;
  groupings: GroupCodes[];
  fitted?: FittedModels;
  /** Levels of the per-customer intervals to send (none by default): each customer's CLV × margin and expected purchases. */
  levels?: number[];
  /** Weeks of a holdout after the calibration end: each figure also sums the expected purchases and spend there. */
  holdoutWeeks?: number;
}

/** Per-customer intervals at each level asked for, aligned with the summaries. */
export interface CustomerIntervalLevels {
  levels: number[];
  clv: CustomerIntervals[];
  expectedPurchases: CustomerIntervals[];
}

export interface CancelRequest {
  type: "cancel";
  id: number;
}

/**
 * The learned CLV model (src/lib/clv/learnedClv.ts): trained on `training` (features at the training end,
 * target the spend of the `windowWeeks` up to the calibration end), predicting `customers`.
 */
export interface LearnedRequest extends ClvSettings {
  type: "learned";
  id: number;
  training: WireLearnedCustomers & {target: Float64Array; windowWeeks: number};
  customers: WireLearnedCustomers;
  /** The customers' actual spend over the `windowWeeks` after the calibration end, when the data has it: the permutation importance is measured on it (otherwise on the training customers). */
  actualSpend?: Float64Array | null;
  seed?: number;
}

export type WorkerRequest = FitRequest | ClvRequest | ValidateRequest | BootstrapRequest | CancelRequest | LearnedRequest;

export interface Progress {
  type: "progress";
  id: number;
  message: string;
  /** Steps done of `total` (bootstrap refits), for a progress bar. */
  done?: number;
  total?: number;
}

export interface ClvArrays {
  /** Discounted CLV in revenue (margin 1): pages multiply by their margin. Null when a fit failed. */
  clv: Float64Array | null;
  /** Expected purchases over the horizon. Null when the transaction fit failed. */
  expectedPurchases: Float64Array | null;
  /**
   * Null, or why clv and expectedPurchases are null although the fits ran ("not available, because …"): the
   * model's formulas gave no finite value at the fitted parameters. A page shows this instead of a NaN.
   */
  unavailable: string | null;
}

export interface FitResponse extends ClvArrays {
  type: "fit";
  id: number;
  model: TransactionModelName;
  transaction: Fitted<FitSummary<TransactionParams>>;
  spend: Fitted<SpendFitSummary>;
  /** Null when the transaction fit failed. */
  probabilityAlive: Float64Array | null;
  /** Null when the spend fit failed. */
  expectedSpend: Float64Array | null;
  /** Expected purchases in the holdout (empty without holdoutWeeks; null when the transaction fit failed). */
  expectedHoldout: Float64Array | null;
  ms: number;
}

export interface ClvResponse extends ClvArrays {
  type: "clv";
  id: number;
  ms: number;
}

export interface ModelPrediction {
  purchases?: Float64Array;
  spend: Float64Array;
}

export interface ValidateResponse {
  type: "validate";
  id: number;
  fits: Record<TransactionModelName, Fitted<FitSummary<TransactionParams>>> & {gammaGamma: Fitted<SpendFitSummary>};
  /** Only the models that could predict spend (BG/NBD and Pareto/NBD need their own fit and Gamma-Gamma). */
  predictions: Partial<Record<TransactionModelName, ModelPrediction>> & {learned: ModelPrediction; naive: ModelPrediction};
  importance: FeatureImportance[];
  /** Wall times in the worker, ms. */
  timings: Record<string, number>;
}

export interface BootstrapResponse {
  type: "bootstrap";
  id: number;
  requested: number;
  /** The figures of each refit whose two fits converged and whose predictions are finite. */
  figures: ReplicateFigure[];
  /** The parameters of those refits, in the same order (the what-if page predicts one customer with each). */
  fits: ClvReplicate[];
  /** Per-customer intervals at the levels asked for; null when none were asked for or they are not available. */
  customers: CustomerIntervalLevels | null;
  /** Why per-customer intervals are not available (null when they are, or were not asked for). */
  customersProblem: string | null;
  /** Refits left out (a fit did not converge, or its predictions were not finite). */
  failed: number;
  /** True when the refits were kept from an earlier request (only the figures were computed). */
  reused: boolean;
  ms: number;
}

export interface LearnedResponse {
  type: "learned";
  id: number;
  /** Predicted spend over the `windowWeeks` after the calibration end. */
  windowSpend: Float64Array;
  windowWeeks: number;
  /** Discounted value over the horizon, margin 1 (as FitResponse's clv). */
  clv: Float64Array;
  features: LearnedFeature[];
  importance: FeatureImportance[];
  /** Where the importance was measured. */
  importanceOn: "holdout" | "training";
  trainingCustomers: number;
  /** The trained forest (plain data): the what-if form predicts one customer with it. */
  model: LearnedModel;
  ms: number;
}

export interface ErrorResponse {
  type: "error";
  id: number;
  message: string;
}

export type WorkerResponse = Progress | FitResponse | ClvResponse | ValidateResponse | BootstrapResponse | LearnedResponse | ErrorResponse;
