import {describe, expect, it} from "vitest";
import {applyOverrides, detectMapping, normalizeName, validateMapping} from "../../../src/lib/data/schema.js";
import {DataError} from "../../../src/lib/errors.js";

const SUPERSTORE = [
  "Row ID", "Order ID", "Order Date", "Order Priority", "Order Quantity", "Sales", "Discount", "Ship Mode", "Profit",
  "Unit Price", "Shipping Cost", "Customer Name", "Province", "Region", "Customer Segment", "Product Category",
  "Product Sub-Category", "Product Name", "Product Container", "Product Base Margin", "Ship Date"
];
const ONLINE_RETAIL = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"];

describe("normalizeName", () => {
  it("ignores case, spaces, underscores, punctuation and a BOM", () => {
    for (const name of ["Customer ID", "customer_id", "CustomerID", "CUSTOMER-ID", "\uFEFFcustomer id"]) {
      expect(normalizeName(name)).toBe("customerid");
    }
  });
});

describe("detectMapping", () => {
  it("maps the Superstore columns, with Customer Name as the key and cost = Sales − Profit", () => {
    expect(detectMapping(SUPERSTORE)).toEqual({
      order_id: "Order ID",
      customer_id: "Customer Name",
      order_date: "Order Date",
      quantity: "Order Quantity",
      amount: "Sales",
      cost: {amountMinus: "Profit"},
      region: "Region",
      province: "Province",
      category: "Product Category",
      customer_segment: "Customer Segment"
    });
  });

  it("finds acquisition cost, channel and currency columns, and keeps 'acquisition spend' off amount and cost", () => {
    expect(detectMapping(["Customer ID", "Order Date", "Total", "Acquisition Cost", "Acquisition Channel", "Currency Code"])).toEqual({
      customer_id: "Customer ID",
      order_date: "Order Date",
      amount: "Total",
      acquisition_cost: "Acquisition Cost",
      channel: "Acquisition Channel",
      currency: "Currency Code"
    });
    const mapping = detectMapping(["customer", "date", "acquisition_spend", "price"]);
    expect(mapping.acquisition_cost).toBe("acquisition_spend");
    expect(mapping.amount).toBeUndefined();
    expect(applyOverrides({}, {cac: "CAC", channel: "Source"}, ["CAC", "Source"])).toEqual({acquisition_cost: "CAC", channel: "Source"});
  });

  it("derives amount = Quantity × UnitPrice for Online Retail", () => {
    expect(detectMapping(ONLINE_RETAIL)).toEqual({
      order_id: "InvoiceNo",
      customer_id: "CustomerID",
      order_date: "InvoiceDate",
      quantity: "Quantity",
      amount: {multiply: ["Quantity", "UnitPrice"]}
    });
  });

  it("maps the CDNOW CSV and common synonyms", () => {
    expect(detectMapping(["customer_id", "date", "quantity", "amount"])).toEqual({
      customer_id: "customer_id",
      order_date: "date",
      quantity: "quantity",
      amount: "amount"
    });
    expect(detectMapping(["client", "transaction_date", "revenue", "State", "Partner", "Offer Type", "segment"])).toEqual({
      customer_id: "client",
      order_date: "transaction_date",
      amount: "revenue",
      province: "State",
      partner: "Partner",
      offer_type: "Offer Type",
      customer_segment: "segment"
    });
    expect(detectMapping(["user id", "Order Date", "dollar_value", "Invoice"])).toMatchObject({
      customer_id: "user id",
      order_date: "Order Date",
      amount: "dollar_value",
      order_id: "Invoice"
    });
  });

  it("prefers an id over a name, and Order Date over Ship Date", () => {
    expect(detectMapping(["Ship Date", "Customer Name", "Order Date", "Customer ID", "Total"])).toMatchObject({
      customer_id: "Customer ID",
      order_date: "Order Date",
      amount: "Total"
    });
  });

  it("falls back on looser names", () => {
    expect(detectMapping(["cust_number", "purchase_time", "net_amount"])).toEqual({
      customer_id: "cust_number",
      order_date: "purchase_time",
      amount: "net_amount"
    });
  });

  it("guesses a headerless file from sample values (CDNOW_sample.txt layout)", () => {
    const headers = ["column0", "column1", "column2", "column3", "column4"];
    const samples = [
      ["00004", "0001", "19970101", "2", "29.33"],
      ["00004", "0001", "19970118", "2", "29.73"],
      ["00021", "0002", "19970101", "3", "63.34"],
      ["00021", "0002", "19970113", "1", "11.77"]
    ].map((row) => Object.fromEntries(row.map((v, i) => [headers[i], v])));
    expect(detectMapping(headers, samples)).toEqual({
      order_date: "column2",
      amount: "column4",
      customer_id: "column0",
      quantity: "column3"
    });
  });

  it("leaves required columns out when nothing fits", () => {
    expect(detectMapping(["foo", "bar"])).toEqual({});
  });
});

describe("applyOverrides", () => {
  it("lets overrides win, resolving names loosely against the headers", () => {
    const mapping = applyOverrides(detectMapping(SUPERSTORE), {customer: "row id", amount: "Unit Price"}, SUPERSTORE);
    expect(mapping.customer_id).toBe("Row ID");
    expect(mapping.amount).toBe("Unit Price");
  });

  it("understands products, profit, unit_price and removal", () => {
    const headers = ["c", "d", "q", "p", "margin", "reg"];
    const base = {customer_id: "c", order_date: "d", region: "reg"};
    expect(applyOverrides(base, {amount: "q*p"}, headers).amount).toEqual({multiply: ["q", "p"]});
    expect(applyOverrides(base, {quantity: "q", unit_price: "p"}, headers).amount).toEqual({multiply: ["q", "p"]});
    expect(applyOverrides(base, {profit: "margin"}, headers).cost).toEqual({amountMinus: "margin"});
    expect(applyOverrides(base, {region: "none"}, headers).region).toBeUndefined();
  });

  it("rejects unknown roles and unmapping a required column", () => {
    expect(() => applyOverrides({}, {colour: "x"})).toThrow(DataError);
    expect(() => applyOverrides({}, {colour: "x"})).toThrow(/unknown column role 'colour'/);
    expect(() => applyOverrides({}, {customer: ""})).toThrow(/customer_id is required/);
  });
});

describe("validateMapping", () => {
  it("names the missing canonical column and the unknown file column", () => {
    expect(validateMapping({customer_id: "c", order_date: "d", amount: "a"}, ["c", "d", "a"])).toEqual([]);
    expect(validateMapping({order_date: "d", amount: "a"}, ["x", "d", "a"])).toEqual([
      "no column found for customer_id (columns: x, d, a)"
    ]);
    expect(validateMapping({customer_id: "c", order_date: "d", amount: {multiply: ["q", "Price"]}}, ["c", "d", "q"])).toEqual([
      "amount: column 'Price' is not in the file (columns: c, d, q)"
    ]);
  });

  it("says so when required columns share one column (a text-only file mapped everything to 'name')", () => {
    expect(validateMapping({customer_id: "name", order_date: "name", amount: "name"}, ["name", "city", "note"])).toEqual([
      "customer_id and order_date and amount all come from the column 'name': each needs a column of its own (columns: name, city, note)"
    ]);
    expect(validateMapping({customer_id: "c", order_date: "d", amount: "d"}, ["c", "d"])).toEqual([
      "order_date and amount all come from the column 'd': each needs a column of its own (columns: c, d)"
    ]);
  });
});
