/**
 * One message, where the models are, for everything that went wrong with the fits of a CLV page: a fit that
 * failed (and what it takes with it), a fit that did not converge or is not identified (with the plain
 * explanation and a button that applies the suggested penalizer). Null when every fit is fine, so the
 * page shows nothing. `Flag` marks a KPI that rests on a fit that is not identified or failed.
 */
import {failed, type FitSummary, type Fitted} from "../workers/protocol.js";
import {fitStatus} from "../lib/clv/kpis.js";

export interface PageFit {
  /** "BG/NBD", "Gamma-Gamma". */
  name: string;
  fit: Fitted<FitSummary<object>>;
  /** What the page cannot show without this fit ("predicted spend and CLV"). */
  needed: string;
  /** What the page still shows when this fit fails ("BG/NBD parameters, P(alive) and expected purchases"). */
  kept?: string;
}

/** The suggested penalizer: 0.01, or ten times the current one when that was not enough. */
export function suggestedPenalizer(current: number): number {
  return current > 0 ? Number((current * 10).toPrecision(2)) : 0.01;
}

export function FitProblems(fits: readonly PageFit[], {penalizer = 0, apply}: {penalizer?: number; apply?: (value: number) => void} = {}): HTMLElement | null {
  const items: HTMLElement[] = [];
  let suggest = false;
  for (const {name, fit, needed, kept} of fits) {
    const item = document.createElement("li");
    const title = document.createElement("b");
    if (failed(fit)) {
      title.textContent = `${name} could not be fitted`;
      item.append(title, `: ${fit.error}. Not available without it: ${needed}.${kept ? ` Still shown: ${kept}.` : ""}`);
    } else if (!fit.identified) {
      // Every fit that did not converge is also not identified; the verdict says which parameter and why.
      title.textContent = `${name} is not identified${fit.converged ? "" : " (the fit did not converge)"}`;
      item.append(title, `: ${fit.identification.replace(/^Not identified: /, "")} Figures from it (${needed}) are marked as not identified.`);
      suggest = true;
    } else continue;
    items.push(item);
  }
  if (!items.length) return null;
  const root = document.createElement("div");
  root.className = "card fit-problems";
  root.id = "fit-problems";
  root.setAttribute("role", "alert");
  root.style.borderLeft = "4px solid var(--theme-red)";
  const list = document.createElement("ul");
  list.style.margin = "0";
  list.append(...items);
  root.append(list);
  if (suggest && apply) {
    const value = suggestedPenalizer(penalizer);
    const p = document.createElement("p");
    p.style.margin = "0.5rem 0 0";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "apply-penalizer";
    button.textContent = `Refit with penalizer ${value}`;
    button.addEventListener("click", () => apply(value));
    p.append(
      `A small penalty on extreme parameters keeps the fit finite and makes it usable: ${penalizer > 0 ? `the current penalizer ${penalizer} was not enough; try ${value}` : `try ${value}`}. `,
      button
    );
    root.append(p);
  }
  return root;
}

/** A small red badge beside a KPI ("not identified", "not available"). */
export function Flag(text: string): HTMLElement {
  const span = document.createElement("span");
  span.className = "fit-flag";
  span.textContent = text;
  Object.assign(span.style, {
    color: "var(--theme-red)",
    border: "1px solid var(--theme-red)",
    borderRadius: "0.6rem",
    padding: "0 0.4rem",
    fontSize: "0.75rem",
    marginLeft: "0.4rem",
    whiteSpace: "nowrap",
    verticalAlign: "middle"
  });
  return span;
}

/** The flag a figure needs given the fits it rests on (null when none). */
export function flagFor(...fits: Fitted<FitSummary<object>>[]): HTMLElement | null {
  const status = fitStatus(...fits);
  return status && Flag(status);
}

/** A penalizer input: a number ≥ 0, default 0 (an L2 penalty on the log-parameters of every fit). */
export function penalizerApply(input: HTMLElement & {value: unknown}): (value: number) => void {
  return (value) => {
    input.value = value;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  };
}
