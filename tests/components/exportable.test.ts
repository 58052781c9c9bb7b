// @vitest-environment jsdom
/*
 * components/exportable.ts in a DOM: the bar's buttons, the chart SVG chosen among a figure's SVGs, and the
 * standalone SVG text. (The downloads themselves, the PNG and printing are checked in Chromium:
 * tests/browser/exports.test.ts.)
 */
import {describe, expect, it} from "vitest";
import {chartSvg, Exportable, standaloneSvg} from "../../src/components/exportable.js";

const NS = "http://www.w3.org/2000/svg";

function svg(width: number, height: number, className: string): SVGSVGElement {
  const element = document.createElementNS(NS, "svg") as SVGSVGElement;
  element.setAttribute("width", String(width));
  element.setAttribute("height", String(height));
  element.setAttribute("class", className);
  const rect = document.createElementNS(NS, "rect");
  rect.setAttribute("width", "10");
  element.append(rect);
  return element;
}

describe("Exportable", () => {
  it("puts PNG, SVG and CSV buttons above a chart, and only CSV above a table", () => {
    const chart = Exportable(document.createElement("div"), {name: "sales", data: [{a: 1}]});
    expect([...chart.querySelectorAll(".export-bar button")].map((b) => (b as HTMLElement).dataset.export)).toEqual(["png", "svg", "csv"]);
    expect(chart.querySelector<HTMLElement>("[data-export=csv]")!.dataset.filename).toBe("sales.csv");
    const table = Exportable(document.createElement("table"), {name: "comparison", data: [{a: 1}], image: false});
    expect([...table.querySelectorAll(".export-bar button")].map((b) => (b as HTMLElement).dataset.export)).toEqual(["csv"]);
    const noData = Exportable(document.createElement("div"), {name: "map"});
    expect([...noData.querySelectorAll(".export-bar button")].map((b) => (b as HTMLElement).dataset.export)).toEqual(["png", "svg"]);
  });

  it("saves the figure's largest SVG, with its legend above it, as a standalone document", () => {
    const figure = document.createElement("figure");
    const ramp = svg(240, 50, "legend");
    const label = document.createElementNS(NS, "text");
    label.textContent = "Revenue";
    ramp.append(label);
    figure.append(ramp, svg(640, 400, "chart"));
    const chosen = chartSvg(figure)!;
    expect(chosen.getAttribute("class")).toBe("chart");
    const {text, width, height} = standaloneSvg(chosen);
    // The legend (50 high), a gap of 8, then the chart.
    expect([width, height]).toEqual([640, 458]);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(text).toContain(`xmlns="${NS}"`);
    expect(text).toContain('viewBox="0 0 640 458"');
    expect(text).toMatch(/<svg[^>]*class="legend"[^>]* y="0"[^>]*>.*Revenue/);
    expect(text).toMatch(/<svg[^>]*class="chart"[^>]* y="58"/);
    expect(text).toMatch(/style="[^"]*background: white/);
    expect(text).toContain("<rect");
    // The page's chart is left as it was.
    expect(chosen.getAttribute("style")).toBeNull();
    expect(chartSvg(document.createElement("div"))).toBeNull();
  });

  it("redraws a figure's swatches (colour and label) above the chart", () => {
    const figure = document.createElement("figure");
    const block = document.createElement("div");
    block.className = "plot-d6a7b5-swatches plot-d6a7b5-swatches-wrap";
    for (const [name, color] of [["Actual", "black"], ["Pareto/NBD", "steelblue"]]) {
      const item = document.createElement("span");
      item.className = "plot-d6a7b5-swatch";
      const mark = svg(15, 15, "");
      mark.setAttribute("fill", color);
      item.append(mark, name);
      block.append(item);
    }
    figure.append(block, svg(640, 400, "chart"));
    const {text, height} = standaloneSvg(chartSvg(figure)!);
    expect(height).toBe(22 + 8 + 400);
    expect(text).toMatch(/fill="steelblue"/);
    expect(text).toMatch(/<text[^>]*>Actual<\/text>/);
    expect(text).toMatch(/<text[^>]*>Pareto\/NBD<\/text>/);
  });
});
