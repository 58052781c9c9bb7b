/**
 * A size estimate of an upload before it is read (issue 15): from the file's size and the bytes per row of
 * a sample of its first megabytes, about how many rows it has and how much memory reading, cleaning and
 * making the tables of it will take in this page, against what the browser can likely give one page. Beyond
 * that, the data page warns before it starts and points to the command-line tool, and still lets the user try.
 *
 * The memory model is a linear fit of the renderer's peak memory measured on the data page until the upload is
 * kept with its tables ("Use this data on every page"; Chromium, DuckDB-WASM 1.29, bench/upload-browser.ts with
 * CLV_UPLOAD_ROWS; the higher of the runs measured, since the peak moves with the moment the JS heap is
 * collected: 0.85 GB for 1M rows / 55 MB, 2.5 GB for 5M rows / 280 MB; the quality report alone peaks at 0.6
 * and 1.2 GB): a fixed part for the engine and the page, a part per row (DuckDB's tables, the per-customer
 * tables made for the other pages) and a part per byte of the file (every column read as text first).
 */
/** Bytes of the file's start read to measure the bytes per row. */
export const SAMPLE_BYTES = 4 * 1024 * 1024;
/** The memory model (see above). */
export const BASE_BYTES = 450e6;
export const BYTES_PER_ROW = 330;
export const MEMORY_PER_FILE_BYTE = 1.5;
/**
 * DuckDB-WASM is a 32-bit WebAssembly module: one engine can never use more than 4 GB, and making the tables
 * after the report needs room beyond the peak of cleaning (5M rows, 280 MB: 1.2 GB at the report, up to 2.5 GB
 * for the whole page while the tables are made), so a page counts on 3 GB at most.
 */
export const ENGINE_LIMIT_BYTES = 3 * 1024 ** 3;
/** What a page can count on when the browser does not say how much memory the device has. */
export const DEFAULT_LIMIT_BYTES = 2 * 1024 ** 3;

export interface MemoryLimit {
  bytes: number;
  /** Where the limit comes from, in words ("half of this device's 8 GB", …). */
  source: string;
}

export interface UploadEstimate {
  size: number;
  /** Bytes and rows of the sample (the whole file when it is smaller than the sample). */
  sampleBytes: number;
  sampleRows: number;
  /** Rows of the whole file: exact when the sample is the whole file, else size / bytes per row. */
  rows: number;
  exact: boolean;
  bytesPerRow: number;
  /** Memory the upload is expected to need in this page. */
  memoryBytes: number;
  limit: MemoryLimit;
  /** True when memoryBytes is beyond the limit. */
  tooLarge: boolean;
}

const gigabytes = (bytes: number) => `${(bytes / 1024 ** 3).toLocaleString("en-US", {maximumFractionDigits: 1})} GB`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toLocaleString("en-US", {maximumFractionDigits: bytes < 1e7 ? 1 : 0})} MB`;

/**
 * The memory one page can likely use: half the device's memory (navigator.deviceMemory, in GB, which
 * Chromium rounds and caps at 8) or the JS heap limit (performance.memory) when that is all the browser says,
 * never more than one DuckDB-WASM engine can address; DEFAULT_LIMIT_BYTES when the browser says nothing.
 */
export function memoryLimit({deviceMemory, heapLimit}: {deviceMemory?: number; heapLimit?: number} = browserMemory()): MemoryLimit {
  if (deviceMemory && deviceMemory > 0) {
    const half = (deviceMemory * 1024 ** 3) / 2;
    return half >= ENGINE_LIMIT_BYTES
      ? {bytes: ENGINE_LIMIT_BYTES, source: `the ${gigabytes(ENGINE_LIMIT_BYTES)} one DuckDB engine in a browser can use of the 4 GB it can address`}
      : {bytes: half, source: `half of the ${deviceMemory} GB this device reports`};
  }
  if (heapLimit && heapLimit > 0) {
    const bytes = Math.min(heapLimit, ENGINE_LIMIT_BYTES);
    return {bytes, source: `the ${gigabytes(bytes)} the browser allows a page's JavaScript`};
  }
  return {bytes: DEFAULT_LIMIT_BYTES, source: `${gigabytes(DEFAULT_LIMIT_BYTES)}, assumed because this browser does not say how much memory it has`};
}

