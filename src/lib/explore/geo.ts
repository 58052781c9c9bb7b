/**
 * Province boundaries: turns the outline paths of an SVG map (absolute or relative move-to and line-to
 * commands, closed by z) into planar GeoJSON polygons in the SVG's own coordinates (y grows downwards, as
 * on screen). Drawn with an identity projection, they need no spherical geometry.
 */
import type {Feature, FeatureCollection, MultiPolygon, Position} from "geojson";

export interface SvgLocation {
  id: string;
  name: string;
  path: string;
}

/** Parses a path made of M/m, L/l, H/h, V/v and Z/z commands into closed rings. */
export function pathRings(path: string): Position[][] {
  const tokens = path.match(/[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/g) ?? [];
  const rings: Position[][] = [];
  let ring: Position[] = [];
  let x = 0;
  let y = 0;
  let command = "";
  let start: Position = [0, 0];
  const close = () => {
    if (ring.length >= 3) {
      const [fx, fy] = ring[0];
      const [lx, ly] = ring[ring.length - 1];
      if (fx !== lx || fy !== ly) ring.push([fx, fy]);
      rings.push(ring);
    }
    ring = [];
  };
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i];
    if (/[A-Za-z]/.test(token)) {
      command = token;
      i++;
      if (command === "z" || command === "Z") {
        close();
        [x, y] = start;
      }
      continue;
    }
    const number = () => Number(tokens[i++]);
    switch (command) {
      case "m":
      case "M": {
        if (ring.length) close();
        const relative = command === "m";
        x = relative ? x + number() : number();
        y = relative ? y + number() : number();
        start = [x, y];
        ring.push([x, y]);
        command = relative ? "l" : "L"; // further pairs after a move-to are line-to's
        break;
      }
      case "l":
        x += number();
        y += number();
        ring.push([x, y]);
        break;
      case "L":
        x = number();
        y = number();
        ring.push([x, y]);
        break;
      case "h":
        x += number();
        ring.push([x, y]);
        break;
      case "H":
        x = number();
        ring.push([x, y]);
        break;
      case "v":
        y += number();
        ring.push([x, y]);
        break;
      case "V":
        y = number();
        ring.push([x, y]);
        break;
      default:
        throw new Error(`pathRings: unsupported path command ${JSON.stringify(command)} before ${token}`);
    }
  }
  close();
  return rings;
}

/** One feature per location, each ring its own polygon (islands and mainland alike). */
export function svgLocationsToGeoJSON(locations: readonly SvgLocation[]): FeatureCollection<MultiPolygon, {id: string; name: string}> {
  return {
    type: "FeatureCollection",
    features: locations.map(
      (location): Feature<MultiPolygon, {id: string; name: string}> => ({
        type: "Feature",
        id: location.id,
        properties: {id: location.id, name: location.name},
        geometry: {type: "MultiPolygon", coordinates: pathRings(location.path).map((ring) => [ring])}
      })
    )
  };
}

/**
 * Canada's provinces and territories under the names of the map (@svg-maps/canada), with the other ways a
 * file spells them: postal and older abbreviations, French names, with or without dots. Keys are written as
 * `normalizeName` leaves them.
 */
export const PROVINCES: readonly {name: string; code: string; aliases: readonly string[]}[] = [
  {name: "Alberta", code: "ab", aliases: ["ab", "alta", "alb"]},
  {name: "British Columbia", code: "bc", aliases: ["bc", "colombie britannique", "cb"]},
  {name: "Manitoba", code: "mb", aliases: ["mb", "man"]},
  {name: "New Brunswick", code: "nb", aliases: ["nb", "nouveau brunswick"]},
  {
    name: "Newfoundland and Labrador",
    code: "nl",
    aliases: ["nl", "nf", "nfld", "newfoundland", "labrador", "newfoundland labrador", "nfld and labrador", "nfld labrador", "terre neuve et labrador", "terre neuve", "tnl"]
  },
  {name: "Northwest Territories", code: "nt", aliases: ["nt", "nwt", "north west territories", "northwest territory", "territoires du nord ouest", "tno"]},
  {name: "Nova Scotia", code: "ns", aliases: ["ns", "nouvelle ecosse"]},
  {name: "Nunavut", code: "nu", aliases: ["nu", "nvt"]},
  {name: "Ontario", code: "on", aliases: ["on", "ont"]},
  {name: "Prince Edward Island", code: "pe", aliases: ["pe", "pei", "ipe", "ile du prince edouard", "prince edward is"]},
  {name: "Quebec", code: "qc", aliases: ["qc", "pq", "que", "qu", "qb"]},
  {name: "Saskatchewan", code: "sk", aliases: ["sk", "sask", "sas"]},
  {name: "Yukon", code: "yt", aliases: ["yt", "yk", "yuk", "yukon territory", "yukon territories"]}
];

