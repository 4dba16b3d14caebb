// Retention from period-start state: NRR, GRR, logo retention and expansion
// from snapshot measures with `retained` / `churned`, against numbers worked
// out by hand and hand-written SQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CATALOG } from '../../compiler/semantic/catalog.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { openProject, type Project } from '../sql/harness.ts';

const DATA = {
  'customers.csv':
    'customer_id,tier,signup_date\nc1,pro,2024-01-01\nc2,pro,2024-01-15\nc3,basic,2024-02-01\nc4,basic,2024-03-15\n',
  // c1 renews higher on 03-10 (expansion), c2 churns on 03-20, c3 renews lower on 03-05 (contraction)
  // and has a free add-on, c4 joins mid-March (new business, not in the starting state).
  'subscriptions.csv': [
    'subscription_id,customer_id,mrr,started_at,ended_at',
    's1,c1,100,2024-01-01,2024-03-10',
    's2,c1,150,2024-03-10,',
    's3,c2,50,2024-01-15,2024-03-20',
    's4,c3,80,2024-02-01,2024-03-05',
    's5,c3,60,2024-03-05,',
    's6,c4,40,2024-03-15,',
    's7,c3,0,2024-01-01,',
  ].join('\n'),
};

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension tier
}
source subscriptions from "subscriptions.csv" {
  key subscription_id
  customer customer_id
  valid from started_at to ended_at
  measure mrr_at_start = sum(mrr) at period start
  measure net_retained_mrr = sum(mrr) at period end retained
  measure gross_retained_mrr = sum(mrr) at period start retained
  measure lost_mrr = sum(mrr) at period start churned
  measure paying_at_start = count_distinct(customer_id) at period start where mrr > 0
  measure paying_kept = count_distinct(customer_id) at period start retained where mrr > 0
}
kpi nrr { numerator net_retained_mrr  denominator mrr_at_start  grain month }
kpi grr { numerator gross_retained_mrr  denominator mrr_at_start  grain month }
kpi lost { numerator lost_mrr  denominator mrr_at_start  grain month }
kpi logo_retention { numerator paying_kept  denominator paying_at_start  grain month }
kpi expansion { numerator net_retained_mrr - gross_retained_mrr  denominator mrr_at_start  grain month }
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'm.kpi': MODEL }, DATA);
});
afterAll(() => project?.close());

const RANGE = { from: '2024-01-01', to: '2024-04-01' };
async function rows(kpi: string, extra: object = {}): Promise<unknown[][]> {
  const result = await project.run({ kpi, by: 'none', ...RANGE, ...extra });
  return result.rows.map((r) => [
    r.period,
    ...(r.tier === undefined ? [] : [r.tier]),
    Number(r.numerator),
    Number(r.denominator),
  ]);
}

