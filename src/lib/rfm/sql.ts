/**
 * The RFM values and scores of rfm.ts as one DuckDB query, for pages that keep transactions in DuckDB and
 * for cross-checking the Arquero code. Same definitions, same tie rule:
 *   score = 1 + k * (rank() - 1) // count(*)   (rank() = 1 + customers with a strictly smaller value),
 * amounts summed as integer micro-units, and monetary = micros / frequency / 1e6 in that order, so that the
 * two implementations give identical numbers.
 *
 * The table needs customer_id, order_date (DATE or 'YYYY-MM-DD' text) and amount; order_id if orderId is set.
 * Output columns as scoreRfm(): customer_id, first_purchase, last_purchase (text), recency, frequency,
 * monetary, revenue, r_score, f_score, m_score, fm_score; ordered by customer_id.
 */
import type {RfmValueOptions, ScoreOptions} from "./scores.js";
import {checkCuts, checkK} from "./rules.js";
import {dayNumber} from "../time.js";
import {sqlIdentifier} from "../sql/quote.js";
import {duckdb, type Dialect} from "../sql/dialect.js";

export interface RfmSqlOptions extends RfmValueOptions, ScoreOptions {
  /** Name of the transactions table or view. */
  table?: string;
  /** Count distinct order_id for frequency "orders" (a row with a NULL order_id is its own order). */
  orderId?: boolean;
  /** SQL dialect (default DuckDB). */
  dialect?: Dialect;
}

function scoreSql(column: string, k: number, descending: boolean, cuts: readonly number[] | undefined, dialect: Dialect): string {
  if (cuts !== undefined) {
    const above = cuts.map((c) => `(${column} >= ${String(c)})::INTEGER`).join(" + ");
    return descending ? `${k} - (${above})` : `1 + ${above}`;
  }
  return `1 + ${dialect.intDiv(`${k} * (rank() OVER (ORDER BY ${column}${descending ? " DESC" : ""}) - 1)`, "count(*) OVER ()")}`;
}

/** The rfm_values rows of rfmScoresSql, as common table expressions (tx, cut, per_customer, rfm_values). */
function valuesCtes({
  table = "transactions",
  orderId = false,
  analysisDate,
  frequency = "orders",
  monetary = "total"
}: RfmSqlOptions): string {
  if (typeof table !== "string" || table === "") throw new Error(`table must be a non-empty name, got ${JSON.stringify(table)}`);
  if (frequency !== "orders" && frequency !== "days") throw new Error(`frequency must be "orders" or "days", got ${JSON.stringify(frequency)}`);
  if (monetary !== "total" && monetary !== "mean") throw new Error(`monetary must be "total" or "mean", got ${JSON.stringify(monetary)}`);
  const cut = analysisDate === undefined ? "(SELECT max(order_date) + 1 FROM tx)" : (dayNumber(analysisDate, "analysisDate"), `DATE '${analysisDate}'`);
  const count =
    frequency === "days" ? "count(DISTINCT order_date)"
    : orderId ? "count(DISTINCT order_id) + count(*) FILTER (WHERE order_id IS NULL)"
    : "count(*)";
  const money = monetary === "mean" ? "CAST(micros AS DOUBLE PRECISION) / frequency / 1000000" : "CAST(micros AS DOUBLE PRECISION) / 1000000";
  return `tx AS (
  SELECT customer_id, CAST(order_date AS DATE) AS order_date,
    CAST(round(CAST(amount AS DOUBLE PRECISION) * 1000000) AS BIGINT) AS micros${orderId ? ", order_id" : ""}
  FROM ${sqlIdentifier(table)}
), cut AS (
  SELECT ${cut} AS analysis_date
), per_customer AS (
  SELECT customer_id, min(order_date) AS first_day, max(order_date) AS last_day,
    ${count} AS frequency, sum(micros) AS micros
  FROM tx WHERE order_date < (SELECT analysis_date FROM cut)
  GROUP BY customer_id
), rfm_values AS (
  SELECT customer_id,
    CAST(first_day AS VARCHAR) AS first_purchase,
    CAST(last_day AS VARCHAR) AS last_purchase,
    CAST((SELECT analysis_date FROM cut) - last_day AS INTEGER) AS recency,
    CAST(frequency AS INTEGER) AS frequency,
    ${money} AS monetary,
    CAST(micros AS DOUBLE PRECISION) / 1000000 AS revenue
  FROM per_customer
)`;
}

/**
 * SQL for the per-customer values of rfmValues() (customer_id, first_purchase, last_purchase, recency,
 * frequency, monetary, revenue), ordered by customer_id: the aggregation over transactions stays in the
 * engine, and scoreRfm (Arquero) scores what comes out.
 */
export function rfmValuesSql(options: Omit<RfmSqlOptions, "k" | "thresholds"> = {}): string {
  const dialect = options.dialect ?? duckdb;
  return `WITH ${valuesCtes(options)}
SELECT * FROM rfm_values
ORDER BY ${dialect.byteOrder("customer_id")}`;
}

/** SQL for RFM scores over a transactions table, with the options of rfmScores(). */
export function rfmScoresSql(options: RfmSqlOptions = {}): string {
  const {k = 5, thresholds = {}, dialect = duckdb} = options;
  checkK(k);
  for (const [dim, cuts] of Object.entries(thresholds)) {
    if (!["recency", "frequency", "monetary"].includes(dim)) throw new Error(`thresholds has an unknown dimension ${JSON.stringify(dim)}`);
    checkCuts(cuts, k, `thresholds.${dim}`);
  }
  return `WITH ${valuesCtes(options)}, scored AS (
  SELECT *,
    CAST(${scoreSql("recency", k, true, thresholds.recency, dialect)} AS INTEGER) AS r_score,
    CAST(${scoreSql("frequency", k, false, thresholds.frequency, dialect)} AS INTEGER) AS f_score,
    CAST(${scoreSql("monetary", k, false, thresholds.monetary, dialect)} AS INTEGER) AS m_score
  FROM rfm_values
)
SELECT *, CAST(f_score + m_score AS DOUBLE PRECISION) / 2 AS fm_score
FROM scored
ORDER BY ${dialect.byteOrder("customer_id")}`;
}
