/**
 * Customer profiles as they cross to the fit worker: a column per field, not an object per customer. A
 * structured clone copies every object and every string anew, so two splits of a million customers' learned
 * profiles (orders, revenue, last purchase day, region, …) arrived as 0.9 GB of objects and strings on the
 * worker's side; as columns, numbers are one Float64Array per field and a label column is its distinct labels
 * and an Int32Array of codes. The worker reads them in place (profileField: the learned features'
 * learnedFeatureTable), with no object per customer; the objects unpacked from them share one string per label.
 *
 * Exact: unpackProfiles(packProfiles(p)) equals p field for field, null and absent fields included, in the
 * fields' order of first appearance (a field that holds undefined comes back absent).
 */

import type {LearnedCustomers} from "./learnedFeatures.js";
import {ownsBuffer} from "../sql/slices.js";
import {isUtf8Ids} from "../fit/columns.js";
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

/** A field's values read one at a time: `has(i)` whether the ith holds the field at all. */
interface FieldValues {
  length: number;
  value(i: number): unknown;
  has(i: number): boolean;
}

function packField(name: string, {length: n, value, has}: FieldValues): PackedField {
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
  const field = (name: string): FieldValues => ({
    length: profiles.length,
    value: (i) => (profiles[i] as Record<string, unknown>)[name],
    has: (i) => Object.prototype.hasOwnProperty.call(profiles[i], name)
  });
  return {packed: "profiles", length: profiles.length, fields: [...names].map((name) => packField(name, field(name)))};
}

/**
 * Profiles packed from columns, a value per profile (every profile holds every field, null where a value is
 * null): packProfiles of the objects those columns make, without making them.
 */
export function packColumns(columns: Record<string, ArrayLike<unknown>>, length: number): PackedProfiles {
  const fields = Object.entries(columns).map(([name, values]) => {
    if (values.length !== length) throw new Error(`packColumns: ${values.length} values of ${name} for ${length} profiles`);
    return packField(name, {length, value: (i) => values[i], has: () => true});
  });
  return {packed: "profiles", length, fields};
}

/**
 * One field of every profile, packed or not, read one at a time as the profile object holds it (undefined
 * where it has no such field); null when the profiles are packed and none holds it.
 */
export function profileField(profiles: readonly object[] | PackedProfiles, name: string): ((i: number) => unknown) | null {
  if (!isPackedProfiles(profiles)) return (i) => (profiles[i] as Record<string, unknown>)[name];
  const field = profiles.fields.find((f) => f.name === name);
  if (!field) return null;
  if (field.kind === "number") {
    const {values, state} = field;
    return (i) => {
      const s = state?.[i] ?? 0;
      return s === 0 ? values[i] : s === 1 ? null : undefined;
    };
  }
  if (field.kind === "label") {
    const {labels, codes} = field;
    return (i) => {
      const code = codes[i];
      return code >= 0 ? labels[code] : code === NULL ? null : undefined;
    };
  }
  const {values, absent} = field;
  return (i) => (absent?.[i] ? undefined : values[i]);
}

/** The profile objects again, one string per label shared by the profiles that hold it (each field read by profileField). */
export function unpackProfiles<T = Record<string, unknown>>(packed: PackedProfiles): T[] {
  const fields = packed.fields.map(({name}) => [name, profileField(packed, name)!] as const);
  return Array.from({length: packed.length}, (_, i) => {
    const profile: Record<string, unknown> = {};
    for (const [name, read] of fields) {
      const value = read(i);
      if (value !== undefined) profile[name] = value;
    }
    return profile as T;
  });
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

/** LearnedCustomers as the learned features read them (learnedFeatureTable): the profiles packed (as they cross to the worker) or as objects. */
export type WireLearnedCustomers = Omit<LearnedCustomers, "profiles"> & {profiles: LearnedCustomers["profiles"] | PackedProfiles};

/** The customers with their profiles packed, for a message to the worker (packed ones as they are). */
export function packLearned<C extends WireLearnedCustomers>(customers: C): C & {profiles: PackedProfiles} {
  const {profiles} = customers;
  return {...customers, profiles: isPackedProfiles(profiles) ? profiles : packProfiles(profiles)};
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
    if (ArrayBuffer.isView(values) && values.buffer instanceof ArrayBuffer && ownsBuffer(values)) {
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
    // Ids as UTF-8 bytes (Utf8Ids, a CLV table's: utf8Ids makes them arrays of their own) move too.
    const ids = request.calibration.ids;
    if (ids && isUtf8Ids(ids)) (add(ids.offsets), add(ids.bytes));
    add(request.actualSpend);
    add(request.trainingTarget);
  }
  return {request: {...request, ...(learned ? {learned} : {})}, transfer: [...buffers]};
}
