// A deterministic generator of SaaS customer data in the canonical customer
// model (docs/customer-model.md): customers, subscriptions, events, tickets
// and surveys.
//
//   npx node examples/saas/generate.ts --seed 42 --customers 2000 --events 30000 --out DIR
//
// Every random choice is `hash(row, seed, salt)` in DuckDB SQL, so the same
// arguments give byte-identical files (on the same DuckDB version) and ten
// million events take seconds: there is no row-by-row JavaScript.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

export interface GenerateOptions {
  readonly seed: number;
  readonly customers: number;
  readonly events: number;
  /** Default: 2.5 per customer. */
  readonly tickets?: number;
  /** Default: 2 per customer. */
  readonly surveys?: number;
  readonly out: string;
  readonly format: 'csv' | 'parquet';
}

/** The defaults of the committed dataset in `examples/saas/data/`. */
export const DEFAULTS = { seed: 42, customers: 2000, events: 30000, format: 'csv' } as const;

export const TABLES = ['customers', 'subscriptions', 'events', 'tickets', 'surveys'] as const;

/** The data ends here (exclusive): subscriptions still running then have no `ended_at`. */
const AS_OF = "DATE '2025-01-01'";

/** Write the five tables to `out` as `<table>.csv` or `<table>.parquet`; returns the paths written. */
export async function generate(options: GenerateOptions): Promise<string[]> {
  const { seed, customers, events, format } = options;
  const tickets = options.tickets ?? Math.round(customers * 2.5);
  const surveys = options.surveys ?? customers * 2;
  for (const [name, n] of [
    ['seed', seed],
    ['customers', customers],
    ['events', events],
    ['tickets', tickets],
    ['surveys', surveys],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number >= 0, got ${n}`);
  }
  mkdirSync(options.out, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    // pick(i, salt, n) is a uniform pick in [0, n): the only source of randomness.
    // (n is cast to UBIGINT: a mixed-type modulo would be ~30x slower.)
    await db.run(`CREATE MACRO pick(i, salt, n) AS (hash(i, ${seed}, salt) % (n)::UBIGINT)::BIGINT`);
    for (const statement of buildStatements(customers)) await db.run(statement);
    // Each active customer-day is equally likely (times the tier's weight):
    // rows pick a point on the line of all customer-days.
    const reader = await db.runAndReadAll('SELECT coalesce(sum(weight * span_days), 1)::BIGINT FROM users');
    const line = String(reader.getRows()[0]?.[0] ?? 1);
    for (const statement of [
      eventsStatement(events, line),
      ticketsStatement(tickets, line),
      surveysStatement(surveys, line),
    ]) {
      await db.run(statement);
    }
    const written: string[] = [];
    for (const table of TABLES) {
      const path = resolve(options.out, `${table}.${format}`);
      const target = path.replaceAll("'", "''");
      const copyOptions = format === 'csv' ? 'FORMAT csv, HEADER' : 'FORMAT parquet, COMPRESSION zstd';
      await db.run(`COPY (SELECT * FROM ${table} ORDER BY 1) TO '${target}' (${copyOptions})`);
      written.push(path);
    }
    return written;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The customers, their subscription terms, and `users`: the active customers laid on one line of customer-days. */
function buildStatements(customers: number): string[] {
  return [
    // Customers sign up over two years; tier, region and industry are weighted picks.
    `CREATE TABLE customers AS
     SELECT i AS customer_id,
       ['Acme', 'Birch', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen'][1 + pick(i, 1, 12)]
         || ' ' || ['Labs', 'Systems', 'Foods', 'Logistics', 'Health', 'Studio', 'Partners', 'Retail'][1 + pick(i, 2, 8)] AS name,
       CASE WHEN pick(i, 3, 100) < 55 THEN 'starter' WHEN pick(i, 3, 100) < 85 THEN 'growth' ELSE 'enterprise' END AS tier,
       CASE WHEN pick(i, 4, 100) < 40 THEN 'NA' WHEN pick(i, 4, 100) < 70 THEN 'EMEA' WHEN pick(i, 4, 100) < 90 THEN 'APAC' ELSE 'LATAM' END AS region,
       ['software', 'retail', 'healthcare', 'finance', 'manufacturing', 'education'][1 + pick(i, 5, 6)] AS industry,
       (DATE '2023-01-01' + pick(i, 6, 731)::INTEGER) AS signup_date,
       CASE WHEN pick(i, 3, 100) < 55 THEN 1 + pick(i, 7, 20) WHEN pick(i, 3, 100) < 85 THEN 20 + pick(i, 7, 180) ELSE 200 + pick(i, 7, 4800) END AS employees
     FROM range(1, ${customers} + 1) t(i)`,
    // Terms by tier; each term ends renewed or churned; renewals sometimes expand.
    `CREATE TABLE terms AS
     SELECT c.customer_id, c.tier, c.signup_date, k,
       CASE c.tier WHEN 'starter' THEN 3 WHEN 'growth' THEN 6 ELSE 12 END AS months,
       pick(c.customer_id * 16 + k, 8, 100) < CASE c.tier WHEN 'starter' THEN 84 WHEN 'growth' THEN 90 ELSE 95 END AS renews,
       pick(c.customer_id * 16 + k, 9, 100) < 30 AND k > 1 AS expands,
       CASE c.tier WHEN 'starter' THEN 49 + pick(c.customer_id, 10, 101) WHEN 'growth' THEN 300 + pick(c.customer_id, 10, 601) ELSE 2000 + pick(c.customer_id, 10, 6001) END AS base_mrr
     FROM customers c, range(1, 9) r(k)`,
    `CREATE TABLE subscriptions AS
     WITH laid AS (
       SELECT *,
         (signup_date + to_months(((k - 1) * months)::INTEGER))::DATE AS started_at,
         coalesce(bool_and(renews) OVER (PARTITION BY customer_id ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true) AS reached,
         sum(expands::INTEGER) OVER (PARTITION BY customer_id ORDER BY k) AS expansions
       FROM terms
     ), kept AS (
       SELECT *, (started_at + to_months(months::INTEGER))::DATE AS term_end,
         round(base_mrr * (1 + 0.15 * expansions), 2)::DECIMAL(12, 2) AS mrr
       FROM laid WHERE reached AND started_at < ${AS_OF}
     )
     SELECT customer_id * 10 + k AS subscription_id, customer_id,
       tier || CASE months WHEN 3 THEN '_quarterly' WHEN 6 THEN '_semiannual' ELSE '_annual' END AS plan,
       mrr, started_at,
       CASE WHEN term_end < ${AS_OF} THEN term_end END AS ended_at,
       term_end < ${AS_OF} AND renews AS renewed,
       lag(mrr) OVER (PARTITION BY customer_id ORDER BY k) AS previous_mrr
     FROM kept`,
    // Active customers use the product between signup and the end of their
    // last subscription; bigger tiers use it more. cum_start lays them on one line.
    `CREATE TABLE users AS
     WITH spans AS (
       SELECT c.customer_id, c.tier, c.region, c.signup_date,
         CASE c.tier WHEN 'enterprise' THEN 3 WHEN 'growth' THEN 2 ELSE 1 END AS weight,
         greatest(1, coalesce(max(s.ended_at) FILTER (WHERE NOT s.renewed), ${AS_OF}) - c.signup_date) AS span_days
       FROM customers c JOIN subscriptions s USING (customer_id)
       WHERE pick(c.customer_id, 11, 100) >= 12
       GROUP BY c.customer_id, c.tier, c.region, c.signup_date
     )
     SELECT *, coalesce(sum(weight * span_days) OVER (ORDER BY customer_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS cum_start
     FROM spans`,
  ];
}

/** Rows 1..n, each placed on a customer-day: customer_id, tier, region, day. */
function placed(n: number, salt: number, line: string): string {
  return `SELECT r.i, u.customer_id, u.tier, u.region, u.signup_date,
         (u.signup_date + ((r.p - u.cum_start) // u.weight)::INTEGER) AS day
       FROM (SELECT i, pick(i, ${salt}, ${line}) AS p FROM range(1, ${n} + 1) t(i)) r
       ASOF JOIN users u ON r.p >= u.cum_start`;
}

/** Events: fewer on weekends, working hours, feature mix by tier. */
function eventsStatement(events: number, line: string): string {
  return `CREATE TABLE events AS
     WITH raw AS (${placed(events, 20, line)}
     ), shifted AS (
       -- three weekend days in four move to the nearest weekday
       SELECT *, greatest(signup_date, CASE
           WHEN dayofweek(day) = 6 AND pick(i, 22, 4) > 0 THEN day - 1
           WHEN dayofweek(day) = 0 AND pick(i, 22, 4) > 0 THEN day + 1
           ELSE day END) AS active_day
       FROM raw
     )
     SELECT i AS event_id, customer_id,
       ['view', 'view', 'view', 'create', 'create', 'share', 'export'][1 + pick(i, 23, 7)] AS event_type,
       CASE WHEN tier = 'enterprise' AND pick(i, 24, 10) < 3 THEN ['api', 'integrations'][1 + pick(i, 25, 2)]
            ELSE ['dashboards', 'dashboards', 'dashboards', 'reports', 'reports', 'alerts', 'mobile', 'api'][1 + pick(i, 25, 8)] END AS feature,
       (active_day::TIMESTAMP + to_seconds(25200 + pick(i, 26, 43200))) AS occurred_at
     FROM shifted`;
}

/** Tickets: first response by channel; a few with a response before the opening (bad data for a check). */
function ticketsStatement(tickets: number, line: string): string {
  return `CREATE TABLE tickets AS
     WITH raw AS (
       SELECT i, customer_id, tier,
         day::TIMESTAMP + to_seconds(21600 + pick(i, 32, 50400)) AS opened_at,
         ['email', 'email', 'email', 'email', 'chat', 'chat', 'chat', 'phone'][1 + pick(i, 33, 8)] AS channel
       FROM (${placed(tickets, 30, line)})
     ), timed AS (
       SELECT *,
         CASE channel WHEN 'phone' THEN 60 + pick(i, 34, 600)
                      WHEN 'chat' THEN 60 + pick(i, 34, 1800)
                      ELSE 600 + pick(i, 34, CASE tier WHEN 'enterprise' THEN 28800 ELSE 144000 END) END AS response_seconds
       FROM raw
     )
     SELECT i AS ticket_id, customer_id, opened_at,
       CASE WHEN pick(i, 35, 100) < 2 THEN NULL
            WHEN pick(i, 36, 200) = 0 THEN opened_at - to_seconds(3600)
            ELSE opened_at + to_seconds(response_seconds) END AS first_response_at,
       CASE WHEN pick(i, 35, 100) < 5 THEN NULL
            ELSE opened_at + to_seconds(response_seconds + 1800 + pick(i, 37, 259200)) END AS resolved_at,
       channel,
       CASE WHEN pick(i, 38, 10) < 7 THEN 'support_l1' WHEN pick(i, 38, 10) < 9 THEN 'support_l2' ELSE 'billing' END AS team
     FROM timed`;
}

/**
 * Surveys: NPS (0-10) starts in April 2023, CSAT (1-5) and CES (1-7, 7 =
 * very easy) run throughout; EMEA scores lower; one response in 200 has an out-of-range score.
 */
function surveysStatement(surveys: number, line: string): string {
  return `CREATE TABLE surveys AS
     WITH raw AS (
       SELECT i, customer_id, tier, region,
         day::TIMESTAMP + to_seconds(28800 + pick(i, 42, 36000)) AS responded_at,
         pick(i, 43, 100) AS type_pick
       FROM (${placed(surveys, 40, line)})
     ), typed AS (
       SELECT *,
         CASE WHEN type_pick < 50 AND responded_at >= TIMESTAMP '2023-04-01' THEN 'nps' WHEN type_pick < 85 THEN 'csat' ELSE 'ces' END AS survey_type,
         (CASE tier WHEN 'enterprise' THEN 2 WHEN 'growth' THEN 1 ELSE 0 END + CASE region WHEN 'EMEA' THEN -2 ELSE 0 END) AS mood
       FROM raw
     )
     SELECT i AS response_id, customer_id, survey_type,
       CASE WHEN pick(i, 44, 200) = 0 THEN 99
            WHEN survey_type = 'nps' THEN least(10, greatest(0, floor(sqrt(pick(i, 45, 121)))::INTEGER + mood))
            WHEN survey_type = 'csat' THEN least(5, greatest(1, 1 + floor(sqrt(pick(i, 45, 25)))::INTEGER + (mood > 0)::INTEGER - (mood < -1)::INTEGER))
            ELSE least(7, greatest(1, 2 + pick(i, 45, 6)::INTEGER + mood)) END AS score,
       responded_at
     FROM typed`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      customers: { type: 'string', default: String(DEFAULTS.customers) },
      events: { type: 'string', default: String(DEFAULTS.events) },
      tickets: { type: 'string' },
      surveys: { type: 'string' },
      format: { type: 'string', default: DEFAULTS.format },
      out: { type: 'string', default: resolve(dirname(fileURLToPath(import.meta.url)), 'data') },
    },
  });
  const format = values.format;
  if (format !== 'csv' && format !== 'parquet') throw new Error(`--format must be csv or parquet, got ${format}`);
  const started = performance.now();
  const written = await generate({
    seed: Number(values.seed),
    customers: Number(values.customers),
    events: Number(values.events),
    ...(values.tickets === undefined ? {} : { tickets: Number(values.tickets) }),
    ...(values.surveys === undefined ? {} : { surveys: Number(values.surveys) }),
    out: resolve(values.out),
    format,
  });
  process.stdout.write(`${written.join('\n')}\nwritten in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
