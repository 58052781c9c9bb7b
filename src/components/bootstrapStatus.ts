/**
 * The status of the bootstrap intervals: a progress bar with "Refitting on resampled customers: 37 of 100…"
 * while the worker refits, then a short muted note of what the intervals rest on (or the error, in red).
 * `data-state` is running, done or error, as on StatusIndicator.
 */
export interface BootstrapStatusElement extends HTMLElement {
  progress(message: string, done?: number, total?: number): void;
  done(message: string): void;
  failed(message: string): void;
}

export function BootstrapStatus(message = "Waiting for the fit…"): BootstrapStatusElement {
  const element = document.createElement("div") as unknown as BootstrapStatusElement;
  element.className = "bootstrap-status";
  element.setAttribute("role", "status");
  element.setAttribute("aria-live", "polite");
  Object.assign(element.style, {display: "flex", alignItems: "center", gap: "0.6rem", minHeight: "1.6rem", margin: "0.25rem 0", fontSize: "0.85rem"});
  const bar = document.createElement("progress");
  Object.assign(bar.style, {width: "10rem", flex: "none"});
  const text = document.createElement("span");
  text.className = "bootstrap-text";
  element.append(bar, text);
  const set = (state: string, value: string, color: string) => {
    element.dataset.state = state;
    text.textContent = value;
    text.style.color = color;
    bar.style.display = state === "running" ? "" : "none";
  };
  element.progress = (value, done, total) => {
    if (done !== undefined && total) {
      bar.max = total;
      bar.value = done;
    } else bar.removeAttribute("value"); // indeterminate
    set("running", value, "var(--theme-foreground)");
  };
  element.done = (value) => set("done", value, "var(--theme-foreground-muted)");
  element.failed = (value) => set("error", value, "var(--theme-red)");
  element.progress(message);
  return element;
}
