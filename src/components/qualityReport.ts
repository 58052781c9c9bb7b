/**
 * The data-quality report of a cleaned file: rows read, kept, dropped by reason with a few example rows,
 * returns, and the cleaner's warnings. Every count adds up to the rows read.
 */
import * as Inputs from "npm:@observablehq/inputs";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import type {DropReason} from "../lib/data/clean/classify.js";
import {Exportable} from "./exportable.js";
import {fmt} from "./settings.js";

const REASONS: Record<DropReason, string> = {
  missing_customer_id: "No customer id",
  missing_date: "No date",
  unparseable_date: "Date not readable",
  future_date: "Date after the analysis date",
  missing_amount: "No amount",
  non_numeric_amount: "Amount not a number",
  duplicate: "Exact duplicate of an earlier row",
  zero_amount: "Amount is zero",
  return: "Return or cancellation",
  return_without_purchase: "Return with no purchase to net against"
};

const count = fmt.integer;

function element(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

export function QualityReport(report: DataQualityReport): HTMLElement {
  const dropped = Object.entries(report.dropped).filter(([, n]) => n > 0) as [DropReason, number][];
  const droppedTotal = dropped.reduce((sum, [, n]) => sum + n, 0);
  const root = element("div", {class: "quality-report"});
  root.append(
    element(
      "p",
      {},
      `${count(report.rows)} rows read: ${count(report.kept)} kept, ${count(droppedTotal)} dropped`,
      report.customers ? ` · ${count(report.customers)} customers` : "",
      report.firstDate ? ` · ${report.firstDate} to ${report.lastDate}` : ""
    )
  );
  if (dropped.length === 0) {
    root.append(element("p", {class: "muted"}, "No row was dropped."));
  } else {
    const table = element("table", {class: "quality-reasons"});
    table.append(element("tr", {}, element("th", {}, "Reason"), element("th", {}, "Rows"), element("th", {}, "Share")));
    for (const [reason, n] of dropped) {
      table.append(
        element(
          "tr",
          {"data-reason": reason},
          element("td", {}, REASONS[reason] ?? reason),
          element("td", {}, count(n)),
          element("td", {}, fmt.percent(n / report.rows, 1))
        )
      );
    }
    // Each table offers its rows as CSV (issue 18).
    const reasons = dropped.map(([reason, n]) => ({reason: REASONS[reason] ?? reason, code: reason, rows: n, share: n / report.rows}));
    root.append(Exportable(table, {name: "quality-dropped", data: reasons, image: false}));
    for (const [reason] of dropped) {
      const examples = report.examples[reason] ?? [];
      if (examples.length === 0) continue;
      const details = element("details", {}, element("summary", {}, `Examples: ${REASONS[reason] ?? reason}`));
      details.append(Exportable(Inputs.table(examples, {maxWidth: 900, rows: examples.length + 1}), {name: `quality-examples-${reason.replace(/_/g, "-")}`, data: examples, image: false}));
      root.append(details);
    }
  }
  if (report.returns.rows > 0) {
    const r = report.returns;
    root.append(
      element(
        "p",
        {},
        `${count(r.rows)} return rows (${count(r.cancellations)} by cancellation id) from ${count(r.customers)} customers, worth ${fmt.money(r.amount)}: `,
        r.netted ? `netted against purchases (${count(r.kept)} kept as negative rows).` : "dropped, as returns are not purchases."
      )
    );
  }
  if (report.warnings.length > 0) {
    const list = element("ul", {class: "quality-warnings"});
    // Kept zero amounts and kept identical rows are among the warnings (src/lib/clean.ts): said once, there.
    for (const warning of new Set(report.warnings)) list.append(element("li", {}, warning));
    root.append(element("p", {}, "Warnings:"), list);
  }
  return root;
}
