// The independent answers of the MCP and HTTP tests: hand-written SQL over
// the saas example's CSV files, run on a plain in-memory DuckDB (not kpic's
// engine), written from the KPIs' definitions in metrics/ and
// docs/time-analytics.md, never from kpic's SQL.

import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export const SAAS = resolve(import.meta.dirname, '../../examples/saas');
const DATA = resolve(SAAS, 'data').replaceAll("'", "''");

export type HandRow = Record<string, string | number | boolean | null>;

let connection: DuckDBConnection | undefined;

/** Run SQL on a plain DuckDB; `{data}` is the saas data folder. Numbers come back as numbers, dates as text. */
export async function hand(sql: string): Promise<HandRow[]> {
  connection ??= await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await connection.runAndReadAll(sql.replaceAll('{data}', DATA));
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
}

function plain(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v);
}

/** Valid NPS answers (the `score_in_scale` check) with the customer's tier and region. */
const NPS_ROWS = `(SELECT s.responded_at AS t, s.score, c.tier, c.region, c.customer_id
  FROM read_csv('{data}/surveys.csv') s JOIN read_csv('{data}/customers.csv') c USING (customer_id)
  WHERE s.survey_type = 'nps' AND s.score BETWEEN 0 AND 10)`;

/**
 * The latest month that the surveys cover to its end: the month before the
 * one that contains the day after the last answer.
 */
export async function npsLatestMonth(): Promise<string> {
  const [row] = await hand(
    `SELECT strftime(date_trunc('month', CAST(max(responded_at) AS DATE) + 1) - INTERVAL 1 MONTH, '%Y-%m-%d') AS m FROM read_csv('{data}/surveys.csv')`,
  );
  return String(row!['m']);
}

/**
 * nps (metrics/kpis/nps.kpi): 100 * (promoters - detractors) / responses;
 * target >= 30; warn < 10; critical < -10, and < 0 for EMEA.
 */
const NPS_STATUS = (region: string) => `CASE
  WHEN value IS NULL THEN NULL
  WHEN ${region} = 'EMEA' AND value < 0 THEN 'critical'
  WHEN ${region} IS DISTINCT FROM 'EMEA' AND value < -10 THEN 'critical'
  WHEN value < 10 THEN 'warn' ELSE 'ok' END`;

/** nps per `segments` in one month: numerator, denominator, value, status, target_met. */
export function npsMonth(month: string, segments: readonly string[]): Promise<HandRow[]> {
  const cols = segments.join(', ');
  const region = segments.includes('region') ? 'region' : 'NULL';
  return hand(`SELECT ${cols}${cols ? ',' : ''} numerator, denominator, value, ${NPS_STATUS(region)} AS status, value >= 30 AS target_met FROM (
    SELECT ${cols}${cols ? ',' : ''} count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6) AS numerator, count(*) AS denominator,
      100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS value
    FROM ${NPS_ROWS}
    WHERE t >= DATE '${month}' AND t < DATE '${month}' + INTERVAL 1 MONTH
    ${cols ? `GROUP BY ${cols}` : ''}) ORDER BY ALL`);
}

/** The total nps of a month and of the month before it, with the change. */
export async function npsChange(month: string): Promise<{ value: number; previous: number; change: number }> {
  const [now] = await npsMonth(month, []);
  const [before] =
    await hand(`SELECT 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS value
    FROM ${NPS_ROWS} WHERE t >= DATE '${month}' - INTERVAL 1 MONTH AND t < DATE '${month}'`);
  const value = Number(now!['value']);
  const previous = Number(before!['value']);
  return { value, previous, change: value - previous };
}

/**
 * usage_drop (metrics/kpis/time/at-risk-accounts.kpi) per enterprise
 * customer in the latest complete week: this week's events over a quarter of
 * the events of the four weeks before, minus 1 (a week without events counts
 * 0); warn < -0.15, critical < -0.3. Customers without events in the four
 * weeks have no value, so they are never in breach.
 */
export async function usageDropAtRisk(): Promise<{ week: string; rows: HandRow[] }> {
  const [w] = await hand(
    `SELECT strftime(date_trunc('week', CAST(max(occurred_at) AS DATE) + 1) - INTERVAL 7 DAY, '%Y-%m-%d') AS week FROM read_csv('{data}/events.csv')`,
  );
  const week = String(w!['week']);
  const rows = await hand(`WITH e AS (
      SELECT e.customer_id, e.occurred_at AS t FROM read_csv('{data}/events.csv') e
      JOIN read_csv('{data}/customers.csv') c USING (customer_id) WHERE c.tier = 'enterprise'),
    per AS (
      SELECT customer_id,
        count(*) FILTER (WHERE t >= DATE '${week}' AND t < DATE '${week}' + INTERVAL 7 DAY) AS now,
        count(*) FILTER (WHERE t >= DATE '${week}' - INTERVAL 28 DAY AND t < DATE '${week}') / 4.0 AS before
      FROM e GROUP BY customer_id),
    valued AS (SELECT customer_id AS customer, now / before - 1 AS value FROM per WHERE before > 0)
    SELECT customer, value, CASE WHEN value < -0.3 THEN 'critical' ELSE 'warn' END AS status
    FROM valued WHERE value < -0.15 ORDER BY customer`);
  return { week, rows };
}

