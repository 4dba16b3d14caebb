// Per-customer scores rolled up to segments (`customer_mean`,
// `customer_share`): each customer scored on its own inputs, then the mean
// of a tier's customers' scores and the share of them in each band, against
// hand-written SQL and hand-worked numbers. The data has a customer with no
// logins (a component with no rows), one with no survey answer, and one with
// no rows at all.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/syntax/format.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { ROLLUP_DATA, ROLLUP_MODEL } from './rollup-fixture.ts';

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'm.kpi': ROLLUP_MODEL }, ROLLUP_DATA);
});
afterAll(() => project?.close());

/** Each customer's score by hand-written SQL: the same definition, written out. */
function handScores(root: string): string {
  return `
    with l as (select customer_id, date_trunc('month', "at")::date as period, count(*) as n
               from '${root}/logins.csv' group by all),
         s as (select customer_id, date_trunc('month', responded_at)::date as period, avg(csat) as a
               from '${root}/surveys.csv' group by all),
         k as (select customer_id, period from l union select customer_id, period from s),
         parts as (
           select k.period, c.tier, k.customer_id,
                  least(greatest(coalesce(l.n, 0) / 10.0 * 100, 0), 100) as login_score,
                  case when s.a is null then null else least(greatest((s.a - 1) / 4.0 * 100, 0), 100) end as csat_score
           from k join '${root}/customers.csv' c on c.customer_id = k.customer_id
           left join l on l.customer_id = k.customer_id and l.period = k.period
           left join s on s.customer_id = k.customer_id and s.period = k.period)
    select period, tier, customer_id,
           (3 * login_score + coalesce(csat_score, 0)) / (3 + case when csat_score is null then 0 else 1 end) as score
    from parts`;
}

describe('customer_mean and customer_share', () => {
  it('the mean of each tier customers scores, as hand-written SQL computes it', async () => {
    const { rows } = await project.run({ kpi: 'health_by_tier' });
    const hand = await project.db.all(`
      select strftime(period, '%Y-%m-%d') as period, tier, avg(score) as value,
             case when avg(score) < 60 then 'critical' when avg(score) < 80 then 'warn' else 'ok' end as status
      from (${handScores(project.db.root)}) group by all order by period, tier`);
    // By hand, January: gold c1 100 (10 logins, csat 5), c2 (3 * 40 + 50) / 4 = 42.5: mean 71.25.
    // Silver: c3 70 (no answer: its weight leaves), c4 (3 * 0 + 75) / 4 = 18.75 (no logins: 0), c5 not scored: 44.375.
    // February: gold c1 2 logins = 20. Silver has nobody scored: no row.
    expect(hand.map((r) => [r.period, r.tier, r.value])).toEqual([
      ['2024-01-01', 'gold', 71.25],
      ['2024-01-01', 'silver', 44.375],
      ['2024-02-01', 'gold', 20],
    ]);
    expect(rows.map((r) => [r.period, r.tier, r.value, r.status])).toEqual(
      hand.map((r) => [r.period, r.tier, r.value, r.status]),
    );
  });

  it('the share of each tier customers in each band, as hand-written SQL computes it', async () => {
    const hand = await project.db.all(`
      select strftime(period, '%Y-%m-%d') as period, tier,
             avg(case when score < 60 then 1 else 0 end) as critical,
             avg(case when score >= 60 and score < 80 then 1 else 0 end) as warn,
             avg(case when score >= 80 then 1 else 0 end) as ok
      from (${handScores(project.db.root)}) group by all order by period, tier`);
    // By hand: January gold: c1 ok, c2 critical; silver: c3 warn, c4 critical. February gold: c1 critical.
    expect(hand.map((r) => [r.period, r.tier, r.critical, r.warn, r.ok])).toEqual([
      ['2024-01-01', 'gold', 0.5, 0, 0.5],
      ['2024-01-01', 'silver', 0.5, 0.5, 0],
      ['2024-02-01', 'gold', 1, 0, 0],
    ]);
    for (const [kpi, column] of [
      ['at_risk_share', 'critical'],
      ['watch_share', 'warn'],
      ['healthy_share', 'ok'],
    ] as const) {
      const { rows } = await project.run({ kpi });
      expect(
        rows.map((r) => [r.period, r.tier, r.value]),
        kpi,
      ).toEqual(hand.map((r) => [r.period, r.tier, r[column]]));
    }
  });

  it('differs from the score of a tier total, which it replaces', async () => {
    // customer_health by tier scores the tier's summed inputs: gold January has 14 logins (100) and a
    // mean csat of 4 (75): (300 + 75) / 4 = 93.75, ok -- while one of its two customers is at risk.
    const { rows } = await project.run({ kpi: 'customer_health', by: [{ name: 'tier', span: SPAN }] });
    expect(rows.find((r) => r.period === '2024-01-01' && r.tier === 'gold')?.value).toBe(93.75);
  });

  it('runs by customer (the mean of one) and without segments (over every customer)', async () => {
    const byCustomer = await project.run({ kpi: 'health_by_tier', by: [{ name: 'customer', span: SPAN }] });
    expect(byCustomer.rows.filter((r) => r.period === '2024-01-01').map((r) => [r.customer, r.value])).toEqual([
      ['c1', 100],
      ['c2', 42.5],
      ['c3', 70],
      ['c4', 18.75],
    ]);
    const total = await project.run({ kpi: 'at_risk_share', by: 'none', grain: 'none' });
    // Over both months as one period: c1 has 12 logins (100) and csat 5: ok; c2 42.5 and c4 18.75 critical;
    // c3 70 warn: 2 of 4.
    expect(total.rows.map((r) => r.value)).toEqual([0.5]);
  });

  it('compiles to one statement: per customer, then aggregated; explain data names the roll-up', () => {
    const { sql, components } = project.compile({ kpi: 'at_risk_share' });
    expect(sql).toContain('"customer_health_per_customer" as (');
    expect(sql).toContain('"customer_health_critical_share" as (');
    expect(components).toEqual([{ kpi: 'customer_health', lag: 0, rollup: { kind: 'share', status: 'critical' } }]);
    expect(project.compile({ kpi: 'health_by_tier' }).components).toEqual([
      { kpi: 'customer_health', lag: 0, rollup: { kind: 'mean' } },
    ]);
  });
});

