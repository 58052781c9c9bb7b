import {describe, expect, it} from "vitest";
import {countFavourites, favouriteSpread, lumpOthers, topFavourites} from "../../../src/lib/explore/favourites.js";

const favourites = [
  {customer_id: "a", favourite: "Bundle"},
  {customer_id: "b", favourite: "Discount"},
  {customer_id: "c", favourite: "Bundle"},
  {customer_id: "d", favourite: "Gift Card"},
  {customer_id: "e", favourite: "Discount"},
  {customer_id: "f", favourite: "Bundle"}
];
const segments = new Map([["a", "Champions"], ["b", "Champions"], ["c", "Lost"], ["d", "Lost"], ["e", "Lost"]]);

describe("countFavourites", () => {
  it("counts customers per favourite, most common first, ties by name", () => {
    expect(countFavourites(favourites)).toEqual([
      {favourite: "Bundle", customers: 3, share: 0.5},
      {favourite: "Discount", customers: 2, share: 2 / 6},
      {favourite: "Gift Card", customers: 1, share: 1 / 6}
    ]);
    expect(countFavourites([])).toEqual([]);
  });
});

describe("favouriteSpread", () => {
  it("gives favouriteSummarySql's rows: segment (unknown last), customers, favourite", () => {
    expect(favouriteSpread(favourites, (id) => segments.get(id))).toEqual([
      {segment: "Champions", favourite: "Bundle", customers: 1, share: 0.5},
      {segment: "Champions", favourite: "Discount", customers: 1, share: 0.5},
      {segment: "Lost", favourite: "Bundle", customers: 1, share: 1 / 3},
      {segment: "Lost", favourite: "Discount", customers: 1, share: 1 / 3},
      {segment: "Lost", favourite: "Gift Card", customers: 1, share: 1 / 3},
      {segment: null, favourite: "Bundle", customers: 1, share: 1}
    ]);
  });
  it("matches numeric customer ids by their text", () => {
    expect(favouriteSpread([{customer_id: 7, favourite: "X"}], (id) => (id === "7" ? "S" : null))).toEqual([{segment: "S", favourite: "X", customers: 1, share: 1}]);
  });
});

describe("topFavourites and lumpOthers", () => {
  const rows = favouriteSpread(favourites, (id) => segments.get(id));
  it("ranks favourites by customers over all segments", () => {
    expect(topFavourites(rows, 2)).toEqual(["Bundle", "Discount"]);
  });
  it("merges the rest per segment into Other, shares summed", () => {
    const lumped = lumpOthers(rows, ["Bundle"]);
    expect(lumped).toEqual([
      {segment: "Champions", favourite: "Bundle", customers: 1, share: 0.5},
      {segment: "Champions", favourite: "Other", customers: 1, share: 0.5},
      {segment: "Lost", favourite: "Bundle", customers: 1, share: 1 / 3},
      {segment: "Lost", favourite: "Other", customers: 2, share: 2 / 3},
      {segment: null, favourite: "Bundle", customers: 1, share: 1}
    ]);
    expect(rows[1].favourite).toBe("Discount"); // the input is left as it was
  });
});
