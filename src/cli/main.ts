/**
 * `clv <command> [options]`: dispatches to src/cli/commands/<command>.ts. Each command module exports
 * `run(argv): Promise<number>` (the exit status) and is imported only when used. To add a command, add a line
 * to COMMANDS.
 *
 * Exit status: 0 success; 1 a problem with the data or the analysis; 2 a usage error or an input file that
 * cannot be read at all. Errors print one line, `clv: <message>`, on stderr; CLV_DEBUG=1 adds the stack.
 */
import {DataError} from "../lib/errors.js";

export interface Command {
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  check: {summary: "read a file, clean it and report data quality", load: () => import("./commands/check.js")},
  summary: {
    summary: "per-customer frequency, recency, T and monetary value",
    load: () => import("./commands/summary.js")
  },
  rfm: {summary: "RFM values, 1..k scores and segments per customer", load: () => import("./commands/rfm.js")},
  fit: {summary: "fit BG/NBD, Pareto/NBD or Gamma-Gamma and report the parameters", load: () => import("./commands/fit.js")},
  predict: {
    summary: "per-customer P(alive), expected purchases and spend, and discounted CLV",
    load: () => import("./commands/predict.js")
  },
  report: {
    summary: "retention, M1, top partners and favourite offers as CSV files in a folder",
    load: () => import("./commands/report.js")
  }
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, {summary}]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    "usage: clv <command> FILE [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `clv <command> --help` for a command's options."
  ].join("\n");
}

/** Exit status for an error: 2 for usage errors and unreadable input, 1 otherwise. */
export function exitCode(error: unknown): number {
  if (error instanceof DataError) return error.isInputError || error.code === "usage" ? 2 : 1;
  return 1;
}

export function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").find((l) => l.trim() !== "") ?? "unknown error";
  process.stderr.write(`clv: ${line.trim()}\n`);
  if (process.env.CLV_DEBUG === "1" && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}

export async function main(argv: string[]): Promise<number> {
  // `clv summary ... | head` closes stdout early: not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const out = name === undefined ? process.stderr : process.stdout;
    out.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`clv: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (error) {
    reportError(error);
    return exitCode(error);
  }
}
