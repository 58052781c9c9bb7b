/**
 * Exports around a chart or a table: a small bar of buttons above it that saves the chart as SVG or PNG and
 * its data (or the table's rows) as CSV. A page wraps an element in one call:
 *
 *   ${Exportable(resize((width) => AreaBars(regions, {width})), {name: "regions-provinces", data: regions})}
 *
 * The SVG is the chart's own (the largest <svg> inside the element when the button is clicked, so a chart
 * that resize() redraws is saved as it is shown), made standalone: namespaces, size, the page's text colour,
 * font and a white background written on its root. The PNG is that SVG drawn on a canvas at twice the screen
 * size. The CSV is src/lib/format/csv.ts's (quoted, spreadsheet formulas neutralised) through download.ts.
 * Everything is made in the page from what it already holds: nothing is requested.
 */
import type {ColumnTable} from "arquero";
import {DownloadButton, saveBlob} from "./download.js";

type Rows = ColumnTable | readonly Record<string, unknown>[];

export interface ExportOptions {
  /** The file name without extension, e.g. "sales-revenue" (gives sales-revenue.png, .svg, .csv). */
  name: string;
  /** The chart's data or the table's rows, for the CSV; a function is called when the button is clicked. */
  data?: Rows | (() => Rows) | null;
  /** Columns of the CSV, in order; default all. */
  columns?: readonly string[];
  /** false for a table: no PNG or SVG button. */
  image?: boolean;
}

/** The chart's main SVG: the largest one inside the element (a Plot figure also holds legend SVGs). */
export function chartSvg(root: Element): SVGSVGElement | null {
  const svgs = [...root.querySelectorAll("svg")].filter((svg) => !svg.parentElement?.closest("svg"));
  let best: SVGSVGElement | null = null;
  let area = -1;
  for (const svg of svgs) {
    const box = svg.getBoundingClientRect();
    const size = box.width * box.height || Number(svg.getAttribute("width")) * Number(svg.getAttribute("height")) || 0;
    if (size > area) (best = svg), (area = size);
  }
  return best;
}

/** Plot's legends beside a chart: the other top-level SVGs (colour ramps) and the swatch blocks of its figure. */
export function legendsOf(svg: SVGSVGElement): Element[] {
  const figure = svg.closest("figure");
  if (!figure) return [];
  const swatches = (e: Element) => /-swatches(\s|$)/.test(e.getAttribute("class") ?? "");
  return [...figure.querySelectorAll("svg, div")].filter(
    (e) => e !== svg && !e.parentElement?.closest("svg") && !svg.contains(e) && (e instanceof SVGSVGElement ? !e.parentElement?.closest("[class*='-swatches']") : swatches(e))
  );
}

const SVG_NS = "http://www.w3.org/2000/svg";

function size(element: Element, fallbackWidth: number, fallbackHeight: number): {width: number; height: number} {
  const box = element.getBoundingClientRect();
  return {
    width: Math.round(box.width || Number(element.getAttribute("width")) || fallbackWidth),
    height: Math.round(box.height || Number(element.getAttribute("height")) || fallbackHeight)
  };
}

/** The clone with colours given as CSS variables (var(--theme-…)) replaced by their computed values, which a
 * standalone file cannot resolve. The clone and the original have the same elements in the same order. */
function resolveColors(original: Element, clone: Element): void {
  const from = [original, ...original.querySelectorAll("*")];
  const to = [clone, ...clone.querySelectorAll("*")];
  from.forEach((element, i) => {
    for (const name of ["fill", "stroke"] as const) {
      const value = to[i]?.getAttribute(name);
      if (value?.includes("var(")) to[i].setAttribute(name, getComputedStyle(element)[name]);
    }
  });
}

function placed(svg: SVGSVGElement, x: number, y: number, width: number, height: number): SVGSVGElement {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  resolveColors(svg, clone);
  clone.setAttribute("x", String(x));
  clone.setAttribute("y", String(y));
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  if (!clone.getAttribute("viewBox")) clone.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return clone;
}

