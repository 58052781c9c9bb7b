// The bare engine the CLI is measured against (bench/commands.ts): native DuckDB in a plain Node process,
// no TypeScript loader, one statement on a CSV file with the sniffer's types.
//   node bench/bare-duckdb.mjs read|summary|rfm FILE [OUT.csv]
import {DuckDBInstance} from "@duckdb/node-api";

const [what, file, out] = process.argv.slice(2);
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
const source = `read_csv(${quote(file)})`;
const statements = {
  read: `CREATE TABLE t AS SELECT * FROM ${source}`,
  summary: `COPY (SELECT customer_id, count(DISTINCT order_date) AS days, min(order_date) AS first_day, max(order_date) AS last_day,
      sum(amount) AS spend FROM ${source} GROUP BY customer_id) TO ${quote(out ?? "")} (FORMAT CSV, HEADER)`,
  rfm: `COPY (WITH v AS (SELECT customer_id, max(max(order_date)) OVER () + 1 - max(order_date) AS recency, count(*) AS frequency,
      sum(amount) AS monetary FROM ${source} GROUP BY customer_id)
    SELECT *, ntile(5) OVER (ORDER BY recency DESC) AS r, ntile(5) OVER (ORDER BY frequency) AS f, ntile(5) OVER (ORDER BY monetary) AS m
    FROM v) TO ${quote(out ?? "")} (FORMAT CSV, HEADER)`
};
if (!statements[what] || !file || (what !== "read" && !out)) {
  console.error("usage: node bench/bare-duckdb.mjs read|summary|rfm FILE [OUT.csv]");
  process.exit(2);
}
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
await connection.run(statements[what]);
connection.closeSync();
instance.closeSync();
