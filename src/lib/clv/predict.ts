/**
 * Predictive CLV end to end on per-customer summaries: fit a transaction model (BG/NBD or Pareto/NBD) and
 * the Gamma-Gamma spend model, then predict each customer's P(alive), expected purchases and spend over a
 * horizon and the discounted CLV. The CLI's `clv predict` and the CLV pages' worker share it.
 */
import {customerLifetimeValue, type TransactionModel} from "./value.js";
import {fitTransaction} from "../fit/transaction.js";
import {fitGammaGamma, type GammaGammaFitResult} from "../fit/spend.js";
import {type FitOptions, type FitResult} from "../fit/engine.js";
import {type CustomerIds, type SummaryRow} from "../fit/columns.js";
import {transactionModel, type TransactionModelName, type TransactionParamsByModel} from "../models/index.js";
import type {TimeUnit} from "../types.js";

export type {TransactionModelName};

/** A transaction model's fit, with the model's registry name. */
export type TransactionFit = {[K in TransactionModelName]: {model: K} & FitResult<TransactionParamsByModel[K]>}[TransactionModelName];

export interface ClvFit {
  transaction: TransactionFit;
  spend: GammaGammaFitResult;
}

/** Fits the named transaction model on (frequency, recency, T). */
export function fitTransactionModel(summary: ArrayLike<SummaryRow>, model: TransactionModelName, options: FitOptions = {}): TransactionFit {
  return {model, ...fitTransaction(transactionModel(model), summary, options)} as TransactionFit;
}

/**
 * Both fits: the transaction model on every customer, Gamma-Gamma on the customers it is defined for (it selects
 * them with spendEligible and counts the others in `spend.excluded`). Throws when there is nothing to fit (no
 * repeat customer).
 */
export function fitClvModels(summary: ArrayLike<SummaryRow>, {model = "bgnbd", ...options}: FitOptions & {model?: TransactionModelName} = {}): ClvFit {
  return {transaction: fitTransactionModel(summary, model, options), spend: fitGammaGamma(summary, options)};
}

export interface PredictOptions {
  horizonMonths?: number;
  /** Monthly discount rate. */
  discountRate?: number;
  margin?: number;
  timeUnit?: TimeUnit;
  /** Customer ids aligned with the summary, for error messages. */
  ids?: CustomerIds;
}

export interface CustomerPrediction {
  p_alive: number;
  expected_purchases: number;
  expected_spend: number;
  clv: number;
}

/** Per-customer predictions, in the order of `summary`. */
export function predictCustomers(summary: ArrayLike<SummaryRow>, fit: ClvFit, options: PredictOptions = {}): CustomerPrediction[] {
  const transaction = {model: fit.transaction.model, params: fit.transaction.params} as TransactionModel;
  const result = customerLifetimeValue(summary, {transaction, spend: fit.spend.params, ...options});
  return Array.from({length: summary.length}, (_, i) => ({
    p_alive: result.probabilityAlive[i],
    expected_purchases: result.expectedPurchases[i],
    expected_spend: result.expectedSpend[i],
    clv: result.clv[i]
  }));
}
