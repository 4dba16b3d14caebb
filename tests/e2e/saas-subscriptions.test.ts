// Subscription KPIs of the SaaS example against hand-written SQL: `at period
// start` (logo churn's denominator), `at period end` (active subscriptions),
// and a flow over a snapshot (expansion rate).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { expectSameRows, handRows, openExample, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

const SUBS = `(SELECT s.*, c.tier, c.region FROM read_csv('{root}/subscriptions.csv') s
  LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = s.customer_id)`;

/** Calendar periods from `from` (inclusive) to `to` (exclusive). */
function periods(from: string, to: string, unit: 'month' | 'quarter'): string {
  return `(SELECT s AS period, s + INTERVAL 1 ${unit} AS period_end
    FROM generate_series(DATE '${from}', DATE '${to}' - INTERVAL 1 DAY, INTERVAL 1 ${unit}) g(s))`;
}

describe('logo_churn', () => {
  it('divides customers lost in the month by customers with a running term at its start', async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2023-03-01', '2025-01-01', 'month')},
      churned AS (
        SELECT date_trunc('month', ended_at) AS period, tier, region, count(DISTINCT customer_id) AS n
        FROM ${SUBS} WHERE NOT renewed AND ended_at >= DATE '2023-03-01' AND ended_at < DATE '2025-01-01'
        GROUP BY ALL),
      base AS (
        SELECT p.period, tier, region, count(DISTINCT customer_id) AS n
        FROM p JOIN ${SUBS} s ON s.started_at <= p.period AND (s.ended_at IS NULL OR s.ended_at > p.period)
        GROUP BY ALL),
      k AS (SELECT period, tier, region FROM churned UNION SELECT period, tier, region FROM base),
      v AS (
        SELECT k.*, coalesce(churned.n, 0) AS numerator, coalesce(base.n, 0) AS denominator
        FROM k LEFT JOIN churned USING (period, tier, region) LEFT JOIN base USING (period, tier, region))
      SELECT strftime(period, '%Y-%m-%d') AS period, tier, region, numerator, denominator,
        CASE WHEN denominator < 20 THEN NULL ELSE numerator / denominator END AS value,
        CASE WHEN denominator < 20 THEN 'insufficient' WHEN value > 0.06 THEN 'critical' WHEN value > 0.03 THEN 'warn' ELSE 'ok' END AS status
      FROM v`,
    );
    const actual = await runKpi(project, { kpi: 'logo_churn', from: '2023-03-01', to: '2025-01-01' });
    expectSameRows(actual, expected);
    expect(actual.rows.some((r) => r.status === 'insufficient')).toBe(true);
    expect(actual.rows.some((r) => typeof r.value === 'number' && r.value > 0)).toBe(true);
  });

  it('--by none gives the company-wide monthly rate', async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2024-01-01', '2025-01-01', 'month')},
      n AS (SELECT strftime(p.period, '%Y-%m-%d') AS period,
        (SELECT count(DISTINCT customer_id) FROM read_csv('{root}/subscriptions.csv')
          WHERE NOT renewed AND ended_at >= p.period AND ended_at < p.period_end) AS numerator,
        (SELECT count(DISTINCT customer_id) FROM read_csv('{root}/subscriptions.csv')
          WHERE started_at <= p.period AND (ended_at IS NULL OR ended_at > p.period)) AS denominator
      FROM p)
      SELECT *, numerator / denominator AS value FROM n`,
    );
    const rows = expected.rows.map((r) => ({
      ...r,
      status: (r.value as number) > 0.06 ? 'critical' : (r.value as number) > 0.03 ? 'warn' : 'ok',
    }));
    const actual = await runKpi(project, { kpi: 'logo_churn', by: 'none', from: '2024-01-01', to: '2025-01-01' });
    expect(actual.rows).toHaveLength(12);
    expectSameRows(actual, { columns: [...expected.columns, 'status'], rows });
  });
});

