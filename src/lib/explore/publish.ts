/**
 * The report build (CLV_PUBLISH=aggregates): a site that ships no raw transactions. Before the derived
 * tables are made (derived.ts, by the data loader src/data/derived.tar.ts), the build's `transactions` are
 * rewritten in SQL so that every member made from them is safe to publish:
 *
 * - customer ids become keyed pseudonyms, "P" and 16 hex digits of SHA-256(key, id): stable for a given
 *   key (CLV_PUBLISH_KEY), unguessable without it (an id such as C0000042 cannot be hashed to find its
 *   pseudonym), distinct for distinct ids (checked: a collision stops the build);
 * - order ids become keyed pseudonyms too ("O…"), so that orders still count once;
 * - in each grouping column (region, province, customer segment, category, partner, offer type), a value
 *   held by fewer than `minGroup` customers (CLV_MIN_GROUP, default 10) is merged into one group,
 *   smallGroupLabel(minGroup), so no chart, filter or table shows a group that small; totals are unchanged
 *   (when the merged group is itself that small, its rows lose the value, as a missing one).
 *
 * The loader of transactions.parquet writes no rows in this mode, and scripts/publish.mjs removes the file
 * from the built site; pages that need the raw rows say so (components/published.ts).
 */
import {sqlIdentifier, sqlString} from "../sql/quote.js";
import type {SqlRunner} from "../types.js";

export type PublishMode = "full" | "aggregates";

export interface PublishSettings {
  mode: PublishMode;
  /** Groups held by fewer customers than this are merged (aggregates mode). */
  minGroup: number;
  /** The pseudonyms' key, or null when none was set (the loader then draws one for the build). */
  key: string | null;
}

export const DEFAULT_MIN_GROUP = 10;

/** The columns whose small groups are merged. */
export const GROUP_COLUMNS = ["region", "province", "customer_segment", "category", "partner", "offer_type"] as const;

/** The group that stands for every value held by fewer than `minGroup` customers. */
export function smallGroupLabel(minGroup: number): string {
  return `Other (under ${minGroup} customers)`;
}

/** The build's publishing settings from the environment: CLV_PUBLISH, CLV_MIN_GROUP, CLV_PUBLISH_KEY. */
export function publishSettings(env: Record<string, string | undefined> = {}): PublishSettings {
  const named = env.CLV_PUBLISH?.trim().toLowerCase() ?? "";
  if (named !== "" && named !== "full" && named !== "aggregates") {
    throw new Error(`CLV_PUBLISH must be "aggregates" (or "full", the default), got ${JSON.stringify(env.CLV_PUBLISH)}`);
  }
  const mode: PublishMode = named === "aggregates" ? "aggregates" : "full";
  const minText = env.CLV_MIN_GROUP?.trim();
  const minGroup = minText ? Number(minText) : DEFAULT_MIN_GROUP;
  if (!Number.isInteger(minGroup) || minGroup < 1) throw new Error(`CLV_MIN_GROUP must be a whole number of customers, 1 or more, got ${JSON.stringify(minText)}`);
  const key = env.CLV_PUBLISH_KEY ? env.CLV_PUBLISH_KEY : null;
  if (key !== null && key.length < 16) throw new Error("CLV_PUBLISH_KEY must be at least 16 characters long (a random string kept out of the published site)");
  return {mode, minGroup, key};
}

/** SQL of a keyed pseudonym of `expression` (NULL stays NULL); `domain` keeps customer and order pseudonyms apart. */
export function pseudonymSql(expression: string, key: string, prefix: string, domain: string): string {
  return `CASE WHEN ${expression} IS NULL THEN NULL ELSE ${sqlString(prefix)} || substr(sha256(${sqlString(`${key}\u001f${domain}\u001f`)} || CAST(${expression} AS VARCHAR)), 1, 16) END`;
}

export interface MergedGroups {
  column: string;
  /** The values merged into the small group, sorted. */
  values: string[];
  /** Rows of the transactions now in the small group. */
  rows: number;
  /** The merged group was still too small: those rows have no value in this column (NULL). */
  suppressed: boolean;
}

