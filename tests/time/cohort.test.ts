// Cohort grids: `cohort by DIM` gives one row per cohort and period since
// it, up to the end of the data, with zero cells: a cohort with no activity
// in a later period shows 0 there, not a missing row.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_START } from '../../compiler/diagnostics.ts';
import { compileQuery } from '../../compiler/compile.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns } from './data.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension plan
  dimension first_event_at = min(events.at)
  measure cohort_size = count()
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure active_customers = count_distinct(customer_id)
  measure event_count = count()
}
kpi cohort_retention {
  numerator active_customers
  denominator cohort_size
  scale 100
  cohort by signup_date
  grain month
  warn < 60
}
kpi cohort_events {
  numerator event_count
  cohort by customers.first_event_at
  grain month
}
kpi cohort_by_plan {
  numerator active_customers
  denominator cohort_size
  cohort by signup_date
  segment by plan
  grain month
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/model.kpi': MODEL }, DATA);
});
afterAll(() => project.close());

// Signups: c1 2024-01-05, c2 2024-01-20 (January cohort), c3 2024-02-10 (February), c4 2024-03-01 (March).
// Active by month: Jan c1 c2 | Feb c1 c3 | Mar c1 c2 c4. The data ends in March.
describe('cohort grid', () => {
  it('has a row per cohort and month since, zero cells included', async () => {
    const { rows, compiled } = await project.run({ kpi: 'cohort_retention', markIncomplete: true });
    expect(compiled.columns.map((c) => c.name)).toEqual([
      'cohort',
      'periods_since',
      'numerator',
      'denominator',
      'value',
      'status',
      'target_met',
      'incomplete',
    ]);
    expect(
      pickColumns(rows, ['cohort', 'periods_since', 'numerator', 'denominator', 'value', 'status', 'incomplete']),
    ).toEqual([
      // January cohort (c1 c2): Jan both, Feb c1, Mar both.
      {
        cohort: '2024-01-01',
        periods_since: 0,
        numerator: 2,
        denominator: 2,
        value: 100,
        status: 'ok',
        incomplete: false,
      },
      {
        cohort: '2024-01-01',
        periods_since: 1,
        numerator: 1,
        denominator: 2,
        value: 50,
        status: 'warn',
        incomplete: false,
      },
      {
        cohort: '2024-01-01',
        periods_since: 2,
        numerator: 2,
        denominator: 2,
        value: 100,
        status: 'ok',
        incomplete: true,
      },
      // February cohort (c3): active in February, not in March: a zero cell.
      {
        cohort: '2024-02-01',
        periods_since: 0,
        numerator: 1,
        denominator: 1,
        value: 100,
        status: 'ok',
        incomplete: false,
      },
      {
        cohort: '2024-02-01',
        periods_since: 1,
        numerator: 0,
        denominator: 1,
        value: 0,
        status: 'warn',
        incomplete: true,
      },
      // March cohort (c4).
      {
        cohort: '2024-03-01',
        periods_since: 0,
        numerator: 1,
        denominator: 1,
        value: 100,
        status: 'ok',
        incomplete: true,
      },
    ]);
  });

  it('agrees with hand-written SQL over the same files', async () => {
    const { rows } = await project.run({ kpi: 'cohort_retention' });
    const root = project.db.root;
    const hand = await project.db.all(`
      with c as (select customer_id, cast(date_trunc('month', signup_date) as date) as cohort from read_csv('${root}/customers.csv')),
      sizes as (select cohort, count(*) as size from c group by cohort),
      grid as (select cohort, unnest(range(0, date_diff('month', cohort, date '2024-03-01') + 1)) as k from sizes),
      act as (select c.cohort, date_diff('month', c.cohort, cast(date_trunc('month', e."at") as date)) as k, count(distinct e.customer_id) as n
              from read_csv('${root}/events.csv') e join c using (customer_id) group by all)
      select grid.cohort, grid.k, coalesce(act.n, 0) as active, sizes.size
      from grid join sizes using (cohort) left join act on act.cohort = grid.cohort and act.k = grid.k
      order by 1, 2`);
    expect(rows.map((r) => [r.cohort, Number(r.periods_since), Number(r.numerator), Number(r.denominator)])).toEqual(
      hand.map((h) => [h.cohort, Number(h.k), Number(h.active), Number(h.size)]),
    );
  });

  it('cohorts of first activity, from an aggregated dimension', async () => {
    // First events: c1 Jan 6, c2 Jan 21, c3 Feb 11, c4 Mar 6 -> the same cohorts.
    // Events: Jan cohort: Jan e1 e2 e3 (3), Feb e4 (1), Mar e7 e8 (2); Feb cohort: e5 e6 (2), then 0; Mar cohort: e9 e10 (2).
    const { rows } = await project.run({ kpi: 'cohort_events' });
    expect(pickColumns(rows, ['cohort', 'periods_since', 'value'])).toEqual([
      { cohort: '2024-01-01', periods_since: 0, value: 3 },
      { cohort: '2024-01-01', periods_since: 1, value: 1 },
      { cohort: '2024-01-01', periods_since: 2, value: 2 },
      { cohort: '2024-02-01', periods_since: 0, value: 2 },
      { cohort: '2024-02-01', periods_since: 1, value: 0 },
      { cohort: '2024-03-01', periods_since: 0, value: 2 },
    ]);
  });

  it('breaks cohorts down by a segment; the members repeat over the periods since', async () => {
    const { rows, compiled } = await project.run({ kpi: 'cohort_by_plan' });
    expect(compiled.broadcasts).toEqual([{ measure: 'cohort_size', dimensions: ['periods_since'] }]);
    expect(pickColumns(rows, ['cohort', 'periods_since', 'plan', 'numerator', 'denominator'])).toEqual([
      { cohort: '2024-01-01', periods_since: 0, plan: 'enterprise', numerator: 2, denominator: 2 },
      { cohort: '2024-01-01', periods_since: 1, plan: 'enterprise', numerator: 1, denominator: 2 },
      { cohort: '2024-01-01', periods_since: 2, plan: 'enterprise', numerator: 2, denominator: 2 },
      { cohort: '2024-02-01', periods_since: 0, plan: 'starter', numerator: 1, denominator: 1 },
      { cohort: '2024-02-01', periods_since: 1, plan: 'starter', numerator: 0, denominator: 1 },
      { cohort: '2024-03-01', periods_since: 0, plan: 'starter', numerator: 1, denominator: 1 },
    ]);
  });

  it('--from and --to choose the cohorts; --to ends the grid and the activity', async () => {
    const { rows } = await project.run({ kpi: 'cohort_retention', from: '2024-02-01', to: '2024-03-01' });
    // Only the February cohort; the grid ends in February (March's activity is after --to).
    expect(pickColumns(rows, ['cohort', 'periods_since', 'numerator', 'denominator'])).toEqual([
      { cohort: '2024-02-01', periods_since: 0, numerator: 1, denominator: 1 },
    ]);
    const january = await project.run({ kpi: 'cohort_retention', to: '2024-02-15' });
    // Cohorts up to February (c3 signed up on the 10th); February counts up to the 14th (c1 on the 3rd, c3 on the 11th).
    expect(pickColumns(january.rows, ['cohort', 'periods_since', 'numerator'])).toEqual([
      { cohort: '2024-01-01', periods_since: 0, numerator: 2 },
      { cohort: '2024-01-01', periods_since: 1, numerator: 1 },
      { cohort: '2024-02-01', periods_since: 0, numerator: 1 },
    ]);
  });

  it('a week grain counts weeks since the cohort week', async () => {
    const { rows } = await project.run({ kpi: 'cohort_retention', grain: 'week', from: '2024-03-01' });
    // March cohort: c4 signed up on Friday 2024-03-01 (week of Feb 26); active Mar 6 (week 1) and Mar 17 (Sunday, week 3).
    // The data's last week starts on Mar 11, so the grid runs to 2 weeks since.
    expect(pickColumns(rows, ['cohort', 'periods_since', 'numerator'])).toEqual([
      { cohort: '2024-02-26', periods_since: 0, numerator: 0 },
      { cohort: '2024-02-26', periods_since: 1, numerator: 1 },
      { cohort: '2024-02-26', periods_since: 2, numerator: 1 },
    ]);
  });

  it('refuses what a cohort cannot mean', () => {
    const codes = (query: Parameters<Project['diagnose']>[0]) => project.diagnose(query).map((d) => d.code);
    expect(codes({ kpi: 'cohort_retention', grain: 'none' })).toContain('cohort-without-grain');
    expect(codes({ kpi: 'cohort_retention', compare: 'previous' })).toContain('compare-without-grain');
    expect(codes({ kpi: 'cohort_retention', by: [{ name: 'cohort', span: FILE_START }] })).toContain(
      'segment-name-clash',
    );
  });
});

