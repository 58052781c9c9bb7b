/**
 * Deterministic demo data: a Canadian retail chain that also sells partner offers.
 *
 * Customers arrive between `start` and `arrivalEnd`; the log runs to `end` (a holdout after the last
 * arrival). Each customer's purchasing is a KNOWN BG/NBD process (Fader, Hardie & Lee 2005, "Counting your
 * customers the easy way"), and the value of each purchase a KNOWN Gamma-Gamma process (Fader, Hardie & Lee
 * 2005, "RFM and CLV: using iso-value curves"; Colombo & Jiang 1999), so model fits can be checked against
 * the truth (`DEMO_TRUE_PARAMS`, `demoTrueParams`):
 *
 * - purchase rate λ ~ Gamma(r, alpha) per week (alpha a rate), purchases while alive are Poisson(λ);
 * - dropout probability p ~ Beta(a, b); after each REPEAT purchase the customer drops out with probability p
 *   (the first purchase never ends the relationship, as in the BG/NBD likelihood);
 * - spend rate ν ~ Gamma(q, gamma); each purchase occasion is worth z ~ Gamma(p, ν) (shape p, rate ν).
 *
 * Calendar patterns without breaking the model: the process runs in OPERATIONAL time τ (weeks), and
 * calendar time is τ mapped through a monotone time change Λ⁻¹, where Λ(t) = ∫ m(u) du and the daily
 * intensity m = month weight × weekday weight (December peak, summer dip, busy Fridays and Saturdays).
 * Λ is scaled so the whole window has as many operational weeks as calendar weeks, and the month weights
 * average 1 over a year, so over any full year a customer sees the stated process; within a year purchases
 * bunch where m is high. Order is preserved, so frequency, the last purchase and dropout are untouched;
 * recency and T are distorted by at most the seasonal imbalance of the period (a few percent), which is
 * what a model fitted on calendar time sees in real data too. Arrivals follow the same intensity.
 *
 * Purchase occasion vs order: an occasion is split into two orders on the same day with probability
 * `SPLIT_PROBABILITY` (the amounts add up to z up to cents), so "several orders on one day count once" is
 * exercised; two occasions can also fall on one calendar day (rare: about λ/7 per purchase), which the
 * per-day summary merges, a small known bias towards fewer, larger repeat purchases.
 *
 * Province, region and segment are fixed per customer and independent of the processes (so the mixture
 * parameters hold in every group). Category, partner, offer type and quantity are per order. All draws come
 * from one seeded stream per customer, so the output does not depend on the batch size, and the first N
 * customers of a larger run are the same as a run of N customers.
 */
import type {TimeUnit, Transaction} from "../types.js";
import {DAY_MS, DAYS_PER_MONTH, dayNumber, isoDay} from "../time.js";
import {CATEGORIES, Category, FAVOURITE_CATEGORY_SHARE, MONTH_WEIGHTS, OFFER_TYPES, OFFER_WEIGHTS, PARTNER_OFFER_LEAN, PARTNER_ZIPF_EXPONENT, PARTNERS, Province, PROVINCES, SEGMENT_WEIGHTS, SEGMENTS, SPLIT_PROBABILITY, WEEKDAY_WEIGHTS} from "./demo-catalogue.js";

import {
  beta,
  categorical,
  createRandom,
  cumulativeWeights,
  deriveSeed,
  exponential,
  gamma,
  poisson,
  type Random
} from "./random.js";

/** True parameters of the demo's processes, with time in weeks. */
export const DEMO_TRUE_PARAMS = Object.freeze({
  unit: "week" as TimeUnit,
  /** BG/NBD: λ ~ Gamma(r, alpha) per week, p ~ Beta(a, b). */
  bgnbd: Object.freeze({r: 1.1, alpha: 9.5, a: 0.9, b: 6}),
  /** Gamma-Gamma: ν ~ Gamma(q, gamma), z ~ Gamma(p, ν); mean spend p·gamma/(q-1) ≈ 64. */
  gammaGamma: Object.freeze({p: 4.5, q: 3.8, gamma: 40})
});

