// Usage and support KPIs of the SaaS example against hand-written SQL: a
// count_distinct KPI without denominator, a ratio across two sources, a
// denominator that cannot be broken down by the segment (broadcast), and a
// median with a check and min_sample on rows.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { ratioSql } from './hand-sql.ts';
import { expectSameRows, handRows, handScalar, openExample, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const by = (...names: string[]) => names.map((name) => ({ name, span: SPAN }));

const EVENTS = `(SELECT e.*, e.occurred_at AS t, c.tier, c.region
  FROM read_csv('{root}/events.csv') e LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = e.customer_id)`;

/** Tickets passing the `response_after_opening` check, with the customer's tier. */
const TICKETS = `(SELECT k.*, k.opened_at AS t, c.tier, c.region
  FROM read_csv('{root}/tickets.csv') k LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = k.customer_id
  WHERE k.first_response_at IS NULL OR k.first_response_at >= k.opened_at)`;

describe('active_customers', () => {
  it('by tier and region and month equals hand SQL', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: EVENTS,
        grain: 'month',
        segments: ['tier', 'region'],
        numerator: 'count(DISTINCT customer_id)',
      }),
    );
    const actual = await runKpi(project, { kpi: 'active_customers' });
    expectSameRows(actual, expected);
    expect(actual.rows.every((r) => r.denominator === null && r.status === null)).toBe(true);
  });

  it('--by none over --from/--to counts each customer once per month', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: `(SELECT * FROM ${EVENTS} WHERE t >= TIMESTAMP '2024-03-01' AND t < TIMESTAMP '2024-06-01')`,
        grain: 'month',
        segments: [],
        numerator: 'count(DISTINCT customer_id)',
      }),
    );
    const actual = await runKpi(project, { kpi: 'active_customers', by: 'none', from: '2024-03-01', to: '2024-06-01' });
    expect(actual.rows.map((r) => r.period)).toEqual(['2024-03-01', '2024-04-01', '2024-05-01']);
    expectSameRows(actual, expected);
  });
});

describe('tickets_per_active_customer', () => {
  it('divides tickets by active customers, each counted on its own source', async () => {
    const expected = await handRows(
      project,
      `
      WITH t AS (SELECT date_trunc('month', t) AS period, tier, count(*) AS n FROM ${TICKETS} GROUP BY ALL),
      a AS (SELECT date_trunc('month', t) AS period, tier, count(DISTINCT customer_id) AS n FROM ${EVENTS} GROUP BY ALL),
      k AS (SELECT period, tier FROM t UNION SELECT period, tier FROM a),
      v AS (
        SELECT k.period, k.tier, coalesce(t.n, 0) AS numerator, coalesce(a.n, 0) AS denominator,
          CASE WHEN coalesce(a.n, 0) = 0 THEN NULL ELSE coalesce(t.n, 0) / a.n END AS value
        FROM k LEFT JOIN t USING (period, tier) LEFT JOIN a USING (period, tier)
      )
      SELECT strftime(period, '%Y-%m-%d') AS period, tier, numerator, denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value > 1 THEN 'critical' WHEN value > 0.5 THEN 'warn' ELSE 'ok' END AS status
      FROM v`,
    );
    const actual = await runKpi(project, { kpi: 'tickets_per_active_customer' });
    expectSameRows(actual, expected);
    const bad = await handScalar(
      project,
      `SELECT count(*) FROM read_csv('{root}/tickets.csv') WHERE first_response_at < opened_at`,
    );
    expect(actual.excluded.map((e) => [e.source, e.check, Number(e.excluded)])).toEqual([
      ['tickets', 'response_after_opening', Number(bad)],
    ]);
  });
});