describe('cohort of a timestamp in a time zone', () => {
  it('takes the local period of the instant', async () => {
    const model = `
customer customers from "customers.csv" {
  key customer_id
  dimension first_event_at = min(events.at)
  measure cohort_size = count()
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure active_customers = count_distinct(customer_id)
}
kpi first_activity_cohorts {
  numerator active_customers
  denominator cohort_size
  cohort by first_event_at
  grain month
}
`;
    // c1's first event, 2024-01-31 23:30 UTC, is 00:30 on February 1st in Berlin: a February customer,
    // active in February (that event) and March. c2 starts in January (Berlin and UTC alike).
    const data = {
      'customers.csv': 'customer_id\nc1\nc2\n',
      'events.csv':
        'event_id,customer_id,at\ne1,c1,2024-01-31 23:30:00\ne2,c1,2024-03-10 12:00:00\ne3,c2,2024-01-10 12:00:00\n',
    };
    const berlin = await openProject({ 'metrics/model.kpi': model }, data, 'Europe/Berlin');
    try {
      const { rows } = await berlin.run({ kpi: 'first_activity_cohorts' });
      expect(pickColumns(rows, ['cohort', 'periods_since', 'numerator', 'denominator'])).toEqual([
        { cohort: '2024-01-01', periods_since: 0, numerator: 1, denominator: 1 },
        { cohort: '2024-01-01', periods_since: 1, numerator: 0, denominator: 1 },
        { cohort: '2024-01-01', periods_since: 2, numerator: 0, denominator: 1 },
        { cohort: '2024-02-01', periods_since: 0, numerator: 1, denominator: 1 },
        { cohort: '2024-02-01', periods_since: 1, numerator: 1, denominator: 1 },
      ]);
    } finally {
      await berlin.close();
    }
  });
});

