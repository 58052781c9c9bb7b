/**
 * A status line for work that runs off the page: a spinner and "Fitting BG/NBD on 18,432 customers…" while
 * it runs, then a short muted note of what was done (or the error, in red). Styles are inline so the
 * component needs no stylesheet.
 */
export interface StatusIndicatorElement extends HTMLElement {
  running(message: string): void;
  done(message: string): void;
  failed(message: string): void;
}

const SPIN = [
  {transform: "rotate(0deg)"},
  {transform: "rotate(360deg)"}
];

export function StatusIndicator(message = "Starting…"): StatusIndicatorElement {
  const element = document.createElement("div") as unknown as StatusIndicatorElement;
  element.className = "status-indicator";
  element.setAttribute("role", "status");
  element.setAttribute("aria-live", "polite");
  Object.assign(element.style, {display: "flex", alignItems: "center", gap: "0.6rem", minHeight: "1.6rem", margin: "0.5rem 0", fontSize: "0.9rem"});
  const spinner = document.createElement("span");
  Object.assign(spinner.style, {
    width: "0.95rem",
    height: "0.95rem",
    border: "2px solid var(--theme-foreground-faintest)",
    borderTopColor: "var(--theme-foreground-focus)",
    borderRadius: "50%",
    flex: "none"
  });
  spinner.animate(SPIN, {duration: 900, iterations: Infinity});
  const text = document.createElement("span");
  text.className = "status-text";
  element.append(spinner, text);
  const set = (state: string, value: string, color: string, spinning: boolean) => {
    element.dataset.state = state;
    text.textContent = value;
    text.style.color = color;
    spinner.style.display = spinning ? "" : "none";
  };
  element.running = (value) => set("running", value, "var(--theme-foreground)", true);
  element.done = (value) => set("done", value, "var(--theme-foreground-muted)", false);
  element.failed = (value) => set("error", value, "var(--theme-red)", false);
  element.running(message);
  return element;
}
