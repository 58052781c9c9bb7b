/**
 * Fitted parameters with standard errors, log-likelihood and convergence, one block per model. A fit that did
 * not converge says so in red, with the optimiser's message; a missing standard error (Hessian not positive
 * definite) reads "n/a".
 */
import {failed, type FitSummary, type Fitted} from "../workers/protocol.js";
import {fmt} from "./settings.js";

export interface NamedFit {
  name: string;
  fit: Fitted<FitSummary<object>>;
  /** Parameter names as in the paper, in order. */
  names: string[];
  /** True values, when known (the demo data), shown in a column of their own. */
  truth?: Record<string, number> | null;
  note?: string;
}

export function FitParameters(fits: readonly NamedFit[]): HTMLElement {
  const root = document.createElement("div");
  root.className = "fit-parameters";
  for (const {name, fit, names, truth, note} of fits) {
    const block = document.createElement("div");
    block.style.marginBottom = "0.75rem";
    const title = document.createElement("h3");
    title.textContent = name;
    title.style.margin = "0.25rem 0";
    if (failed(fit)) {
      const error = document.createElement("p");
      error.className = "fit-failed";
      Object.assign(error.style, {margin: "0.25rem 0", fontSize: "0.85rem", color: "var(--theme-red)"});
      error.textContent = `Could not be fitted: ${fit.error}`;
      block.append(title, error);
      root.append(block);
      continue;
    }
    const table = document.createElement("table");
    table.style.maxWidth = "28rem";
    const head = table.createTHead().insertRow();
    for (const label of ["Parameter", "Estimate", "Std. error", ...(truth ? ["True value"] : [])]) {
      const th = document.createElement("th");
      th.textContent = label;
      head.append(th);
    }
    const body = table.createTBody();
    const params = fit.params as Record<string, number>;
    const errors = fit.standardErrors as Record<string, number> | null;
    for (const key of names) {
      const row = body.insertRow();
      const cells = [key, fmt.decimal(params[key], 4), errors ? fmt.decimal(errors[key], 3) : "n/a", ...(truth ? [fmt.decimal(truth[key], 4)] : [])];
      cells.forEach((text, i) => {
        const td = row.insertCell();
        td.textContent = text;
        if (i > 0) td.style.textAlign = "right";
      });
    }
    const status = document.createElement("p");
    Object.assign(status.style, {margin: "0.25rem 0", fontSize: "0.85rem"});
    status.className = fit.converged ? "muted fit-converged" : "fit-not-converged";
    status.textContent = fit.converged
      ? `Converged in ${fit.iterations} iterations · log-likelihood ${fmt.integer(fit.logLikelihood)} · ${fmt.integer(fit.customers)} customers · ${(fit.ms / 1000).toFixed(1)} s`
      : `Did not converge after ${fit.iterations} iterations (${fit.message}): treat these parameters and every prediction from them with caution.`;
    if (!fit.converged) status.style.color = "var(--theme-red)";
    block.append(title, table, status);
    if (fit.converged && !fit.identified) {
      const verdict = document.createElement("p");
      verdict.className = "fit-not-identified";
      Object.assign(verdict.style, {margin: "0.25rem 0", fontSize: "0.85rem", color: "var(--theme-red)"});
      verdict.textContent = fit.identification;
      block.append(verdict);
    }
    if (note) {
      const p = document.createElement("p");
      p.className = "muted";
      Object.assign(p.style, {margin: "0", fontSize: "0.85rem"});
      p.textContent = note;
      block.append(p);
    }
    root.append(block);
  }
  return root;
}