export interface DemoTrueParams {
  unit: TimeUnit;
  bgnbd: {r: number; alpha: number; a: number; b: number};
  gammaGamma: {p: number; q: number; gamma: number};
}

/**
 * The true parameters in the given time unit. Only alpha depends on the unit: if λ per week is
 * Gamma(r, alpha), λ per day is Gamma(r, 7·alpha) and λ per month is Gamma(r, alpha·7 / (365.25/12)).
 */
export function demoTrueParams(unit: TimeUnit = "week"): DemoTrueParams {
  const weeksPerUnit = unit === "week" ? 1 : unit === "day" ? 1 / 7 : unit === "month" ? DAYS_PER_MONTH / 7 : NaN;
  if (Number.isNaN(weeksPerUnit)) throw new Error(`demoTrueParams: unknown unit ${JSON.stringify(unit)}`);
  const {r, alpha, a, b} = DEMO_TRUE_PARAMS.bgnbd;
  return {unit, bgnbd: {r, alpha: alpha / weeksPerUnit, a, b}, gammaGamma: {...DEMO_TRUE_PARAMS.gammaGamma}};
}

export interface DemoOptions {
  /** Number of customers (default 20,000, about 150,000 orders). */
  customers?: number;
  seed?: number;
  /** First day of arrivals, YYYY-MM-DD. */
  start?: string;
  /** Last day of arrivals. */
  arrivalEnd?: string;
  /** Last day of the log (the analysis window ends here). */
  end?: string;
}

export interface DemoSettings {
  customers: number;
  seed: number;
  start: string;
  arrivalEnd: string;
  end: string;
}

export const DEMO_DEFAULTS: Readonly<DemoSettings> = Object.freeze({
  customers: 20_000,
  seed: 20250630,
  start: "2022-01-01",
  arrivalEnd: "2024-12-31",
  end: "2025-06-30"
});

/** Expected orders per customer at the default dates (measured; for sizing benchmarks). */
export const ORDERS_PER_CUSTOMER = 7.5;

