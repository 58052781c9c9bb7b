// Newton's method with a trust region (src/lib/fit/optimize.ts newton) and the fits that take Newton steps from a
// warm start (BG/NBD, MBG/NBD: analytic Hessian).
import {describe, expect, it} from "vitest";
import {newton} from "../../../src/lib/fit/optimize.js";
import {compressSummaries} from "../../../src/lib/fit/compress.js";
import {fitBgNbd, fitTransaction, fitTransactionCompressed} from "../../../src/lib/fit/transaction.js";
import {BG_NBD} from "../../../src/lib/models/bgnbd.js";
import {MBG_NBD} from "../../../src/lib/models/mbgnbd.js";
import {simulateBgNbd} from "../../../src/lib/models/simulate.js";
import {readFixture} from "../../datasets.js";

/** Rosenbrock's function with its exact gradient and Hessian. */
function rosenbrock(x: Float64Array, g?: Float64Array, H?: Float64Array): number {
  const [a, b] = x;
  if (g) {
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
  }
  if (g && H) {
    H[0] = 2 - 400 * (b - 3 * a * a);
    H[1] = H[2] = -400 * a;
    H[3] = 200;
  }
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
}

describe("newton", () => {
  it("finds Rosenbrock's minimum from the classic start and from a saddle-like start (indefinite Hessian)", () => {
    for (const start of [[-1.2, 1], [0, 2], [2, -1]]) {
      const res = newton(rosenbrock, start, {gradientTolerance: 1e-10, fallback: false});
      expect(res.converged, JSON.stringify(start)).toBe(true);
      expect(res.method).toBe("newton");
      expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(res.x[1] - 1)).toBeLessThan(1e-6);
      expect(res.iterations).toBeLessThan(60);
      // the Hessian at the solution comes back with it
      expect(res.hessian![3]).toBe(200);
    }
  });

  it("stops on its deadline, its iteration budget and its bound, and says so", () => {
    expect(newton(rosenbrock, [-1.2, 1], {deadline: 0}).stopped).toBe("time");
    const short = newton(rosenbrock, [-1.2, 1], {maxIterations: 2});
    expect(short.converged).toBe(false);
    expect(short.stopped).toBe("iterations");
    // f = e^x has no minimum: x runs off to -∞
    const runaway = newton(
      (x, g, H) => {
        if (g) g[0] = Math.exp(x[0]);
        if (g && H) H[0] = Math.exp(x[0]);
        return Math.exp(x[0]);
      },
      [0],
      {bound: 10}
    );
    expect(runaway.converged).toBe(false);
    expect(runaway.stopped).toBe("bound");
  });
});

const cdnowRows = readFixture("cdnow/cdnow_customers_summary_with_transactions.csv").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const cdnow = {frequency: cdnowRows.map((r) => r[1]), recency: cdnowRows.map((r) => r[2]), T: cdnowRows.map((r) => r[3])};

describe("fits with Newton steps from a warm start", () => {
  it("BG/NBD on CDNOW: the same maximum as the BFGS fit from the default starts, the published estimates", () => {
    const cold = fitBgNbd(cdnow);
    const warm = fitBgNbd(cdnow, {initial: [{r: 0.3, alpha: 5, a: 0.7, b: 2}]});
    expect(warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    for (const k of BG_NBD.parameters) expect(Math.abs(warm.params[k] / cold.params[k] - 1), k).toBeLessThan(1e-5);
    expect(Math.abs(warm.logLikelihood - cold.logLikelihood)).toBeLessThan(1e-7);
    expect(Math.abs(warm.params.r - 0.243)).toBeLessThan(5e-4);
    expect(Math.abs(warm.params.alpha - 4.414)).toBeLessThan(5e-4);
    expect(Math.abs(warm.params.a - 0.793)).toBeLessThan(5e-4);
    expect(Math.abs(warm.params.b - 2.426)).toBeLessThan(5e-4);
    // standard errors from the analytic Hessian, as lifetimes reports them
    expect(warm.standardErrors!.r).toBeCloseTo(0.0126, 3);
    expect(warm.standardErrors!.alpha).toBeCloseTo(0.378, 2);
    expect(warm.standardErrors!.a).toBeCloseTo(0.186, 2);
    expect(warm.standardErrors!.b).toBeCloseTo(0.706, 2);
    for (const k of BG_NBD.parameters) expect(Math.abs(warm.standardErrors![k] / cold.standardErrors![k] - 1), k).toBeLessThan(1e-3);
  });

  it("MBG/NBD on CDNOW: the same maximum from a warm start, with a penalizer too", () => {
    for (const penalizer of [0, 0.05]) {
      const cold = fitTransaction(MBG_NBD, cdnow, {penalizer});
      const warm = fitTransaction(MBG_NBD, cdnow, {penalizer, initial: [{r: 0.5, alpha: 8, a: 1, b: 3}]});
      expect(warm.converged).toBe(true);
      for (const k of MBG_NBD.parameters) expect(Math.abs(warm.params[k] / cold.params[k] - 1), `${k} penalizer ${penalizer}`).toBeLessThan(1e-4);
      // (with a penalty the penalised likelihood is what both maximise, not the reported one)
      if (penalizer === 0) expect(warm.logLikelihood).toBeGreaterThan(cold.logLikelihood - 1e-6);
    }
  });

  it("a warm start on data without a maximum still ends at the boundary with the identification verdict", () => {
    const sim = simulateBgNbd({r: 1, alpha: 5, a: 0.001, b: 5}, {customers: 2000, T: 52, cohortSpread: 26, seed: 2});
    const fit = fitTransactionCompressed(BG_NBD, compressSummaries(sim), {initial: [{r: 1, alpha: 5, a: 0.5, b: 5}]});
    expect(fit.converged).toBe(false);
    expect(fit.identified).toBe(false);
    expect(fit.message).toMatch(/ran to/);
    expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
  });
});

describe("newton's last step", () => {
  it("is taken on the quadratic model's word once it predicts a decrease below reductionTolerance · |f|", () => {
    // f(x) = e^x - 2x: minimum at log 2, f = 2 - 2 log 2 there
    let evaluations = 0;
    const f = (x: Float64Array, g?: Float64Array, H?: Float64Array) => {
      evaluations++;
      if (g) g[0] = Math.exp(x[0]) - 2;
      if (g && H) H[0] = Math.exp(x[0]);
      return Math.exp(x[0]) - 2 * x[0];
    };
    const res = newton(f, [0.6], {gradientTolerance: 1e-300});
    expect(res.converged).toBe(true);
    expect(res.message).toMatch(/without re-evaluation/);
    expect(res.evaluations).toBe(evaluations);
    expect(res.evaluations).toBe(res.iterations); // the start and every step but the last
    expect(Math.abs(res.x[0] - Math.LN2)).toBeLessThan(1e-15);
    expect(Math.abs(res.value - (2 - 2 * Math.LN2))).toBeLessThan(1e-15);
  });
});
