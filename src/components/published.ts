/**
 * Whether this site is a report build (CLV_PUBLISH=aggregates, src/lib/explore/publish.ts): it holds the
 * derived tables only, with pseudonymous customer ids, and no transactions. observablehq.config.ts writes a
 * <meta name="clv-publish"> tag into every page of such a build; what needs the raw rows (DuckDB-WASM:
 * filters the build's tables cannot answer, another analysis date or calibration end, the SQL behind the
 * partners page's RFM spread) says so with RAW_ROWS_MESSAGE instead of failing.
 */

/** The report build's settings, or null for an ordinary build. */
export function publishedReport(): {minGroup: number} | null {
  if (typeof document === "undefined") return null;
  const meta = document.querySelector('meta[name="clv-publish"]');
  if (!meta || meta.getAttribute("content") !== "aggregates") return null;
  const minGroup = Number(meta.getAttribute("data-min-group"));
  return {minGroup: Number.isInteger(minGroup) && minGroup > 0 ? minGroup : 10};
}

/** What a page says when it needs the transactions of a report build. */
export const RAW_ROWS_MESSAGE =
  "this report was published with aggregate tables only, without the transactions: this view needs the raw rows. " +
  "Open it in a full build of the site, or load a file of yours on the Your data page.";

/** The error a report build's transactions database rejects with. */
export class RawRowsUnavailable extends Error {
  constructor() {
    super(RAW_ROWS_MESSAGE.charAt(0).toUpperCase() + RAW_ROWS_MESSAGE.slice(1));
    this.name = "RawRowsUnavailable";
  }
}

/**
 * The filter bar of a page whose filters need the transactions (the RFM and CLV pages): unchanged in an
 * ordinary build; in a report build shown disabled, with a note, and its value always "no filter", so that
 * filters chosen on the exploration pages (which filter the build's tables) do not ask for the raw rows here.
 */
export function PublishedFilters<T extends HTMLElement & {value: unknown}>(bar: T): T | (HTMLDivElement & {value: Record<string, never>}) {
  if (!publishedReport()) return bar;
  const wrapper = document.createElement("div") as HTMLDivElement & {value: Record<string, never>};
  wrapper.className = "published-filters";
  const stored = bar.value && typeof bar.value === "object" ? Object.values(bar.value as Record<string, unknown>) : [];
  const set = stored.some((v) => v != null && v !== "" && !(Array.isArray(v) && v.length === 0));
  bar.inert = true;
  bar.style.opacity = "0.5";
  const note = document.createElement("p");
  note.id = "published-filters";
  note.className = "muted";
  note.textContent =
    "Filters need the transactions, which this report does not include: this page shows every customer" +
    (set ? " (the filters chosen on the exploration pages do not apply here)." : ".");
  wrapper.append(note, bar);
  Object.defineProperty(wrapper, "value", {get: () => ({})});
  return wrapper;
}

/**
 * An input's value in a report build: the build's tables answer one value only (the CLV page's calibration
 * end, the validation page's holdout); another needs the raw rows. Then the page shows the one the report was
 * published with, and `note` says so (one line, no error), so that no cell of the page fails. In an ordinary
 * build, or when the value asked for is the build's, the value is kept and there is no note.
 */
export function publishedValue<T>(wanted: T, available: T | null | undefined, what: string, show: (value: T) => string = String): {value: T; note: HTMLElement | null} {
  if (!publishedReport() || available == null || wanted === available) return {value: wanted, note: null};
  const note = document.createElement("p");
  note.className = "published-pinned notice";
  note.textContent = `Not available for ${what} ${show(wanted)}: ${RAW_ROWS_MESSAGE} Shown for ${show(available)}, as published.`;
  return {value: available, note};
}
