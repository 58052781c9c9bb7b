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
