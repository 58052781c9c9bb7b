/**
 * Messages for an uploaded file that cleaning leaves unusable or suspicious, as precise as the CLI's: which
 * drop reasons took the rows (returns: and the option that keeps them), and dates that lie in the future.
 * Pure functions of the data-quality report (clean/report.ts), shared by the data page and its tests.
 */
import type {DataQualityReport} from "./clean/report.js";
import type {DropReason} from "./clean/classify.js";

/** A drop reason in words, with what the user can do about it. */
const REASONS: Record<DropReason, string> = {
  missing_customer_id: "without a customer id (check the customer_id column in the mapping)",
  missing_date: "without a date (check the order_date column in the mapping)",
  unparseable_date: "with a date that cannot be read (check the order_date column in the mapping)",
  future_date: "dated after the as-of date",
  missing_amount: "without an amount (check the amount column in the mapping)",
  non_numeric_amount: "whose amount is not a number (check the amount column in the mapping)",
  duplicate: 'that are exact duplicates (set "Drop exact duplicates" to "no" to keep them)',
  zero_amount: 'with amount 0 (turn off "Drop zero amounts" to keep them)',
  return: 'that are returns, with a negative amount or a cancelled order (turn on "Net returns against purchases" to keep them, netted against purchases)',
  return_without_purchase: "that are returns of customers with no purchase to net them against"
};

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Why every row was dropped: "every row of the file was dropped while cleaning: 4 returns: … (turn on "Net
 * returns …"); 2 without a date …". Reasons with the most rows first.
 */
export function noRowsMessage(report: Pick<DataQualityReport, "rows" | "dropped">): string {
  const reasons = (Object.entries(report.dropped) as [DropReason, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const parts = reasons.map(([reason, n]) => `${count(n)} ${n === 1 ? "row" : "rows"} ${REASONS[reason]}`);
  return `every row of the file (${count(report.rows)}) was dropped while cleaning: ${parts.join("; ")}`;
}

/**
 * The upload progress line once cleaning is done: the rows read, kept and dropped, "Read and cleaned 1,205 rows:
 * 1,200 kept, 5 dropped" or "…: all 1,205 kept". Throws when the counts do not add
 * up (every row is kept or dropped for one reason), so a lost row is never reported as cleaned.
 */
export function cleanedSummary(report: Pick<DataQualityReport, "rows" | "kept" | "dropped">): string {
  const dropped = Object.values(report.dropped).reduce((sum, n) => sum + n, 0);
  if (report.kept + dropped !== report.rows) throw new Error(`cleaning counts do not add up: ${report.kept} kept + ${dropped} dropped ≠ ${report.rows} rows`);
  const rows = `${count(report.rows)} ${report.rows === 1 ? "row" : "rows"}`;
  return dropped === 0 ? `Read and cleaned ${rows}: all ${count(report.kept)} kept` : `Read and cleaned ${rows}: ${count(report.kept)} kept, ${count(dropped)} dropped`;
}

/**
 * Warnings about the data's dates relative to `today` (YYYY-MM-DD, the browser's date): all or some orders
 * dated after today. Empty when the dates are fine.
 */
export function dateWarnings(report: Pick<DataQualityReport, "firstDate" | "lastDate">, {today}: {today: string}): string[] {
  const {firstDate, lastDate} = report;
  if (!firstDate || !lastDate || lastDate <= today) return [];
  if (firstDate > today) {
    return [`every order is dated in the future (${firstDate} to ${lastDate}, after today ${today}): check the order_date column and the date order (day or month first)`];
  }
  return [`some orders are dated in the future (the last on ${lastDate}, after today ${today}): they count as purchases; set an as-of date to leave them out`];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString("en-US", {maximumFractionDigits: bytes < 1e7 ? 1 : 0})} MB`;
}

/** Whether an error raised by DuckDB (or by the page's engine worker) means it ran out of memory. */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /out of memory|failed to allocate|memory\.grow|maximum memory size|array buffer allocation failed|Aborted\(OOM\)|could not allocate/i.test(message);
}

/**
 * The message for a file the page's DuckDB could not hold or that stopped the engine: the file's size and,
 * when known, how far it got, and what to do ("… use a smaller file … or the command-line tool").
 */
export function tooLargeMessage(
  {name, size, bytesRead, rows, detail}: {name: string; size: number; bytesRead?: number; rows?: number; detail?: string}
): string {
  const progress =
    bytesRead !== undefined
      ? ` after reading ${megabytes(bytesRead)} of ${megabytes(size)}${rows === undefined ? "" : ` (${count(rows)} rows)`}`
      : rows !== undefined
        ? ` with its ${count(rows)} rows`
        : "";
  const why = detail ? ` (${detail.split("\n")[0].slice(0, 200)})` : "";
  return (
    `${name} (${megabytes(size)}) is more than this page can hold: DuckDB in the browser ran out of memory${progress}${why}. ` +
    `Use a smaller file (fewer columns, a shorter date range or a sample of customers), close other tabs and reload, ` +
    `or analyse the whole file with the command-line tool (npx clv), which has no such limit.`
  );
}
