// `clv fit` and `clv predict` on the full CDNOW master file (23,570 customers, 80 orders of $0.00) and on
// Superstore, whose BG/NBD fit is not identified. The files come from ../shared/data: a missing file fails.
import {describe, expect, it} from "vitest";
import {clv} from "./clv.js";
import {sharedData} from "../datasets.js";

const MASTER = sharedData("cdnow/CDNOW_master.txt");
const SUPERSTORE = sharedData("superstore/SampleSuperstoreSales.csv");

/** Relative difference. */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("CDNOW master", () => {
  const calibration = ["--calibration-end", "1997-09-30", "--unit", "week"];

  it("BG/NBD on all 23,570 customers gives lifetimes' r = 0.2516, α = 4.789, a = 0.7234, b = 2.1611 and is identified", async () => {
    const {code, stdout} = await clv(["fit", MASTER, "--model", "bgnbd", ...calibration, "--json"]);
    expect(code).toBe(0);
    const fit = JSON.parse(stdout);
    expect(fit).toMatchObject({customers: 23570, converged: true, identified: true});
    const lifetimes = {r: 0.2516, alpha: 4.789, a: 0.7234, b: 2.1611};
    for (const [k, v] of Object.entries(lifetimes)) expect(rel(fit.params[k], v), k).toBeLessThan(5e-4);
    expect(typeof fit.logLikelihood).toBe("number");
  });

  it("Gamma-Gamma leaves out the one-time buyers and the repeat customer whose mean spend is $0, and says so", async () => {
    const {code, stdout} = await clv(["fit", MASTER, "--model", "gamma-gamma", ...calibration, "--json"]);
    expect(code).toBe(0);
    const fit = JSON.parse(stdout);
    expect(fit.excluded).toEqual({one_time_buyers: 14119, zero_or_negative_spend: 1, non_finite_spend: 0});
    expect(fit.customers).toBe(23570 - 14119 - 1);
    expect(fit.identified).toBe(true);
    const text = await clv(["fit", MASTER, "--model", "gamma-gamma", ...calibration]);
    expect(text.stdout).toContain("left out: 14,119 one-time buyers (no repeat purchase), 1 repeat customer with a zero or negative mean spend");
  });

  it("clv predict works and gives every customer a finite CLV, the excluded ones the population mean spend", async () => {
    const {code, stdout, stderr} = await clv(["predict", MASTER, ...calibration, "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, number | string>[];
    expect(rows).toHaveLength(23570);
    for (const row of rows) expect(Number.isFinite(row.clv) && Number.isFinite(row.expected_spend)).toBe(true);
    const free = rows.find((r) => r.customer_id === "10244") as Record<string, number>;
    const oneTime = rows.find((r) => r.frequency === 0) as Record<string, number>;
    expect(free.frequency).toBeGreaterThan(0);
    expect(free.monetary).toBe(0);
    expect(free.expected_spend).toBeCloseTo(oneTime.expected_spend, 9);
    // the default margin is the pages' 0.3
    const revenue = JSON.parse((await clv(["predict", MASTER, ...calibration, "--margin", "1", "--json"])).stdout) as Record<string, number>[];
    expect((rows[0].clv as number) / revenue[0].clv).toBeCloseTo(0.3, 12);
  });
});

describe("Superstore", () => {
  it("BG/NBD is reported as not identified (a → 0), with a null log-likelihood only when it did not converge", async () => {
    const {code, stdout} = await clv(["fit", SUPERSTORE, "--model", "bgnbd", "--json"]);
    const fit = JSON.parse(stdout);
    expect(fit.identified).toBe(false);
    expect(fit.identification).toMatch(/a → 0: the data show almost no drop-out/);
    expect(fit.identification).toMatch(/penalizer \(e\.g\. 0\.01\)/);
    expect(fit.params.a).toBeLessThan(1e-4);
    if (fit.converged) expect(code).toBe(0), expect(typeof fit.logLikelihood).toBe("number");
    else expect(code).toBe(1), expect(fit.logLikelihood).toBeNull();
    const penalized = JSON.parse((await clv(["fit", SUPERSTORE, "--model", "bgnbd", "--penalizer", "0.01", "--json"])).stdout);
    expect(penalized).toMatchObject({converged: true, identified: true});
  });

  it("clv predict warns once on stderr", async () => {
    const {code, stderr} = await clv(["predict", SUPERSTORE, "--json"]);
    expect(code).toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^clv: warning: .*bgnbd: Not identified: a → 0/);
  });
});
