import {describe, expect, it} from "vitest";
import {bfgs, minimize} from "../../../src/lib/fit/optimize.js";
import {nelderMead} from "../../../src/lib/fit/neldermead.js";
import {invertSymmetricPositiveDefinite, numericalHessian, numericGradient} from "../../../src/lib/fit/derivatives.js";

/** Rosenbrock function and gradient; minimum 0 at (1, 1, ...). */
function rosenbrock(x: Float64Array, g?: Float64Array): number {
  let f = 0;
  if (g) g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    if (g) {
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
  }
  return f;
}

describe("bfgs", () => {
  it("minimises the Rosenbrock function with an analytic gradient", () => {
    const res = bfgs(rosenbrock, [-1.2, 1], {analyticGradient: true, gradientTolerance: 1e-10});
    expect(res.converged).toBe(true);
    expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(res.x[1] - 1)).toBeLessThan(1e-8);
    expect(res.value).toBeLessThan(1e-16);
    expect(res.gradientNorm).toBeLessThanOrEqual(1e-10);
    expect(res.iterations).toBeLessThan(100);
  });

  it("stops on the predicted decrease when rounding keeps the gradient above its tolerance", () => {
    // A likelihood-like objective: 3 + Σ (x_i - c_i)² / d_i plus a rounding-sized wobble (1e-15 relative)
    // that changes the gradient by about 1e-7, so the gradient test (1e-10) can never be met.
    const c = [0.3, -1.2, 2, 0.7];
    const d = [1, 4, 0.5, 2];
    const f = (x: Float64Array, g?: Float64Array) => {
      let v = 3;
      for (let i = 0; i < 4; i++) {
        const e = x[i] - c[i];
        v += (e * e) / d[i];
        if (g) g[i] = (2 * e) / d[i] + 1e-7 * Math.sin(1e9 * x[i]);
      }
      return v * (1 + 1e-15 * Math.sin(1e10 * (x[0] + x[1] + x[2] + x[3])));
    };
    const strict = bfgs(f, [0, 0, 0, 0], {analyticGradient: true, gradientTolerance: 1e-10, reductionTolerance: 0});
    const res = bfgs(f, [0, 0, 0, 0], {analyticGradient: true, gradientTolerance: 1e-10});
    expect(res.converged).toBe(true);
    expect(res.message).toBe("predicted decrease below tolerance");
    for (let i = 0; i < 4; i++) expect(Math.abs(res.x[i] - c[i])).toBeLessThan(1e-5);
    expect(res.evaluations).toBeLessThan(strict.evaluations);
  });

  it("minimises a 5-d Rosenbrock function with central-difference gradients", () => {
    const res = bfgs((x) => rosenbrock(x), [1.3, 0.7, 0.8, 1.9, 1.2], {gradientTolerance: 1e-7});
    expect(res.converged).toBe(true);
    for (const v of res.x) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
  });

  it("finds the minimum of a quadratic exactly", () => {
    // f = ½ xᵀ A x - bᵀ x with A = [[4, 1], [1, 3]], b = [1, 2]: minimiser A⁻¹ b = [1/11, 7/11]
    const f = (x: Float64Array, g?: Float64Array) => {
      const ax0 = 4 * x[0] + x[1];
      const ax1 = x[0] + 3 * x[1];
      if (g) {
        g[0] = ax0 - 1;
        g[1] = ax1 - 2;
      }
      return 0.5 * (x[0] * ax0 + x[1] * ax1) - x[0] - 2 * x[1];
    };
    const res = bfgs(f, [10, -10], {analyticGradient: true, gradientTolerance: 1e-12});
    // f is flat to rounding within ~1e-8 of the minimum: the line search stops there (converged by design).
    expect(res.converged).toBe(true);
    expect(Math.abs(res.x[0] - 1 / 11)).toBeLessThan(1e-9);
    expect(Math.abs(res.x[1] - 7 / 11)).toBeLessThan(1e-9);
  });

  it("treats NaN values as outside the domain and still converges", () => {
    // f(x) = x - log x on x > 0, NaN elsewhere; minimum at 1. The first step from 5 overshoots below 0.
    const f = (x: Float64Array) => (x[0] > 0 ? x[0] - Math.log(x[0]) : NaN);
    const res = minimize(f, [5], {gradientTolerance: 1e-9});
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
  });

  it("reports failure (not NaN) when the start is outside the domain", () => {
    const res = bfgs(() => NaN, [0, 0]);
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/not finite/);
  });
});