describe('active_subscriptions', () => {
  it("counts the terms valid on each month's last day, a month with none still appearing", async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2022-11-01', '2025-01-01', 'month')},
      tiers AS (SELECT DISTINCT tier FROM read_csv('{root}/customers.csv')),
      n AS (
        SELECT p.period, s.tier, count(*) AS n FROM p JOIN ${SUBS} s
          ON s.started_at < p.period_end AND (s.ended_at IS NULL OR s.ended_at >= p.period_end)
        GROUP BY ALL)
      SELECT strftime(period, '%Y-%m-%d') AS period, tier, n AS numerator, CAST(NULL AS DOUBLE) AS denominator,
        n AS value, CAST(NULL AS VARCHAR) AS status
      FROM n`,
    );
    const actual = await runKpi(project, { kpi: 'active_subscriptions', from: '2022-11-01', to: '2025-01-01' });
    // November and December 2022 have no subscription at all: the periods still appear, with 0.
    const early = actual.rows.filter((r) => String(r.period) < '2023-01-01');
    expect(early.length).toBeGreaterThanOrEqual(2);
    expect(early.every((r) => r.numerator === 0)).toBe(true);
    expectSameRows({ ...actual, rows: actual.rows.filter((r) => String(r.period) >= '2023-01-01') }, expected);
  });

  it("--grain quarter takes the quarter's last day", async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2024-01-01', '2025-01-01', 'quarter')}
      SELECT strftime(p.period, '%Y-%m-%d') AS period, count(*) AS numerator, CAST(NULL AS DOUBLE) AS denominator,
        count(*) AS value, CAST(NULL AS VARCHAR) AS status
      FROM p JOIN read_csv('{root}/subscriptions.csv') s
        ON s.started_at < p.period_end AND (s.ended_at IS NULL OR s.ended_at >= p.period_end)
      GROUP BY p.period`,
    );
    const actual = await runKpi(project, {
      kpi: 'active_subscriptions',
      by: 'none',
      grain: 'quarter',
      from: '2024-01-01',
      to: '2025-01-01',
    });
    expect(actual.rows).toHaveLength(4);
    expectSameRows(actual, expected);
  });
});

describe('expansion_rate', () => {
  it('divides expansion MRR of renewals by the MRR running at the quarter start', async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2023-04-01', '2025-01-01', 'quarter')},
      x AS (
        SELECT date_trunc('quarter', started_at) AS period, tier,
          coalesce(sum(mrr - previous_mrr) FILTER (WHERE previous_mrr IS NOT NULL AND mrr > previous_mrr), 0) AS n
        FROM ${SUBS} WHERE started_at >= DATE '2023-04-01' AND started_at < DATE '2025-01-01' GROUP BY ALL),
      base AS (
        SELECT p.period, s.tier, sum(s.mrr) AS n
        FROM p JOIN ${SUBS} s ON s.started_at <= p.period AND (s.ended_at IS NULL OR s.ended_at > p.period)
        GROUP BY ALL),
      k AS (SELECT period, tier FROM x UNION SELECT period, tier FROM base),
      v AS (
        SELECT k.*, coalesce(x.n, 0) AS numerator, coalesce(base.n, 0) AS denominator,
          CASE WHEN coalesce(base.n, 0) = 0 THEN NULL ELSE coalesce(x.n, 0) / base.n * 100 END AS value
        FROM k LEFT JOIN x USING (period, tier) LEFT JOIN base USING (period, tier))
      SELECT strftime(period, '%Y-%m-%d') AS period, tier, numerator, denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value < 0.2 THEN 'critical' WHEN value < 1 THEN 'warn' ELSE 'ok' END AS status
      FROM v`,
    );
    const actual = await runKpi(project, { kpi: 'expansion_rate', from: '2023-04-01', to: '2025-01-01' });
    expectSameRows(actual, expected);
    expect(actual.rows.some((r) => typeof r.value === 'number' && r.value > 0)).toBe(true);
  });

  it('--where on a customer dimension filters both measures', async () => {
    const expected = await handRows(
      project,
      `
      WITH p AS ${periods('2024-01-01', '2025-01-01', 'quarter')},
      n AS (SELECT strftime(p.period, '%Y-%m-%d') AS period,
        (SELECT coalesce(sum(mrr - previous_mrr), 0) FROM ${SUBS} s WHERE s.region = 'EMEA' AND previous_mrr IS NOT NULL AND mrr > previous_mrr
           AND started_at >= p.period AND started_at < p.period_end) AS numerator,
        (SELECT sum(mrr) FROM ${SUBS} s WHERE s.region = 'EMEA' AND started_at <= p.period AND (ended_at IS NULL OR ended_at > p.period)) AS denominator
      FROM p)
      SELECT *, numerator / denominator * 100 AS value FROM n`,
    );
    const rows = expected.rows.map((r) => ({
      ...r,
      status: (r.value as number) < 0.2 ? 'critical' : (r.value as number) < 1 ? 'warn' : 'ok',
    }));
    const actual = await runKpi(project, {
      kpi: 'expansion_rate',
      by: 'none',
      from: '2024-01-01',
      to: '2025-01-01',
      where: 'region = "EMEA"',
    });
    expectSameRows(actual, { columns: [...expected.columns, 'status'], rows });
  });
});
