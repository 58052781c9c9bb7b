/**
 * The canonical transaction schema and automatic column mapping: which column of an uploaded file holds the
 * customer id, the order date, the amount, and so on. Pure: it looks at header names (and, when given, a few
 * sample rows), never at DuckDB.
 *
 * Header names match case-, space-, underscore- and punctuation-insensitively ("Customer ID", "customer_id"
 * and "CustomerID" are the same name). Each canonical column has a list of synonyms in priority order, then a
 * looser pattern, then (for headerless files and odd names) a guess from sample values.
 */
import {OPTIONAL_COLUMNS, REQUIRED_COLUMNS, type CanonicalColumn} from "../types.js";
import {DataError} from "../errors.js";

/**
 * Where a canonical column comes from: a column of the file, taken as is; a product of two columns (amount =
 * quantity × unit price); or, for cost only, amount minus a profit column (cost = amount − profit).
 */
export type Source = string | {multiply: [string, string]} | {amountMinus: string};

/** Canonical column → source. Required columns may be missing only before validation. */
export type Mapping = {[K in CanonicalColumn]?: Source};

/** User overrides: canonical name (or an alias such as `customer`, `date`, `profit`) → column name. */
export type MappingOverrides = Partial<Record<string, string>>;

export const CANONICAL_COLUMNS: readonly CanonicalColumn[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** Lower case, letters and digits only: "Customer ID", "customer_id" and "CustomerID" all give "customerid". */
export function normalizeName(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Synonyms in priority order, already normalised. */
const SYNONYMS: Record<CanonicalColumn | "profit" | "unit_price", string[]> = {
  customer_id: [
    "customerid", "custid", "customerno", "customernumber", "customernr", "customerkey", "customercode",
    "clientid", "clientno", "clientnumber", "userid", "memberid", "buyerid", "shopperid", "accountid",
    "customer", "client", "user", "member", "buyer", "shopper"
  ],
  order_date: [
    "orderdate", "invoicedate", "transactiondate", "purchasedate", "date", "txndate", "transdate", "saledate",
    "salesdate", "orderdatetime", "invoicedatetime", "transactiondatetime", "purchasedatetime",
    "ordertimestamp", "orderpurchasetimestamp", "purchasetimestamp", "transactiontimestamp", "datetime",
    "timestamp", "createdat", "orderedat", "purchasedat", "orderday", "day"
  ],
  amount: [
    "amount", "sales", "revenue", "total", "dollarvalue", "value", "totalamount", "totalprice", "totalsales",
    "totalrevenue", "totalvalue", "ordervalue", "ordertotal", "orderamount", "salesamount", "saleamount",
    "netsales", "grosssales", "sale", "linetotal", "subtotal", "spend", "monetaryvalue", "monetary", "payment",
    "paymentvalue", "purchaseamount", "transactionamount", "netamount", "grandtotal", "amt", "turnover"
  ],
  quantity: [
    "quantity", "qty", "orderquantity", "quantityordered", "numberofcds", "numberofitems", "numitems", "items",
    "units", "unitssold", "itemcount", "quantitysold"
  ],
  cost: ["cost", "cogs", "costofgoods", "costofgoodssold", "totalcost", "productcost", "costamount", "linecost"],
  profit: ["profit", "grossprofit", "netprofit", "profitamount"],
  unit_price: ["unitprice", "price", "priceeach", "itemprice", "priceperunit", "saleprice", "sellingprice"],
  order_id: [
    "orderid", "invoice", "invoiceno", "invoicenumber", "invoiceid", "ordernumber", "orderno", "ordernr",
    "transactionid", "txnid", "transid", "receiptid", "receiptno", "basketid", "orderreference", "salesorderid",
    "salesorder", "order"
  ],
  region: ["region", "salesregion", "area", "territory", "salesterritory", "geography"],
  province: ["province", "state", "stateprovince", "provincestate", "stateorprovince"],
  partner: ["partner", "partnername", "partnerid", "affiliate", "reseller", "dealer", "channelpartner"],
  offer_type: ["offertype", "offer", "promotiontype", "promotype", "promotion", "promo", "campaigntype", "campaign"],
  category: [
    "category", "productcategory", "categoryname", "productline", "department", "productgroup", "productfamily",
    "maincategory"
  ],
  customer_segment: [
    "customersegment", "segment", "customertype", "customergroup", "customerclass", "customercategory",
    "clienttype", "clientsegment"
  ],
  acquisition_cost: [
    "acquisitioncost", "cac", "customeracquisitioncost", "costofacquisition", "costtoacquire", "acquisitionspend",
    "marketingcost", "adspend"
  ],
  channel: [
    "channel", "acquisitionchannel", "marketingchannel", "saleschannel", "acquisitionsource", "utmsource",
    "leadsource", "referralsource"
  ],
  currency: ["currency", "currencycode", "curr", "ccy", "isocurrency", "currencyiso"]
};

/** Names that identify a customer only by name: used for customer_id when no id column exists. */
const NAME_SYNONYMS = ["customername", "clientname", "buyername", "name", "fullname", "customeremail", "email"];

/** Looser patterns on normalised names, tried after the synonyms. */
const PATTERNS: Partial<Record<keyof typeof SYNONYMS, RegExp>> = {
  customer_id: /^(customer|client|user|member|buyer|shopper|cust)\w*(id|no|number|nr|key|code)$/,
  order_date: /^(?!.*(ship|deliver|due|birth|signup|regist|return|cancel|expir|update|modif)).*(date|time)/,
  amount: /(amount|revenue|sales|total|spend)$/,
  quantity: /(quantity|qty)$/,
  order_id: /^(order|invoice|transaction|receipt)\w*(id|no|number|nr)$/
};

/** Aliases accepted as override keys, besides the canonical names. */
const OVERRIDE_ALIASES: Record<string, string> = {
  customer: "customer_id",
  customerid: "customer_id",
  date: "order_date",
  orderdate: "order_date",
  order: "order_id",
  orderid: "order_id",
  invoice: "order_id",
  offer: "offer_type",
  offertype: "offer_type",
  segment: "customer_segment",
  customersegment: "customer_segment",
  state: "province",
  unitprice: "unit_price",
  price: "unit_price",
  cac: "acquisition_cost",
  acquisitioncost: "acquisition_cost"
};

function isSynthetic(headers: readonly string[]): boolean {
  return headers.length > 0 && headers.every((h) => /^column\d+$/i.test(h));
}

type Kind = "date" | "decimal" | "integer" | "id" | "text" | "empty";

const DATE_LIKE = [
  /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([T ].*)?$/,
  /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/,
  /^\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})( .*)?$/
];