/** The customers of the example, counted by plain SQL with `filter` spliced in as text (the attack's target). */
export async function customersWhere(filter: string): Promise<number> {
  const [row] = await hand(`SELECT count(*) AS n FROM read_csv('{data}/customers.csv') WHERE (${filter})`);
  return Number(row!['n']);
}

/**
 * The breaches of the alert `enterprise_usage_drop` (examples/saas/kpis/alerts.kpi),
 * from docs/alerts.md: per enterprise customer and week, the events of the
 * week against the mean of the four weeks before (a week without events
 * counts 0), in breach below -30%. kpic reads twelve weeks (eight of history
 * plus a baseline of four), so the four oldest are never decided; the run of
 * weeks in breach ends with the latest complete week, and is `at_least`
 * when it reaches the oldest decided week. Escalated from three weeks on.
 */
export async function enterpriseUsageDropBreaches(): Promise<{ week: string; rows: HandRow[] }> {
  const [w] = await hand(
    `SELECT strftime(date_trunc('week', CAST(max(occurred_at) AS DATE) + 1) - INTERVAL 7 DAY, '%Y-%m-%d') AS week FROM read_csv('{data}/events.csv')`,
  );
  const week = String(w!['week']);
  const rows =
    await hand(`WITH ent AS (SELECT customer_id FROM read_csv('{data}/customers.csv') WHERE tier = 'enterprise'),
    weeks AS (SELECT i, CAST(DATE '${week}' - INTERVAL (7 * (11 - i)) DAY AS DATE) AS w FROM range(12) t(i)),
    counts AS (SELECT customer_id, CAST(date_trunc('week', occurred_at) AS DATE) AS w, count(*) AS n
      FROM read_csv('{data}/events.csv') JOIN ent USING (customer_id) GROUP BY ALL),
    grid AS (SELECT ent.customer_id, weeks.i, coalesce(counts.n, 0) AS n
      FROM ent CROSS JOIN weeks LEFT JOIN counts ON counts.customer_id = ent.customer_id AND counts.w = weeks.w),
    based AS (SELECT customer_id, i, n,
        CASE WHEN i >= 4 THEN avg(n) OVER (PARTITION BY customer_id ORDER BY i ROWS BETWEEN 4 PRECEDING AND 1 PRECEDING) END AS baseline,
        lag(n) OVER (PARTITION BY customer_id ORDER BY i) AS previous
      FROM grid),
    decided AS (SELECT *, baseline > 0 AND (n - baseline) / baseline < -0.3 AS holds FROM based),
    runs AS (SELECT customer_id, 11 - max(i) FILTER (WHERE holds IS NOT TRUE) AS periods FROM decided GROUP BY customer_id)
    SELECT CAST(d.customer_id AS VARCHAR) AS customer, d.n AS value, d.previous AS previous_value, d.baseline,
      (d.n - d.baseline) / d.baseline AS change, r.periods AS periods_in_breach, r.periods = 8 AS at_least,
      r.periods >= 3 AS escalated
    FROM decided d JOIN runs r USING (customer_id) WHERE d.i = 11 AND d.holds ORDER BY customer`);
  return { week, rows };
}

/**
 * The breaches of the alert `region_critical` (examples/saas/kpis/alerts.kpi):
 * regional_nps per region and month (100 * (promoters - detractors) /
 * answers, critical below 10), in breach when critical in the latest
 * complete month; kpic reads eight months, so a run of eight is `at_least`
 * (the data goes back further). Escalated from two months on.
 */
export async function regionCriticalBreaches(): Promise<{ month: string; rows: HandRow[] }> {
  const month = await npsLatestMonth();
  const rows =
    await hand(`WITH months AS (SELECT i, CAST(DATE '${month}' - INTERVAL (11 - i) MONTH AS DATE) AS m FROM range(4, 12) t(i)),
    per AS (SELECT region, CAST(date_trunc('month', t) AS DATE) AS m,
        100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS value
      FROM ${NPS_ROWS} GROUP BY ALL),
    grid AS (SELECT per.region, months.i, per.value, lag(per.value) OVER (PARTITION BY per.region ORDER BY months.i) AS previous
      FROM months JOIN per ON per.m = months.m),
    runs AS (SELECT region, 11 - coalesce(max(i) FILTER (WHERE NOT value < 10), 3) AS periods FROM grid GROUP BY region)
    SELECT g.region, g.value, g.previous AS previous_value, r.periods AS periods_in_breach, r.periods = 8 AS at_least,
      r.periods >= 2 AS escalated
    FROM grid g JOIN runs r USING (region) WHERE g.i = 11 AND g.value < 10 ORDER BY region`);
  return { month, rows };
}