/** Validates options and fills in defaults. */
export function demoSettings(options: DemoOptions = {}): DemoSettings {
  const settings = {...DEMO_DEFAULTS, ...stripUndefined(options)};
  const {customers, seed, start, arrivalEnd, end} = settings;
  if (!Number.isInteger(customers) || customers < 0 || customers > 100_000_000) {
    throw new Error(`demo: customers must be an integer in [0, 1e8], got ${customers}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`demo: seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const [s, a, e] = [dayNumber(start), dayNumber(arrivalEnd), dayNumber(end)];
  if (!(s <= a && a <= e)) throw new Error(`demo: need start <= arrivalEnd <= end, got ${start}, ${arrivalEnd}, ${end}`);
  return settings;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * One batch of orders in columnar form. Dimensions are codes into the exported lists (PROVINCES, SEGMENTS,
 * CATEGORIES, PARTNERS, OFFER_TYPES); `customer` is the customer index (see `demoCustomerId`) and
 * `orderNumber` the order's number within its customer (see `demoOrderId`). Rows are by customer, then
 * date.
 */
export interface DemoBatch {
  length: number;
  customer: Int32Array;
  orderNumber: Int32Array;
  /** Days since 1970-01-01. */
  day: Int32Array;
  amount: Float64Array;
  cost: Float64Array;
  quantity: Int32Array;
  province: Uint8Array;
  segment: Uint8Array;
  category: Uint8Array;
  partner: Uint8Array;
  offerType: Uint8Array;
}

export function demoCustomerId(index: number): string {
  return `C${String(index + 1).padStart(7, "0")}`;
}

export function demoOrderId(customerIndex: number, orderNumber: number): string {
  return `${demoCustomerId(customerIndex)}-${String(orderNumber).padStart(3, "0")}`;
}

interface Calendar {
  startDay: number;
  /** Λ at the start of each day of the window, in operational weeks; length days + 1. */
  cumulative: Float64Array;
  /** Λ at the end of the arrival period. */
  arrivalEnd: number;
}

function calendar(settings: DemoSettings): Calendar {
  const startDay = dayNumber(settings.start);
  const days = dayNumber(settings.end) - startDay + 1;
  const cumulative = new Float64Array(days + 1);
  for (let i = 0; i < days; i++) {
    const date = new Date((startDay + i) * DAY_MS);
    const weekday = (date.getUTCDay() + 6) % 7;
    cumulative[i + 1] = cumulative[i] + MONTH_WEIGHTS[date.getUTCMonth()] * WEEKDAY_WEIGHTS[weekday];
  }
  const scale = days / 7 / cumulative[days];
  for (let i = 0; i <= days; i++) cumulative[i] *= scale;
  return {startDay, cumulative, arrivalEnd: cumulative[dayNumber(settings.arrivalEnd) - startDay + 1]};
}

/** The day index (from the window start) whose operational interval contains τ. */
function dayOf(cumulative: Float64Array, tau: number): number {
  let lo = 0;
  let hi = cumulative.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (cumulative[mid] <= tau) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const PROVINCE_CDF = cumulativeWeights(PROVINCES.map((p) => p.population));
const SEGMENT_CDF = cumulativeWeights(SEGMENT_WEIGHTS);
const CATEGORY_CDF = cumulativeWeights(CATEGORIES.map((c) => c.weight));
const PARTNER_CDF = cumulativeWeights(PARTNERS.map((_, i) => 1 / Math.pow(i + 1, PARTNER_ZIPF_EXPONENT)));
const OFFER_CDF = cumulativeWeights(OFFER_WEIGHTS);

/** Growable columns for one batch. */
class BatchBuilder {
  length = 0;
  private capacity: number;
  batch: DemoBatch;
  constructor(capacity: number) {
    this.capacity = Math.max(16, capacity);
    this.batch = allocate(this.capacity);
  }
  push(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      const next = allocate(this.capacity);
      for (const key of COLUMN_KEYS) (next[key] as Int32Array).set(this.batch[key] as Int32Array);
      this.batch = next;
    }
    return this.length++;
  }
  finish(): DemoBatch {
    const out = allocate(0);
    for (const key of COLUMN_KEYS) (out as unknown as Record<string, unknown>)[key] = this.batch[key].slice(0, this.length);
    out.length = this.length;
    return out;
  }
}

const COLUMN_KEYS = [
  "customer",
  "orderNumber",
  "day",
  "amount",
  "cost",
  "quantity",
  "province",
  "segment",
  "category",
  "partner",
  "offerType"
] as const;

function allocate(n: number): DemoBatch {
  return {
    length: 0,
    customer: new Int32Array(n),
    orderNumber: new Int32Array(n),
    day: new Int32Array(n),
    amount: new Float64Array(n),
    cost: new Float64Array(n),
    quantity: new Int32Array(n),
    province: new Uint8Array(n),
    segment: new Uint8Array(n),
    category: new Uint8Array(n),
    partner: new Uint8Array(n),
    offerType: new Uint8Array(n)
  };
}

function cents(x: number): number {
  return Math.max(0.01, Math.round(x * 100) / 100);
}

/** Appends one customer's orders to `out`. */
function generateCustomer(index: number, settings: DemoSettings, cal: Calendar, out: BatchBuilder): void {
  const random: Random = createRandom(deriveSeed(settings.seed, index));
  const {r, alpha, a, b} = DEMO_TRUE_PARAMS.bgnbd;
  const gg = DEMO_TRUE_PARAMS.gammaGamma;
  // Fixed per customer.
  const province = categorical(random, PROVINCE_CDF);
  const segment = categorical(random, SEGMENT_CDF);
  const favourite = categorical(random, CATEGORY_CDF);
  const lambda = gamma(random, r, alpha);
  const p = beta(random, a, b);
  const nu = gamma(random, gg.q, gg.gamma);
  // Purchase occasions in operational time.
  const horizon = cal.cumulative[cal.cumulative.length - 1];
  let tau = random() * cal.arrivalEnd;
  let orderNumber = 0;
  for (let occasion = 0; ; occasion++) {
    const day = cal.startDay + dayOf(cal.cumulative, tau);
    const value = gamma(random, gg.p, nu);
    const parts = random() < SPLIT_PROBABILITY ? 2 : 1;
    const share = parts === 2 ? 0.2 + 0.6 * random() : 1;
    for (let part = 0; part < parts; part++) {
      const amount = cents(part === 0 ? value * share : value * (1 - share));
      const category = random() < FAVOURITE_CATEGORY_SHARE ? favourite : categorical(random, CATEGORY_CDF);
      const partner = categorical(random, PARTNER_CDF);
      const offerType =
        random() < PARTNER_OFFER_LEAN ? partner % OFFER_TYPES.length : categorical(random, OFFER_CDF);
      const costShare = CATEGORIES[category].costShare + 0.06 * (random() - 0.5);
      const i = out.push();
      const c = out.batch;
      c.customer[i] = index;
      c.orderNumber[i] = ++orderNumber;
      c.day[i] = day;
      c.amount[i] = amount;
      c.cost[i] = Math.round(amount * costShare * 100) / 100;
      c.quantity[i] = 1 + poisson(random, Math.min(amount / 45, 12));
      c.province[i] = province;
      c.segment[i] = segment;
      c.category[i] = category;
      c.partner[i] = partner;
      c.offerType[i] = offerType;
    }
    // After a repeat purchase the customer drops out with probability p.
    if (occasion > 0 && random() < p) break;
    tau += exponential(random, lambda);
    if (tau >= horizon) break;
  }
}

/**
 * Generates the demo in columnar batches of `batchCustomers` customers (memory stays proportional to the
 * batch, so 1M customers / 10M orders stream fine). The concatenation of the batches does not depend on
 * `batchCustomers`.
 */
export function* demoBatches(options: DemoOptions & {batchCustomers?: number} = {}): Generator<DemoBatch> {
  const {batchCustomers = 10_000, ...rest} = options;
  if (!Number.isInteger(batchCustomers) || batchCustomers < 1) {
    throw new Error(`demo: batchCustomers must be a positive integer, got ${batchCustomers}`);
  }
  const settings = demoSettings(rest);
  const cal = calendar(settings);
  for (let first = 0; first < settings.customers; first += batchCustomers) {
    const last = Math.min(settings.customers, first + batchCustomers);
    const out = new BatchBuilder(Math.ceil((last - first) * ORDERS_PER_CUSTOMER * 1.2));
    for (let i = first; i < last; i++) generateCustomer(i, settings, cal, out);
    yield out.finish();
  }
}

/** Row `i` of a batch as a canonical Transaction. */
export function batchRow(batch: DemoBatch, i: number): Transaction {
  const province = PROVINCES[batch.province[i]];
  return {
    customer_id: demoCustomerId(batch.customer[i]),
    order_date: isoDay(batch.day[i]),
    amount: batch.amount[i],
    order_id: demoOrderId(batch.customer[i], batch.orderNumber[i]),
    quantity: batch.quantity[i],
    cost: batch.cost[i],
    region: province.region,
    province: province.name,
    partner: PARTNERS[batch.partner[i]],
    offer_type: OFFER_TYPES[batch.offerType[i]],
    category: CATEGORIES[batch.category[i]].name,
    customer_segment: SEGMENTS[batch.segment[i]]
  };
}

/** The whole demo as Transaction objects (fine for the default size; use `demoBatches` for millions). */
export function demoTransactions(options: DemoOptions = {}): Transaction[] {
  const rows: Transaction[] = [];
  for (const batch of demoBatches(options)) for (let i = 0; i < batch.length; i++) rows.push(batchRow(batch, i));
  return rows;
}
