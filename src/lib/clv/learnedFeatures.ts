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
import {SUMMARY_FEATURES, type FeatureRow, type LearnedFeature} from "./learnedModel.js";
import type {CustomerProfile} from "./profiles.js";
import {PERSONAS} from "../rfm/schemes.js";
import {rescaleScheme, segmentOf, type SegmentScheme} from "../rfm/rules.js";
import {dayNumber, nextDay} from "../time.js";

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

/** One FeatureRow per customer (see the module comment). */
export function learnedFeatureRows({calibrationEnd, summaries, profiles, extras}: LearnedCustomers, {scheme = PERSONAS, k = 5}: {scheme?: SegmentScheme; k?: number} = {}): FeatureRow[] {
  const n = summaries.frequency.length;
  if (profiles.length !== n) throw new Error(`learned features: ${profiles.length} profiles for ${n} summaries`);
  for (const [name, values] of Object.entries(extras ?? {})) {
    if (values && values.length !== n) throw new Error(`learned features: ${values.length} values of ${name} for ${n} customers`);
  }
  const end = dayNumber(nextDay(calibrationEnd), "calibrationEnd");
  const r = rankScores(profiles.map((p) => end - dayNumber(p.last_purchase, "last_purchase")), {k, descending: true});
  const f = rankScores(profiles.map((p) => Number(p.orders)), {k});
  const m = rankScores(profiles.map((p) => Number(p.revenue)), {k});
  const scaled = rescaleScheme(scheme, k);
  const category = extras?.category ?? (profiles.some((p) => p.top_category !== undefined) ? profiles.map((p) => p.top_category ?? null) : undefined);
  const partnerShare = extras?.partner_share ?? (profiles.some((p) => p.partner_share !== undefined) ? profiles.map((p) => p.partner_share ?? 0) : undefined);
  return profiles.map((p, i) => {
    const row: FeatureRow = {
      recency: summaries.recency[i],
      frequency: summaries.frequency[i],
      monetary: summaries.monetary[i],
      T: summaries.T[i],
      r_score: r[i],
      f_score: f[i],
      m_score: m[i],
      rfm_segment: segmentOf(scaled, {r_score: r[i], f_score: f[i], m_score: m[i]})
    };
    if (p.region !== undefined) row.region = p.region;
    if (p.customer_segment !== undefined) row.customer_segment = p.customer_segment;
    if (category) row.category = category[i];
    if (partnerShare) row.partner_share = partnerShare[i];
    return row;
  });
}

const OPTIONAL: readonly LearnedFeature[] = ["region", "customer_segment", "category", "partner_share"];
const SCORES: readonly LearnedFeature[] = ["r_score", "f_score", "m_score", "rfm_segment"];

/**
 * The features worth training on: the summary's four, the scores and the segment, and each optional column
 * that some row has; minus any that takes a single value in every row (nothing to split on).
 */
export function presentFeatures(rows: readonly FeatureRow[]): LearnedFeature[] {
  const candidates = [...SUMMARY_FEATURES, ...SCORES, ...OPTIONAL.filter((f) => rows.some((r) => r[f as keyof FeatureRow] != null && r[f as keyof FeatureRow] !== ""))];
  return candidates.filter((f) => {
    const first = rows[0]?.[f as keyof FeatureRow];
    return rows.some((r) => r[f as keyof FeatureRow] !== first);
  });
}

/** Only what the features need of customerData()'s result (what the page sends the worker). */
export function learnedCustomers({calibrationEnd, summaries, profiles, extras}: LearnedCustomers): LearnedCustomers {
  const {frequency, recency, T, monetary} = summaries;
  return {
    calibrationEnd,
    summaries: {frequency, recency, T, monetary},
    profiles: profiles.map(({orders, revenue, last_purchase, region, customer_segment, top_category, partner_share}) => ({
      orders,
      revenue,
      last_purchase,
      ...(region !== undefined ? {region} : {}),
      ...(customer_segment !== undefined ? {customer_segment} : {}),
      ...(top_category !== undefined ? {top_category} : {}),
      ...(partner_share !== undefined ? {partner_share} : {})
    })),
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
