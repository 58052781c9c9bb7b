/**
 * A scheme's rules as a table (describeScheme), with each segment's colour, its customers, and a button
 * that downloads the segment's customer list as rfm-<segment>.csv.
 */
import type {ColumnTable} from "arquero";
import {slug} from "../lib/rfm/page.js";
import {describeScheme, type SegmentScheme} from "../lib/rfm/segments.js";
import {DownloadButton} from "./download.js";
import {fmt} from "./settings.js";
import {colorOf, type SegmentColors} from "./segmentColors.js";

export interface SchemeRulesOptions {
  colors: SegmentColors;
  /** Scored and segmented customers (segmentCustomers().customers): the downloads' rows. */
  customers: ColumnTable;
  /** Customers per segment (segmentCustomers().summary: segment, customers), counted once with the segmentation. */
  summary: ColumnTable;
  /** Columns of the downloaded files. */
  columns: readonly string[];
  selected?: string | null;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function SchemeRules(scheme: SegmentScheme, {colors, customers, summary, columns, selected = null}: SchemeRulesOptions): HTMLTableElement {
  const names = summary.array("segment") as ArrayLike<string>;
  const sizes = summary.array("customers") as ArrayLike<number>;
  const counts = new Map<string, number>(Array.from(names, (name, i) => [name, sizes[i]]));
  const table = element("table", undefined, "scheme-rules");
  const head = element("tr");
  for (const title of ["", "Segment", "Rule (first match wins)", "Who they are", "Customers", ""]) head.append(element("th", title));
  table.append(element("thead"));
  table.tHead!.append(head);
  const body = element("tbody");
  const listed = new Set<string>();
  for (const rule of describeScheme(scheme)) {
    const row = element("tr");
    if (rule.segment === selected) row.className = "selected";
    const swatch = element("span", undefined, "swatch");
    swatch.style.background = colorOf(colors, rule.segment);
    const n = listed.has(rule.segment) ? null : counts.get(rule.segment) ?? 0;
    listed.add(rule.segment);
    const cells = [element("td"), element("td", rule.segment), element("td", rule.rule), element("td", rule.description, "muted"), element("td", n === null ? "(above)" : fmt.integer(n), "number"), element("td")];
    cells[0].append(swatch);
    if (n) {
      const segment = rule.segment;
      cells[5].append(
        DownloadButton(() => customers.params({segment}).filter((d: any, $: any) => d.segment === $.segment), {
          filename: `rfm-${slug(segment)}.csv`,
          label: "CSV",
          columns,
          money: ["monetary", "revenue"],
          title: `Download the ${fmt.integer(n)} customers of ${segment} as CSV`
        })
      );
    }
    row.append(...cells);
    body.append(row);
  }
  table.append(body);
  return table;
}
