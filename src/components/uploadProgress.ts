/**
 * Progress of an upload on the data page: bytes read from the file and rows read into DuckDB so far (CSV is
 * streamed in chunks, so the page shows how far it is instead of freezing on a large file), then each step
 * after it (cleaning the rows), with the time spent, ticking every second while a step runs. One line, updated
 * in place; `done` leaves a summary.
 */
export interface UploadProgressElement extends HTMLElement {
  step(message: string): void;
  done(message: string): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString("en-US", {maximumFractionDigits: bytes < 1e7 ? 1 : 0})} MB`;
}

export function UploadProgress({id = "upload-progress"}: {id?: string} = {}): UploadProgressElement {
  const element = document.createElement("p") as unknown as UploadProgressElement;
  element.className = "muted upload-progress";
  element.id = id;
  element.setAttribute("role", "status");
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  let current = "";
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  const show = () => {
    element.textContent = `${current} (${seconds()})`;
  };
  // One long SQL step (cleaning millions of rows) says nothing for a while: the time keeps moving meanwhile.
  const tick = () => (element.isConnected ? show() : stop());
  element.step = (message: string) => {
    delete element.dataset.done;
    current = message;
    show();
    timer ??= setInterval(tick, 1000);
  };
  element.done = (message: string) => {
    stop();
    element.dataset.done = "true";
    element.textContent = `${message} in ${seconds()}.`;
  };
  return element;
}

/** The line while a file is read into DuckDB: "Reading sales.csv: 83 of 208 MB, 2,000,000 rows so far". */
export function readingLine(name: string, {bytesRead, size, rows}: {bytesRead: number; size: number; rows: number}): string {
  const rowsText = rows > 0 ? `, ${rows.toLocaleString("en-US")} rows so far` : "";
  return `Reading ${name}: ${megabytes(bytesRead)} of ${megabytes(size)}${rowsText}`;
}

/**
 * The line while the rows are cleaned a chunk at a time (lib/data/clean/chunked.ts): "Cleaning sales.csv:
 * 750,000 of 5,000,000 rows cleaned", after "finding repeated rows" and before the rules across rows.
 */
export function cleaningLine(name: string, {rows, total, stage}: {rows: number; total: number; stage: "repeats" | "rows" | "rules"}): string {
  const of = `${rows.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows cleaned`;
  if (stage === "repeats") return `Cleaning ${name}: finding repeated rows among ${total.toLocaleString("en-US")}`;
  if (stage === "rules") return `Cleaning ${name}: ${of}; duplicates, returns and the report`;
  return `Cleaning ${name}: ${of}`;
}
