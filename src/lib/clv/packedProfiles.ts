/**
 * Customer profiles as they cross to the fit worker: a column per field, not an object per customer. A
 * structured clone copies every object and every string anew, so two splits of a million customers' learned
 * profiles (orders, revenue, last purchase day, region, …) arrived as 0.9 GB of objects and strings on the
 * worker's side; as columns, numbers are one Float64Array per field and a label column is its distinct labels
 * and an Int32Array of codes, and the objects unpacked from them share one string per label.
 *
 * Exact: unpackProfiles(packProfiles(p)) equals p field for field, null and absent fields included, in the
 * fields' order of first appearance (a field that holds undefined comes back absent).
 */

import type {LearnedCustomers} from "./learnedFeatures.js";
import type {ValidateInput} from "./validateModels.js";

/** A field's values: `state` (when any value is not a number) 0 value, 1 null, 2 absent. */
type PackedField =
  | {name: string; kind: "number"; values: Float64Array; state: Uint8Array | null}
  | {name: string; kind: "label"; labels: string[]; codes: Int32Array}
  | {name: string; kind: "values"; values: unknown[]; absent: Uint8Array | null};

export interface PackedProfiles {
  packed: "profiles";
  length: number;
  fields: PackedField[];
}

/** Label codes for null and an absent field. */
const NULL = -1;
const ABSENT = -2;

export function isPackedProfiles(value: unknown): value is PackedProfiles {
  return typeof value === "object" && value !== null && (value as {packed?: unknown}).packed === "profiles";
}

function packField(profiles: readonly object[], name: string): PackedField {
  const n = profiles.length;
  const value = (i: number) => (profiles[i] as Record<string, unknown>)[name];
  const has = (i: number) => Object.prototype.hasOwnProperty.call(profiles[i], name);
  let numbers = true, labels = true;
  for (let i = 0; i < n && (numbers || labels); i++) {
    const v = value(i);
    if (v == null) continue;
    if (typeof v !== "number") numbers = false;
    if (typeof v !== "string") labels = false;
  }
  if (numbers) {
    const values = new Float64Array(n);
    let state: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const v = value(i);
      if (typeof v === "number") values[i] = v;
      else (state ??= new Uint8Array(n))[i] = has(i) && v !== undefined ? 1 : 2;
    }
    return {name, kind: "number", values, state};
  }
  if (labels) {
    const index = new Map<string, number>();
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = value(i);
      if (typeof v !== "string") codes[i] = has(i) && v !== undefined ? NULL : ABSENT;
      else {
        let code = index.get(v);
        if (code === undefined) index.set(v, (code = index.size));
        codes[i] = code;
      }
    }
    return {name, kind: "label", labels: [...index.keys()], codes};
  }
  // Anything else crosses as it is (a structured clone of the values).
  let absent: Uint8Array | null = null;
  const values = Array.from({length: n}, (_, i) => {
    if (!has(i)) (absent ??= new Uint8Array(n))[i] = 1;
    return value(i);
  });
  return {name, kind: "values", values, absent};
}

/** The profiles as columns (see the module comment). */
export function packProfiles(profiles: readonly object[]): PackedProfiles {
  const names = new Set<string>();
  for (const profile of profiles) for (const name of Object.keys(profile)) names.add(name);
  return {packed: "profiles", length: profiles.length, fields: [...names].map((name) => packField(profiles, name))};
}

/** The profile objects again, one string per label shared by the profiles that hold it. */
export function unpackProfiles<T = Record<string, unknown>>({length, fields}: PackedProfiles): T[] {
  const out = new Array<T>(length);
  for (let i = 0; i < length; i++) {
    const profile: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.kind === "number") {
        const state = field.state?.[i] ?? 0;
        if (state !== 2) profile[field.name] = state === 1 ? null : field.values[i];
      } else if (field.kind === "label") {
        const code = field.codes[i];
        if (code !== ABSENT) profile[field.name] = code === NULL ? null : field.labels[code];
      } else if (!field.absent?.[i]) profile[field.name] = field.values[i];
    }
    out[i] = profile as T;
  }
  return out;
}

/** The typed arrays' buffers of packed profiles (to transfer them rather than copy). */
export function packedBuffers({fields}: PackedProfiles): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const field of fields) {
    const arrays = field.kind === "number" ? [field.values, field.state] : field.kind === "label" ? [field.codes] : [field.absent];
    for (const array of arrays) if (array) out.push(array.buffer as ArrayBuffer);
  }
  return out;
}

/** LearnedCustomers as they cross to the worker: the profiles packed, or (an older caller, a test) as objects. */
export type WireLearnedCustomers = Omit<LearnedCustomers, "profiles"> & {profiles: LearnedCustomers["profiles"] | PackedProfiles};

/** The customers with their profiles packed, for a message to the worker (packed ones as they are). */
export function packLearned<C extends WireLearnedCustomers>(customers: C): C & {profiles: PackedProfiles} {
  const {profiles} = customers;
  return {...customers, profiles: isPackedProfiles(profiles) ? profiles : packProfiles(profiles)};
}

/** The customers as the learned model reads them, their profiles unpacked if they came packed. */
export function unpackLearned(customers: WireLearnedCustomers): LearnedCustomers {
  const {profiles} = customers;
  return isPackedProfiles(profiles) ? {...customers, profiles: unpackProfiles<LearnedCustomers["profiles"][number]>(profiles)} : {...customers, profiles};
}

/**
 * A validation request as it crosses to the worker: the learned customers' profiles packed, and the buffers
 * to move rather than copy: the packed columns' (made for the message), and with `transfer` every typed
 * array of the request (for a caller that made the request for the worker only: they are empty here after).
 */
export function validateMessage(request: ValidateInput, {transfer = false}: {transfer?: boolean} = {}): {request: ValidateInput; transfer: ArrayBuffer[]} {
  const buffers = new Set<ArrayBuffer>();
  // Only an array that owns its whole buffer moves: a view into a larger one (an Arrow record batch's body)
  // would take every other array on that buffer with it; it is copied instead.
  const add = (values: unknown) => {
    if (ArrayBuffer.isView(values) && values.buffer instanceof ArrayBuffer && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength) {
      buffers.add(values.buffer);
    }
  };
  const learned = request.learned && {training: packLearned(request.learned.training), calibration: packLearned(request.learned.calibration)};
  if (learned) for (const buffer of [...packedBuffers(learned.training.profiles), ...packedBuffers(learned.calibration.profiles)]) buffers.add(buffer);
  if (transfer) {
    // The learned customers' summaries are the request's own arrays: each buffer is listed once.
    for (const arrays of [request.calibration, request.training, request.learned?.training.summaries, request.learned?.calibration.summaries]) {
      for (const values of Object.values(arrays ?? {})) add(values);
    }
    add(request.actualSpend);
    add(request.trainingTarget);
  }
  return {request: {...request, ...(learned ? {learned} : {})}, transfer: [...buffers]};
}