export interface PublishReport {
  rows: number;
  customers: number;
  orders: boolean;
  minGroup: number;
  merged: MergedGroups[];
}

/**
 * Rewrites `table` in place (DuckDB SQL: sha256) as the report build publishes it: pseudonymous customer and
 * order ids, small groups merged. Every row is kept; the report says what was merged.
 */
export async function publishTransactions(
  db: SqlRunner,
  {table = "transactions", key, minGroup = DEFAULT_MIN_GROUP}: {table?: string; key: string; minGroup?: number}
): Promise<PublishReport> {
  if (!key) throw new Error("publishTransactions: a key is required");
  const names = (await db.query<{column_name: string}>(`DESCRIBE ${table}`)).map((row) => row.column_name);
  if (!names.includes("customer_id")) throw new Error(`publishTransactions: ${table} has no customer_id`);
  const label = smallGroupLabel(minGroup);
  const merged: MergedGroups[] = [];
  const replace: Record<string, string> = {customer_id: pseudonymSql("customer_id", key, "P", "customer")};
  if (names.includes("order_id")) replace.order_id = pseudonymSql("order_id", key, "O", "order");
  for (const column of GROUP_COLUMNS) {
    if (!names.includes(column)) continue;
    const id = sqlIdentifier(column);
    const small = await db.query<{value: string; rows: number}>(
      `SELECT CAST(${id} AS VARCHAR) AS value, COUNT(*) AS rows FROM ${table} WHERE ${id} IS NOT NULL GROUP BY ${id} HAVING count(DISTINCT customer_id) < ${minGroup} ORDER BY value`
    );
    if (!small.length) continue;
    const list = small.map((s) => sqlString(s.value)).join(", ");
    // The merged group is itself a group: when it still has fewer customers than the minimum, its rows lose
    // the value (NULL, as a missing value), and the report says so.
    const [{customers}] = await db.query<{customers: number}>(`SELECT count(DISTINCT customer_id) AS customers FROM ${table} WHERE CAST(${id} AS VARCHAR) IN (${list})`);
    const suppressed = Number(customers) < minGroup;
    merged.push({column, values: small.map((s) => s.value), rows: small.reduce((sum, s) => sum + Number(s.rows), 0), suppressed});
    replace[column] = `CASE WHEN CAST(${id} AS VARCHAR) IN (${list}) THEN ${suppressed ? "NULL" : sqlString(label)} ELSE CAST(${id} AS VARCHAR) END`;
  }
  const [before] = await db.query<{rows: number; customers: number; orders: number}>(
    `SELECT COUNT(*) AS rows, count(DISTINCT customer_id) AS customers, ${names.includes("order_id") ? "count(DISTINCT order_id)" : "0"} AS orders FROM ${table}`
  );
  const select = names.map((name) => (name in replace ? `${replace[name]} AS ${sqlIdentifier(name)}` : sqlIdentifier(name))).join(", ");
  const staged = `${table}_published`;
  await db.query(`CREATE OR REPLACE TABLE ${staged} AS SELECT ${select} FROM ${table}`);
  const [after] = await db.query<{rows: number; customers: number; orders: number}>(
    `SELECT COUNT(*) AS rows, count(DISTINCT customer_id) AS customers, ${names.includes("order_id") ? "count(DISTINCT order_id)" : "0"} AS orders FROM ${staged}`
  );
  if (Number(after.rows) !== Number(before.rows) || Number(after.customers) !== Number(before.customers) || Number(after.orders) !== Number(before.orders)) {
    await db.query(`DROP TABLE ${staged}`);
    throw new Error(
      `two ids got the same pseudonym (customers ${before.customers} → ${after.customers}, orders ${before.orders} → ${after.orders}): build again with another CLV_PUBLISH_KEY`
    );
  }
  await db.query(`DROP TABLE ${table}`);
  await db.query(`ALTER TABLE ${staged} RENAME TO ${table}`);
  return {rows: Number(before.rows), customers: Number(before.customers), orders: names.includes("order_id"), minGroup, merged};
}
