import {mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openDuckDB} from "../../src/node/duckdb.js";
import {run, writeReport} from "../../src/cli/commands/report.js";
import {run as runRfm} from "../../src/cli/commands/rfm.js";
import {segmentationToJson} from "../../src/lib/rfm/segmentation.js";
import {SEGMENT_SCHEMES, parseScheme} from "../../src/lib/rfm/schemes.js";
import {sharedData} from "../datasets.js";

const cdnow = () => sharedData("cdnow/cdnow_sample_transactions.csv");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "clv-report-"));
});
afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

const lines = async (path: string) => (await readFile(path, "utf8")).trimEnd().split("\n");

describe("writeReport", () => {
  it("writes the five CSV files from a transactions table", async () => {
    const db = await openDuckDB();
    // a: first 01-31, back 02-01 (M1); b: back in March only; c: one purchase. Data ends 03-31: March complete.
    await db.run(`CREATE TABLE transactions AS
      SELECT customer_id, CAST(d AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, partner, offer_type
      FROM (VALUES
        ('a', '2024-01-31', 10, 'P1', 'gift'), ('a', '2024-02-01', 30, 'P2', 'sale'),
        ('b', '2024-01-02', 20, 'P2', 'sale'), ('b', '2024-03-31', 20, 'P1', 'gift'),
        ('c', '2024-02-10', 5, 'P1', 'gift')
      ) t(customer_id, d, amount, partner, offer_type)`);
    const out = join(dir, "fixture");
    const counts = await writeReport(db, out, {top: 1});
    expect(counts).toEqual({retention: 5, m1: 2, topPartners: 1, favouriteOffers: 3, segments: counts.segments});
    // Three customers on the personas at 5 bins: each segment's customers, revenue and shares add up.
    const segments = (await lines(join(out, "segments.csv"))).map((line) => line.split(","));
    expect(segments[0]).toEqual(["segment", "customers", "share", "revenue", "revenue_share", "recency", "frequency", "monetary"]);
    expect(segments.length - 1).toBe(counts.segments);
    expect(segments.slice(1).reduce((s, r) => s + Number(r[1]), 0)).toBe(3);
    expect(segments.slice(1).reduce((s, r) => s + Number(r[3]), 0)).toBeCloseTo(85, 9);
    expect(segments.slice(1).reduce((s, r) => s + Number(r[4]), 0)).toBeCloseTo(1, 12);
    expect(await lines(join(out, "m1.csv"))).toEqual([
      "cohort,cohort_size,m1_customers,m1_retention",
      "2024-01,2,1,0.5",
      "2024-02,1,0,0.0"
    ]);
    expect(await lines(join(out, "retention.csv"))).toEqual([
      "cohort,months_since_first,cohort_size,active_customers,retention",
      "2024-01,0,2,2,1.0",
      "2024-01,1,2,1,0.5",
      "2024-01,2,2,1,0.5",
      "2024-02,0,1,1,1.0",
      "2024-02,1,1,0,0.0"
    ]);
    // P2 50 and P1 35 of 85.
    expect(await lines(join(out, "top_partners.csv"))).toEqual([
      "rank,partner,revenue,transactions,customers,share",
      `1,P2,50.0,2,2,${50 / 85}`
    ]);
    // a: sale 30 > gift 10; b: gift and sale tie at 20, gift is more recent; c: gift.
    expect(await lines(join(out, "favourite_offers.csv"))).toEqual([
      "customer_id,offer_type,spend,total_spend,share,last_purchase",
      "a,sale,30.0,40.0,0.75,2024-02-01",
      "b,gift,20.0,40.0,0.5,2024-03-31",
      "c,gift,5.0,5.0,1.0,2024-02-10"
    ]);
    db.close();
  });
});

