import {describe, expect, it} from "vitest";
import {openDuckDB, type NodeDuckDB} from "../../../src/node/duckdb.js";
import {
  favouriteSummary,
  favourites,
  favouritesByRegion,
  favouritesBySegment,
  favouritesSql,
  partnerMonthly,
  topPartners
} from "../../../src/lib/explore/partners.js";
import {superstoreTable} from "./rows.js";


/*
 * Hand-made fixture for the favourite rule (most spend, then most recent purchase, then name):
 *   p: X 10 on 01-05, Y 10 on 01-10            tie on spend, Y is more recent          -> Y
 *   q: X 5 and Y 5, both on 02-01              tie on spend and date, X comes first    -> X
 *   r: X 3 + 4 in January, Y 6 in March        spend beats recency                     -> X
 *   s: Z 0.1 + 0.2, W 0.3, last both on 01-02  0.1 + 0.2 != 0.3 in floating point, still a tie -> W
 *   t: only rows without a partner             no favourite
 *   u: X 2, and 8 without a partner            -> X, 20% of u's spend
 */
async function fixture(): Promise<NodeDuckDB> {
  const db = await openDuckDB();
  await db.run(`CREATE TABLE transactions AS
    SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, partner, offer_type, region
    FROM (VALUES
      ('p', '2024-01-05', 10, 'X', 'gift', 'N'), ('p', '2024-01-10', 10, 'Y', 'sale', 'S'),
      ('q', '2024-02-01', 5, 'X', 'gift', 'N'), ('q', '2024-02-01', 5, 'Y', 'gift', 'N'),
      ('r', '2024-01-01', 3, 'X', 'sale', 'N'), ('r', '2024-01-02', 4, 'X', 'sale', 'N'), ('r', '2024-03-01', 6, 'Y', 'gift', 'S'),
      ('s', '2024-01-01', 0.1, 'Z', 'gift', 'S'), ('s', '2024-01-02', 0.2, 'Z', 'gift', 'S'), ('s', '2024-01-02', 0.3, 'W', 'sale', 'S'),
      ('t', '2024-02-15', 50, NULL, NULL, 'N'),
      ('u', '2024-03-01', 2, 'X', 'gift', 'S'), ('u', '2024-03-01', 8, NULL, 'sale', 'N')
    ) t(customer_id, d, amount, partner, offer_type, region)`);
  return db;
}

describe("topPartners", () => {
  it("ranks partners by revenue with shares of the whole filtered revenue", async () => {
    const db = await fixture();
    const rows = await topPartners(db, {n: 2});
    const total = 103.6;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({rank: 1, partner: "X", revenue: 24, transactions: 5, customers: 4, transaction_share: 5 / 13});
    expect(rows[0].revenue_share).toBe(24 / total);
    expect(rows[1]).toMatchObject({rank: 2, partner: "Y", revenue: 21, transactions: 3, customers: 3, transaction_share: 3 / 13});
    const all = await topPartners(db);
    // Z (0.1 + 0.2) and W (0.3) tie, summed exactly: the name decides.
    expect(all.map((r) => [r.partner, r.revenue])).toEqual([["X", 24], ["Y", 21], ["W", 0.3], ["Z", 0.3]]);
    const north = await topPartners(db, {filters: {region: ["N"]}});
    expect(north.map((r) => [r.partner, r.revenue])).toEqual([["X", 10 + 5 + 3 + 4], ["Y", 5]]);
    await expect(topPartners(db, {n: 0})).rejects.toThrow(/n must be a positive integer, got 0/);
    db.close();
  });

  it("gives the top partners' monthly trend with zeros", async () => {
    const db = await fixture();
    const rows = await partnerMonthly(db, {n: 2});
    expect(rows.map((r) => [r.month, r.partner, r.rank, r.revenue, r.transactions, r.customers])).toEqual([
      ["2024-01", "X", 1, 17, 3, 2],
      ["2024-01", "Y", 2, 10, 1, 1],
      ["2024-02", "X", 1, 5, 1, 1],
      ["2024-02", "Y", 2, 5, 1, 1],
      ["2024-03", "X", 1, 2, 1, 1],
      ["2024-03", "Y", 2, 6, 1, 1]
    ]);
    const north = await partnerMonthly(db, {n: 1, filters: {region: ["N"]}});
    expect(north.map((r) => [r.month, r.partner, r.revenue])).toEqual([["2024-01", "X", 7 + 10], ["2024-02", "X", 5], ["2024-03", "X", 0]]);
    db.close();
  });
});

describe("favourites", () => {
  it("picks the most spent, then the most recent, then the first name", async () => {
    const db = await fixture();
    const rows = await favourites(db);
    expect(rows.map((r) => [r.customer_id, r.favourite])).toEqual([["p", "Y"], ["q", "X"], ["r", "X"], ["s", "W"], ["u", "X"]]);
    expect(rows.find((r) => r.customer_id === "p")).toEqual({
      customer_id: "p", favourite: "Y", spend: 10, total_spend: 20, share: 0.5, last_purchase: "2024-01-10", distinct_values: 2
    });
    expect(rows.find((r) => r.customer_id === "u")).toMatchObject({spend: 2, total_spend: 10, share: 0.2, distinct_values: 1});
    db.close();
  });

  it("works for offer types and under filters", async () => {
    const db = await fixture();
    const offers = await favourites(db, {column: "offer_type"});
    expect(offers.map((r) => [r.customer_id, r.favourite, r.spend])).toEqual([
      ["p", "sale", 10], ["q", "gift", 10], ["r", "sale", 7], ["s", "gift", 0.3], ["u", "sale", 8]
    ]);
    // Before 01-10, p has only bought from X.
    const early = await favourites(db, {filters: {to: "2024-01-09"}});
    expect(early.find((r) => r.customer_id === "p")!.favourite).toBe("X");
    expect(() => favouritesSql({column: "colour" as "partner"})).toThrow(/column must be one of .*got "colour"/);
    db.close();
  });
});

