/**
 * What the RFM page draws first, computed once at build time from the summary of every purchase (derived.ts)
 * with the page's default inputs (the default segmentation, frequency "orders", monetary "total", quantile
 * scores, the day after the last purchase, no filter, no segment selected), so the page opens on a small
 * file (the `rfm-view.json` member): the headline figures, the segments' shares and the score grid. The page
 * then loads the per-customer table and computes the same figures with the same functions (segmentCustomers,
 * headline, scoreGrid) for every other chart and every change of input.
 */
import {nextDay} from "../time.js";
import {headline, scoreGrid, segmentCustomers, type GridCell, type Headline} from "./page.js";
import {DEFAULT_SEGMENTATION_SETTING, segmentationScheme} from "./segmentation.js";
import type {RfmSummary} from "./summary.js";
import {valuesFromSummary} from "./summary.js";
import type {RfmTablesMetadata} from "./derived.js";
import type {FrequencyMode, MonetaryMode} from "./scores.js";

export interface RfmFirstView {
  /** The inputs the figures hold for: the page uses them only when its inputs are these. */
  settings: {scheme: string; bins: number; frequency: FrequencyMode; monetary: MonetaryMode; analysisDate: string | null};
  /** The summary's metadata (filter choices, the selection), as in rfm-customers.arrow. */
  metadata: RfmTablesMetadata;
  /** Segment names in rule order (the scheme on the k scale). */
  names: string[];
  /** segmentSummary() rows in rule order. */
  summary: {segment: string; customers: number; share: number; revenue: number; revenue_share: number}[];
  /** headline(); medianRecency is null (NaN in the page) without customers. */
  headline: Omit<Headline, "medianRecency"> & {medianRecency: number | null};
  grid: GridCell[];
}

/** The first view of a summary of every purchase (metadata.before null), by the page's own functions. */
export function rfmFirstView({summary, metadata}: {summary: RfmSummary; metadata: RfmTablesMetadata}): RfmFirstView {
  const {scheme, bins} = DEFAULT_SEGMENTATION_SETTING;
  const last = metadata.selection.last ?? metadata.choices.last ?? null;
  const analysisDate = last ? nextDay(last) : null;
  const values = valuesFromSummary(summary, {...(analysisDate ? {analysisDate} : {}), frequency: "orders", monetary: "total"});
  const segmented = segmentCustomers(values, {k: bins, scheme: segmentationScheme(DEFAULT_SEGMENTATION_SETTING)});
  const figures = headline(segmented);
  return {
    settings: {scheme, bins, frequency: "orders", monetary: "total", analysisDate},
    metadata,
    names: segmented.names,
    summary: segmented.summary.objects() as RfmFirstView["summary"],
    headline: {...figures, medianRecency: Number.isFinite(figures.medianRecency) ? figures.medianRecency : null},
    grid: scoreGrid(segmented.customers)
  };
}