describe("bounded searches", () => {
  // f = exp(-x0) + (x1 - 1)²: the infimum is at x0 → ∞, as when a parameter runs off along a ridge.
  const ridge = (x: Float64Array, g?: Float64Array) => {
    if (g) {
      g[0] = -Math.exp(-x[0]);
      g[1] = 2 * (x[1] - 1);
    }
    return Math.exp(-x[0]) + (x[1] - 1) ** 2;
  };

  it("stops as soon as a coordinate passes the bound, says so, and is not retried", () => {
    const res = minimize(ridge, [0, 0], {analyticGradient: true, bound: 5, gradientTolerance: 1e-30, valueTolerance: 0, reductionTolerance: 0});
    expect(res.converged).toBe(false);
    expect(res.stopped).toBe("bound");
    expect(res.message).toMatch(/ran beyond ±5/);
    expect(Math.abs(res.x[0])).toBeGreaterThan(5);
    expect(res.method).toBe("bfgs");
  });

  it("stops on its iteration budget and on its deadline, and says which", () => {
    const iterations = bfgs(rosenbrock, [-1.2, 1], {analyticGradient: true, maxIterations: 3});
    expect(iterations).toMatchObject({converged: false, stopped: "iterations", iterations: 3});
    const late = minimize(rosenbrock, [-1.2, 1], {analyticGradient: true, deadline: Date.now() - 1});
    expect(late).toMatchObject({converged: false, stopped: "time"});
    expect(late.message).toMatch(/time budget/);
    const nm = nelderMead((x) => rosenbrock(x), [-1.2, 1], {deadline: Date.now() - 1});
    expect(nm.stopped).toBe("time");
  });
});

describe("nelderMead", () => {
  it("minimises the Rosenbrock function without derivatives", () => {
    const res = nelderMead((x) => rosenbrock(x), [-1.2, 1], {maxIterations: 5000, valueTolerance: 1e-16});
    expect(res.converged).toBe(true);
    expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-4);
    expect(Math.abs(res.x[1] - 1)).toBeLessThan(1e-4);
  });
});

describe("derivatives and standard-error helpers", () => {
  const cubic = (x: Float64Array) => x[0] * x[0] * x[1] + Math.exp(x[1]) + 3 * x[0];

  it("numericGradient matches the analytic gradient to 1e-8", () => {
    const x = Float64Array.from([0.7, -0.4]);
    const g = new Float64Array(2);
    numericGradient(cubic, x, g);
    expect(g[0]).toBeCloseTo(2 * 0.7 * -0.4 + 3, 8);
    expect(g[1]).toBeCloseTo(0.49 + Math.exp(-0.4), 8);
  });

  it("numericalHessian matches the analytic Hessian, from values or from a gradient", () => {
    const x = [0.7, -0.4];
    const exact = [2 * -0.4, 2 * 0.7, 2 * 0.7, Math.exp(-0.4)];
    const fromValues = numericalHessian(cubic, x);
    const fromGradient = numericalHessian(cubic, x, {
      gradient: (p, g) => {
        g[0] = 2 * p[0] * p[1] + 3;
        g[1] = p[0] * p[0] + Math.exp(p[1]);
      }
    });
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(fromValues[i] - exact[i])).toBeLessThan(1e-6);
      expect(Math.abs(fromGradient[i] - exact[i])).toBeLessThan(1e-8);
    }
  });

  it("inverts a positive-definite matrix and rejects an indefinite one", () => {
    const A = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
    const inv = invertSymmetricPositiveDefinite(A, 3);
    expect(inv).not.toBeNull();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i * 3 + k] * inv![k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(invertSymmetricPositiveDefinite([1, 2, 2, 1], 2)).toBeNull();
    expect(invertSymmetricPositiveDefinite([NaN, 0, 0, 1], 2)).toBeNull();
  });
});
