/**
 * A button that downloads rows as a CSV file. The CSV (src/lib/format/csv.ts: quoted, formula-escaped) is made when
 * the button is clicked, held in a Blob and saved through a temporary link, so a page can show many buttons
 * without building their files up front.
 */
import type {ColumnTable} from "arquero";
import {toCsv} from "../lib/format/csv.js";
import {fmt} from "./settings.js";

type Rows = ColumnTable | readonly Record<string, unknown>[];

export interface DownloadOptions {
  /** The file name offered to the browser, e.g. "rfm-customers.csv". */
  filename: string;
  label?: string;
  /** Columns to write, in order; default all. */
  columns?: readonly string[];
  title?: string;
  /** Columns of money: their headers carry the currency in use, "revenue (CAD)" (fmt.moneyLabel). */
  money?: readonly string[];
}

export function DownloadButton(rows: Rows | (() => Rows), {filename, label = "Download CSV", columns, title, money = []}: DownloadOptions): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "download-button";
  button.textContent = `↓ ${label}`;
  button.dataset.filename = filename;
  if (title) button.title = title;
  button.addEventListener("click", () => {
    const data = typeof rows === "function" ? rows() : rows;
    saveBlob(new Blob([toCsv(data, {columns, headers: Object.fromEntries(money.map((name) => [name, fmt.moneyLabel(name)]))})], {type: "text/csv;charset=utf-8"}), filename);
  });
  return button;
}

/** Saves a blob as a download named `filename` (made in the page: nothing is sent anywhere). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A table with its download button right-aligned above it, in a wrapper of the given class. */
export function WithDownload(table: HTMLElement, button: HTMLElement, className: string): HTMLDivElement {
  const wrapper = document.createElement("div");
  wrapper.className = className;
  const bar = document.createElement("div");
  Object.assign(bar.style, {display: "flex", justifyContent: "flex-end", margin: "0 0 0.5rem"});
  bar.append(button);
  wrapper.append(bar, table);
  return wrapper;
}
