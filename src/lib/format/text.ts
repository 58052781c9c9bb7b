/** Text helpers for labels built from words the data decides (a transaction unit, a column name). */

/** "orders" → "Orders": a unit name (transactionUnit(...).plural) at the start of a label. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
