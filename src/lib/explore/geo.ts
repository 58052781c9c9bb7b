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