describe('feature_adoption', () => {
  it('divides each feature by all customers signed up by the period end (the denominator repeats)', async () => {
    const expected = await handRows(
      project,
      `
      WITH n AS (SELECT date_trunc('month', occurred_at) AS period, feature, count(DISTINCT customer_id) AS users
                 FROM read_csv('{root}/events.csv') GROUP BY ALL),
      d AS (SELECT p.period, count(c.customer_id) AS customers
            FROM (SELECT DISTINCT period FROM n) p
            LEFT JOIN read_csv('{root}/customers.csv') c ON c.signup_date < p.period + INTERVAL 1 MONTH
            GROUP BY p.period),
      v AS (SELECT n.period, n.feature, n.users AS numerator, d.customers AS denominator,
              CASE WHEN d.customers = 0 THEN NULL ELSE n.users / d.customers * 100 END AS value
            FROM n JOIN d USING (period))
      SELECT strftime(period, '%Y-%m-%d') AS period, feature, numerator, denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value < 5 THEN 'critical' WHEN value < 10 THEN 'warn' ELSE 'ok' END AS status
      FROM v`,
    );
    const actual = await runKpi(project, { kpi: 'feature_adoption' });
    expectSameRows(actual, expected);
    const june = actual.rows.filter((r) => r.period === '2024-06-01');
    expect(june.length).toBeGreaterThanOrEqual(6);
    expect(new Set(june.map((r) => r.denominator)).size).toBe(1);
  });

  it('--from limits the flow numerator but not the cumulative denominator', async () => {
    const expected = await handRows(
      project,
      `
      WITH n AS (SELECT date_trunc('month', occurred_at) AS period, feature, count(DISTINCT customer_id) AS numerator
                 FROM read_csv('{root}/events.csv')
                 WHERE occurred_at >= TIMESTAMP '2024-06-01' AND occurred_at < TIMESTAMP '2024-08-01' GROUP BY ALL),
      d AS (SELECT n.*, (SELECT count(*) FROM read_csv('{root}/customers.csv') WHERE signup_date < n.period + INTERVAL 1 MONTH) AS denominator FROM n)
      SELECT strftime(period, '%Y-%m-%d') AS period, feature, numerator, denominator, numerator / denominator * 100 AS value,
        CASE WHEN value < 5 THEN 'critical' WHEN value < 10 THEN 'warn' ELSE 'ok' END AS status
      FROM d`,
    );
    const actual = await runKpi(project, { kpi: 'feature_adoption', from: '2024-06-01', to: '2024-08-01' });
    expectSameRows(actual, expected);
    expect(new Set(actual.rows.map((r) => r.period))).toEqual(new Set(['2024-06-01', '2024-07-01']));
  });

  it('--where on the segment dimension keeps the whole denominator', async () => {
    const actual = await runKpi(project, { kpi: 'feature_adoption', where: 'feature = "api"', grain: 'quarter' });
    const expected = await handRows(
      project,
      `
      WITH n AS (SELECT date_trunc('quarter', occurred_at) AS period, feature, count(DISTINCT customer_id) AS numerator
                 FROM read_csv('{root}/events.csv') WHERE feature = 'api' GROUP BY ALL)
      , d AS (SELECT n.*, (SELECT count(*) FROM read_csv('{root}/customers.csv') WHERE signup_date < n.period + INTERVAL 3 MONTH) AS denominator FROM n)
      SELECT strftime(period, '%Y-%m-%d') AS period, feature, numerator, denominator,
        numerator / denominator * 100 AS value,
        CASE WHEN value < 5 THEN 'critical' WHEN value < 10 THEN 'warn' ELSE 'ok' END AS status
      FROM d`,
    );
    expectSameRows(actual, expected);
  });
});

describe('time_to_first_response', () => {
  it('is the median of hour boundaries by channel and tier, insufficient under 5 tickets', async () => {
    const expected = await handRows(
      project,
      `
      WITH g AS (
        SELECT date_trunc('month', t) AS period, channel, tier, count(*) AS n,
          median(date_diff('hour', opened_at, first_response_at)) AS m
        FROM ${TICKETS} GROUP BY ALL)
      SELECT strftime(period, '%Y-%m-%d') AS period, channel, tier, m AS numerator, CAST(NULL AS DOUBLE) AS denominator,
        CASE WHEN n < 5 THEN NULL ELSE m END AS value,
        CASE WHEN n < 5 THEN 'insufficient' WHEN m IS NULL THEN NULL WHEN m > 24 THEN 'critical' WHEN m > 8 THEN 'warn' ELSE 'ok' END AS status
      FROM g`,
    );
    const actual = await runKpi(project, { kpi: 'time_to_first_response' });
    expectSameRows(actual, expected);
    expect(actual.rows.some((r) => r.status === 'insufficient')).toBe(true);
    expect(actual.rows.some((r) => r.status === 'warn' || r.status === 'critical')).toBe(true);
  });

  it('--by on an internal dimension works and --grain none gives one row per team', async () => {
    const expected = await handRows(
      project,
      `
      SELECT team, median(date_diff('hour', opened_at, first_response_at)) AS numerator, CAST(NULL AS DOUBLE) AS denominator,
        numerator AS value,
        CASE WHEN numerator > 24 THEN 'critical' WHEN numerator > 8 THEN 'warn' ELSE 'ok' END AS status
      FROM ${TICKETS} GROUP BY team`,
    );
    const actual = await runKpi(project, { kpi: 'time_to_first_response', by: by('team'), grain: 'none' });
    expect(actual.rows).toHaveLength(3);
    expectSameRows(actual, expected);
  });
});
