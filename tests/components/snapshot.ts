/**
 * SVG snapshot tests of the chart components, as Observable Plot's own test suite does: a component renders
 * seeded data in jsdom (a test file opts in with `// @vitest-environment jsdom`), the markup is normalised
 * and compared with the committed file in tests/components/snapshots/. A missing or different snapshot fails
 * the test; `UPDATE_SNAPSHOTS=1 TZ=UTC npx vitest run tests/components` writes it instead. On a mismatch the
 * new markup is also written to tests/output/snapshots/ (ignored by git) for a side-by-side look.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {expect} from "vitest";

// Paths from import.meta.dirname: under jsdom the global URL is jsdom's, which fileURLToPath refuses.
const SNAPSHOTS = join(import.meta.dirname, "snapshots");
const OUTPUT = join(import.meta.dirname, "../output/snapshots");

/**
 * jsdom has no canvas: Plot draws a continuous colour legend's ramp on a 256×1 canvas and embeds it as a data
 * URL. This stand-in records the colours drawn and gives a data URL naming every 32nd of them, so a ramp
 * that changes changes the snapshot.
 */
export function installCanvasStub(): void {
  const fills = new WeakMap<HTMLCanvasElement, string[]>();
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    const drawn: string[] = [];
    fills.set(this, drawn);
    const context = {fillStyle: "", fillRect: () => drawn.push(String(context.fillStyle))};
    return context as unknown as CanvasRenderingContext2D;
  } as unknown as typeof HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.toDataURL = function (this: HTMLCanvasElement) {
    const drawn = fills.get(this) ?? [];
    return `data:text/plain,ramp ${drawn.filter((_, i) => i % 32 === 0 || i === drawn.length - 1).join(" ")}`;
  };
}

/**
 * The element's markup with what varies between runs or Plot versions made constant: Plot's class name
 * (a hash of its default styles, e.g. plot-d6a7b5) becomes `plot`, the clip-path, pattern and marker ids
 * (global counters, so they depend on what ran before) are numbered from 1 in order of appearance. One tag
 * per line, so that a failing comparison shows a readable diff.
 */
export function serialize(element: Element): string {
  const ids = new Map<string, string>();
  return element.outerHTML
    .replace(/\bplot-[0-9a-f]{6}\b/g, "plot")
    .replace(/\bplot-(clip|pattern|marker)-\d+\b/g, (id, kind: string) => {
      if (!ids.has(id)) ids.set(id, `plot-${kind}-${[...ids.keys()].filter((k) => k.startsWith(`plot-${kind}-`)).length + 1}`);
      return ids.get(id)!;
    })
    .replace(/></g, ">\n<")
    .concat("\n");
}

/** Compares the element's normalised markup with snapshots/`name`.svg (or .html for a figure with a legend). */
export function expectSnapshot(element: Element, name: string): void {
  const file = `${name}.${element.tagName.toLowerCase() === "svg" ? "svg" : "html"}`;
  const path = join(SNAPSHOTS, file);
  const actual = serialize(element);
  const update = process.env.UPDATE_SNAPSHOTS === "1";
  if (update) {
    mkdirSync(SNAPSHOTS, {recursive: true});
    if (!existsSync(path) || readFileSync(path, "utf8") !== actual) writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`missing snapshot tests/components/snapshots/${file}: run UPDATE_SNAPSHOTS=1 TZ=UTC npx vitest run tests/components to write it, then review and commit it`);
  }
  const expected = readFileSync(path, "utf8");
  if (actual !== expected) {
    mkdirSync(OUTPUT, {recursive: true});
    writeFileSync(join(OUTPUT, file), actual);
  }
  expect(actual, `tests/components/snapshots/${file} differs (new markup in tests/output/snapshots/${file}; UPDATE_SNAPSHOTS=1 accepts it)`).toBe(expected);
}
