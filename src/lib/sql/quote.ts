/**
 * Quoting for DuckDB SQL written by the library. Values that come from users (names, dates, file names) go
 * through these, never into SQL as they are.
 */

/** A SQL string literal: single quotes doubled, NUL refused. */
export function sqlString(value: string): string {
  if (typeof value !== "string") throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
  if (value.includes("\u0000")) throw new Error(`string contains a NUL character: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: double quotes doubled. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== "string" || name === "") throw new Error(`invalid identifier: ${JSON.stringify(name)}`);
  if (name.includes("\u0000")) throw new Error(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}
