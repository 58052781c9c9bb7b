/** Number formats of the CLV pages (en-CA; money without a currency sign: the data's currency is unknown). */
const finite = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);
const int = new Intl.NumberFormat("en-CA", {maximumFractionDigits: 0});
const dec = new Intl.NumberFormat("en-CA", {minimumFractionDigits: 2, maximumFractionDigits: 2});
const compactFormat = new Intl.NumberFormat("en-CA", {notation: "compact", maximumFractionDigits: 1});

/** 12,345 */
export const integer = (x: number | null | undefined) => (finite(x) ? int.format(x) : "–");
/** $12,345 (whole units) */
export const money = (x: number | null | undefined) => (finite(x) ? `${x < 0 ? "−" : ""}$${int.format(Math.abs(x))}` : "–");
/** $12.34 */
export const money2 = (x: number | null | undefined) => (finite(x) ? `${x < 0 ? "−" : ""}$${dec.format(Math.abs(x))}` : "–");
/** $1.2M */
export const moneyCompact = (x: number | null | undefined) => (finite(x) ? `${x < 0 ? "−" : ""}$${compactFormat.format(Math.abs(x))}` : "–");
/** 12.3% from 0.123 */
export const percent = (x: number | null | undefined, digits = 1) => (finite(x) ? `${(100 * x).toFixed(digits)}%` : "–");
/** 0.123 → "0.12"; small or large values in significant digits. */
export const decimal = (x: number | null | undefined, digits = 3) => (finite(x) ? (Math.abs(x) >= 1000 ? int.format(x) : Number(x.toPrecision(digits)).toString()) : "–");
