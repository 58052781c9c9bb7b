/**
 * The learned customers' profiles as they cross to the fit worker (packedProfiles.ts): columns, not an object
 * per customer, unpacked to the same objects; and a validation request sent as the data page sends it (packed,
 * its arrays moved) gives the result the request gives in this thread.
 */
import {describe, expect, it} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {isPackedProfiles, packColumns, packProfiles, packedBuffers, profileField, unpackProfiles, validateMessage} from "../../../src/lib/clv/packedProfiles.js";
import {clvFromTable} from "../../../src/lib/clv/derived.js";
import {validationRequest} from "../../../src/lib/clv/validationView.js";
import {validateModels} from "../../../src/lib/clv/validateModels.js";
import {describeOnBuiltMembers} from "./builtMembers.js";

describe("packProfiles", () => {
  it("gives back every field of every profile: numbers, labels, nulls, absent fields and other values", () => {
    const profiles = [
      {orders: 3, revenue: 12.5, last_purchase: "2024-02-01", region: "West", partner_share: 0.25, tags: ["a"]},
      {orders: 1, revenue: -4, last_purchase: "2024-01-15", region: null, partner_share: null, tags: null},
      {orders: 2, revenue: 0, last_purchase: "2024-02-01", region: "East", tags: {x: 1}},
      {orders: 7, revenue: Number.MAX_VALUE, last_purchase: "2024-01-15", region: "West", partner_share: 1}
    ];
    const packed = packProfiles(profiles);
    expect(isPackedProfiles(packed)).toBe(true);
    expect(isPackedProfiles(profiles)).toBe(false);
    expect(packed.fields.map((f) => [f.name, f.kind])).toEqual([
      ["orders", "number"],
      ["revenue", "number"],
      ["last_purchase", "label"],
      ["region", "label"],
      ["partner_share", "number"],
      ["tags", "values"]
    ]);
    // Two distinct days for four customers.
    expect(packed.fields.find((f) => f.name === "last_purchase")).toMatchObject({labels: ["2024-02-01", "2024-01-15"]});
    const back = unpackProfiles(structuredClone(packed, {transfer: packedBuffers(packed)}));
    expect(back).toEqual(profiles);
    // Absent stays absent (not undefined, not null): the learned features ask `"partner_share" in profile`-style questions.
    expect("partner_share" in back[2]).toBe(false);
    expect(back[1].partner_share).toBeNull();
    expect(back[1].region).toBeNull();
    expect(unpackProfiles(packProfiles([]))).toEqual([]);
  });

  it("packs columns as it packs the objects they make (packColumns), and reads a field in place (profileField)", () => {
    const columns = {orders: Float64Array.of(3, 1, 2), last_purchase: ["2024-02-01", "2024-01-15", "2024-02-01"], region: ["West", null, "East"], partner_share: [0.25, null, 1]};
    const objects = [0, 1, 2].map((i) => Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values[i]])));
    const packed = packColumns(columns, 3);
    expect(packed).toEqual(packProfiles(objects));
    expect(unpackProfiles(packed)).toEqual(objects);
    expect(() => packColumns(columns, 4)).toThrow(/3 values of orders for 4 profiles/);
    // A field read one at a time: a value, null where null, undefined where absent or where no profile has it.
    const sparse = packProfiles([{region: "West", n: 1}, {region: null}, {}]);
    const region = profileField(sparse, "region")!;
    expect([0, 1, 2].map(region)).toEqual(["West", null, undefined]);
    expect([0, 1, 2].map(profileField(sparse, "n")!)).toEqual([1, undefined, undefined]);
    expect(profileField(sparse, "missing")).toBeNull();
    // Other values (neither numbers nor labels) cross as they are, absent kept apart from null.
    const tagged = packProfiles([{tags: ["a"]}, {}, {tags: null}, {tags: {x: 1}}]);
    expect(tagged.fields.map((f) => f.kind)).toEqual(["values"]);
    expect([0, 1, 2, 3].map(profileField(tagged, "tags")!)).toEqual([["a"], undefined, null, {x: 1}]);
    expect([0, 1, 2].map(profileField(objects, "region")!)).toEqual(["West", null, "East"]);
  });

  it("moves its columns: after the transfer they are empty here", () => {
    const packed = packProfiles([{orders: 1, last_purchase: "2024-01-01"}, {orders: 2, last_purchase: "2024-01-02"}]);
    const buffers = packedBuffers(packed);
    expect(buffers.length).toBe(2);
    const copy = structuredClone(packed, {transfer: buffers});
    expect(unpackProfiles(copy)).toEqual([{orders: 1, last_purchase: "2024-01-01"}, {orders: 2, last_purchase: "2024-01-02"}]);
    expect(buffers.every((buffer) => buffer.byteLength === 0)).toBe(true);
  });
});

describe("validateMessage", () => {
  it("moves only arrays that own their whole buffer: a view into a larger one is copied", () => {
    const body = new Float64Array(8).fill(1);
    const request = {
      calibration: {frequency: body.subarray(0, 4), recency: new Float64Array(4), T: new Float64Array(4), monetary: new Float64Array(4)},
      holdoutWeeks: 1,
      actualSpend: new Float64Array(4),
      training: {frequency: new Float64Array(2), recency: new Float64Array(2), T: new Float64Array(2), monetary: new Float64Array(2)},
      trainingTarget: new Float64Array(2)
    };
    const {transfer} = validateMessage(request, {transfer: true});
    expect(transfer).not.toContain(body.buffer);
    expect(transfer).toContain(request.actualSpend.buffer);
    expect(transfer.length).toBe(new Set(transfer).size);
    expect(transfer.length).toBe(9);
  });

  it("moves the calibration's ids when they are UTF-8 bytes (a CLV table's)", () => {
    const ids = {offsets: Int32Array.of(0, 2, 4), bytes: new TextEncoder().encode("C1C2")};
    const columns = () => ({frequency: new Float64Array(2), recency: new Float64Array(2), T: new Float64Array(2), monetary: new Float64Array(2)});
    const request = {calibration: {...columns(), ids}, holdoutWeeks: 1, actualSpend: new Float64Array(2), training: columns(), trainingTarget: new Float64Array(2)};
    const {transfer} = validateMessage(request, {transfer: true});
    expect(transfer).toContain(ids.offsets.buffer);
    expect(transfer).toContain(ids.bytes.buffer);
    expect(transfer.length).toBe(12);
    expect(validateMessage(request).transfer).toEqual([]);
  });
});

describeOnBuiltMembers("a validation request as the data page sends it to the worker", /holdout\.arrow|training\.arrow/, (member) => {
  it("packed and moved, gives the result of the request in this thread; its arrays are empty here after", () => {
    const holdout = clvFromTable(tableFromIPC(member("clv-holdout.arrow")));
    const training = clvFromTable(tableFromIPC(member("clv-training.arrow")));
    const withoutTimes = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key === "ms" || key === "timings" ? undefined : v instanceof Float64Array ? Array.from(v) : v)));
    const here = validateModels(validationRequest(holdout.data, training.data));
    const request = validationRequest(holdout.data, training.data);
    const message = validateMessage(request, {transfer: true});
    expect(isPackedProfiles(message.request.learned!.calibration.profiles)).toBe(true);
    // The worker's side of postMessage: a structured clone that takes the listed buffers.
    const arrived = structuredClone(message.request, {transfer: message.transfer});
    expect(request.calibration.frequency.length).toBe(0);
    expect(request.actualSpend.length).toBe(0);
    expect(withoutTimes(validateModels(arrived))).toEqual(withoutTimes(here));
  }, 120_000);
});
