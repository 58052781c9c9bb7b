/**
 * The user's uploaded transactions file, kept in the browser's IndexedDB (never sent anywhere) together with
 * the column mapping and cleaning options chosen for it, so every page can analyse it after a reload or a
 * move to another page. One upload at a time; clearing it brings back the build's data.
 */
import type {CleanOptions} from "../lib/data/clean/classify.js";
import type {MappingOverrides} from "../lib/data/schema.js";
import {clearFilters} from "./filterBar.js";

export interface StoredUpload {
  name: string;
  bytes: Uint8Array;
  /** Canonical column → the file's column, as the user chose on the data page (only the changes). */
  overrides: MappingOverrides;
  options: Pick<CleanOptions, "netReturns" | "dropZero" | "dedupe" | "asOf">;
  savedAt: string;
}

const DB_NAME = "clv-explorer";
const STORE = "uploads";
const KEY = "current";

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

/** Stores the upload; the shared filters are cleared, since they were chosen on other data. */
export async function saveUpload(upload: StoredUpload): Promise<void> {
  await transact("readwrite", (store) => store.put(upload, KEY));
  clearFilters();
}

export async function clearUpload(): Promise<void> {
  if (typeof indexedDB === "undefined") return;
  await transact("readwrite", (store) => store.delete(KEY));
  clearFilters();
}
