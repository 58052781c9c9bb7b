/**
 * The What-if page's data (one definition for the page over every customer and for the first view made at
 * build time) and its first view: the "full" table's fit (its parameters are in the metadata), the form's
 * default margin, the population's RFM cuts (whatif.ts rfmPopulationCuts: the form's segment for any entry
 * and any bins without the population) and the first customers to pick from. The page then evaluates the form
 * in the page as before, and loads the per-customer table only for the bootstrap, another model or
 * penalizer, a filter, or to pick among every customer.
 */
import type {CustomerData} from "./customers.js";
import type {BuiltClv, ClvTablesMetadata} from "./derived.js";
import {defaultMargin, pickableCustomers, rfmPopulation, rfmPopulationCuts, type PickableCustomer, type RfmPopulationCuts} from "./whatif.js";

/** Customers to pick from in the first view (the table shows 7 at a time). */
export const WHATIF_PICK_ROWS = 1000;

export interface WhatIfPageData {
  population: RfmPopulationCuts;
  dataMargin: number;
  customers: PickableCustomer[];
}

/**
 * What the page needs of every customer: the RFM cuts as of `asOf` (the last order), the default margin, the
 * customers to pick from (the first `rows` of them when given: a first view keeps only those).
 */
export function whatIfPageData(data: Pick<CustomerData, "profiles" | "summaries">, {columns, asOf, rows}: {columns: readonly string[]; asOf: string; rows?: number}): WhatIfPageData {
  return {
    population: rfmPopulationCuts(rfmPopulation(data.profiles, {asOf})),
    dataMargin: defaultMargin(data.profiles, {hasCost: columns.includes("cost")}),
    customers: pickableCustomers(rows === undefined ? data.profiles : data.profiles.slice(0, rows), data.summaries)
  };
}

export interface WhatIfView {
  /** The "full" table's metadata (its fit and settings), without the Predicted CLV page's daily counts. */
  metadata: Omit<ClvTablesMetadata, "daily">;
  customers: number;
  population: RfmPopulationCuts;
  dataMargin: number;
  /** The first WHATIF_PICK_ROWS customers to pick from, in the page's order. */
  pick: PickableCustomer[];
}

/** The first view of the "full" CLV table (null when its transaction fit failed: the page then shows why from the table). */
export function whatIfView(built: BuiltClv, {rows = WHATIF_PICK_ROWS}: {rows?: number} = {}): WhatIfView | null {
  const {metadata, data} = built;
  if ("error" in metadata.fit.transaction) return null;
  const page = whatIfPageData(data, {columns: metadata.columns, asOf: metadata.selection.last, rows});
  const {daily: _, ...rest} = metadata;
  return {metadata: rest, customers: data.profiles.length, population: page.population, dataMargin: page.dataMargin, pick: page.customers};
}
