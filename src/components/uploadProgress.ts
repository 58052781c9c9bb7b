/**
 * Progress of an upload on the data page: bytes read from the file (read in chunks, so the page shows how far
 * it is instead of freezing on a large file), then each step after it (reading rows into DuckDB, cleaning
 * them), with the time spent. One line, updated in place; `done` leaves a summary.
 */
export interface UploadProgressElement extends HTMLElement {
  step(message: string): void;
  done(message: string): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString("en-US", {maximumFractionDigits: bytes < 1e7 ? 1 : 0})} MB`;
}

export function UploadProgress(): UploadProgressElement {
  const element = document.createElement("p") as unknown as UploadProgressElement;
  element.className = "muted upload-progress";
  element.id = "upload-progress";
  element.setAttribute("role", "status");
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  element.step = (message: string) => {
    element.textContent = `${message} (${seconds()})`;
  };
  element.done = (message: string) => {
    element.textContent = `${message} in ${seconds()}.`;
    element.dataset.done = "true";
  };
  return element;
}

/** A File, or the file input's value in Observable (whose stream() returns a promise of the stream). */
export interface ReadableFile {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array> | Promise<ReadableStream<Uint8Array>>;
}

/** Reads `file` into one Uint8Array in chunks, reporting the bytes read on `progress`. */
export async function readWithProgress(file: ReadableFile, progress: UploadProgressElement): Promise<Uint8Array> {
  const bytes = new Uint8Array(file.size);
  const reader = (await file.stream()).getReader();
  let offset = 0;
  let shown = 0;
  progress.step(`Reading ${file.name}: 0 of ${megabytes(file.size)}`);
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    if (offset + value.length > bytes.length) throw new Error(`${file.name} changed while it was being read`);
    bytes.set(value, offset);
    offset += value.length;
    if (offset - shown >= 4e6 || offset === file.size) {
      shown = offset;
      progress.step(`Reading ${file.name}: ${megabytes(offset)} of ${megabytes(file.size)}`);
    }
  }
  return offset === bytes.length ? bytes : bytes.subarray(0, offset);
}
