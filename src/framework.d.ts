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
