/**
 * The page's first chart on screen before the others are drawn. Framework draws every chart of a page in
 * the frame its data arrives in (each `resize` chart renders in a ResizeObserver callback, before that frame
 * is painted), so on a page of five charts the reader sees none until all five are laid out: on the demo's
 * Sales page about 1.3 s of script, style and layout between the last module and the first pixel.
 *
 * `firstChartPainted()` resolves once a chart (an svg in the main column) has been painted, or WAIT_MS
 * after it was first asked without one. `AfterFirstChart(content)` holds a chart below the first one: an
 * empty block until then, the chart after. Once the first chart is painted it resolves at once, so a filter
 * change later draws every chart in one frame, as before.
 */

let painted: Promise<void> | null = null;
/** A page that draws no chart (an error, a notice) lets the held charts go after this long. */
const WAIT_MS = 5000;

/** Resolves after the frame in which the page's first chart appears has been painted. */
export function firstChartPainted(): Promise<void> {
  return (painted ??= new Promise<void>((resolve) => {
    const main = document.getElementById("observablehq-main") ?? document.body;
    const drawn = () => main.querySelector("svg") !== null;
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      observer?.disconnect();
      clearTimeout(timer);
      // The callback of the next frame runs before that frame's paint; the task it queues runs after it.
      requestAnimationFrame(() => setTimeout(resolve, 0));
    };
    const observer = drawn() ? null : new MutationObserver(() => drawn() && start());
    observer?.observe(main, {childList: true, subtree: true});
    const timer = setTimeout(start, WAIT_MS);
    if (!observer) start();
  }));
}

/** `content` (a chart, typically `resize(…)`), appended once the first chart is painted. */
export function AfterFirstChart(content: Node): HTMLElement {
  const holder = document.createElement("div");
  holder.className = "after-first-chart";
  firstChartPainted().then(() => holder.append(content));
  return holder;
}
