/**
 * What the CLV pages count, in one sentence for their data caption: a transaction as on the exploration pages
 * (transactionUnit: an order when there is an order id, a row otherwise), and the purchase days the models
 * are fitted on (src/lib/fit/summary.ts: a customer's transactions on one day are one purchase).
 */
import {transactionUnit} from "../sql/filters.js";

/** The caption sentence of a CLV page on a table with these columns. */
export function purchaseNote(columns: readonly string[] | null | undefined): string {
  const unit = transactionUnit(columns);
  return `${unit.note} The models count purchase days: a customer's ${unit.plural} on the same day are one purchase, and frequency is the number of purchase days after the first.`;
}
