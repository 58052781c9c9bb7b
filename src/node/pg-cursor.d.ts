// Types for pg-cursor 2.22.0, which ships none: the part src/node/postgres.ts uses.
declare module "pg-cursor" {
  import type {FieldDef, Submittable} from "pg";
  export default class Cursor<Row = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: unknown[] | null, config?: {rowMode?: "array"; types?: unknown});
    submit(connection: unknown): void;
    read(rows: number): Promise<Row[]>;
    close(): Promise<void>;
    _result?: {fields: FieldDef[]};
  }
}
