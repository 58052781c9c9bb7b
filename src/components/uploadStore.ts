/**
 * The user's uploaded transactions file, kept in the browser's IndexedDB (never sent anywhere) together with
 * the column mapping and cleaning options chosen for it, so every page can analyse it after a reload or a
 * move to another page. One upload at a time; clearing it brings back the build's data.
 */
import type {CleanOptions} from "../lib/data/clean/classify.js";
import type {Mapping, MappingOverrides} from "../lib/data/schema.js";
import type {DataQualityReport} from "../lib/data/clean/report.js";
import {clearFilters} from "./filterBar.js";

export interface StoredUpload {
  name: string;
  bytes: Uint8Array;
  /** Canonical column → the file's column, as the user chose on the data page (only the changes). */
  overrides: MappingOverrides;
  options: Pick<CleanOptions, "netReturns" | "dropZero" | "dedupe" | "asOf">;
  savedAt: string;
}

/**
 * The tables derived from the cleaned upload (src/lib/explore/derived.ts, made on the data page), kept beside
 * it so that the other pages open on them without reading and cleaning the file again.
 */
export interface StoredDerived {
  /** The upload's savedAt: the tables belong to that upload and no other. */
  savedAt: string;
  name: string;
  mapping: Mapping;
  report: DataQualityReport;
  /** Member name (e.g. "cells.arrow") → its bytes. */
  members: Record<string, Uint8Array>;
}

const DB_NAME = "clv-explorer";
const STORE = "uploads";
const KEY = "current";
const DERIVED_KEY = "derived";

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB is not available"));
  });
}

async function transact<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openStore();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
    });
  } finally {
    db.close();
  }
}

/** The stored upload, or null (also when the browser offers no IndexedDB, e.g. some private windows). */
export async function loadUpload(): Promise<StoredUpload | null> {
  if (typeof indexedDB === "undefined") return null;
  try {
    return (await transact<StoredUpload | undefined>("readonly", (store) => store.get(KEY))) ?? null;
  } catch {
    return null;
  }
}

/** Whether an upload is stored, without reading its bytes. */
export async function hasUpload(): Promise<boolean> {
  if (typeof indexedDB === "undefined") return false;
  try {
    return (await transact<IDBValidKey | undefined>("readonly", (store) => store.getKey(KEY))) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The stored derived tables, or null when there are none. Throws when the store holds something that is not
 * a derived record (the caller falls back to the built-in data and says so).
 */
export async function loadDerived(): Promise<StoredDerived | null> {
  if (typeof indexedDB === "undefined") return null;
  const stored = await transact<StoredDerived | undefined>("readonly", (store) => store.get(DERIVED_KEY));
  if (stored === undefined) return null;
  const members = stored?.members;
  if (typeof stored?.savedAt !== "string" || !members || typeof members !== "object" || !Object.values(members).every((bytes) => bytes instanceof Uint8Array)) {
    throw new Error("the stored tables are damaged");
  }
  return stored;
}

/** Stores the tables derived from the current upload, replacing any earlier ones. */
export async function saveDerived(derived: StoredDerived): Promise<void> {
  await transact("readwrite", (store) => store.put(derived, DERIVED_KEY));
}

/**
 * Stores the upload, with its derived tables when given (a new file or mapping replaces both); the shared
 * filters are cleared, since they were chosen on other data.
 */
export async function saveUpload(upload: StoredUpload, derived?: StoredDerived): Promise<void> {
  await transact("readwrite", (store) => store.delete(DERIVED_KEY));
  await transact("readwrite", (store) => store.put(upload, KEY));
  if (derived) await saveDerived(derived);
  clearFilters();
}

export async function clearUpload(): Promise<void> {
  if (typeof indexedDB === "undefined") return;
  await transact("readwrite", (store) => store.delete(DERIVED_KEY));
  await transact("readwrite", (store) => store.delete(KEY));
  clearFilters();
}
