// The time KPIs of the SaaS example against hand-written SQL over the same
// files: time to value by signup month, the cohort grid (zero cells
// included) and month-over-month retention from activity alone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../runtime/project/open.ts';
import { handRows, openExample, runKpi } from '../e2e/support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

const num = (v: unknown) => (v === null ? null : Math.round(Number(v) * 1e9) / 1e9);

describe('SaaS time KPIs', () => {
  it('time_to_value: median days from signup to the first event, by signup month', async () => {
    const actual = await runKpi(project, { kpi: 'time_to_value' });
    const hand = await handRows(
      project,
      `
      with first_events as (select customer_id, min(occurred_at) as first_at from read_csv('{root}/events.csv') group by customer_id)
      select cast(date_trunc('month', c.signup_date) as date) as period,
             median(date_diff('day', c.signup_date, f.first_at)) as value
      from read_csv('{root}/customers.csv') c left join first_events f using (customer_id)
      group by 1 order by 1`,
    );
    expect(actual.rows.length).toBe(hand.rows.length);
    expect(actual.rows.map((r) => [String(r.period).slice(0, 10), num(r.value)])).toEqual(
      hand.rows.map((r) => [String(r.period).slice(0, 10), num(r.value)]),
    );
    expect(actual.rows.some((r) => r.value !== null)).toBe(true);
  });

  it("cohort_retention: every cohort x month since up to the data's last month, zero cells included", async () => {
    const actual = await runKpi(project, { kpi: 'cohort_retention' });
    const hand = await handRows(
      project,
      `
      with c as (select customer_id, cast(date_trunc('month', signup_date) as date) as cohort from read_csv('{root}/customers.csv')),
      e as (select customer_id, occurred_at from read_csv('{root}/events.csv')),
      last_month as (select cast(date_trunc('month', greatest((select max(occurred_at) from e), (select max(cohort) from c))) as date) as m),
      sizes as (select cohort, count(*) as size from c group by cohort),
      grid as (select cohort, unnest(range(0, date_diff('month', cohort, (select m from last_month)) + 1)) as k from sizes),
      act as (select c.cohort, date_diff('month', c.cohort, cast(date_trunc('month', e.occurred_at) as date)) as k,
                     count(distinct e.customer_id) as n
              from e join c using (customer_id) group by all)
      select grid.cohort, grid.k, coalesce(act.n, 0) as active, sizes.size
      from grid join sizes using (cohort) left join act on act.cohort = grid.cohort and act.k = grid.k
      order by 1, 2`,
    );
    expect(
      actual.rows.map((r) => [
        String(r.cohort).slice(0, 10),
        Number(r.periods_since),
        Number(r.numerator),
        Number(r.denominator),
      ]),
    ).toEqual(hand.rows.map((r) => [String(r.cohort).slice(0, 10), Number(r.k), Number(r.active), Number(r.size)]));
    // The last cohort has one cell; the first has one per month of the data.
    const cohorts = new Set(actual.rows.map((r) => r.cohort));
    expect(actual.rows.length).toBe((cohorts.size * (cohorts.size + 1)) / 2);
  });

  it("activity_churn: of last month's active customers, the share not active this month", async () => {
    const actual = await runKpi(project, { kpi: 'activity_churn' });
    const hand = await handRows(
      project,
      `
      with a as (select distinct cast(date_trunc('month', occurred_at) as date) as m, customer_id from read_csv('{root}/events.csv'))
      select cast(x.m + interval 1 month as date) as period, count(*) - count(y.customer_id) as churned, count(*) as base
      from a x left join a y on y.customer_id = x.customer_id and y.m = cast(x.m + interval 1 month as date)
      group by 1 order by 1`,
    );
    const expected = new Map(
      hand.rows.map((r) => [String(r.period).slice(0, 10), [Number(r.churned), Number(r.base)]]),
    );
    expect(actual.rows.length).toBeGreaterThan(12);
    for (const row of actual.rows.slice(1)) {
      expect([Number(row.numerator), Number(row.denominator)], String(row.period)).toEqual(
        expected.get(String(row.period).slice(0, 10)),
      );
    }
    expect(Number(actual.rows[0]!.denominator)).toBe(0);
  });

  it("activity_retention: of last month's active customers of a tier, the share active again in that tier", async () => {
    const actual = await runKpi(project, { kpi: 'activity_retention' });
    // docs/time-analytics.md: per whole month, the set of (tier, customer) active; a month's retained are
    // those of the month before also in this month's set, its churned those of the month before not in it.
    const hand = await handRows(
      project,
      `
      with a as (select distinct cast(date_trunc('month', e.occurred_at) as date) as m, c.tier, e.customer_id
                 from read_csv('{root}/events.csv') e left join read_csv('{root}/customers.csv') c using (customer_id))
      select cast(x.m + interval 1 month as date) as period, x.tier,
             count(y.customer_id) as retained, count(*) - count(y.customer_id) as churned
      from a x left join a y on y.customer_id = x.customer_id and y.tier is not distinct from x.tier
                              and y.m = cast(x.m + interval 1 month as date)
      group by all order by 1, 2`,
    );
    const expected = new Map(
      hand.rows.map((r) => [`${String(r.period).slice(0, 10)}|${r.tier}`, [Number(r.retained), Number(r.churned)]]),
    );
    const last = String(actual.rows.at(-1)!.period).slice(0, 10);
    let compared = 0;
    for (const row of actual.rows) {
      const key = `${String(row.period).slice(0, 10)}|${row.tier}`;
      const [retained, churned] = expected.get(key) ?? [0, 0];
      expect([key, Number(row.numerator), Number(row.denominator)]).toEqual([key, retained, retained! + churned!]);
      const rate = retained! + churned! === 0 ? null : (100 * retained!) / (retained! + churned!);
      expect(num(row.value), key).toBe(rate === null ? null : num(rate));
      if (expected.has(key)) compared++;
    }
    // Every hand row up to the last month kpic shows has its row.
    const shown = [...expected.keys()].filter((k) => k.slice(0, 10) <= last);
    expect(compared).toBe(shown.length);
    expect(compared).toBeGreaterThan(24);
  });
});

