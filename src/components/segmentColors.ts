/**
 * One colour per segment, the same in every chart of the RFM page: segments in rule order take the
 * categorical palette in turn (the scheme's best segment first), and "(new)" in movement charts is grey.
 */
const PALETTE = [
  "#4269d0", "#3ca951", "#6cc5b0", "#efb118", "#a463f2", "#ff8ab7",
  "#97bbf5", "#9c6b4e", "#ff725c", "#d62728", "#9498a0", "#7e7e2a"
];

export interface SegmentColors {
  domain: string[];
  range: string[];
}

/** Plot's color scale options for these segment names (rule order). */
export function segmentColors(names: readonly string[]): SegmentColors {
  return {domain: [...names], range: names.map((_, i) => PALETTE[i % PALETTE.length])};
}

/** The colour of one segment; grey for a name not in the scheme. */
export function colorOf(colors: SegmentColors, segment: string): string {
  const i = colors.domain.indexOf(segment);
  return i < 0 ? "#9498a0" : colors.range[i];
}