/** What a column's sample values look like: the kind shared by at least 80% of the non-empty values. */
function sampleKind(values: unknown[]): Kind {
  const texts = values
    .filter((v) => v !== null && v !== undefined)
    .map((v) => String(v).trim())
    .filter((v) => v !== "");
  if (texts.length === 0) return "empty";
  const share = (test: (v: string) => boolean) => texts.filter(test).length / texts.length;
  if (share((v) => DATE_LIKE.some((re) => re.test(v))) >= 0.8) return "date";
  if (share((v) => /^\d+$/.test(v)) >= 0.8 && share((v) => /^0\d/.test(v)) >= 0.5) return "id";
  if (share((v) => /^-?\d+$/.test(v)) >= 0.8) return "integer";
  if (share((v) => /^-?[$€£]?\d[\d,]*(\.\d+)?$/.test(v)) >= 0.8 && texts.some((v) => /\.\d/.test(v))) {
    return "decimal";
  }
  return "text";
}

/**
 * Guesses the mapping from header names, and from sample rows (objects keyed by header, as SELECT * gives
 * them) for columns the names do not settle. Every header is used at most once. The result may lack required
 * columns: check it with validateMapping.
 */
export function detectMapping(headers: readonly string[], samples: readonly Record<string, unknown>[] = []): Mapping {
  const used = new Set<string>();
  const normalized = headers.map(normalizeName);
  const take = (index: number) => {
    used.add(headers[index]);
    return headers[index];
  };
  const bySynonyms = (names: readonly string[]): string | undefined => {
    for (const name of names) {
      const index = normalized.findIndex((n, i) => n === name && !used.has(headers[i]));
      if (index >= 0) return take(index);
    }
    return undefined;
  };
  const byPattern = (pattern: RegExp | undefined): string | undefined => {
    if (!pattern) return undefined;
    const index = normalized.findIndex((n, i) => pattern.test(n) && !used.has(headers[i]));
    return index >= 0 ? take(index) : undefined;
  };
  const find = (key: keyof typeof SYNONYMS) => bySynonyms(SYNONYMS[key]) ?? byPattern(PATTERNS[key]);

  const mapping: Mapping = {};
  // Most specific first, so that e.g. "Order ID" is taken as the order id before anything looser sees it.
  const orderId = find("order_id");
  const customer = find("customer_id");
  const date = find("order_date");
  // Before amount and cost: "acquisition spend" is neither the amount nor the cost of goods.
  const acquisitionCost = find("acquisition_cost");
  const quantity = find("quantity");
  const amount = find("amount");
  const cost = find("cost");
  const profit = cost ? undefined : find("profit");
  const unitPrice = amount ? undefined : find("unit_price");
  if (orderId) mapping.order_id = orderId;
  if (acquisitionCost) mapping.acquisition_cost = acquisitionCost;
  if (customer) mapping.customer_id = customer;
  if (date) mapping.order_date = date;
  if (quantity) mapping.quantity = quantity;
  if (amount) mapping.amount = amount;
  else if (quantity && unitPrice) mapping.amount = {multiply: [quantity, unitPrice]};
  if (cost) mapping.cost = cost;
  else if (profit) mapping.cost = {amountMinus: profit};
  for (const key of ["region", "province", "partner", "offer_type", "category", "customer_segment", "channel", "currency"] as const) {
    const column = find(key);
    if (column) mapping[key] = column;
  }
  if (!mapping.customer_id) {
    const name = bySynonyms(NAME_SYNONYMS);
    if (name) mapping.customer_id = name;
  }

  // Sample values settle what names could not (headerless files such as CDNOW_sample.txt).
  if (samples.length > 0 && (!mapping.customer_id || !mapping.order_date || !mapping.amount)) {
    const free = headers.filter((h) => !used.has(h));
    const kinds = new Map(free.map((h) => [h, sampleKind(samples.map((row) => row[h]))]));
    const first = (kind: Kind) => free.find((h) => !used.has(h) && kinds.get(h) === kind);
    const last = (kind: Kind) => [...free].reverse().find((h) => !used.has(h) && kinds.get(h) === kind);
    const claim = (h: string | undefined) => (h === undefined ? undefined : (used.add(h), h));
    if (!mapping.order_date) {
      const h = claim(first("date"));
      if (h) mapping.order_date = h;
    }
    if (!mapping.amount) {
      const h = claim(last("decimal"));
      if (h) mapping.amount = h;
    }
    if (!mapping.customer_id) {
      const h = claim(first("id") ?? first("text") ?? first("integer"));
      if (h) mapping.customer_id = h;
    }
    if (!mapping.quantity && isSynthetic(headers)) {
      const h = claim(first("integer"));
      if (h) mapping.quantity = h;
    }
  }
  return mapping;
}

