// The per-customer health score of the SaaS example and its roll-ups by tier
// (metrics/kpis/time/account-health.kpi) against hand-written SQL over the
// same files: each customer scored on its own week, then the tier's mean and
// the share of its customers in each band.

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

/**
 * One row per (week, customer) that has events in the week or in the four
 * weeks before it, within the weeks of the data, with the customer's score:
 *   use   = events of the week, 0 -> 0, 2 or more -> 100 (weight 2)
 *   trend = events / (events of the four weeks before / 4) - 1, -50% -> 0, 0 -> 100 (weight 1);
 *           none without events in the four weeks before (or in the first week): use alone.
 */
const SCORES = `
  WITH ev AS (SELECT customer_id, occurred_at AS t FROM read_csv('{root}/events.csv')),
  bounds AS (SELECT date_trunc('week', min(t)) AS first_week, date_trunc('week', max(t)) AS last_week FROM ev),
  weekly AS (SELECT customer_id, date_trunc('week', t) AS w, count(*) AS n FROM ev GROUP BY ALL),
  candidates AS (
    SELECT DISTINCT customer_id, w + INTERVAL (7 * k) DAY AS w FROM weekly, range(0, 5) AS r(k)
  ),
  grid AS (
    SELECT c.customer_id, c.w,
      coalesce((SELECT n FROM weekly x WHERE x.customer_id = c.customer_id AND x.w = c.w), 0) AS n,
      (SELECT sum(n) FROM weekly x WHERE x.customer_id = c.customer_id AND x.w >= c.w - INTERVAL 28 DAY AND x.w < c.w) AS before
    FROM candidates c, bounds b WHERE c.w <= b.last_week
  ),
  parts AS (
    SELECT g.customer_id, g.w, least(greatest(g.n / 2 * 100, 0), 100) AS use_score,
      CASE WHEN g.w = b.first_week OR g.before IS NULL THEN NULL
           ELSE least(greatest((g.n / (g.before / 4) - 1 + 0.5) / 0.5 * 100, 0), 100) END AS trend_score
    FROM grid g, bounds b
  )
  SELECT p.w AS period, cu.tier, p.customer_id,
    (2 * use_score + coalesce(trend_score, 0)) / (2 + CASE WHEN trend_score IS NULL THEN 0 ELSE 1 END) AS score
  FROM parts p LEFT JOIN read_csv('{root}/customers.csv') cu ON cu.customer_id = p.customer_id`;

const band = (x: string) => `CASE WHEN ${x} < 60 THEN 'critical' WHEN ${x} < 80 THEN 'warn' ELSE 'ok' END`;

describe('customer health, rolled up by tier', () => {
  it("customer_health by customer is each customer's own score", async () => {
    const expected = await handRows(
      project,
      `SELECT strftime(period, '%Y-%m-%d') AS period, customer_id AS customer, CAST(NULL AS DOUBLE) AS numerator,
         CAST(NULL AS DOUBLE) AS denominator, score AS value, ${band('score')} AS status
       FROM (${SCORES}) WHERE period >= DATE '2024-09-02' AND period < DATE '2024-10-07'`,
    );
    const run = await runKpi(project, {
      kpi: 'customer_health',
      by: [{ name: 'customer', span: SPAN }],
      from: '2024-09-02',
      to: '2024-10-07',
    });
    expectSameRows(run, expected);
  });

  it("account_health is the mean of the tier's customers' scores", async () => {
    const expected = await handRows(
      project,
      `SELECT strftime(period, '%Y-%m-%d') AS period, tier, CAST(NULL AS DOUBLE) AS numerator,
         CAST(NULL AS DOUBLE) AS denominator, avg(score) AS value, ${band('avg(score)')} AS status
       FROM (${SCORES}) GROUP BY ALL`,
    );
    expectSameRows(await runKpi(project, { kpi: 'account_health' }), expected);
  });

  it('accounts_at_risk, accounts_on_watch and healthy_accounts are the shares of each band', async () => {
    for (const { kpi, level } of [
      { kpi: 'accounts_at_risk', level: 'critical' },
      { kpi: 'accounts_on_watch', level: 'warn' },
      { kpi: 'healthy_accounts', level: 'ok' },
    ]) {
      const expected = await handRows(
        project,
        `SELECT strftime(period, '%Y-%m-%d') AS period, tier, CAST(NULL AS DOUBLE) AS numerator,
           CAST(NULL AS DOUBLE) AS denominator, avg(CASE WHEN ${band('score')} = '${level}' THEN 1 ELSE 0 END) AS value,
           CAST(NULL AS VARCHAR) AS status
         FROM (${SCORES}) GROUP BY ALL`,
      );
      expectSameRows(await runKpi(project, { kpi }), expected);
    }
  });

  it('the three shares of a tier add up to 1', async () => {
    const shares = await Promise.all(
      ['accounts_at_risk', 'accounts_on_watch', 'healthy_accounts'].map((kpi) =>
        runKpi(project, { kpi, from: '2024-09-02', to: '2024-09-16' }),
      ),
    );
    const sums = new Map<string, number>();
    for (const run of shares)
      for (const row of run.rows) {
        const key = `${row.period} ${row.tier}`;
        sums.set(key, (sums.get(key) ?? 0) + Number(row.value));
      }
    expect(sums.size).toBe(6);
    for (const [key, sum] of sums) expect(Math.abs(sum - 1), key).toBeLessThan(1e-9);
  });
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
