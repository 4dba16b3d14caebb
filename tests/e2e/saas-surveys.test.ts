// NPS, CSAT and CES of the SaaS example against hand-written SQL: ratios of
// two measures of one source, zero denominators, a segment's own threshold,
// min_sample, checks, a trailing window, and the query flags (--by none,
// --grain none, --from/--to, --where).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { expectSameRows, handRows, handScalar, openExample, ratioSql, runKpi } from './support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

/** The library's `score_in_scale` check, written again in SQL. */
const IN_SCALE = `((s.survey_type = 'nps' AND s.score BETWEEN 0 AND 10)
  OR (s.survey_type = 'csat' AND s.score BETWEEN 1 AND 5)
  OR (s.survey_type = 'ces' AND s.score BETWEEN 1 AND 7))`;

/** Valid survey rows with the customer's tier and region; `t` is the time column. */
function surveys(filter = 'true'): string {
  return `(SELECT s.*, s.responded_at AS t, c.tier, c.region
    FROM read_csv('{root}/surveys.csv') s
    LEFT JOIN read_csv('{root}/customers.csv') c ON c.customer_id = s.customer_id
    WHERE ${IN_SCALE} AND ${filter})`;
}

const NPS = {
  numerator: `count(*) FILTER (WHERE survey_type = 'nps' AND score >= 9) - count(*) FILTER (WHERE survey_type = 'nps' AND score <= 6)`,
  denominator: `count(*) FILTER (WHERE survey_type = 'nps')`,
  scale: 100,
};
/** nps: warn < 10, critical < -10, and critical < 0 for EMEA. */
const NPS_STATUS = `CASE WHEN value < -10 THEN 'critical' WHEN value < 10 THEN 'warn' ELSE 'ok' END`;
const NPS_STATUS_EMEA = `CASE
  WHEN region = 'EMEA' AND value < 0 THEN 'critical'
  WHEN region IS DISTINCT FROM 'EMEA' AND value < -10 THEN 'critical'
  WHEN value < 10 THEN 'warn' ELSE 'ok' END`;

describe('nps', () => {
  it('by tier and month equals hand SQL, with null values where a month had no NPS answers', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(), grain: 'month', segments: ['tier'], ...NPS, status: NPS_STATUS }),
    );
    const actual = await runKpi(project, { kpi: 'nps', by: [{ name: 'tier', span: SPAN }] });
    expectSameRows(actual, expected);
    // January to March 2023 had CSAT and CES answers only: rows with a zero denominator.
    const empty = actual.rows.filter((r) => r.denominator === 0);
    expect(empty.length).toBeGreaterThanOrEqual(3);
    expect(empty.every((r) => r.value === null && r.status === null && String(r.period) < '2023-04-01')).toBe(true);
  });

  it('with its default segments applies the EMEA threshold to EMEA rows only', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(), grain: 'month', segments: ['tier', 'region'], ...NPS, status: NPS_STATUS_EMEA }),
    );
    const actual = await runKpi(project, { kpi: 'nps' });
    expectSameRows(actual, expected);
    // The case the segment threshold decides: EMEA between -10 and 0 is critical, elsewhere warn.
    const between = actual.rows.filter((r) => typeof r.value === 'number' && r.value >= -10 && r.value < 0);
    expect(between.some((r) => r.region === 'EMEA' && r.status === 'critical')).toBe(true);
    expect(between.some((r) => r.region !== 'EMEA' && r.status === 'warn')).toBe(true);
  });

  it('--by none --grain none is one total row', async () => {
    const expected = await handRows(project, ratioSql({ rows: surveys(), segments: [], ...NPS, status: NPS_STATUS }));
    const actual = await runKpi(project, { kpi: 'nps', by: 'none', grain: 'none' });
    expect(actual.rows).toHaveLength(1);
    expectSameRows(actual, expected);
  });

  it('--grain none keeps the segments', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(), segments: ['region'], ...NPS, status: NPS_STATUS_EMEA }),
    );
    const actual = await runKpi(project, { kpi: 'nps', by: [{ name: 'region', span: SPAN }], grain: 'none' });
    expect(actual.rows).toHaveLength(4);
    expectSameRows(actual, expected);
  });

  it('--from is inclusive and --to exclusive, and the check report counts the range only', async () => {
    const range = `t >= TIMESTAMP '2024-01-01' AND t < TIMESTAMP '2024-07-01'`;
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(range), grain: 'quarter', segments: ['region'], ...NPS, status: NPS_STATUS_EMEA }),
    );
    const actual = await runKpi(project, {
      kpi: 'nps',
      by: [{ name: 'region', span: SPAN }],
      grain: 'quarter',
      from: '2024-01-01',
      to: '2024-07-01',
    });
    expectSameRows(actual, expected);
    expect(new Set(actual.rows.map((r) => r.period))).toEqual(new Set(['2024-01-01', '2024-04-01']));
    const bad = await handScalar(
      project,
      `SELECT count(*) FROM read_csv('{root}/surveys.csv') s
      WHERE NOT coalesce(${IN_SCALE}, false) AND s.responded_at >= TIMESTAMP '2024-01-01' AND s.responded_at < TIMESTAMP '2024-07-01'`,
    );
    expect(actual.excluded.map((e) => [e.source, e.check, Number(e.excluded)])).toEqual([
      ['surveys', 'score_in_scale', Number(bad)],
    ]);
  });
});