describe('the formatter', () => {
  it('prints the roll-up functions as written, and is idempotent', () => {
    const messy = ROLLUP_MODEL.replace(
      'value customer_share(customer_health, critical)',
      'value   customer_share( customer_health ,critical )',
    );
    const once = formatFile(messy, 'm.kpi').value!;
    expect(once).toContain('  value customer_share(customer_health, critical)\n');
    expect(once).toContain('  value customer_mean(customer_health)\n');
    expect(formatFile(once, 'm.kpi').value).toBe(once);
  });
});

describe('what the roll-up functions refuse', () => {
  const errors = (extra: string) =>
    resolveProject([parseFile(ROLLUP_MODEL + extra, 'm.kpi').value], EMPTY_CATALOG, {}).diagnostics.filter(
      (d) => d.severity === 'error',
    );
  it('a status that is not one', () => {
    const [d] = errors('kpi x {\n  value customer_share(customer_health, bad)\n}\n');
    const line = ROLLUP_MODEL.split('\n').length + 1;
    expect([d?.code, d?.span.start.line, d?.span.start.column]).toEqual(['invalid-expression', line, 41]);
    expect(d?.message).toContain('`ok`, `warn` or `critical`');
  });
  it('something other than a KPI', () => {
    const [d] = errors('kpi x {\n  value customer_mean(customer_health + 1)\n}\n');
    expect(d?.code).toBe('invalid-expression');
    const [u] = errors('kpi x {\n  value customer_mean(nosuch)\n}\n');
    expect(u?.code).toBe('unknown-kpi');
  });
  it('a share of a KPI without bands, when planned', () => {
    const model = resolveProject(
      [parseFile(`${ROLLUP_MODEL}kpi x {\n  value customer_share(monthly_logins, critical)\n}\n`, 'm.kpi').value],
      EMPTY_CATALOG,
      {},
    ).value;
    const compiled = compileQuery(model, { kpi: 'x' }, { dataRoot: '/' });
    expect(compiled.value).toBeUndefined();
    expect(compiled.diagnostics.map((d) => [d.code, d.span.start.column])).toEqual([['invalid-expression', 24]]);
    expect(compiled.diagnostics[0]?.message).toContain('has no `warn` or `critical` threshold');
  });
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
