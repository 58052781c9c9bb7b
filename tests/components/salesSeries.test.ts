// @vitest-environment jsdom
import {describe, it} from "vitest";
import {SalesSeries} from "../../src/components/salesSeries.js";
import {dailySales, monthlySales} from "./seeded.js";
import {expectSnapshot} from "./snapshot.js";

describe("SalesSeries", () => {
  const daily = dailySales(1);
  it("draws daily revenue with its 7- and 28-day means", () => {
    expectSnapshot(SalesSeries(daily, {width: 640}), "salesSeries-day-revenue");
  });
  it("draws monthly transactions with the partial last month paler", () => {
    expectSnapshot(SalesSeries(monthlySales(daily), {width: 640, grain: "month", measure: "transactions"}), "salesSeries-month-transactions");
  });
});
