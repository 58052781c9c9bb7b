/**
 * The first views cross as JSON, which has no Infinity or NaN (a budget's payback is Infinity when it never
 * pays back): these write them as marked strings and read them back, so a view equals what the page computes.
 */
const MARKS = new Map<string, number>([
  ["__Infinity__", Infinity],
  ["__-Infinity__", -Infinity],
  ["__NaN__", NaN]
]);

export function viewToJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? `__${v}__` : v));
}

export function viewFromJson<T>(text: string): T {
  return JSON.parse(text, (_, v) => (typeof v === "string" && MARKS.has(v) ? MARKS.get(v) : v)) as T;
}