/** The header a user-typed column name means: exact, else matched loosely (case, spaces and underscores ignored). */
export function resolveColumn(name: string, headers?: readonly string[]): string {
  const trimmed = name.trim();
  if (!headers || headers.includes(trimmed)) return trimmed;
  const target = normalizeName(trimmed);
  return headers.find((h) => normalizeName(h) === target) ?? trimmed;
}

/**
 * Applies user overrides on top of a detected mapping. Keys are canonical names or aliases (`customer`,
 * `date`, `order`, `segment`, `offer`, `state`); two extra keys derive columns: `profit` (cost = amount −
 * profit) and `unit_price` (amount = quantity × unit price). A value `A*B` for amount multiplies two columns;
 * an empty value, `-` or `none` removes an optional column. With headers, names resolve loosely (case, spaces
 * and underscores ignored). Unknown keys throw a DataError("usage"); unknown columns are left for
 * validateMapping to report.
 */
export function applyOverrides(mapping: Mapping, overrides: MappingOverrides = {}, headers?: readonly string[]): Mapping {
  const result: Mapping = {...mapping};
  const canonical = new Set<string>(CANONICAL_COLUMNS);
  for (const [rawKey, rawValue] of Object.entries(overrides)) {
    if (rawValue === undefined) continue;
    const norm = normalizeName(rawKey);
    const key = canonical.has(rawKey) ? rawKey : OVERRIDE_ALIASES[norm] ?? (norm === "profit" ? "profit" : undefined)
      ?? [...canonical].find((c) => normalizeName(c) === norm);
    if (!key) {
      throw new DataError(
        "usage",
        `unknown column role '${rawKey}' (expected one of ${CANONICAL_COLUMNS.join(", ")}, profit, unit_price)`
      );
    }
    const value = rawValue.trim();
    if (value === "" || value === "-" || value.toLowerCase() === "none") {
      if ((REQUIRED_COLUMNS as readonly string[]).includes(key)) {
        throw new DataError("usage", `${key} is required and cannot be unmapped`);
      }
      if (key === "profit") delete result.cost;
      else if (key !== "unit_price") delete result[key as CanonicalColumn];
      continue;
    }
    if (key === "profit") {
      result.cost = {amountMinus: resolveColumn(value, headers)};
    } else if (key === "unit_price") {
      const quantity = typeof result.quantity === "string" ? result.quantity : undefined;
      if (!quantity) throw new DataError("usage", "unit_price needs a quantity column to multiply (set quantity too)");
      result.amount = {multiply: [quantity, resolveColumn(value, headers)]};
    } else if (key === "amount" && value.includes("*") && !(headers ?? []).includes(value)) {
      const [a, b] = value.split("*", 2).map((part) => resolveColumn(part, headers));
      result.amount = {multiply: [a, b]};
    } else {
      result[key as CanonicalColumn] = resolveColumn(value, headers);
    }
  }
  return result;
}

