/**
 * `clv check FILE`: reads and cleans a file and reports what happened to every row: how many were kept,
 * how many dropped and why (with examples), returns, customers and the date range. --json prints the
 * DataQualityReport plus the mapping; --out writes the cleaned transactions.
 */
import {DROP_REASONS} from "../../lib/data/clean/classify.js";
import type {DataQualityReport, ExampleRow} from "../../lib/data/clean/report.js";
import {describeSource, type Mapping} from "../../lib/data/schema.js";
import {COMMON_HELP, formatNumber, parseCommand, progressDone} from "../args.js";
import {openSession, writeQuery} from "../session.js";

const HELP = `usage: clv check FILE [options]
       clv check --db URL --table NAME [options]

Reads FILE, maps its columns, cleans it and reports every dropped row by reason.

${COMMON_HELP}`;

function describeMapping(mapping: Mapping): string {
  return Object.entries(mapping)
    .map(([key, source]) => `${key} ← ${describeSource(source!)}`)
    .join(", ");
}

function exampleLine(example: ExampleRow): string {
  const {_row, ...values} = example;
  const shown = Object.values(values)
    .map((v) => (v === null ? "∅" : JSON.stringify(v)))
    .join(", ");
  return `row ${_row}: ${shown.length > 100 ? `${shown.slice(0, 99)}…` : shown}`;
}

export function formatReport(name: string, report: DataQualityReport, mapping: Mapping): string {
  const droppedTotal = report.rows - report.kept;
  const lines = [
    `${name}: ${formatNumber(report.rows)} rows, ${formatNumber(report.kept)} kept, ${formatNumber(droppedTotal)} dropped`,
    `customers: ${formatNumber(report.customers)}` +
      (report.firstDate ? `, ${report.firstDate} to ${report.lastDate}` : "") +
      `, revenue ${formatNumber(report.revenue, 2)}`,
    `columns: ${describeMapping(mapping)}`
  ];
  if (droppedTotal > 0) {
    lines.push("dropped:");
    const width = Math.max(...DROP_REASONS.map((r) => r.length));
    for (const reason of DROP_REASONS) {
      const count = report.dropped[reason];
      if (count === 0) continue;
      lines.push(`  ${reason.padEnd(width)}  ${formatNumber(count).padStart(9)}`);
      for (const example of report.examples[reason] ?? []) lines.push(`      ${exampleLine(example)}`);
    }
  }
  if (report.returns.rows > 0) {
    const r = report.returns;
    lines.push(
      `returns: ${formatNumber(r.rows)} rows (${formatNumber(r.cancellations)} cancellations) by ${formatNumber(r.customers)} customers, ` +
        `${formatNumber(r.amount, 2)} in total, ${r.netted ? "netted against purchases" : "dropped (use --net-returns to net them)"}`
    );
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(argv);
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const session = await openSession(args, {refuseEmpty: false});
  try {
    const {report, mapping, name} = session;
    if (args.out) await writeQuery(session, `SELECT * FROM ${session.transactions} ORDER BY source_row`, args.out);
    progressDone();
    if (args.json) {
      process.stdout.write(`${JSON.stringify({...report, mapping})}\n`);
    } else {
      process.stdout.write(`${formatReport(name, report, mapping)}\n`);
    }
    if (report.kept === 0) {
      process.stderr.write(`clv: no usable rows in ${name} (all ${formatNumber(report.rows)} dropped)\n`);
      return 1;
    }
    return 0;
  } finally {
    progressDone();
    await session.close();
  }
}
