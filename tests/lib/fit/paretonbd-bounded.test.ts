import {describe, expect, it} from "vitest";
import {fitTransaction} from "../../../src/lib/fit/transaction.js";
import {PARETO_NBD} from "../../../src/lib/models/paretonbd.js";
import {countedModel} from "./counted.js";
import {simulateParetoNbd} from "../../../src/lib/models/simulate.js";
import {createRandom} from "../../../src/lib/data/random.js";
import type {SummaryInput} from "../../../src/lib/fit/columns.js";

/**
 * Issue 15's slow Pareto/NBD fits, seeded: 40 customers with 5 purchases each on random days of a year (626 s in
 * the CLI before, not converged), and one very heavy buyer among ordinary ones (44 s). The likelihood of the
 * first has no maximum (a parameter runs off); both are bounded here by the objective's evaluations, not by time.
 * With the gradient by central differences (8 likelihoods per step, steps misled by difference noise along the
 * ridge where a parameter runs off) these took up to 56 steps and 7.7 s before this change; with the analytic
 * gradient and Hessian (paretonbd.ts) some 20 steps (40 for the heavy buyer whose β runs off), at most about 90
 * evaluations.
 */
function randomDates(customers: number, purchases: number, seed: number): SummaryInput {
  const random = createRandom(seed);
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  for (let i = 0; i < customers; i++) {
    const days = Array.from({length: purchases}, () => Math.floor(random() * 365)).sort((a, b) => a - b);
    frequency.push(new Set(days).size - 1);
    recency.push((days[days.length - 1] - days[0]) / 7);
    T.push((365 - days[0]) / 7);
  }
  return {frequency, recency, T};
}

function heavyBuyer(seed: number): SummaryInput {
  const sim = simulateParetoNbd({r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67}, {customers: 200, T: 52, seed});
  return {frequency: [...sim.frequency, 400], recency: [...sim.recency, 51], T: [...sim.T, 52]};
}

/** The fit, with the number of times it evaluated the likelihood (value, gradient and Hessian alike). */
function countedFit(data: SummaryInput) {
  let evaluations = 0;
  const counted = countedModel(PARETO_NBD, () => evaluations++);
  const fit = fitTransaction(counted, data, {timeBudget: 600});
  return {fit, evaluations};
}

describe("Pareto/NBD fits that were slow end in few evaluations", () => {
  it("40 customers × 5 purchases on random dates: a parameter runs off, said at once", () => {
    for (const seed of [1, 2, 3]) {
      const {fit, evaluations} = countedFit(randomDates(40, 5, seed));
      expect(fit.converged).toBe(false);
      expect(fit.stoppedEarly).toBeNull();
      expect(fit.message).toMatch(/ran to (0|∞)/);
      expect(fit.iterations).toBeLessThan(60);
      expect(evaluations).toBeLessThan(150);
    }
  });

  it("one very heavy buyer among 200 ordinary customers: converges, or a parameter runs off, in few evaluations", () => {
    for (const seed of [1, 2, 3]) {
      const {fit, evaluations} = countedFit(heavyBuyer(seed));
      expect(fit.stoppedEarly).toBeNull();
      if (!fit.converged) expect(fit.message).toMatch(/ran to (0|∞)/);
      else expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
      expect(fit.iterations).toBeLessThan(60);
      expect(evaluations).toBeLessThan(150);
    }
  });
});