describe("clv report", () => {
  it("reports the CDNOW sample: three cohorts of 2,357 customers", async () => {
    const out = join(dir, "cdnow");
    expect(await run([cdnow(), "--out", out, "--quiet"])).toBe(0);
    const m1 = await lines(join(out, "m1.csv"));
    expect(m1[0]).toBe("cohort,cohort_size,m1_customers,m1_retention");
    const rows = m1.slice(1).map((line) => line.split(","));
    expect(rows.map((r) => r[0])).toEqual(["1997-01", "1997-02", "1997-03"]);
    expect(rows.reduce((s, r) => s + Number(r[1]), 0)).toBe(2357);
    for (const [, size, retained, share] of rows) expect(Number(share)).toBeCloseTo(Number(retained) / Number(size), 12);
    const retention = await lines(join(out, "retention.csv"));
    expect(retention).toHaveLength(1 + 18 + 17 + 16);
    // No partner or offer type in CDNOW: header only.
    expect(await lines(join(out, "top_partners.csv"))).toEqual(["rank,partner,revenue,transactions,customers,share"]);
    expect(await lines(join(out, "favourite_offers.csv"))).toEqual(["customer_id,offer_type,spend,total_spend,share,last_purchase"]);
  });

  it("maps partner and offer columns from the command line", async () => {
    const file = join(dir, "sales.csv");
    await writeFile(
      file,
      ["client,day,total,shop,promo", "a,2024-01-31,10,Shop B,gift", "a,2024-02-01,30,Shop A,sale", "b,2024-01-02,20,Shop A,gift"].join("\n") + "\n"
    );
    const out = join(dir, "mapped");
    expect(await run([file, "--customer", "client", "--date", "day", "--amount", "total", "--partner", "shop", "--offer", "promo", "-o", out, "-q"])).toBe(0);
    expect(await lines(join(out, "top_partners.csv"))).toEqual([
      "rank,partner,revenue,transactions,customers,share",
      "1,Shop A,50.0,2,2,0.8333333333333334",
      "2,Shop B,10.0,1,1,0.16666666666666666"
    ]);
    expect((await lines(join(out, "favourite_offers.csv"))).slice(1)).toEqual(["a,sale,30.0,40.0,0.75,2024-02-01", "b,gift,20.0,20.0,1.0,2024-01-02"]);
  });

  it("segments as the RFM page's segmentation file says, as clv rfm does with it", async () => {
    const edited = parseScheme({name: "mine", k: 5, rules: [{segment: "Recent", r: [4, 5]}, {segment: "Frequent", f: [3, 5]}, {segment: "Others"}]});
    for (const segmentation of [{scheme: "standard", bins: 3, rules: null}, {scheme: "personas5", bins: 5, rules: null}, {scheme: "personas", bins: 4, rules: edited}]) {
      const file = join(dir, `segmentation-${segmentation.scheme}.json`);
      await writeFile(file, segmentationToJson(segmentation));
      const out = join(dir, `segmented-${segmentation.scheme}`);
      expect(await run([cdnow(), "--out", out, "-q", "--segmentation", file])).toBe(0);
      const rows = (await lines(join(out, "segments.csv"))).slice(1).map((line) => line.split(","));
      // The same customers per segment as `clv rfm --segmentation`, in rule order.
      const rfmOut = join(dir, `rfm-${segmentation.scheme}.csv`);
      expect(await runRfm([cdnow(), "--segmentation", file, "--out", rfmOut, "-q"])).toBe(0);
      const perCustomer = (await lines(rfmOut)).slice(1).map((line) => line.split(",").at(-1)!);
      const counts = new Map<string, number>();
      for (const s of perCustomer) counts.set(s, (counts.get(s) ?? 0) + 1);
      expect(rows.map((r) => [r[0], Number(r[1])])).toEqual([...counts].sort((a, b) => order(a[0]) - order(b[0])));
      function order(name: string) {
        return (segmentation.rules ?? SEGMENT_SCHEMES[segmentation.scheme]).rules.findIndex((rule) => rule.segment === name);
      }
      expect(perCustomer).toHaveLength(2357);
    }
    const same = join(dir, "by-flags");
    expect(await run([cdnow(), "--out", same, "-q", "--scheme", "standard", "--bins", "3"])).toBe(0);
    expect(await readFile(join(same, "segments.csv"), "utf8")).toBe(await readFile(join(dir, "segmented-standard", "segments.csv"), "utf8"));
  });

  it("refuses a bad segmentation file, and --segmentation with --scheme", async () => {
    const bad = join(dir, "bad-segmentation.json");
    await writeFile(bad, JSON.stringify({scheme: "gold", bins: 11}));
    await expect(run([cdnow(), "--out", join(dir, "y"), "--segmentation", bad])).rejects.toThrow(/bad-segmentation.json: invalid segmentation:; scheme must be one of personas, personas5, standard, got "gold"; bins: k must be an integer from 2 to 10, got 11/);
    await expect(run([cdnow(), "--out", join(dir, "y"), "--segmentation", bad, "--scheme", "standard"])).rejects.toThrow(/not both/);
    await expect(run([cdnow(), "--out", join(dir, "y"), "--segmentation", join(dir, "nowhere.json")])).rejects.toThrow(/cannot read the segmentation file/);
  });

  it("rejects a missing --out and a bad --top, and prints help", async () => {
    await expect(run([cdnow()])).rejects.toThrow(/missing --out DIR/);
    await expect(run([cdnow(), "--out"])).rejects.toThrow(/--out needs a folder/);
    await expect(run([cdnow(), "--out", join(dir, "x"), "--top", "0"])).rejects.toThrow(/--top must be a positive integer, got '0'/);
    const write = process.stdout.write;
    let text = "";
    process.stdout.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stdout.write;
    try {
      expect(await run(["--help"])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(text).toMatch(/usage: clv report FILE --out DIR/);
    expect(text).not.toMatch(/--out FILE/);
  });
});
