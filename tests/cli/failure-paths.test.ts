import {describe, expect, it} from "vitest";
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {clv} from "./clv.js";

// The CLI edges of the failure-paths issue, on the seeded fixtures of tests/fixtures/failure-paths.
const FIXTURES = fileURLToPath(new URL("../fixtures/failure-paths/", import.meta.url));
const HEAVY = `${FIXTURES}heavy-buyer.csv`;

function scratch<T>(action: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "clv-failure-"));
  return action(dir).finally(() => rmSync(dir, {recursive: true, force: true}));
}

describe("clv output paths", () => {
  it("refuses --out equal to its input (also spelled differently) and leaves the input as it was", () =>
    scratch(async (dir) => {
      const input = join(dir, "copy.csv");
      copyFileSync(HEAVY, input);
      const before = readFileSync(input, "utf8");
      const same = await clv(["rfm", input, "--out", input]);
      expect(same.code).toBe(2);
      expect(same.stderr).toBe(`clv: --out ${input} is the input ${input}: writing there would overwrite it; choose another name\n`);
      const other = await clv(["summary", input, "--out", join(dir, ".", "..", dir.split("/").pop()!, "copy.csv")]);
      expect(other.code).toBe(2);
      expect(readFileSync(input, "utf8")).toBe(before);
      const report = join(dir, "report");
      mkdirSync(report);
      copyFileSync(HEAVY, join(report, "retention.csv"));
      const into = await clv(["report", join(report, "retention.csv"), "--out", report]);
      expect(into.code).toBe(2);
      expect(into.stderr).toMatch(/^clv: --out .*retention\.csv is the input .*: writing there would overwrite it; choose another name\n$/);
    }));

  it("a missing folder, a folder in the way and a file in the way: exit 2, one line each", () =>
    scratch(async (dir) => {
      const missing = await clv(["rfm", HEAVY, "--out", join(dir, "missing", "x.csv")]);
      expect(missing).toMatchObject({code: 2, stderr: `clv: cannot write ${join(dir, "missing", "x.csv")}: the folder ${join(dir, "missing")} does not exist\n`});
      mkdirSync(join(dir, "folder.csv"));
      const folder = await clv(["rfm", HEAVY, "--out", join(dir, "folder.csv")]);
      expect(folder).toMatchObject({code: 2, stderr: `clv: cannot write ${join(dir, "folder.csv")}: it is a folder\n`});
      writeFileSync(join(dir, "file"), "x");
      const file = await clv(["report", HEAVY, "--out", join(dir, "file")]);
      expect(file).toMatchObject({code: 2, stderr: `clv: --out ${join(dir, "file")} is a file, not a folder\n`});
      // An existing report folder is written again (it was EEXIST).
      expect((await clv(["report", HEAVY, "--out", join(dir, "r"), "--quiet"])).code).toBe(0);
      expect((await clv(["report", HEAVY, "--out", join(dir, "r"), "--quiet"])).code).toBe(0);
    }));
});

describe("clv option values", () => {
  it("a negative number is read as the option's value, and the option says what is wrong with it", async () => {
    const horizon = await clv(["predict", HEAVY, "--horizon", "-5"]);
    expect(horizon).toMatchObject({code: 2, stderr: "clv: --horizon must be a whole number of months from 1 to 600, got '-5'\n"});
    const penalizer = await clv(["fit", HEAVY, "--model", "bgnbd", "--penalizer", "-0.5"]);
    expect(penalizer).toMatchObject({code: 2, stderr: "clv: --penalizer must be a number >= 0, got '-0.5'\n"});
  });

  it("refuses a calibration end outside the data", async () => {
    const late = await clv(["fit", HEAVY, "--model", "bgnbd", "--calibration-end", "2099-01-01"]);
    expect(late).toMatchObject({code: 2, stderr: "clv: --calibration-end 2099-01-01 is after the last order in heavy-buyer.csv (2024-12-19): choose a date from 2023-01-01 to 2024-12-19\n"});
    const early = await clv(["predict", HEAVY, "--calibration-end", "2000-01-01"]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/is before the first order in heavy-buyer\.csv \(2023-01-01\)/);
  });
});

describe("clv fit on the failure-path fixtures", () => {
  it("40 customers × 5 purchases on random dates: Pareto/NBD ends (it ran 626 s), not converged, log-likelihood null", async () => {
    const {code, stdout, stderr} = await clv(["fit", `${FIXTURES}random-40x5.csv`, "--model", "pareto-nbd", "--json"]);
    expect(code).toBe(1);
    const fit = JSON.parse(stdout);
    expect(fit).toMatchObject({converged: false, identified: false, logLikelihood: null, customers: 40});
    expect(stderr).toMatch(/^clv: pareto-nbd did not converge: parameter \w+ ran to (0|∞)/);
  });

  it("nobody churns: BG/NBD says which parameter ran off, null log-likelihood; with a penalizer it converges", async () => {
    const free = await clv(["fit", `${FIXTURES}no-churn.csv`, "--model", "bgnbd", "--json"]);
    expect(free.code).toBe(1);
    expect(JSON.parse(free.stdout)).toMatchObject({converged: false, logLikelihood: null, customers: 400});
    const penalized = await clv(["fit", `${FIXTURES}no-churn.csv`, "--model", "bgnbd", "--penalizer", "0.01", "--json"]);
    expect(penalized.code).toBe(0);
    expect(JSON.parse(penalized.stdout).converged).toBe(true);
  });

  it("a summary row whose monetary is NaN is counted as left out, not dropped silently", async () => {
    const {stdout} = await clv(["fit", "--summary", `${FIXTURES}summary-nan-monetary.csv`, "--model", "gamma-gamma", "--json"]);
    expect(JSON.parse(stdout).excluded).toEqual({one_time_buyers: 1, zero_or_negative_spend: 0, non_finite_spend: 1});
  });
});
