/**
 * The identification verdict of a fit: whether the data pin the parameters down, and if not, which parameter
 * ran off and what that says about the data, in the words of the model's own `meanings`.
 */
import type {Direction, ParameterMeanings} from "../models/spec.js";
import {SUGGESTED_PENALIZER, type EngineResult, type FitOptions} from "./engine.js";

/** |log θ| (rescaled problem) beyond which a parameter is taken to be running off towards 0 or ∞. */
const IDENTIFICATION_BOUNDARY = Math.log(1e4);
/** Largest standard error, as a multiple of its estimate (se of log θ), of an identified parameter. */
const IDENTIFICATION_SE_RATIO = 100;

const GREEK: Record<string, string> = {alpha: "α", beta: "β", gamma: "γ"};

/**
 * The identification verdict of a fit: not identified when it did not converge, when a log-parameter of the
 * rescaled problem is beyond ±log 1e4 (running off towards 0 or ∞), when a standard error is more than 100×
 * its estimate, or when the Hessian is not positive definite (a flat likelihood).
 */
export function identify(
  meanings: ParameterMeanings,
  names: string[],
  res: Pick<EngineResult, "theta" | "converged" | "covariance" | "message">,
  {standardErrors = true, penalizer = 0}: FitOptions
): {identified: boolean; identification: string} {
  const advice = penalizer > 0 ? `; try a larger penalizer than ${penalizer}` : `; a penalizer (e.g. ${SUGGESTED_PENALIZER}) keeps the parameters finite`;
  const label = (k: string) => GREEK[k] ?? k;
  let worst = -1;
  for (let i = 0; i < names.length; i++) {
    if (Math.abs(res.theta[i]) > IDENTIFICATION_BOUNDARY && (worst < 0 || Math.abs(res.theta[i]) > Math.abs(res.theta[worst]))) worst = i;
  }
  if (worst >= 0) {
    const direction: Direction = res.theta[worst] > 0 ? "∞" : "0";
    const name = names[worst];
    const meaning = meanings[name]?.[direction] ?? `the data do not pin ${label(name)} down`;
    return {identified: false, identification: `Not identified: ${label(name)} → ${direction}: ${meaning}${advice}.`};
  }
  if (!res.converged) return {identified: false, identification: `Not identified: the fit did not converge (${res.message})${advice}.`};
  if (standardErrors) {
    if (!res.covariance) {
      return {identified: false, identification: `Not identified: the likelihood is flat around the estimate (its curvature is not positive definite), so the data cannot pin the parameters down${advice}.`};
    }
    const n = names.length;
    let ratio = 0;
    let which = -1;
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(res.covariance[i * n + i]);
      if (!(r <= IDENTIFICATION_SE_RATIO) && (which < 0 || !(r <= ratio))) {
        ratio = r;
        which = i;
      }
    }
    if (which >= 0) {
      const times = Number.isFinite(ratio) ? `${Math.round(ratio).toLocaleString("en-US")}×` : "infinitely";
      return {
        identified: false,
        identification: `Not identified: the standard error of ${label(names[which])} is ${times} its estimate: the likelihood is nearly flat along ${label(names[which])}, so the data cannot pin it down${advice}.`
      };
    }
  }
  return {identified: true, identification: "Identified: every parameter is well away from 0 and ∞ and pinned down by the data."};
}