describe('retention from period-start state, by month', () => {
  // March: start c1 100, c2 50, c3 80 (+ 0) = 230. End: c1 150, c2 0, c3 60, (c4 40: not a starting customer).
  // Feb: start = end = 230 (c1 100, c2 50, c3 80). Jan: start c1 100 (c2 starts 01-15); end c1 100.
  it('NRR: the end MRR of the customers paying at the start, over their start MRR', async () => {
    expect(await rows('nrr')).toEqual([
      ['2024-01-01', 100, 100],
      ['2024-02-01', 230, 230],
      ['2024-03-01', 210, 230],
    ]);
  });

  it('GRR: each starting customer capped at its start MRR (expansion left out)', async () => {
    // March: least(100, 150) + least(50, 0) + least(80, 60) = 160.
    expect(await rows('grr')).toEqual([
      ['2024-01-01', 100, 100],
      ['2024-02-01', 230, 230],
      ['2024-03-01', 160, 230],
    ]);
    // Lost: 0 + 50 (churn) + 20 (contraction) = 70 = 230 - 160.
    expect((await rows('lost'))[2]).toEqual(['2024-03-01', 70, 230]);
    // Expansion: 210 - 160 = 50 (c1's 100 -> 150).
    expect((await rows('expansion'))[2]).toEqual(['2024-03-01', 50, 230]);
  });

  it('logo retention: paying customers at the start still paying at the end', async () => {
    // March: c1, c2, c3 paying at the start; c2 gone at the end: 2 / 3.
    expect((await rows('logo_retention'))[2]).toEqual(['2024-03-01', 2, 3]);
  });

  it("by tier: each tier's starting customers", async () => {
    const byTier = await rows('nrr', { by: [{ name: 'tier', span: SPAN }] });
    // March pro: start c1 100 + c2 50, end 150 + 0. Basic: c3 80 -> 60 (c4 is new).
    expect(byTier.filter((r) => r[0] === '2024-03-01')).toEqual([
      ['2024-03-01', 'basic', 60, 80],
      ['2024-03-01', 'pro', 150, 150],
    ]);
  });

  it("at quarter grain: the quarter's start state against its end", async () => {
    // Q1 starts 01-01: only c1 (100); at its end c1 pays 150: NRR 1.5, GRR 1.
    expect(await rows('nrr', { grain: 'quarter' })).toEqual([['2024-01-01', 150, 100]]);
    expect(await rows('grr', { grain: 'quarter' })).toEqual([['2024-01-01', 100, 100]]);
  });

  it('--to inside March: the end state is the state at --to', async () => {
    // At 03-15: c1 150 (s2 from 03-10), c2 50 (ends 03-20), c3 60.
    expect((await rows('nrr', { to: '2024-03-15' }))[2]).toEqual(['2024-03-01', 260, 230]);
  });

  it('without a grain: one row over the range, also when no customer is paying at its start', async () => {
    // 2024-01-10..2024-03-01: start c1 100 (c2 starts 01-15); at the end (03-01) c1 still pays 100.
    expect(await rows('nrr', { grain: 'none', from: '2024-01-10', to: '2024-03-01' })).toEqual([[undefined, 100, 100]]);
    // Before any term: nobody at the start, so 0 retained of 0 (one row, as for any measure), not no row.
    const before = await project.run({ kpi: 'nrr', by: 'none', grain: 'none', from: '2023-06-01', to: '2023-07-01' });
    expect(before.rows.map((r) => [Number(r.numerator), Number(r.denominator), r.value])).toEqual([[0, 0, null]]);
  });

  it('agrees with hand-written SQL for March NRR and GRR', async () => {
    const root = project.db.root;
    const [hand] = await project.db.all(`
      with s as (select customer_id, sum(mrr) as v from '${root}/subscriptions.csv'
                 where started_at <= date '2024-03-01' and (ended_at is null or ended_at > date '2024-03-01') group by 1),
           e as (select customer_id, sum(mrr) as v from '${root}/subscriptions.csv'
                 where started_at < date '2024-04-01' and (ended_at is null or ended_at >= date '2024-04-01') group by 1)
      select sum(coalesce(e.v, 0)) / sum(s.v) as nrr, sum(least(s.v, coalesce(e.v, 0))) / sum(s.v) as grr
      from s left join e using (customer_id) where s.v > 0`);
    const nrr = (await project.run({ kpi: 'nrr', by: 'none', from: '2024-03-01', to: '2024-04-01' })).rows[0]!;
    const grr = (await project.run({ kpi: 'grr', by: 'none', from: '2024-03-01', to: '2024-04-01' })).rows[0]!;
    expect(nrr.value).toBeCloseTo(Number(hand!.nrr), 12);
    expect(grr.value).toBeCloseTo(Number(hand!.grr), 12);
  });
});

const SPAN = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

describe('what state retention refuses', () => {
  const errors = (measure: string) =>
    resolveProject(
      [parseFile(MODEL.replace('  measure mrr_at_start', `  ${measure}\n  measure mrr_at_start`), 'm.kpi').value],
      EMPTY_CATALOG,
      {},
    )
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.code}: ${d.message}`);

  it('an aggregate that does not add up per customer', () => {
    expect(errors('measure m = median(mrr) at period end retained')).toEqual([
      expect.stringMatching(/^invalid-retention: .*needs `sum`, `count` or `count_distinct`, not `median`/),
    ]);
  });

  it('churned at period end', () => {
    expect(errors('measure m = sum(mrr) at period end churned')).toEqual([
      expect.stringMatching(/^invalid-retention: .*new business/),
    ]);
  });
});