/** What this browser says of its memory (nothing outside a browser). */
export function browserMemory(): {deviceMemory?: number; heapLimit?: number} {
  const nav = (globalThis as {navigator?: {deviceMemory?: number}}).navigator;
  const perf = (globalThis as {performance?: {memory?: {jsHeapSizeLimit?: number}}}).performance;
  return {deviceMemory: nav?.deviceMemory, heapLimit: perf?.memory?.jsHeapSizeLimit};
}

/** Line ends in a byte sample (CRLF counts once: its LF). */
function newlines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

/**
 * Estimates a text upload (CSV, TSV, whitespace text) from its first SAMPLE_BYTES: the first line is the
 * header, each further line a row (a quoted field with a line break in it makes the estimate a little high,
 * which errs on the safe side). Null for a file with no line end in the sample (nothing to measure).
 */
export async function estimateUpload(
  file: Blob,
  {sampleBytes = SAMPLE_BYTES, limit = memoryLimit()}: {sampleBytes?: number; limit?: MemoryLimit} = {}
): Promise<UploadEstimate | null> {
  const sample = new Uint8Array(await file.slice(0, sampleBytes).arrayBuffer());
  const exact = sample.length >= file.size;
  const header = sample.indexOf(10);
  if (header < 0) return null;
  let lines = newlines(sample);
  // A last line without a line end is a row too when the sample is the whole file.
  if (exact && sample.length > 0 && sample[sample.length - 1] !== 10) lines++;
  const sampleRows = lines - 1;
  if (sampleRows <= 0) return exact ? {...sized(file.size, 0, 0, true, limit), sampleBytes: sample.length, sampleRows: 0} : null;
  const bytesPerRow = (sample.length - (header + 1)) / sampleRows;
  const rows = exact ? sampleRows : Math.round((file.size - (header + 1)) / bytesPerRow);
  return {...sized(file.size, rows, bytesPerRow, exact, limit), sampleBytes: sample.length, sampleRows};
}

function sized(size: number, rows: number, bytesPerRow: number, exact: boolean, limit: MemoryLimit) {
  const memoryBytes = BASE_BYTES + rows * BYTES_PER_ROW + size * MEMORY_PER_FILE_BYTE;
  return {size, rows, exact, bytesPerRow, memoryBytes, limit, tooLarge: memoryBytes > limit.bytes};
}

/** "about 5,000,000 rows" (or the exact count), for the progress line. */
export function rowsText(estimate: UploadEstimate): string {
  const rows = estimate.exact ? estimate.rows : Number(estimate.rows.toPrecision(2));
  return `${estimate.exact ? "" : "about "}${rows.toLocaleString("en-US")} rows`;
}

/** The warning before a read that likely needs more memory than the page has: numbers, and what to do. */
export function tooLargeWarning(name: string, estimate: UploadEstimate): string {
  const measured = estimate.exact ? "" : ` (${Math.round(estimate.bytesPerRow)} bytes a row in its first ${megabytes(estimate.sampleBytes)})`;
  return (
    `${name} (${megabytes(estimate.size)}) has ${rowsText(estimate)}${measured}. Reading, cleaning and keeping it in this page ` +
    `needs about ${gigabytes(estimate.memoryBytes)} of memory, more than this browser can likely give one page ` +
    `(${gigabytes(estimate.limit.bytes)}: ${estimate.limit.source}), so the page may stop with an out-of-memory message. ` +
    `The command-line tool reads files of any size with native DuckDB: npx clv report ${name} --out report (see the README). ` +
    `You can still try here.`
  );
}
