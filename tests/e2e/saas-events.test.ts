// Event-count KPIs of the SaaS example (metrics/kpis/time/weekly-active-customers.kpi,
// examples/saas/time/usage-trend.kpi) against hand-written SQL over the same files.

import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { ratioSql } from './hand-sql.ts';
import { expectSameRows, handRows, openExample, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

const EVENTS = `(SELECT e.*, e.occurred_at AS t, c.tier
  FROM read_csv('{root}/events.csv') e LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = e.customer_id)`;

describe('weekly event KPIs', () => {
  it('weekly_events counts events per ISO week (Monday start)', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: EVENTS, grain: 'week', segments: [], numerator: 'count(*)' }),
    );
    expectSameRows(await runKpi(project, { kpi: 'weekly_events' }), expected);
  });

  it('weekly_active_customers counts distinct customers per week and tier', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: EVENTS, grain: 'week', segments: ['tier'], numerator: 'count(DISTINCT customer_id)' }),
    );
    expectSameRows(await runKpi(project, { kpi: 'weekly_active_customers' }), expected);
  });

  it('weekly_events_4w_average is the events of the four weeks ending with each week, divided by 4', async () => {
    const expected = await handRows(
      project,
      `
      WITH weeks AS (SELECT DISTINCT date_trunc('week', t) AS period FROM ${EVENTS}),
      summed AS (
        SELECT w.period, (SELECT count(*) FROM ${EVENTS} e WHERE e.t >= w.period - INTERVAL 21 DAY AND e.t < w.period + INTERVAL 7 DAY) AS numerator
        FROM weeks w
      )
      SELECT strftime(period, '%Y-%m-%d') AS period, numerator, CAST(NULL AS DOUBLE) AS denominator, numerator * 0.25 AS value, NULL AS status
      FROM summed`,
    );
    expectSameRows(await runKpi(project, { kpi: 'weekly_events_4w_average' }), expected);
  });
});

describe('monthly event KPIs', () => {
  it('monthly_events counts events per month and tier, whole months of data only', async () => {
    // The KPI declares `periods complete`: a month that starts before the first
    // day with events or ends after the last one is left out (docs/time-analytics.md).
    const expected = await handRows(
      project,
      `SELECT * FROM (${ratioSql({ rows: EVENTS, grain: 'month', segments: ['tier'], numerator: 'count(*)' })}) m
       WHERE CAST(m.period AS DATE) >= (SELECT CAST(min(t) AS DATE) FROM ${EVENTS})
         AND CAST(m.period AS DATE) + INTERVAL 1 MONTH <= (SELECT CAST(max(t) AS DATE) + 1 FROM ${EVENTS})`,
    );
    expectSameRows(await runKpi(project, { kpi: 'monthly_events' }), expected);
  });

  it('monthly_events_change is each month over the previous one, minus 1, graded at -10% and -30%', async () => {
    const expected = await handRows(
      project,
      `
      WITH monthly AS (SELECT date_trunc('month', t) AS period, CAST(tier AS VARCHAR) AS tier, count(*) AS n FROM ${EVENTS} GROUP BY ALL),
      changed AS (SELECT period, tier, n / lag(n) OVER (PARTITION BY tier ORDER BY period) - 1 AS value FROM monthly)
      SELECT strftime(period, '%Y-%m-%d') AS period, tier, CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value < -0.3 THEN 'critical' WHEN value < -0.1 THEN 'warn' ELSE 'ok' END AS status
      FROM changed`,
    );
    expectSameRows(await runKpi(project, { kpi: 'monthly_events_change' }), expected);
  });

  it('usage_drop is the events of a week over the 4-week average of the week before, minus 1', async () => {
    const expected = await handRows(
      project,
      `
      WITH weekly AS (SELECT date_trunc('week', t) AS period, count(*) AS n FROM ${EVENTS} GROUP BY ALL),
      averaged AS (
        SELECT w.period, w.n,
          (SELECT count(*) FROM ${EVENTS} e WHERE e.t >= w.period - INTERVAL 21 DAY AND e.t < w.period + INTERVAL 7 DAY) * 0.25 AS average
        FROM weekly w
      ),
      changed AS (SELECT period, n / lag(average) OVER (ORDER BY period) - 1 AS value FROM averaged)
      SELECT strftime(period, '%Y-%m-%d') AS period, CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator, value,
        CASE WHEN value IS NULL THEN NULL WHEN value < -0.3 THEN 'critical' WHEN value < -0.15 THEN 'warn' ELSE 'ok' END AS status
      FROM changed`,
    );
    expectSameRows(await runKpi(project, { kpi: 'usage_drop' }), expected);
  });

  it('account_weekly_usage counts events per week', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: EVENTS, grain: 'week', segments: [], numerator: 'count(*)' }),
    );
    expectSameRows(await runKpi(project, { kpi: 'account_weekly_usage' }), expected);
  });
});

describe('regional_nps', () => {
  it('is promoters minus detractors over NPS answers per region and month, graded at 20 and 10', async () => {
    // Rows failing the check `score_in_scale` are left out, as kpic does.
    const surveys = `(SELECT s.*, s.responded_at AS t, c.region
      FROM read_csv('{root}/surveys.csv') s LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = s.customer_id
      WHERE (s.survey_type = 'nps' AND s.score BETWEEN 0 AND 10) OR (s.survey_type = 'csat' AND s.score BETWEEN 1 AND 5)
        OR (s.survey_type = 'ces' AND s.score BETWEEN 1 AND 7))`;
    const expected = await handRows(
      project,
      ratioSql({
        rows: surveys,
        grain: 'month',
        segments: ['region'],
        scale: 100,
        numerator:
          "count(*) FILTER (WHERE survey_type = 'nps' AND score >= 9) - count(*) FILTER (WHERE survey_type = 'nps' AND score <= 6)",
        denominator: "count(*) FILTER (WHERE survey_type = 'nps')",
        status: "CASE WHEN value < 10 THEN 'critical' WHEN value < 20 THEN 'warn' ELSE 'ok' END",
      }),
    );
    expectSameRows(await runKpi(project, { kpi: 'regional_nps' }), expected);
  });
});
