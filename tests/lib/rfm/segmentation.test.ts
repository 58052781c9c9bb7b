import {describe, expect, it} from "vitest";
import {
  DEFAULT_SEGMENTATION_SETTING,
  describeSegmentation,
  parseSegmentation,
  readSegmentation,
  sameSegmentation,
  segmentationScheme,
  segmentationToJson
} from "../../../src/lib/rfm/segmentation.js";
import {PERSONAS, SEED_PERSONAS, SEGMENT_SCHEMES, STANDARD_SEGMENTS, parseScheme} from "../../../src/lib/rfm/schemes.js";
import {segmentNames, segmentOf} from "../../../src/lib/rfm/segments.js";

const edited = parseScheme({name: "mine", k: 5, rules: [{segment: "Best", r: [5, 5]}, {segment: "Others"}]});

describe("the site's segmentation", () => {
  it("defaults to the personas on five bins, the RFM page's first choice", () => {
    expect(readSegmentation(undefined)).toEqual({segmentation: {scheme: "personas", bins: 5, rules: null}, errors: []});
    expect(segmentationScheme(DEFAULT_SEGMENTATION_SETTING)).toBe(PERSONAS);
    expect(describeSegmentation(DEFAULT_SEGMENTATION_SETTING)).toBe("Personas (6), 5 score bins");
  });

  it("round-trips through its JSON file, edited rules included", () => {
    for (const segmentation of [
      {scheme: "standard", bins: 3, rules: null},
      {scheme: "personas5", bins: 5, rules: null},
      {scheme: "personas", bins: 7, rules: edited}
    ]) {
      expect(parseSegmentation(segmentationToJson(segmentation))).toEqual(segmentation);
    }
    const mine = parseSegmentation(segmentationToJson({scheme: "personas", bins: 7, rules: edited}));
    expect(segmentationScheme(mine)).toEqual(edited);
    expect(describeSegmentation(mine)).toBe("Personas (6) (edited), 7 score bins");
    expect(segmentationScheme({scheme: "standard", bins: 4, rules: null})).toBe(STANDARD_SEGMENTS);
    expect(sameSegmentation({scheme: "standard", bins: 4, rules: null}, {scheme: "standard", bins: 4, rules: null})).toBe(true);
    expect(sameSegmentation({scheme: "standard", bins: 4, rules: null}, {scheme: "standard", bins: 5, rules: null})).toBe(false);
  });

  it("keeps the good parts of a stale stored value and names the bad ones; the CLI refuses them", () => {
    const {segmentation, errors} = readSegmentation({scheme: "gold", bins: 12, rules: {k: 5, rules: [{segment: "A", r: [9, 9]}]}, extra: 1});
    expect(segmentation).toEqual(DEFAULT_SEGMENTATION_SETTING);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe('unknown segmentation key "extra"');
    expect(errors[1]).toBe('scheme must be one of personas, personas5, standard, got "gold"');
    expect(errors[2]).toBe("bins: k must be an integer from 2 to 10, got 12");
    expect(errors[3]).toMatch(/^rules: rules\[0\]\.r\[0\] must be a number from 1 to 5, got 9; /);
    expect(readSegmentation({bins: 4}).segmentation).toEqual({scheme: "personas", bins: 4, rules: null});
    expect(readSegmentation("not json").errors[0]).toMatch(/not valid JSON/);
    expect(() => parseSegmentation({scheme: "gold"})).toThrow(/invalid segmentation:\n- scheme must be one of/);
  });
});

describe("the seed's five personas", () => {
  it("are exactly VIP, Big Spender, New, Lost and Regular, offered beside the six personas and the standard 11", () => {
    expect(segmentNames(SEED_PERSONAS).slice().sort()).toEqual(["Big Spender", "Lost", "New", "Regular", "VIP"]);
    expect(Object.keys(SEGMENT_SCHEMES)).toEqual(["personas", "personas5", "standard"]);
    expect(parseScheme(JSON.parse(JSON.stringify(SEED_PERSONAS)))).toEqual(SEED_PERSONAS);
  });

  it("segment scores by their rules, first match wins", () => {
    const at = (r: number, f: number, m: number) => segmentOf(SEED_PERSONAS, {r_score: r, f_score: f, m_score: m});
    expect(at(5, 5, 5)).toBe("VIP");
    expect(at(3, 1, 5)).toBe("Big Spender");
    expect(at(5, 1, 2)).toBe("New");
    expect(at(1, 5, 4)).toBe("Lost");
    expect(at(2, 5, 5)).toBe("Big Spender");
    expect(at(3, 3, 3)).toBe("Regular");
  });
});