describe("favourite summaries", () => {
  it("spread favourites over the customers' own favourite region", async () => {
    const db = await fixture();
    // Favourite regions: p S (10 each, S later), q N, r N (7 > 6), s S, u N (8 > 2).
    expect(await favouritesByRegion(db)).toEqual([
      {segment: "N", favourite: "X", customers: 3, share: 1},
      {segment: "S", favourite: "W", customers: 1, share: 0.5},
      {segment: "S", favourite: "Y", customers: 1, share: 0.5}
    ]);
    db.close();
  });

  it("join a segment table, customers it lacks in the NULL segment", async () => {
    const db = await fixture();
    await db.run(`CREATE TABLE rfm AS SELECT * FROM (VALUES ('p', 'Champions'), ('q', 'Champions'), ('r', 'At risk'), ('s', 'At risk'))
                  t(customer_id, rfm_segment)`);
    expect(await favouritesBySegment(db, {segments: "rfm", by: "rfm_segment"})).toEqual([
      {segment: "At risk", favourite: "W", customers: 1, share: 0.5},
      {segment: "At risk", favourite: "X", customers: 1, share: 0.5},
      {segment: "Champions", favourite: "X", customers: 1, share: 0.5},
      {segment: "Champions", favourite: "Y", customers: 1, share: 0.5},
      {segment: null, favourite: "X", customers: 1, share: 1}
    ]);
    // A parenthesised subquery works too, with the default column name "segment".
    const offers = await favouriteSummary(db, {column: "offer_type", segments: "(SELECT customer_id, rfm_segment AS segment FROM rfm)"});
    expect(offers.filter((r) => r.segment === "Champions")).toEqual([{segment: "Champions", favourite: "gift", customers: 1, share: 0.5}, {segment: "Champions", favourite: "sale", customers: 1, share: 0.5}]);
    db.close();
  });

  it("return nothing when the table lacks the column", async () => {
    const db = await openDuckDB();
    await db.run(`CREATE TABLE transactions AS SELECT 'a' AS customer_id, DATE '2024-01-01' AS order_date, 1.0 AS amount`);
    expect(await topPartners(db)).toEqual([]);
    expect(await partnerMonthly(db)).toEqual([]);
    expect(await favourites(db, {column: "offer_type"})).toEqual([]);
    expect(await favouritesByRegion(db)).toEqual([]);
    db.close();
  });
});

describe("partners on the Superstore data", () => {
  // Superstore has no partners or offers: product sub-categories and ship modes stand in for them here.
  it("keeps the invariants at scale", async () => {
    const db = await openDuckDB();
    await db.run(superstoreTable());
    const [total] = await db.query<{revenue: number; partners: number}>(
      "SELECT SUM(amount) AS revenue, COUNT(DISTINCT partner) AS partners FROM transactions"
    );
    const all = await topPartners(db, {n: 1000});
    expect(all).toHaveLength(total.partners);
    expect(all.reduce((s, p) => s + p.revenue, 0)).toBeCloseTo(total.revenue, 4);
    expect(all.reduce((s, p) => s + p.revenue_share!, 0)).toBeCloseTo(1, 10);
    const top = await topPartners(db, {n: 5});
    expect(top).toEqual(all.slice(0, 5));
    const trend = await partnerMonthly(db, {n: 5});
    expect(trend).toHaveLength(5 * 48);
    for (const p of top) {
      expect(trend.filter((r) => r.partner === p.partner).reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(p.revenue, 4);
    }

    const favs = await favourites(db);
    expect(favs).toHaveLength(795);
    // The favourite's spend is the customer's largest spend on any one sub-category.
    const maxima = await db.query<{customer_id: string; best: number}>(`
      SELECT customer_id, MAX(spend) AS best FROM (
        SELECT customer_id, partner, SUM(amount) AS spend FROM transactions GROUP BY ALL
      ) GROUP BY customer_id`);
    const best = new Map(maxima.map((r) => [r.customer_id, r.best]));
    for (const f of favs) {
      expect(Math.abs(f.spend - best.get(f.customer_id)!)).toBeLessThan(1e-6);
      expect(f.share!).toBeLessThanOrEqual(1 + 1e-12);
    }
    const byRegion = await favouritesByRegion(db);
    expect(byRegion.reduce((s, r) => s + r.customers, 0)).toBe(795);
    const bySegment = await favouriteSummary(db, {column: "offer_type", by: "customer_segment"});
    expect(bySegment.reduce((s, r) => s + r.customers, 0)).toBe(795);
    expect(new Set(bySegment.map((r) => r.segment)).size).toBe(4);
    db.close();
  });
});
