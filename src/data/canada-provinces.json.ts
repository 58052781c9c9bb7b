// Writes the boundaries of Canada's provinces and territories as TopoJSON (object "provinces", planar SVG
// coordinates: draw with an identity projection). Source: the @svg-maps/canada package (CC BY 4.0), read
// from node_modules, so the build needs no network.
import canada from "@svg-maps/canada";
import {topology} from "topojson-server";
import {svgLocationsToGeoJSON} from "../lib/explore/geo.js";

const geo = svgLocationsToGeoJSON(canada.locations);
const topo = topology({provinces: geo}, 1e4);
process.stdout.write(JSON.stringify({...topo, viewBox: canada.viewBox, attribution: "Map of Canada, @svg-maps/canada (CC BY 4.0)"}));
