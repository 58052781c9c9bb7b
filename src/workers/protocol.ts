/**
 * Messages between the pages and the fit worker (src/workers/fitWorker.ts). Types only: the page side
 * (src/components/fitClient.ts) and the worker both import them, and nothing here runs.
 *
 * Per-customer values travel as Float64Arrays, aligned by index with the summaries the page sent; the worker
 * transfers its result buffers (no copy).
 */
import type {BgNbdParams} from "../lib/models/bgnbd.js";
import type {ParetoNbdParams} from "../lib/models/paretonbd.js";
import type {GammaGammaParams} from "../lib/models/gammagamma.js";
import type {FeatureImportance} from "../lib/clv/importance.js";

export type TransactionModelName = "bgnbd" | "paretonbd";

/** Per-customer calibration summaries (time in weeks), aligned by index. */
export interface SummaryArrays {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Mean spend of the repeat purchase days (0 without repeat purchases). */
  monetary: Float64Array;
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
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  message: string;
  customers: number;
  /** Wall time of the fit in the worker, ms. */
  ms: number;
}

export type TransactionParams = BgNbdParams | ParetoNbdParams;

export interface SpendFitSummary extends FitSummary<GammaGammaParams> {
  correlation: number | null;
  warnings: string[];
}

/** Fit a transaction model and Gamma-Gamma, then compute CLV and the per-customer predictions. */
export interface FitRequest extends ClvSettings {
  type: "fit";
  id: number;
  model: TransactionModelName;
  summaries: SummaryArrays;
  /** Length of a holdout period in weeks: when > 0 the result has each customer's expected purchases in it. */
  holdoutWeeks?: number;
}

/** CLV again with other settings, from the last fit (no refit). */
export interface ClvRequest extends ClvSettings {
  type: "clv";
  id: number;
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
}

export type WorkerRequest = FitRequest | ClvRequest | ValidateRequest;

export interface Progress {
  type: "progress";
  id: number;
  message: string;
}

export interface ClvArrays {
  /** Discounted CLV in revenue (margin 1): pages multiply by their margin. */
  clv: Float64Array;
  /** Expected purchases over the horizon. */
  expectedPurchases: Float64Array;
}

export interface FitResponse extends ClvArrays {
  type: "fit";
  id: number;
  model: TransactionModelName;
  transaction: FitSummary<TransactionParams>;
  spend: SpendFitSummary;
  probabilityAlive: Float64Array;
  expectedSpend: Float64Array;
  /** Expected purchases in the holdout (empty without holdoutWeeks). */
  expectedHoldout: Float64Array;
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
  fits: {bgnbd: FitSummary<BgNbdParams>; paretonbd: FitSummary<ParetoNbdParams>; gammaGamma: SpendFitSummary};
  predictions: {bgnbd: ModelPrediction; paretonbd: ModelPrediction; learned: ModelPrediction; naive: ModelPrediction};
  importance: FeatureImportance[];
  /** Wall times in the worker, ms. */
  timings: Record<string, number>;
}

export interface ErrorResponse {
  type: "error";
  id: number;
  message: string;
}

export type WorkerResponse = Progress | FitResponse | ClvResponse | ValidateResponse | ErrorResponse;
