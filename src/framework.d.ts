/**
 * Types for the modules Observable Framework provides to pages and their components at build time. Only
 * what this project uses is declared; the implementations are Framework's own (see README.md).
 */
declare module "npm:@observablehq/duckdb" {
  import type {Table} from "apache-arrow";
  export class DuckDBClient {
    static of(sources?: Record<string, unknown>, config?: Record<string, unknown>): Promise<DuckDBClient>;
    query(sql: string, params?: unknown[]): Promise<Table>;
    sql(strings: TemplateStringsArray, ...args: unknown[]): Promise<Table>;
    describeColumns(options: {table: string}): Promise<{name: string; type: string}[]>;
    _db: {
      registerFileBuffer(name: string, buffer: Uint8Array): Promise<void>;
      dropFile(name: string): Promise<void>;
      connect(): Promise<{
        query(sql: string): Promise<Table>;
        insertArrowTable(table: Table, options: {name: string; schema?: string; create?: boolean}): Promise<void>;
        close(): Promise<void>;
      }>;
    };
  }
}

declare module "observablehq:stdlib" {
  import type {Table} from "apache-arrow";
  export interface FileAttachmentObject {
    name: string;
    mimeType: string;
    url(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
    text(): Promise<string>;
    json(): Promise<unknown>;
    parquet(): Promise<Table>;
    arrow(): Promise<Table>;
  }
  export function FileAttachment(name: string): FileAttachmentObject;
}

declare module "npm:@observablehq/inputs" {
  type Input<T> = HTMLElement & {value: T};
  type Options = Record<string, unknown>;
  export function form<T extends Record<string, unknown>>(inputs: {[K in keyof T]: Input<T[K]>}, options?: Options): Input<T>;
  export function select<T>(data: Iterable<T>, options?: Options): Input<T | T[]>;
  export function checkbox<T>(data: Iterable<T>, options?: Options): Input<T[]>;
  export function radio<T>(data: Iterable<T>, options?: Options): Input<T>;
  export function range(extent: [number, number], options?: Options): Input<number>;
  export function number(extent: [number, number], options?: Options): Input<number>;
  export function date(options?: Options): Input<Date | null>;
  export function text(options?: Options): Input<string>;
  export function search<T>(data: Iterable<T>, options?: Options): Input<T[]>;
  export function table<T>(data: Iterable<T>, options?: Options): Input<T[]>;
  export function button(content: unknown, options?: Options): Input<unknown>;
  export function toggle(options?: Options): Input<boolean>;
}

declare module "@svg-maps/canada" {
  const map: {label: string; viewBox: string; locations: {id: string; name: string; path: string}[]};
  export default map;
}

declare module "npm:apache-arrow" {
  export * from "apache-arrow";
}

declare module "npm:parquet-wasm" {
  export default function init(input?: string | URL): Promise<unknown>;
  export function readParquet(bytes: Uint8Array): {intoIPCStream(): Uint8Array};
}
