/**
 * The learned model's features for the customers of one calibration end (learnedClv.ts): the calibration
 * summary (recency, frequency, monetary in the fit's sense, tenure T, in weeks), the RFM scores and persona
 * segment as the CLV pages compute them (profiles.ts's profileSegments: quantile scores of days since the
 * last purchase, orders and revenue, k = 5), and the optional columns the data has: region and customer
 * segment of the first purchase (the profile), the main category and the partner share (the profile's
 * top_category and partner_share, profiles.ts, when the data has category and partner columns; or `extras`,
 * when given, which take precedence). A customer whose partner share is null (spend not positive) counts 0.
 */
import {rankScores} from "./diagnostics.js";
import {SUMMARY_FEATURES, featureTable, type FeatureRow, type FeatureRows, type FeatureTable, type LearnedFeature} from "./learnedModel.js";
import {profileField, type WireLearnedCustomers} from "./packedProfiles.js";
import type {CustomerProfile} from "./profiles.js";
import {PERSONAS} from "../rfm/schemes.js";
import {rescaleScheme, segmentOf, type SegmentScheme} from "../rfm/rules.js";
import {dayNumber, nextDay, perDistinctDate} from "../time.js";

/** Optional per-customer columns beyond the profile, aligned with it. */
export interface LearnedExtras {
  /** The category with the most calibration spend (null: none recorded). */
  category?: readonly (string | null)[];
  /** The top partner's share of the customer's calibration spend, 0..1 (profiles.ts's partner_share). */
  partner_share?: ArrayLike<number>;
}

/** What the features are made from: customerData()'s summaries and profiles at a calibration end. */
export interface LearnedCustomers {
  calibrationEnd: string;
  summaries: {frequency: ArrayLike<number>; recency: ArrayLike<number>; T: ArrayLike<number>; monetary: ArrayLike<number>};
  profiles: readonly (Pick<CustomerProfile, "orders" | "revenue" | "last_purchase" | "region" | "customer_segment"> & Partial<Pick<CustomerProfile, "top_category" | "partner_share">>)[];
  extras?: LearnedExtras;
}

/**
 * Every customer's features (see the module comment) as a FeatureTable: columns, a value per customer, and a
 * row made when one is read. The profiles may come packed (packedProfiles.ts: as they cross to the fit
 * worker); they are read in place, with no object per customer.
 */
export function learnedFeatureTable({calibrationEnd, summaries, profiles, extras}: WireLearnedCustomers, {scheme = PERSONAS, k = 5}: {scheme?: SegmentScheme; k?: number} = {}): FeatureTable {
  const n = summaries.frequency.length;
  if (profiles.length !== n) throw new Error(`learned features: ${profiles.length} profiles for ${n} summaries`);
  for (const [name, values] of Object.entries(extras ?? {})) {
    if (values && values.length !== n) throw new Error(`learned features: ${values.length} values of ${name} for ${n} customers`);
  }
  const none = () => undefined;
  const field = (name: string) => profileField(profiles, name);
  const lastPurchase = field("last_purchase") ?? none, orders = field("orders") ?? none, revenue = field("revenue") ?? none;
  const end = dayNumber(nextDay(calibrationEnd), "calibrationEnd");
  // Days since the last purchase, each distinct day parsed once (a few thousand days for millions of customers).
  const daysSince = perDistinctDate((day) => end - dayNumber(day, "last_purchase"));
  const r = rankScores(Float64Array.from({length: n}, (_, i) => daysSince(lastPurchase(i) as string)), {k, descending: true});
  const f = rankScores(Float64Array.from({length: n}, (_, i) => Number(orders(i))), {k});
  const m = rankScores(Float64Array.from({length: n}, (_, i) => Number(revenue(i))), {k});
  const scaled = rescaleScheme(scheme, k);
  const segments = Array.from({length: n}, (_, i) => segmentOf(scaled, {r_score: r[i], f_score: f[i], m_score: m[i]}));
  // A field some customer holds (region and customer segment, row by row: absent where a profile has none).
  const held = (name: string) => {
    const read = field(name);
    if (read) for (let i = 0; i < n; i++) if (read(i) !== undefined) return read;
    return null;
  };
  const region = held("region"), customerSegment = held("customer_segment");
  const topCategory = extras?.category ? null : held("top_category");
  const partner = extras?.partner_share ? null : held("partner_share");
  const category = extras?.category ? (i: number) => extras.category![i] : topCategory && ((i: number) => (topCategory(i) ?? null) as string | null);
  const partnerShare = extras?.partner_share ? (i: number) => extras.partner_share![i] : partner && ((i: number) => (partner(i) ?? 0) as number);
  const value = (feature: LearnedFeature, i: number): FeatureRow[LearnedFeature] => {
    switch (feature) {
      case "recency":
      case "frequency":
      case "monetary":
      case "T":
        return summaries[feature][i];
      case "r_score":
        return r[i];
      case "f_score":
        return f[i];
      case "m_score":
        return m[i];
      case "rfm_segment":
        return segments[i];
      case "region":
        return region?.(i) as string | null | undefined;
      case "customer_segment":
        return customerSegment?.(i) as string | null | undefined;
      case "category":
        return category ? category(i) : undefined;
      case "partner_share":
        return partnerShare ? partnerShare(i) : undefined;
    }
  };
  return {
    length: n,
    value,
    // The features in their order, each one the row holds (a customer without a region has no region key).
    row(i) {
      const row: Record<string, unknown> = {};
      for (const feature of ROW_ORDER) {
        const v = value(feature, i);
        if (v !== undefined) row[feature] = v;
      }
      return row as FeatureRow;
    }
  };
}