describe('golden SQL of cohorts and retention', () => {
  it('time-cohort-grid and time-retention read as documented', async () => {
    const { golden, GOLDEN_ROOT } = await import('../sql/golden.ts');
    const cohort = project.compile({ kpi: 'cohort_retention', markIncomplete: true }, GOLDEN_ROOT).sql;
    expect(cohort).toBe(golden('time-cohort-grid', cohort));
    // The same declarations compile to the same bytes, whatever their order: one file
    // per declaration in reverse order, and one file with the declarations reversed.
    const blocks = declarationsOf(MODEL);
    expect(blocks.length).toBe(5);
    const perFile = Object.fromEntries(
      blocks.map((b, i) => [`metrics/${String(blocks.length - i).padStart(2, '0')}.kpi`, b]).reverse(),
    );
    const orders = [perFile, { 'metrics/model.kpi': [...blocks].reverse().join('\n') }];
    for (const files of orders) {
      const other = await openProject(files, DATA);
      try {
        expect(other.compile({ kpi: 'cohort_retention', markIncomplete: true }, GOLDEN_ROOT).sql).toBe(cohort);
        expect(
          compileQuery(other.reversed, { kpi: 'cohort_retention', markIncomplete: true }, { dataRoot: GOLDEN_ROOT })
            .value?.sql,
        ).toBe(cohort);
      } finally {
        await other.close();
      }
    }
    const retention = await openProject(
      {
        'metrics/model.kpi': `${MODEL}
source sets from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure retained_customers = count_distinct(customer_id) retained
  measure churned_customers = count_distinct(customer_id) churned
}
kpi retention_rate {
  numerator retained_customers
  denominator retained_customers + churned_customers
  segment by plan
  grain month
}
`,
      },
      DATA,
    );
    try {
      const sql = retention.compile({ kpi: 'retention_rate', from: '2024-02-01' }, GOLDEN_ROOT).sql;
      expect(sql).toBe(golden('time-retention', sql));
      // The same query run. Active by month: Jan c1 c2 (enterprise) | Feb c1 (enterprise), c3 (starter)
      // | Mar c1 c2 (enterprise), c4 (starter). February: enterprise kept c1 of {c1, c2}; starter had
      // nobody in January, so no row (docs/time-analytics.md). March: enterprise kept c1 of {c1}; starter lost c3.
      const { rows } = await retention.run({ kpi: 'retention_rate', from: '2024-02-01' });
      expect(pickColumns(rows, ['period', 'plan', 'numerator', 'denominator', 'value'])).toEqual([
        { period: '2024-02-01', plan: 'enterprise', numerator: 1, denominator: 2, value: 0.5 },
        { period: '2024-03-01', plan: 'enterprise', numerator: 1, denominator: 1, value: 1 },
        { period: '2024-03-01', plan: 'starter', numerator: 0, denominator: 1, value: 0 },
      ]);
    } finally {
      await retention.close();
    }
  });
});

/** The top-level declarations of a model text, each from its keyword to its closing brace. */
function declarationsOf(text: string): string[] {
  return text
    .split(/\n(?=(?:customer|source|kpi) )/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}
