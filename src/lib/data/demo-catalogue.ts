/**
 * The demo's fictional Canadian retail chain: its provinces and regions (weighted by 2021 census
 * population), customer segments, product categories, partners and offer types, and the weekday, month and
 * order-splitting patterns of its sales. Data only; demo.ts draws the transactions from it.
 */

export interface Province {
  name: string;
  code: string;
  region: string;
  /** 2021 census population, thousands (rounded): the weight of new customers. */
  population: number;
}

export const PROVINCES: readonly Province[] = [
  {name: "Newfoundland and Labrador", code: "NL", region: "Atlantic", population: 510},
  {name: "Prince Edward Island", code: "PE", region: "Atlantic", population: 154},
  {name: "Nova Scotia", code: "NS", region: "Atlantic", population: 969},
  {name: "New Brunswick", code: "NB", region: "Atlantic", population: 775},
  {name: "Quebec", code: "QC", region: "Quebec", population: 8501},
  {name: "Ontario", code: "ON", region: "Ontario", population: 14223},
  {name: "Manitoba", code: "MB", region: "Prairies", population: 1342},
  {name: "Saskatchewan", code: "SK", region: "Prairies", population: 1132},
  {name: "Alberta", code: "AB", region: "Prairies", population: 4262},
  {name: "British Columbia", code: "BC", region: "West", population: 5000},
  {name: "Yukon", code: "YT", region: "North", population: 40},
  {name: "Northwest Territories", code: "NT", region: "North", population: 41},
  {name: "Nunavut", code: "NU", region: "North", population: 37}
];

export const REGIONS = ["Atlantic", "Quebec", "Ontario", "Prairies", "West", "North"] as const;

export const SEGMENTS = ["Consumer", "Corporate", "Home Office", "Small Business"] as const;
export const SEGMENT_WEIGHTS = [0.52, 0.21, 0.15, 0.12];

export interface Category {
  name: string;
  /** Share of all orders. */
  weight: number;
  /** Cost as a share of the amount (the rest is margin). */
  costShare: number;
}

export const CATEGORIES: readonly Category[] = [
  {name: "Grocery", weight: 0.22, costShare: 0.78},
  {name: "Electronics", weight: 0.12, costShare: 0.8},
  {name: "Home & Kitchen", weight: 0.15, costShare: 0.62},
  {name: "Apparel", weight: 0.13, costShare: 0.55},
  {name: "Health & Beauty", weight: 0.12, costShare: 0.6},
  {name: "Sports & Outdoors", weight: 0.09, costShare: 0.65},
  {name: "Toys & Games", weight: 0.07, costShare: 0.63},
  {name: "Office Supplies", weight: 0.1, costShare: 0.7}
];

/** Fictional partners, most popular first; order share ∝ 1 / rank^PARTNER_ZIPF_EXPONENT. */
export const PARTNERS: readonly string[] = [
  "Maple & Main House Brand",
  "Northern Pine Outfitters",
  "Harbourlight Electronics",
  "Prairie Sky Apparel",
  "Boreal Home Co.",
  "Tidewater Health",
  "Granite Peak Sports",
  "Aurora Toyworks",
  "Laurentian Office Supply",
  "Cedar Hollow Kitchen",
  "Fundy Roast Coffee",
  "Polar Star Pet Supply",
  "Red River Books",
  "Chinook Cycles",
  "Bluenose Seafoods",
  "Lakeland Candle Works",
  "Okanagan Orchard Box",
  "Fromagerie du Fleuve",
  "Klondike Trail Gear",
  "Rideau Stationers",
  "Cabot Coast Crafts",
  "Georgian Garden Supply",
  "Fraser Valley Farms",
  "Thunder Bay Tool Co.",
  "Escarpment Wine Club",
  "Caribou Kids",
  "Coastal Range Wellness",
  "Tundra Tech",
  "Lunenburg Linens",
  "Gatineau Games",
  "Assiniboine Audio",
  "Hudson Hearth",
  "Snowbird Yarn",
  "Kootenay Kitchens",
  "Athabasca Athletics",
  "Bonavista Bakeware"
];
export const PARTNER_ZIPF_EXPONENT = 1.1;

export const OFFER_TYPES = ["Bundle", "Discount", "Subscription", "Loyalty Points", "Free Shipping", "Gift Card"] as const;
export const OFFER_WEIGHTS = [0.2, 0.3, 0.12, 0.18, 0.12, 0.08];
/** Each partner leans on one offer type (partner i: OFFER_TYPES[i mod 6]) for this share of its orders. */
export const PARTNER_OFFER_LEAN = 0.5;

/** Relative daily intensity by weekday, Monday first (ISO). */
export const WEEKDAY_WEIGHTS = [0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 0.95] as const;
/** Relative daily intensity by month, January first: summer dip, November–December peak. Mean 1. */
export const MONTH_WEIGHTS = [0.88, 0.86, 0.95, 1.0, 1.02, 0.92, 0.8, 0.84, 1.0, 1.04, 1.19, 1.5] as const;

/** Probability that a purchase occasion is recorded as two orders on the same day. */
export const SPLIT_PROBABILITY = 0.1;
/** Probability that an order is in the customer's favourite category (otherwise by overall weights). */
export const FAVOURITE_CATEGORY_SHARE = 0.45;
