// `clv predict --model learned` on the CDNOW sample (../shared/data): the learned CLV model in the CLI.
import {describe, expect, it} from "vitest";
import {clv} from "./clv.js";
import {sharedData} from "../datasets.js";
import {naiveBaseline, rootMeanSquaredError} from "../../src/lib/clv/validate.js";

const cdnow = () => sharedData("cdnow/cdnow_sample_transactions.csv");
const ARGS = ["--calibration-end", "1997-09-30", "--horizon", "9", "--discount", "0", "--margin", "1"];

describe("clv predict --model learned", () => {
  it("writes the other models' columns, is reproducible with a seed, and beats the naive rate on the holdout", async () => {
    const [a, b, bgnbd] = await Promise.all([
      clv(["predict", cdnow(), "--model", "learned", ...ARGS, "--json"]),
      clv(["predict", cdnow(), "--model", "learned", ...ARGS, "--json"]),
      clv(["predict", cdnow(), ...ARGS, "--json"])
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/learned model trained on \d+ customers \(features at 1997-04-01, spend to 1997-09-30\); features: .*r_score.*rfm_segment/);
    expect(a.stdout).toBe(b.stdout);
    const rows = JSON.parse(a.stdout) as Record<string, number | string | null>[];
    const reference = JSON.parse(bgnbd.stdout) as Record<string, number | string | null>[];
    expect(Object.keys(rows[0])).toEqual(Object.keys(reference[0]));
    expect(rows.map((r) => r.customer_id)).toEqual(reference.map((r) => r.customer_id));
    expect(rows).toHaveLength(2357);
    for (const row of rows) {
      expect(Number.isFinite(row.clv) && (row.clv as number) >= 0).toBe(true);
      for (const column of ["p_alive", "expected_purchases", "expected_spend", "dert", "residual_clv"]) expect(row[column]).toBeNull();
    }
    // No discount: clv is the forest's weekly rate over 9 months; the holdout is the 39 weeks to 1998-06-30.
    const horizonWeeks = (9 * 365.25) / 12 / 7;
    const predicted = rows.map((r) => ((r.clv as number) / horizonWeeks) * 39);
    const actual = rows.map((r) => r.spend_holdout as number);
    const naive = naiveBaseline(
      rows.map((r) => ({frequency: r.frequency as number, monetary: r.monetary as number, T: r.T as number})),
      {holdoutLength: 39}
    );
    expect(rootMeanSquaredError(actual, predicted)).toBeLessThan(rootMeanSquaredError(actual, naive.spend));

    const other = await clv(["predict", cdnow(), "--model", "learned", ...ARGS, "--seed", "7", "--json"]);
    expect(other.code).toBe(0);
    expect(other.stdout).not.toBe(a.stdout);
  }, 600_000);

  it("refuses what it cannot do, naming the option", async () => {
    const unit = await clv(["predict", cdnow(), "--model", "learned", "--unit", "month"]);
    expect(unit.code).toBe(2);
    expect(unit.stderr).toMatch(/--model learned works in weeks/);
    const early = await clv(["predict", cdnow(), "--model", "learned", "--calibration-end", "1997-03-01"]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/trains on the 26 weeks before the calibration end.*choose a calibration end from 1997-07-02/);
  }, 120_000);
});