/**
 * A place name reduced for matching: no accents, lower case, "&" read as "and", dots and apostrophes
 * dropped ("P.E.I." is "pei"), any other run of punctuation or spaces one space, a leading "province of" or
 * trailing "province" dropped.
 */
export function normalizeName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[.'’]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^(the )?province of /, "")
    .replace(/ province$/, "");
}

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment), stopping early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    [before, previous] = [previous, current];
  }
  return previous[b.length];
}

const PROVINCE_KEYS = new Map<string, string>(PROVINCES.flatMap((p) => [[normalizeName(p.name), p.name] as const, ...p.aliases.map((a) => [a, p.name] as const)]));

/**
 * The map's name for a province as a file spells it, or null when it is none of them. Exact names and
 * aliases first (case, accents and punctuation aside: "ONT.", "Québec", "P.E.I."); then a misspelling of a
 * full name or long alias (7 letters or more), one edit away (a letter added, dropped, changed, or two
 * neighbours swapped: "Albreta"), or two for names of 10 letters or more
 * ("Saskachewan"), when exactly one province is that close.
 */
export function provinceName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const key = normalizeName(name);
  if (!key) return null;
  const exact = PROVINCE_KEYS.get(key);
  if (exact) return exact;
  if (key.length < 7) return null;
  const limit = key.length >= 10 ? 2 : 1;
  let distance = limit + 1;
  let nearest = new Set<string>();
  for (const [candidate, province] of PROVINCE_KEYS) {
    if (candidate.length < 7) continue;
    const d = editDistance(key, candidate, limit);
    if (d < distance) [distance, nearest] = [d, new Set([province])];
    else if (d === distance) nearest.add(province);
  }
  return distance <= limit && nearest.size === 1 ? [...nearest][0] : null;
}

/** Sales totals of one area as the regions page has them (ProvinceRow in src/lib/explore/regions.ts). */
export interface AreaSales {
  province: string | null;
  transactions: number;
  revenue: number;
  customers: number | null;
  transaction_share: number;
  revenue_share: number | null;
}

export interface ProvincesOnMap<T extends AreaSales> {
  /** By the map's province name: the rows that name it, added up (one row when the data spells it one way). */
  byName: Map<string, T>;
  /** The rows whose name matches no province of the map (the null province included), as they came. */
  unmatched: T[];
}

/**
 * Puts sales by province on the map's names (`names`, e.g. the map's features; default every province):
 * rows whose names mean the same province ("ON" and "Ontario") are added up. Their customers are added too,
 * so a customer who appears under both spellings counts twice there.
 */
export function provincesOnMap<T extends AreaSales>(rows: readonly T[], {names = PROVINCES.map((p) => p.name)}: {names?: readonly string[]} = {}): ProvincesOnMap<T> {
  const onMap = new Set(names);
  const byName = new Map<string, T>();
  const unmatched: T[] = [];
  for (const row of rows) {
    const name = provinceName(row.province);
    if (name == null || !onMap.has(name)) {
      unmatched.push(row);
      continue;
    }
    const seen = byName.get(name);
    if (!seen) {
      byName.set(name, {...row});
      continue;
    }
    seen.transactions += row.transactions;
    seen.revenue += row.revenue;
    seen.customers = seen.customers == null || row.customers == null ? null : seen.customers + row.customers;
    seen.transaction_share += row.transaction_share;
    seen.revenue_share = seen.revenue_share == null || row.revenue_share == null ? null : seen.revenue_share + row.revenue_share;
  }
  return {byName, unmatched};
}
