/**
 * Small aggregations of the customers' favourites (src/lib/explore/partners.ts) for the charts: how many
 * customers have each favourite, how favourites spread over segments assigned outside SQL (RFM), and the
 * long tail lumped into "Other". Pure functions, no DOM.
 */
import type {FavouriteSummaryRow} from "./partners.js";

export interface FavouriteCount {
  favourite: string;
  customers: number;
  /** customers / all customers with a favourite. */
  share: number;
}

const byName = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** Customers per favourite, most common first, then by name. */
export function countFavourites(rows: readonly {favourite: string}[]): FavouriteCount[] {
  const counts = new Map<string, number>();
  for (const {favourite} of rows) counts.set(favourite, (counts.get(favourite) ?? 0) + 1);
  return favouriteCounts(counts);
}

/**
 * The rows of countFavourites from the number of customers per favourite (favourites with no customer left
 * out): shares of their total, most common first, then by name. cellFavouriteCounts (cellPartners.ts)
 * counts the cells' favourites per code and ends here, with no row per customer.
 */
export function favouriteCounts(counts: Iterable<readonly [string, number]>): FavouriteCount[] {
  const present = [...counts].filter(([, customers]) => customers > 0);
  let total = 0;
  for (const [, customers] of present) total += customers;
  return present
    .map(([favourite, customers]) => ({favourite, customers, share: customers / total}))
    .sort((a, b) => b.customers - a.customers || byName(a.favourite, b.favourite));
}

/**
 * The spread of favourites over segments, in the shape and order of favouriteSummarySql (segment, nulls
 * last; then customers, largest first; then favourite): `segmentOf` gives a customer's segment, null (or
 * undefined) when unknown.
 */
export function favouriteSpread(
  rows: readonly {customer_id: string | number; favourite: string}[],
  segmentOf: (customerId: string) => string | null | undefined
): FavouriteSummaryRow[] {
  const counts = new Map<string | null, Map<string, number>>();
  for (const {customer_id, favourite} of rows) {
    const segment = segmentOf(String(customer_id)) ?? null;
    let inner = counts.get(segment);
    if (!inner) counts.set(segment, (inner = new Map()));
    inner.set(favourite, (inner.get(favourite) ?? 0) + 1);
  }
  const out: FavouriteSummaryRow[] = [];
  for (const [segment, inner] of counts) {
    let total = 0;
    for (const n of inner.values()) total += n;
    for (const [favourite, customers] of inner) out.push({segment, favourite, customers, share: customers / total});
  }
  return out.sort((a, b) => byName(a.segment, b.segment) || b.customers - a.customers || byName(a.favourite, b.favourite));
}

/** The k favourites with the most customers over all segments (ties by name). */
export function topFavourites(rows: readonly {favourite: string; customers: number}[], k: number): string[] {
  const totals = new Map<string, number>();
  for (const {favourite, customers} of rows) totals.set(favourite, (totals.get(favourite) ?? 0) + customers);
  return [...totals]
    .sort((a, b) => b[1] - a[1] || byName(a[0], b[0]))
    .slice(0, k)
    .map(([favourite]) => favourite);
}

/** The rows with every favourite not in `keep` merged, per segment, into one `other` row (shares re-summed). */
export function lumpOthers(rows: readonly FavouriteSummaryRow[], keep: readonly string[], other = "Other"): FavouriteSummaryRow[] {
  const kept = new Set(keep);
  const out: FavouriteSummaryRow[] = [];
  const others = new Map<string | null, FavouriteSummaryRow>();
  for (const row of rows) {
    if (kept.has(row.favourite)) {
      out.push({...row});
      continue;
    }
    const lump = others.get(row.segment);
    if (lump) {
      lump.customers += row.customers;
      lump.share += row.share;
    } else {
      const created = {segment: row.segment, favourite: other, customers: row.customers, share: row.share};
      others.set(row.segment, created);
      out.push(created);
    }
  }
  return out;
}