// Retention from period-start state on the SaaS data: per customer, the MRR
// of the terms valid at the period's start against those valid at its end.
describe('SaaS retention from period-start state', () => {
  const handState = (grain: 'month' | 'quarter', from: string, to: string) => `
    with periods as (select cast(p as date) as period, cast(p + interval 1 ${grain} as date) as period_end
                     from range(date '${from}', date '${to}', interval 1 ${grain}) t(p)),
    subs as (select * from read_csv('{root}/subscriptions.csv') where mrr >= 0 and (ended_at is null or ended_at >= started_at)),
    state as (
      select p.period, c.tier, s.customer_id,
             sum(s.mrr) filter (where s.started_at <= p.period and (s.ended_at is null or s.ended_at > p.period)) as s,
             sum(s.mrr) filter (where s.started_at < p.period_end and (s.ended_at is null or s.ended_at >= p.period_end)) as e,
             count(distinct s.customer_id) filter (where s.mrr > 0 and s.started_at <= p.period and (s.ended_at is null or s.ended_at > p.period)) as logo_s,
             count(distinct s.customer_id) filter (where s.mrr > 0 and s.started_at < p.period_end and (s.ended_at is null or s.ended_at >= p.period_end)) as logo_e
      from periods p join subs s on s.started_at < p.period_end and (s.ended_at is null or s.ended_at > p.period)
      join read_csv('{root}/customers.csv') c using (customer_id)
      group by all)
    select period, tier,
           sum(coalesce(e, 0)) filter (where s > 0) as net, sum(least(s, coalesce(e, 0))) filter (where s > 0) as gross,
           sum(s) filter (where s > 0) as start_mrr,
           sum(least(logo_s, logo_e)) filter (where logo_s > 0) as logos_kept, sum(logo_s) filter (where logo_s > 0) as logos
    from state group by all order by 1, 2`;
  const key = (r: Record<string, unknown>) => `${String(r.period).slice(0, 10)}|${r.tier}`;

  it('net and gross revenue retention and logo retention by month and tier, as hand-written SQL', async () => {
    const range = { from: '2024-01-01', to: '2024-07-01' };
    const hand = new Map(
      (await handRows(project, handState('month', range.from, range.to))).rows.map((r) => [key(r), r]),
    );
    const cases = [
      { query: { kpi: 'net_revenue_retention', ...range }, numerator: 'net', denominator: 'start_mrr' },
      { query: { kpi: 'gross_revenue_retention', ...range }, numerator: 'gross', denominator: 'start_mrr' },
      { query: { kpi: 'logo_retention', ...range }, numerator: 'logos_kept', denominator: 'logos' },
    ] as const;
    for (const { query, numerator, denominator } of cases) {
      const kpi = query.kpi;
      const actual = await runKpi(project, query);
      expect(actual.rows.length, kpi).toBe(18); // 6 months x 3 tiers
      for (const row of actual.rows) {
        const h = hand.get(key(row))!;
        expect([key(row), num(row.numerator), num(row.denominator)], kpi).toEqual([
          key(row),
          num(h[numerator]),
          num(h[denominator]),
        ]);
      }
    }
  });

  it('net expansion by quarter is net less gross retained MRR, as hand-written SQL', async () => {
    const actual = await runKpi(project, { kpi: 'net_expansion', from: '2024-01-01', to: '2024-07-01' });
    const hand = new Map(
      (await handRows(project, handState('quarter', '2024-01-01', '2024-07-01'))).rows.map((r) => [key(r), r]),
    );
    expect(actual.rows.length).toBe(6);
    for (const row of actual.rows) {
      const h = hand.get(key(row))!;
      expect([key(row), num(row.numerator), num(row.denominator)]).toEqual([
        key(row),
        num(Number(h.net) - Number(h.gross)),
        num(h.start_mrr),
      ]);
    }
  });
});
