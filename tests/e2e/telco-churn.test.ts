// The Telco churn snapshot against hand-written SQL: KPIs without a time
// column, mixed-case columns, a computed dimension (tenure band), a KPI
// `where`, min_sample, and `try_number` over a text column with blanks.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { ratioSql } from './hand-sql.ts';
import { expectSameRows, handRows, handScalar, openExample, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('telco_churn');
});
afterAll(async () => {
  await project?.close();
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const by = (...names: string[]) => names.map((name) => ({ name, span: SPAN }));

const SUBSCRIBERS = `(SELECT *, "Contract" AS contract_type, "InternetService" AS internet_service,
    CASE WHEN tenure < 12 THEN '0-11 months' WHEN tenure < 24 THEN '12-23 months'
         WHEN tenure < 48 THEN '24-47 months' ELSE '48+ months' END AS tenure_band,
    TRY_CAST("TotalCharges" AS DOUBLE) AS total_charges
  FROM read_csv('{root}/Telco-Customer-Churn.csv'))`;

const CHURN = {
  numerator: 'count(*) FILTER (WHERE "Churn")',
  denominator: 'count(*)',
  status: `CASE WHEN value > 0.35 THEN 'critical' WHEN value > 0.2 THEN 'warn' ELSE 'ok' END`,
};

describe('churn_rate', () => {
  it('by contract and tenure band equals hand SQL, with no period column', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: SUBSCRIBERS, segments: ['contract_type', 'tenure_band'], minSample: 30, ...CHURN }),
    );
    const actual = await runKpi(project, { kpi: 'churn_rate' });
    expect(actual.columns).not.toContain('period');
    expect(actual.rows).toHaveLength(12);
    expectSameRows(actual, expected);
    expect(new Set(actual.rows.map((r) => r.status))).toEqual(new Set(['ok', 'warn', 'critical']));
  });

  it('--by none is 1,869 of 7,043', async () => {
    const actual = await runKpi(project, { kpi: 'churn_rate', by: 'none' });
    expect(actual.rows).toHaveLength(1);
    expect(actual.rows[0]).toMatchObject({ numerator: 1869, denominator: 7043, status: 'warn' });
    expect(actual.rows[0]!.value).toBeCloseTo(1869 / 7043, 12);
  });

  it('--grain on a source without a time column is refused, not ignored', async () => {
    const { runQuery } = await import('../../runtime/execute.ts');
    const result = await runQuery(project, { kpi: 'churn_rate', grain: 'month' });
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });
});

describe('senior_churn_rate', () => {
  it('applies the KPI where before segmenting', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: `(SELECT * FROM ${SUBSCRIBERS} WHERE "SeniorCitizen" = 1)`,
        segments: ['contract_type'],
        ...CHURN,
      }),
    );
    const actual = await runKpi(project, { kpi: 'senior_churn_rate' });
    expectSameRows(actual, expected);
    const seniors = await handScalar(
      project,
      `SELECT count(*) FROM read_csv('{root}/Telco-Customer-Churn.csv') WHERE "SeniorCitizen" = 1`,
    );
    expect(actual.rows.reduce((n, r) => n + (r.denominator as number), 0)).toBe(seniors);
  });

  it('--where adds to the KPI where', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: `(SELECT * FROM ${SUBSCRIBERS} WHERE "SeniorCitizen" = 1 AND internet_service = 'Fiber optic')`,
        segments: ['tenure_band'],
        ...CHURN,
      }),
    );
    const actual = await runKpi(project, {
      kpi: 'senior_churn_rate',
      by: by('tenure_band'),
      where: 'internet_service = "Fiber optic"',
    });
    expectSameRows(actual, expected);
  });
});

describe('revenue KPIs', () => {
  it('monthly charges per customer by contract and internet service', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: SUBSCRIBERS,
        segments: ['contract_type', 'internet_service'],
        numerator: 'sum("MonthlyCharges")',
        denominator: 'count(*)',
      }),
    );
    const actual = await runKpi(project, { kpi: 'monthly_charges_per_customer' });
    expect(actual.rows).toHaveLength(9);
    expectSameRows(actual, expected);
  });

  it('average lifetime value leaves out the 11 blank totals', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: SUBSCRIBERS,
        segments: ['contract_type'],
        numerator: 'sum(total_charges)',
        denominator: 'count(total_charges)',
        status: `CASE WHEN value < 800 THEN 'critical' WHEN value < 1500 THEN 'warn' ELSE 'ok' END`,
      }),
    );
    const actual = await runKpi(project, { kpi: 'average_lifetime_value' });
    expectSameRows(actual, expected);
    const total = await runKpi(project, { kpi: 'average_lifetime_value', by: 'none' });
    expect(total.rows[0]!.denominator).toBe(7043 - 11);
  });
});
