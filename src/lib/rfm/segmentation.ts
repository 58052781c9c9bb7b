/**
 * The site's one RFM segmentation: a built-in scheme, the number of score bins and, when the user edited
 * the rules on the RFM page, the edited scheme. Pages keep it in the browser (src/components/settings.ts),
 * the RFM page offers it as a file, and `clv rfm` / `clv report --segmentation FILE.json` read that file, so
 * every page and the command line segment customers the same way.
 *
 * The file (and the stored value) is JSON: {"scheme": "personas", "bins": 5, "rules": {...} | null}, with
 * "rules" a scheme as schemes.ts parses it. Reading is lenient part by part (a bad part falls back to the
 * default and is named in `errors`) so that a stale stored value never breaks a page; the CLI refuses any
 * error.
 */
import {DEFAULT_SEGMENTATION, SCHEME_LABELS, SEGMENT_SCHEMES, parseScheme, schemeErrors} from "./schemes.js";
import {checkK, type SegmentScheme} from "./rules.js";

export interface Segmentation {
  /** A built-in scheme (a key of SEGMENT_SCHEMES): the rules in force unless edited. */
  scheme: string;
  /** Score bins k: scores from 1 to k, 2..10. */
  bins: number;
  /** The edited rules, or null for the built-in scheme's own. */
  rules: SegmentScheme | null;
}

export const DEFAULT_SEGMENTATION_SETTING: Readonly<Segmentation> = Object.freeze({
  scheme: DEFAULT_SEGMENTATION.scheme,
  bins: DEFAULT_SEGMENTATION.bins,
  rules: null
});

const KEYS = new Set(["scheme", "bins", "rules"]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A segmentation from a parsed value or JSON text. Every part that is missing takes the default; every part
 * that is wrong takes the default too and is described in `errors`.
 */
export function readSegmentation(input: unknown): {segmentation: Segmentation; errors: string[]} {
  const errors: string[] = [];
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return {segmentation: {...DEFAULT_SEGMENTATION_SETTING}, errors: [`the segmentation is not valid JSON: ${(error as Error).message}`]};
    }
  }
  if (value === undefined || value === null) return {segmentation: {...DEFAULT_SEGMENTATION_SETTING}, errors};
  if (!isObject(value)) return {segmentation: {...DEFAULT_SEGMENTATION_SETTING}, errors: [`a segmentation must be an object {scheme, bins, rules}, got ${JSON.stringify(value)}`]};
  for (const key of Object.keys(value)) if (!KEYS.has(key)) errors.push(`unknown segmentation key ${JSON.stringify(key)}`);
  const segmentation: Segmentation = {...DEFAULT_SEGMENTATION_SETTING};
  if (value.scheme !== undefined) {
    if (typeof value.scheme === "string" && Object.hasOwn(SEGMENT_SCHEMES, value.scheme)) segmentation.scheme = value.scheme;
    else errors.push(`scheme must be one of ${Object.keys(SEGMENT_SCHEMES).join(", ")}, got ${JSON.stringify(value.scheme)}`);
  }
  if (value.bins !== undefined) {
    try {
      segmentation.bins = checkK(value.bins);
    } catch (error) {
      errors.push(`bins: ${(error as Error).message}`);
    }
  }
  if (value.rules !== undefined && value.rules !== null) {
    const problems = schemeErrors(value.rules);
    if (problems.length) errors.push(`rules: ${problems.join("; ")}`);
    else segmentation.rules = parseScheme(value.rules);
  }
  return {segmentation, errors};
}

/** A segmentation from JSON text or a value; throws an Error listing every problem (for the CLI). */
export function parseSegmentation(input: unknown): Segmentation {
  const {segmentation, errors} = readSegmentation(input);
  if (errors.length) throw new Error(`invalid segmentation:\n- ${errors.join("\n- ")}`);
  return segmentation;
}

/** The rules in force: the edited scheme, or the built-in one. */
export function segmentationScheme(segmentation: Segmentation): SegmentScheme {
  return segmentation.rules ?? SEGMENT_SCHEMES[segmentation.scheme] ?? SEGMENT_SCHEMES[DEFAULT_SEGMENTATION.scheme];
}

/** A short description for captions: "Personas (6), 5 score bins", "(edited)" after edited rules. */
export function describeSegmentation(segmentation: Segmentation): string {
  const label = SCHEME_LABELS[segmentation.scheme] ?? segmentation.scheme;
  return `${label}${segmentation.rules ? " (edited)" : ""}, ${segmentation.bins} score bins`;
}

/** JSON text of the segmentation, the file `clv rfm|report --segmentation FILE.json` reads. */
export function segmentationToJson(segmentation: Segmentation): string {
  return `${JSON.stringify({scheme: segmentation.scheme, bins: segmentation.bins, rules: segmentation.rules}, null, 2)}\n`;
}

/** True when the two segmentations segment customers the same way. */
export function sameSegmentation(a: Segmentation, b: Segmentation): boolean {
  return segmentationToJson(a) === segmentationToJson(b);
}
