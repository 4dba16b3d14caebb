// `new_customers_vs_plan` of the SaaS example: new customers per month and
// region, judged against a hand-made plan read from a target table
// (examples/saas/data/signup-plan.csv), against hand-written SQL over the
// same files. The hand SQL looks the plan up as language.md says: the row of
// the month for the region, else the row with an empty region; no row (2023)
// means no target and no warn.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import type { KpiRun } from './support.ts';
import { expectSameRows, file, handRows, openExample, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

const PLAN = `(SELECT date_trunc('month', month) AS period, region, target, floor FROM ${file('signup-plan.csv')})`;

/** target_met of each row, keyed by period and region. */
const targetMet = (rows: KpiRun['rows'] | readonly Record<string, unknown>[]) =>
  Object.fromEntries(rows.map((r) => [`${r['period']} ${r['region'] ?? ''}`, r['target_met'] ?? null]));

describe('new_customers_vs_plan', () => {
  it("judges each month and region by the plan's own row: target met, and warn below the floor", async () => {
    const hand = await handRows(
      project,
      `
      WITH n AS (
        SELECT date_trunc('month', signup_date) AS period, region, count(*) AS numerator
        FROM ${file('customers.csv')}
        WHERE signup_date >= DATE '2023-01-01' AND signup_date < DATE '2025-01-01'
        GROUP BY ALL),
      judged AS (
        SELECT n.*, coalesce(own.target, every.target) AS target, coalesce(own.floor, every.floor) AS floor
        FROM n
        LEFT JOIN ${PLAN} own ON own.period = n.period AND own.region = n.region
        LEFT JOIN ${PLAN} every ON every.period = n.period AND every.region IS NULL)
      SELECT strftime(period, '%Y-%m-%d') AS period, region, numerator, NULL AS denominator, numerator AS value,
        CASE WHEN numerator < floor THEN 'warn' ELSE 'ok' END AS status,
        CASE WHEN target IS NULL THEN NULL ELSE numerator >= target END AS target_met
      FROM judged`,
    );
    const actual = await runKpi(project, { kpi: 'new_customers_vs_plan', from: '2023-01-01', to: '2025-01-01' });
    expect(hand.rows).toHaveLength(96);
    expectSameRows(actual, { columns: hand.columns.filter((c) => c !== 'target_met'), rows: hand.rows });
    expect(targetMet(actual.rows)).toEqual(targetMet(hand.rows));
    // The plan is read, not ignored: 2024 has months met and missed, and a warn; 2023 has no plan.
    const of2024 = hand.rows.filter((r) => String(r.period) >= '2024');
    expect(of2024.some((r) => r.target_met === true) && of2024.some((r) => r.target_met === false)).toBe(true);
    expect(of2024.some((r) => r.status === 'warn')).toBe(true);
    expect(hand.rows.filter((r) => String(r.period) < '2024').every((r) => r.target_met === null)).toBe(true);
  });

  it('--by none: the company-wide rows (empty region) judge the total', async () => {
    const hand = await handRows(
      project,
      `
      WITH n AS (
        SELECT date_trunc('month', signup_date) AS period, count(*) AS numerator
        FROM ${file('customers.csv')}
        WHERE signup_date >= DATE '2024-01-01' AND signup_date < DATE '2025-01-01'
        GROUP BY ALL)
      SELECT strftime(n.period, '%Y-%m-%d') AS period, numerator, NULL AS denominator, numerator AS value,
        CASE WHEN numerator < p.floor THEN 'warn' ELSE 'ok' END AS status,
        numerator >= p.target AS target_met
      FROM n LEFT JOIN ${PLAN} p ON p.period = n.period AND p.region IS NULL`,
    );
    const actual = await runKpi(project, {
      kpi: 'new_customers_vs_plan',
      by: 'none',
      from: '2024-01-01',
      to: '2025-01-01',
    });
    expect(hand.rows).toHaveLength(12);
    expectSameRows(actual, { columns: hand.columns.filter((c) => c !== 'target_met'), rows: hand.rows });
    expect(targetMet(actual.rows)).toEqual(targetMet(hand.rows));
  });
});