/** The file columns a source reads. */
export function sourceColumns(source: Source | undefined): string[] {
  if (source === undefined) return [];
  if (typeof source === "string") return [source];
  if ("multiply" in source) return [...source.multiply];
  return [source.amountMinus];
}

/** A short human description of a source: `Sales`, `Quantity × UnitPrice`, `amount − Profit`. */
export function describeSource(source: Source): string {
  if (typeof source === "string") return source;
  if ("multiply" in source) return `${source.multiply[0]} × ${source.multiply[1]}`;
  return `amount − ${source.amountMinus}`;
}

/**
 * Checks a mapping against the file's headers. Returns one message per problem (empty when valid), each
 * naming the canonical column and the missing or unknown file column.
 */
export function validateMapping(mapping: Mapping, headers: readonly string[]): string[] {
  const errors: string[] = [];
  const shown = headers.length > 12 ? `${headers.slice(0, 12).join(", ")}, …` : headers.join(", ");
  for (const key of REQUIRED_COLUMNS) {
    if (mapping[key] === undefined) {
      errors.push(`no column found for ${key} (columns: ${shown})`);
    }
  }
  for (const key of CANONICAL_COLUMNS) {
    for (const column of sourceColumns(mapping[key])) {
      if (!headers.includes(column)) {
        errors.push(`${key}: column '${column}' is not in the file (columns: ${shown})`);
      }
    }
  }
  // customer_id, order_date and amount from one column: an editor that fell back to the first column for
  // every required field, or a slip. Every row would be dropped while cleaning; say which column instead.
  const byColumn = new Map<string, string[]>();
  for (const key of REQUIRED_COLUMNS) {
    const source = mapping[key];
    if (typeof source === "string") byColumn.set(source, [...(byColumn.get(source) ?? []), key]);
  }
  for (const [column, keys] of byColumn) {
    if (keys.length > 1) {
      errors.push(`${keys.join(" and ")} all come from the column '${column}': each needs a column of its own (columns: ${shown})`);
    }
  }
  if (mapping.cost !== undefined && typeof mapping.cost !== "string" && !("amountMinus" in mapping.cost)) {
    errors.push("cost: only a column or amount − profit is supported");
  }
  return errors;
}

/** Whether customer_id comes from a name-like column (names are not unique ids: worth a warning). */
export function isNameKey(mapping: Mapping): boolean {
  const source = mapping.customer_id;
  return typeof source === "string" && NAME_SYNONYMS.includes(normalizeName(source));
}