/** A block of swatches (a coloured square and a label each) redrawn in SVG, wrapped at `width`. */
function swatchesSvg(block: Element, width: number, y: number): {group: SVGGElement; height: number} {
  const group = document.createElementNS(SVG_NS, "g");
  group.setAttribute("transform", `translate(0,${y})`);
  const row = 22;
  let x = 0;
  let line = 0;
  for (const item of block.querySelectorAll("[class*='-swatch']:not([class*='-swatches']):not([class*='-swatch-label'])")) {
    const mark = item.querySelector("svg");
    const label = (item.textContent ?? "").trim();
    if (!mark && !label) continue;
    const side = 15;
    const measured = item.getBoundingClientRect().width;
    const advance = Math.ceil(measured || side + 4 + label.length * 7) + 16;
    if (x > 0 && x + advance > width) (x = 0), (line += 1);
    const top = line * row + (row - side) / 2;
    if (mark) group.append(placed(mark, x, top, side, side));
    const text = document.createElementNS(SVG_NS, "text");
    text.setAttribute("x", String(x + side + 4));
    text.setAttribute("y", String(top + side / 2));
    text.setAttribute("dy", "0.35em");
    text.setAttribute("fill", "currentColor");
    text.textContent = label;
    group.append(text);
    x += advance;
  }
  return {group, height: (line + 1) * row};
}

/**
 * The chart as a standalone SVG document, with its figure's legends (Plot draws colour ramps and swatches
 * beside the chart, not in it) stacked above it as on the page: its size, colour, font and a white background
 * on the root.
 */
export function standaloneSvg(svg: SVGSVGElement): {text: string; width: number; height: number} {
  const chart = size(svg, 640, 400);
  const style = getComputedStyle(svg);
  const root = document.createElementNS(SVG_NS, "svg");
  const gap = 8;
  let y = 0;
  for (const legend of legendsOf(svg)) {
    if (legend instanceof SVGSVGElement) {
      const box = size(legend, 240, 50);
      root.append(placed(legend, 0, y, box.width, box.height));
      y += box.height + gap;
    } else {
      const {group, height} = swatchesSvg(legend, chart.width, y);
      root.append(group);
      y += height + gap;
    }
  }
  const main = placed(svg, 0, y, chart.width, chart.height);
  // The chart's own background and colour go on the document's root.
  main.style.removeProperty("background");
  root.append(main);
  const width = chart.width;
  const height = y + chart.height;
  root.setAttribute("xmlns", SVG_NS);
  root.setAttribute("xmlns:xlink", "http://www.w3.org/1999/xlink");
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  // Printed and saved charts are dark on white whatever the page's theme.
  root.style.setProperty("background", "white");
  root.style.setProperty("color", "black");
  root.style.setProperty("font-family", style.fontFamily);
  root.style.setProperty("font-size", style.fontSize);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  return {text, width, height};
}

/** The SVG drawn on a canvas at `scale` times its size, as PNG. */
export async function svgToPng(text: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], {type: "image/svg+xml;charset=utf-8"}));
  try {
    const image = new Image();
    image.decoding = "sync";
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d");
    if (!context) throw new Error("this browser has no 2D canvas");
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function button(kind: string, label: string, title: string, onClick: (self: HTMLButtonElement) => void | Promise<void>): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "download-button";
  element.textContent = `↓ ${label}`;
  element.title = title;
  element.dataset.export = kind;
  element.addEventListener("click", async () => {
    try {
      element.disabled = true;
      await onClick(element);
      element.title = title;
    } catch (error) {
      element.title = `Could not export: ${error instanceof Error ? error.message : error}`;
    } finally {
      element.disabled = false;
    }
  });
  return element;
}

/** The element with an export bar above it (PNG, SVG for a chart; CSV when there is data). */
export function Exportable(element: Element | string, {name, data, columns, image = true}: ExportOptions): HTMLDivElement {
  const wrapper = document.createElement("div");
  wrapper.className = "exportable";
  const bar = document.createElement("div");
  bar.className = "export-bar";
  const content = typeof element === "string" ? document.createTextNode(element) : element;
  if (image) {
    const chart = () => {
      const svg = chartSvg(wrapper);
      if (!svg) throw new Error("no chart is shown");
      return standaloneSvg(svg);
    };
    bar.append(
      button("png", "PNG", `Save the chart as ${name}.png`, async () => {
        const {text, width, height} = chart();
        saveBlob(await svgToPng(text, width, height), `${name}.png`);
      }),
      button("svg", "SVG", `Save the chart as ${name}.svg`, () => saveBlob(new Blob([chart().text], {type: "image/svg+xml;charset=utf-8"}), `${name}.svg`))
    );
  }
  if (data != null) {
    const csv = DownloadButton(data, {filename: `${name}.csv`, label: image ? "Data (CSV)" : "CSV", columns, title: `Save the ${image ? "chart's data" : "table"} as ${name}.csv`});
    csv.dataset.export = "csv";
    bar.append(csv);
  }
  wrapper.append(bar, content);
  return wrapper;
}