describe('checks', () => {
  it('exclude out-of-scale scores from every measure and count them', async () => {
    const bad = Number(
      await handScalar(
        project,
        `SELECT count(*) FROM read_csv('{root}/surveys.csv') s WHERE NOT coalesce(${IN_SCALE}, false)`,
      ),
    );
    expect(bad).toBeGreaterThan(5);
    const actual = await runKpi(project, { kpi: 'csat', by: 'none', grain: 'none' });
    expect(actual.excluded.map((e) => [e.source, e.check, Number(e.excluded)])).toEqual([
      ['surveys', 'score_in_scale', bad],
    ]);
    // The score-99 rows would otherwise count as satisfied CSAT answers.
    const all = Number(
      await handScalar(project, `SELECT count(*) FROM read_csv('{root}/surveys.csv') WHERE survey_type = 'csat'`),
    );
    expect(actual.rows[0]!.denominator).toBeLessThan(all);
  });
});

describe('csat', () => {
  const CSAT = {
    numerator: `count(*) FILTER (WHERE survey_type = 'csat' AND score >= 4)`,
    denominator: `count(*) FILTER (WHERE survey_type = 'csat')`,
    scale: 100,
    minSample: 10,
    status: `CASE WHEN value < 55 THEN 'critical' WHEN value < 70 THEN 'warn' ELSE 'ok' END`,
  };

  it('reports segments under min_sample as insufficient', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(), grain: 'month', segments: ['tier', 'region'], ...CSAT }),
    );
    const actual = await runKpi(project, { kpi: 'csat' });
    expectSameRows(actual, expected);
    const insufficient = actual.rows.filter((r) => r.status === 'insufficient');
    expect(insufficient.length).toBeGreaterThan(10);
    expect(insufficient.every((r) => r.value === null && (r.denominator as number) < 10)).toBe(true);
    expect(actual.rows.some((r) => r.status === 'ok' || r.status === 'warn' || r.status === 'critical')).toBe(true);
  });

  it('--where filters every measure on a customer dimension', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: surveys(`c.tier = 'enterprise'`), grain: 'quarter', segments: ['region'], ...CSAT }),
    );
    const actual = await runKpi(project, {
      kpi: 'csat',
      by: [{ name: 'region', span: SPAN }],
      grain: 'quarter',
      where: 'tier = "enterprise"',
    });
    expectSameRows(actual, expected);
  });
});

describe('ces', () => {
  it('by tier and quarter equals hand SQL', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: surveys(),
        grain: 'quarter',
        segments: ['tier'],
        numerator: `coalesce(sum(score) FILTER (WHERE survey_type = 'ces'), 0)`,
        denominator: `count(*) FILTER (WHERE survey_type = 'ces')`,
        minSample: 10,
        status: `CASE WHEN value < 3.5 THEN 'critical' WHEN value < 4.5 THEN 'warn' ELSE 'ok' END`,
      }),
    );
    const actual = await runKpi(project, { kpi: 'ces' });
    expectSameRows(actual, expected);
    expect(actual.rows.length).toBe(24);
  });
});

describe('window', () => {
  /** Each month's rows are the valid answers of the three months ending with it. */
  const trailing = (filter = 'true') => `(SELECT s.* EXCLUDE (t), p.period AS t
    FROM (SELECT range AS period FROM range(DATE '2023-01-01', DATE '2025-01-01', INTERVAL 1 MONTH)) p
    JOIN ${surveys()} s ON s.t >= p.period - INTERVAL 2 MONTH AND s.t < p.period + INTERVAL 1 MONTH
    WHERE ${filter})`;

  it('nps_trailing_quarter covers the three months ending with each month', async () => {
    const expected = await handRows(
      project,
      ratioSql({ rows: trailing(), grain: 'month', segments: ['tier'], ...NPS, minSample: 30, status: NPS_STATUS }),
    );
    const actual = await runKpi(project, { kpi: 'nps_trailing_quarter' });
    expectSameRows(actual, expected);
    expect(actual.rows.some((r) => r.status === 'insufficient')).toBe(true);
    expect(actual.rows.some((r) => typeof r.value === 'number')).toBe(true);
  });

  it('--from chooses the periods; the first window still reaches back before it', async () => {
    const expected = await handRows(
      project,
      ratioSql({
        rows: trailing(`p.period >= DATE '2024-01-01' AND p.period < DATE '2024-03-01'`),
        grain: 'month',
        segments: [],
        ...NPS,
        minSample: 30,
        status: NPS_STATUS,
      }),
    );
    const actual = await runKpi(project, {
      kpi: 'nps_trailing_quarter',
      by: 'none',
      from: '2024-01-01',
      to: '2024-03-01',
    });
    expect(actual.rows.map((r) => r.period)).toEqual(['2024-01-01', '2024-02-01']);
    expectSameRows(actual, expected);
  });
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
