/**
 * Comparing fitted transaction models on the same customers: log-likelihood, Akaike's and Schwarz's information
 * criteria, and the holdout error of the purchases each predicted.
 *
 *   AIC = 2k − 2 LL (Akaike 1974),  BIC = k log n − 2 LL (Schwarz 1978),
 *
 * with k the number of parameters and n the number of customers. Lower is better; the likelihoods are only
 * comparable when the models were fitted on the same summaries in the same time unit (they are here: each
 * page fits every model on one set of summaries). The holdout error is that of the total purchases predicted
 * for the holdout period (in percent of the actual total) and the mean absolute error per customer.
 */

export interface FitToCompare {
  name: string;
  /** Log-likelihood at the estimate; null when the fit did not converge (the row then has no criteria). */
  logLikelihood: number | null;
  /** Number of parameters. */
  parameters: number;
  /** Number of customers the model was fitted on. */
  customers: number;
  /** Expected holdout purchases per customer, aligned with `actualPurchases`. */
  holdoutPurchases?: ArrayLike<number> | null;
}

export interface FitComparisonRow {
  name: string;
  logLikelihood: number | null;
  parameters: number;
  aic: number | null;
  bic: number | null;
  /** AIC − the lowest AIC among the rows (0 for the best). */
  deltaAic: number | null;
  /** 100 × (Σ predicted − Σ actual) / Σ actual of holdout purchases; null without a holdout. */
  holdoutPercentError: number | null;
  /** Mean absolute error of holdout purchases per customer; null without a holdout. */
  holdoutMae: number | null;
}

export interface FitComparison {
  rows: FitComparisonRow[];
  /** The name with the lowest AIC, and with the lowest BIC (null when no fit converged). */
  bestAic: string | null;
  bestBic: string | null;
}

/** AIC and BIC of a log-likelihood with k parameters on n customers. */
export function informationCriteria(logLikelihood: number, k: number, n: number): {aic: number; bic: number} {
  if (!Number.isFinite(logLikelihood)) throw new Error(`log-likelihood must be finite, got ${logLikelihood}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`number of parameters must be a whole number >= 1, got ${k}`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`number of customers must be a whole number >= 1, got ${n}`);
  return {aic: 2 * k - 2 * logLikelihood, bic: k * Math.log(n) - 2 * logLikelihood};
}

/** The comparison table: one row per fit, in the order given, with the holdout errors when actual purchases are given. */
export function compareFits(fits: readonly FitToCompare[], {actualPurchases}: {actualPurchases?: ArrayLike<number> | null} = {}): FitComparison {
  const n = fits.map((f) => f.customers);
  if (n.some((v) => v !== n[0])) throw new Error(`the fits must be on the same customers to be compared, got ${n.join(", ")} customers`);
  let actualTotal = 0;
  if (actualPurchases) for (let i = 0; i < actualPurchases.length; i++) actualTotal += actualPurchases[i];
  const rows: FitComparisonRow[] = fits.map((fit) => {
    const ok = fit.logLikelihood !== null && Number.isFinite(fit.logLikelihood);
    const criteria = ok ? informationCriteria(fit.logLikelihood as number, fit.parameters, fit.customers) : null;
    let holdoutPercentError: number | null = null;
    let holdoutMae: number | null = null;
    const predicted = fit.holdoutPurchases;
    if (actualPurchases && predicted && actualPurchases.length > 0) {
      if (predicted.length !== actualPurchases.length) throw new Error(`${fit.name}: ${predicted.length} holdout predictions for ${actualPurchases.length} customers`);
      let total = 0;
      let abs = 0;
      for (let i = 0; i < predicted.length; i++) {
        total += predicted[i];
        abs += Math.abs(predicted[i] - actualPurchases[i]);
      }
      holdoutPercentError = actualTotal > 0 ? (100 * (total - actualTotal)) / actualTotal : null;
      holdoutMae = abs / predicted.length;
    }
    return {name: fit.name, logLikelihood: ok ? fit.logLikelihood : null, parameters: fit.parameters, aic: criteria?.aic ?? null, bic: criteria?.bic ?? null, deltaAic: null, holdoutPercentError, holdoutMae};
  });
  const best = (key: "aic" | "bic") => rows.filter((r) => r[key] !== null).sort((a, b) => (a[key] as number) - (b[key] as number))[0] ?? null;
  const bestAic = best("aic");
  for (const row of rows) if (row.aic !== null && bestAic) row.deltaAic = row.aic - (bestAic.aic as number);
  return {rows, bestAic: bestAic?.name ?? null, bestBic: best("bic")?.name ?? null};
}
