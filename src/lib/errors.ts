/**
 * User-facing problems with input data or options. The message is one line a person can act on; the code is
 * stable, so callers (the CLI's exit status, the upload page's hints) branch on it rather than on the text.
 */

/** Codes for problems with the input file itself: the CLI exits with status 2 for these. */
export const INPUT_ERROR_CODES = [
  "not_found",
  "empty",
  "header_only",
  "delimiter",
  "ragged",
  "encoding",
  "binary",
  "unsupported_format",
  "unreadable"
] as const;

export type DataErrorCode =
  | (typeof INPUT_ERROR_CODES)[number]
  /** A required column cannot be found, or an override names an unknown column. */
  | "mapping"
  /** Every row was dropped while cleaning. */
  | "no_rows"
  /** A bad option value (a date that is not a date, an unknown unit...). */
  | "usage";

export class DataError extends Error {
  readonly code: DataErrorCode;

  constructor(code: DataErrorCode, message: string) {
    super(message);
    this.name = "DataError";
    this.code = code;
  }

  /** True when the input could not be read at all (as opposed to read but not usable). */
  get isInputError(): boolean {
    return (INPUT_ERROR_CODES as readonly string[]).includes(this.code);
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}