/** The order of a row's features (learnedFeatureTable). */
const ROW_ORDER: readonly LearnedFeature[] = ["recency", "frequency", "monetary", "T", "r_score", "f_score", "m_score", "rfm_segment", "region", "customer_segment", "category", "partner_share"];

/** One FeatureRow per customer (learnedFeatureTable's rows, every one made). */
export function learnedFeatureRows(customers: WireLearnedCustomers, options: {scheme?: SegmentScheme; k?: number} = {}): FeatureRow[] {
  const table = learnedFeatureTable(customers, options);
  return Array.from({length: table.length}, (_, i) => table.row(i));
}

const OPTIONAL: readonly LearnedFeature[] = ["region", "customer_segment", "category", "partner_share"];
const SCORES: readonly LearnedFeature[] = ["r_score", "f_score", "m_score", "rfm_segment"];

/**
 * The features worth training on: the summary's four, the scores and the segment, and each optional column
 * that some row has; minus any that takes a single value in every row (nothing to split on).
 */
export function presentFeatures(rows: FeatureRows): LearnedFeature[] {
  const table = featureTable(rows, "presentFeatures");
  const some = (test: (i: number) => boolean) => {
    for (let i = 0; i < table.length; i++) if (test(i)) return true;
    return false;
  };
  const candidates = [...SUMMARY_FEATURES, ...SCORES, ...OPTIONAL.filter((f) => some((i) => {
    const v = table.value(f, i);
    return v != null && v !== "";
  }))];
  return candidates.filter((f) => {
    const first = table.length ? table.value(f, 0) : undefined;
    return some((i) => table.value(f, i) !== first);
  });
}

/** The profile fields the features read (learnedFeatureTable): what the page sends the worker of each profile. */
export const LEARNED_PROFILE_FIELDS = ["orders", "revenue", "last_purchase", "region", "customer_segment", "top_category", "partner_share"] as const;

/** Only what the features need of customerData()'s result (what the page sends the worker). */
export function learnedCustomers({calibrationEnd, summaries, profiles, extras}: LearnedCustomers): LearnedCustomers {
  const {frequency, recency, T, monetary} = summaries;
  return {
    calibrationEnd,
    summaries: {frequency, recency, T, monetary},
    profiles: profiles.map((profile) => {
      const narrow: Record<string, unknown> = {};
      for (const name of LEARNED_PROFILE_FIELDS) if (profile[name] !== undefined) narrow[name] = profile[name];
      return narrow as LearnedCustomers["profiles"][number];
    }),
    ...(extras ? {extras} : {})
  };
}

/**
 * The features of a customer typed in the what-if form (weeks; recency = tenure − weeks since the last
 * purchase) with the RFM scores and segment whatif.ts's whatIfSegment gives them, and the region and
 * customer segment, top category and partner share of a picked customer (a typed one has none: its
 * indicator columns are all zeros and its partner share 0, as for a customer who buys through no partner).
 */
export function whatIfFeatureRow(
  customer: {frequency: number; tenureWeeks: number; weeksSinceLast: number; monetary: number},
  rfm: {r_score: number; f_score: number; m_score: number; segment: string},
  picked: {region?: string | null; customer_segment?: string | null; top_category?: string | null; partner_share?: number | null} | null = null
): FeatureRow {
  return {
    frequency: customer.frequency,
    recency: Math.max(0, customer.tenureWeeks - customer.weeksSinceLast),
    T: customer.tenureWeeks,
    monetary: customer.monetary,
    r_score: rfm.r_score,
    f_score: rfm.f_score,
    m_score: rfm.m_score,
    rfm_segment: rfm.segment,
    region: picked?.region ?? null,
    customer_segment: picked?.customer_segment ?? null,
    category: picked?.top_category ?? null,
    partner_share: picked?.partner_share ?? 0
  };
}
