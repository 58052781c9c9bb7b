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
  /**
   * The file itself: IndexedDB keeps a Blob on disk, so storing and loading it copies no bytes into the page
   * (records of earlier versions held a Uint8Array `bytes`, which loadUpload turns into a Blob).
   */
  file: Blob;
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
  /**
   * Member name (e.g. "cells.arrow") → its bytes. Stored as Blobs: IndexedDB keeps a Blob out of line, while
   * a value's serialized bytes are capped (Chromium: 133 MB, which the tables of 2M rows exceed); loaded as
   * Blobs (read when a page asks for that member) or, from records of earlier versions, as bytes.
   */
  members: Record<string, Uint8Array | Blob>;
}

/** A member's bytes, whichever way it was kept. */
export async function memberBytes(member: Uint8Array | Blob): Promise<Uint8Array> {
  return member instanceof Blob ? new Uint8Array(await member.arrayBuffer()) : member;
}

const memberSize = (member: Uint8Array | Blob) => (member instanceof Blob ? member.size : member.byteLength);

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

/**
 * Runs one request in its own transaction and resolves only when the transaction has committed (`complete`),
 * not when the request succeeds: a page that reloads right after a put would otherwise abort the write.
 */
async function transact<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openStore();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode, {durability: "strict"});
      const request = action(transaction.objectStore(STORE));
      let result: T;
      request.onsuccess = () => (result = request.result as T);
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error("IndexedDB request failed"));
      transaction.onabort = () => reject(transaction.error ?? request.error ?? new Error("IndexedDB transaction was aborted"));
    });
  } finally {
    db.close();
  }
}

/** Thrown when the browser refuses the space for an upload; the message names the size and the quota. */
export class StorageQuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageQuotaError";
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString("en", {maximumFractionDigits: bytes < 1e7 ? 1 : 0})} MB`;
}

/** The message for a refused write of `size` bytes, with the browser's quota and usage when it tells them. */
export async function quotaMessage(size: number): Promise<string> {
  let estimate: StorageEstimate | undefined;
  try {
    estimate = await navigator.storage?.estimate();
  } catch {
    estimate = undefined;
  }
  const quota = estimate?.quota;
  const usage = estimate?.usage;
  const limits =
    quota === undefined
      ? "the browser did not say how much space it allows"
      : `the browser allows this site ${megabytes(quota)}${usage === undefined ? "" : `, of which ${megabytes(usage)} is in use`}`;
  return `The browser refused to store this file (${megabytes(size)}): ${limits}. Free space in the browser's site data, or use a smaller file (the command-line tool has no such limit).`;
}

function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && (error.name === "QuotaExceededError" || error.code === 22);
}

/** The stored upload, or null (also when the browser offers no IndexedDB, e.g. some private windows). */
export async function loadUpload(): Promise<StoredUpload | null> {
  if (typeof indexedDB === "undefined") return null;
  try {
    const stored = await transact<(Omit<StoredUpload, "file"> & {file?: Blob; bytes?: Uint8Array}) | undefined>("readonly", (store) => store.get(KEY));
    if (!stored) return null;
    const {bytes, file, ...rest} = stored;
    if (file instanceof Blob) return {...rest, file};
    return bytes instanceof Uint8Array ? {...rest, file: new Blob([bytes as Uint8Array<ArrayBuffer>])} : null;
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
  if (typeof stored?.savedAt !== "string" || !members || typeof members !== "object" || !Object.values(members).every((bytes) => bytes instanceof Uint8Array || bytes instanceof Blob)) {
    throw new Error("the stored tables are damaged");
  }
  return stored;
}

/** Stores the tables derived from the current upload, replacing any earlier ones (StorageQuotaError when refused). */
export async function saveDerived(derived: StoredDerived): Promise<void> {
  try {
    const members = Object.fromEntries(Object.entries(derived.members).map(([name, bytes]) => [name, bytes instanceof Blob ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>])]));
    await transact("readwrite", (store) => store.put({...derived, members}, DERIVED_KEY));
  } catch (error) {
    if (isQuotaError(error)) throw new StorageQuotaError(await quotaMessage(Object.values(derived.members).reduce((n, bytes) => n + memberSize(bytes), 0)));
    throw error;
  }
}

/**
 * Stores the upload, with the tables derived from it when given (a new file or mapping replaces both), and
 * resolves once the writes are committed, so the page may reload at once; the shared filters are cleared,
 * since they were chosen on other data. Throws StorageQuotaError (with the browser's quota) when the browser
 * refuses the space, and an Error when it offers no IndexedDB.
 */
export async function saveUpload(upload: StoredUpload, derived?: StoredDerived): Promise<void> {
  if (typeof indexedDB === "undefined") throw new Error("this browser offers no storage for files (IndexedDB), so the upload cannot be kept across pages");
  await transact("readwrite", (store) => store.delete(DERIVED_KEY));
  try {
    await transact("readwrite", (store) => store.put(upload, KEY));
  } catch (error) {
    if (isQuotaError(error)) throw new StorageQuotaError(await quotaMessage(upload.file.size));
    throw error;
  }
  if (derived) await saveDerived(derived);
  clearFilters();
}

export async function clearUpload(): Promise<void> {
  if (typeof indexedDB === "undefined") return;
  await transact("readwrite", (store) => store.delete(DERIVED_KEY));
  await transact("readwrite", (store) => store.delete(KEY));
  clearFilters();
}
