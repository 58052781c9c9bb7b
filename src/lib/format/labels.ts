/**
 * Room for chart labels, without a DOM to measure them in: an estimate of the width of a text in Plot's
 * default font (10 px sans-serif), generous enough that a label is never cut off at a chart's edge, and the
 * left margin a chart needs for its longest y-axis label.
 */

/** Approximate advance widths, in em, of the characters of a proportional sans-serif font, rounded up. */
const NARROW = /[ijl|!.,:;'` ]/;
const SEMI = /[ftrI()[\]{}\-"/\\]/;
const WIDE = /[mwMW@%]/;

/** Estimated width in px of `text` at `fontSize` px (an upper bound for common sans-serif fonts). */
export function textWidth(text: string, fontSize = 10): number {
  let em = 0;
  for (const c of text) {
    if (NARROW.test(c)) em += 0.32;
    else if (SEMI.test(c)) em += 0.42;
    else if (WIDE.test(c)) em += 1;
    else if ((c >= "A" && c <= "Z") || (c >= "0" && c <= "9")) em += 0.75;
    else em += 0.63;
  }
  return Math.ceil(em * fontSize);
}

/**
 * The left margin for y-axis labels: the widest label plus room for the tick and a gap (`pad`), kept
 * between `min` and `max` (a longer label is then cut, rather than squeezing the chart to nothing).
 */
export function labelMargin(labels: Iterable<string>, {min = 40, max = 240, pad = 14, fontSize = 10}: {min?: number; max?: number; pad?: number; fontSize?: number} = {}): number {
  let widest = 0;
  for (const label of labels) widest = Math.max(widest, textWidth(label, fontSize));
  return Math.min(max, Math.max(min, widest + pad));
}

/** Height in px that x-axis tick labels rotated by 45° take below the axis (the tick and its gap included). */
export function rotatedLabelHeight(labels: Iterable<string>, fontSize = 10): number {
  let widest = 0;
  for (const label of labels) widest = Math.max(widest, textWidth(label, fontSize));
  return Math.ceil(widest * Math.SQRT1_2) + 10;
}
