/**
 * Cutting a delimited text file into chunks of whole records as its bytes arrive, so that a large upload is
 * read into DuckDB a piece at a time (each chunk registered, inserted and dropped) instead of as one copy of
 * the whole file in JS and another in the engine's memory.
 *
 * A chunk ends just after a newline that lies outside quotes: with RFC 4180 quoting (a quote inside a field
 * is doubled), a newline ends a record exactly when the number of quote characters before it is even, so one
 * bit of state carried across pieces is enough. A record longer than the target keeps growing its chunk until
 * it ends; the bytes after the last newline are handed over by `finish`.
 */

const NEWLINE = 10;
const QUOTE = 34;

export interface Chunk {
  bytes: Uint8Array;
  /** Newlines in the file before this chunk: the file's line number of the chunk's first line is this + 1. */
  linesBefore: number;
  /** Bytes of the file before this chunk. */
  offset: number;
}

/**
 * Accepts the file's bytes piece by piece (`push`) and returns a chunk of whole records once at least `target`
 * bytes are pending and a record ends among them; `finish` returns what remains. Each piece is scanned once, as
 * it arrives, and copied once, into the chunk that holds it.
 */
export class RecordChunker {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Quote state after the pending bytes. */
  private inQuote = false;
  /** End of the last whole record among the pending bytes (0: none yet), and the newlines before it. */
  private lastEnd = 0;
  private newlinesToLastEnd = 0;
  private newlinesPending = 0;
  private offset = 0;
  private lines = 0;

  constructor(
    private readonly target: number = 32 * 1024 * 1024,
    private readonly quote: number = QUOTE
  ) {
    if (!(target > 0)) throw new RangeError(`chunk target must be positive, got ${target}`);
  }

  push(piece: Uint8Array): Chunk[] {
    if (piece.length === 0) return [];
    const base = this.pendingBytes;
    let inQuote = this.inQuote;
    for (let i = 0; i < piece.length; i++) {
      const b = piece[i];
      if (b === this.quote) inQuote = !inQuote;
      else if (b === NEWLINE) {
        this.newlinesPending++;
        if (!inQuote) {
          this.lastEnd = base + i + 1;
          this.newlinesToLastEnd = this.newlinesPending;
        }
      }
    }
    this.inQuote = inQuote;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes < this.target || this.lastEnd === 0) return [];
    const joined = concat(this.pending, this.pendingBytes);
    const chunk: Chunk = {bytes: joined.subarray(0, this.lastEnd), linesBefore: this.lines, offset: this.offset};
    const rest = joined.slice(this.lastEnd);
    this.lines += this.newlinesToLastEnd;
    this.offset += this.lastEnd;
    this.newlinesPending -= this.newlinesToLastEnd;
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    this.lastEnd = 0;
    this.newlinesToLastEnd = 0;
    return [chunk];
  }

  /** The bytes after the last chunk (a last record without a final newline included), or nothing. */
  finish(): Chunk[] {
    if (this.pendingBytes === 0) return [];
    const chunk: Chunk = {bytes: concat(this.pending, this.pendingBytes), linesBefore: this.lines, offset: this.offset};
    this.lines += this.newlinesPending;
    this.offset += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.lastEnd = 0;
    this.newlinesToLastEnd = 0;
    this.newlinesPending = 0;
    return [chunk];
  }
}

function concat(pieces: Uint8Array[], length: number): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
