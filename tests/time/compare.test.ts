// Period over period (`compare: 'previous'`), incomplete periods and
// `periods complete`, per-customer evaluation and the status filter.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns, plain, SOURCES } from './data.ts';

const KPIS = `
kpi logins {
  numerator login_count
  grain month
  warn < 3
}
kpi complete_logins {
  numerator login_count
  grain month
  periods complete
}
kpi customer_logins {
  numerator login_count
  grain month
  critical < 2
}
`;

const AT = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const round = (x: number) => Math.round(x * 1e9) / 1e9;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/sources.kpi': SOURCES, 'metrics/kpis.kpi': KPIS }, DATA);
});
afterAll(() => project.close());

describe('--compare previous', () => {
  it('adds previous_value, change and change_pct after value', async () => {
    // logins: Jan 3, Feb 3, Mar 4.
    const { rows, compiled } = await project.run({ kpi: 'logins', compare: 'previous' });
    expect(compiled.columns.map((c) => c.name)).toEqual([
      'period',
      'numerator',
      'denominator',
      'value',
      'previous_value',
      'change',
      'change_pct',
      'status',
      'target_met',
    ]);
    expect(pickColumns(rows, ['period', 'value', 'previous_value', 'change', 'change_pct'])).toEqual([
      { period: '2024-01-01', value: 3, previous_value: null, change: null, change_pct: null },
      { period: '2024-02-01', value: 3, previous_value: 3, change: 0, change_pct: 0 },
      { period: '2024-03-01', value: 4, previous_value: 3, change: 1, change_pct: round(1 / 3) },
    ]);
  });

  it('computes the period before --from, whole, and cuts the first period at --from', async () => {
    // --from 2024-02-15: February counts nothing (its events are on the 3rd, 11th, 12th); January is whole.
    const { rows } = await project.run({ kpi: 'logins', compare: 'previous', from: '2024-02-15' });
    expect(pickColumns(rows, ['period', 'value', 'previous_value', 'change', 'change_pct'])).toEqual([
      { period: '2024-02-01', value: 0, previous_value: 3, change: -3, change_pct: -1 },
      { period: '2024-03-01', value: 4, previous_value: 0, change: 4, change_pct: null },
    ]);
  });

  it('needs a grain', () => {
    expect(project.diagnose({ kpi: 'logins', compare: 'previous', grain: 'none' }).map((d) => d.code)).toEqual([
      'compare-without-grain',
    ]);
  });

  it('agrees with hand SQL per segment (LAG over the months)', async () => {
    const { rows } = await project.run({ kpi: 'logins', compare: 'previous', by: [{ name: 'plan', span: AT }] });
    // The previous month's count of the same plan, when that month has a row for it.
    const hand = await project.db.all(`
      with counts as (
        select date_trunc('month', e."at")::date as period, c.plan, count(*) as value
        from read_csv('${project.db.root}/events.csv') e join read_csv('${project.db.root}/customers.csv') c using (customer_id)
        group by all)
      select period, plan, value,
        (select p.value from counts p where p.plan = c.plan and p.period = c.period - interval 1 month) as previous_value
      from counts c order by period, plan`);
    expect(pickColumns(rows, ['period', 'plan', 'value', 'previous_value'])).toEqual(plain(hand));
    expect(plain(rows).map((r) => r.previous_value)).toEqual([null, 3, null, 1, 2]);
  });
});

describe('incomplete periods', () => {
  it('marks the first and last periods when the data starts after or ends before them', async () => {
    // The first event is on 2024-01-06: January is incomplete. The last is on 2024-03-17: March is too.
    const { rows, compiled } = await project.run({ kpi: 'logins', markIncomplete: true });
    expect(compiled.columns.at(-1)).toEqual({ name: 'incomplete', role: 'incomplete' });
    expect(pickColumns(rows, ['period', 'incomplete'])).toEqual([
      { period: '2024-01-01', incomplete: true },
      { period: '2024-02-01', incomplete: false },
      { period: '2024-03-01', incomplete: true },
    ]);
  });

  it('takes --to as the end of the data', async () => {
    const cut = await project.run({ kpi: 'logins', markIncomplete: true, to: '2024-03-10' });
    expect(pickColumns(cut.rows, ['period', 'value', 'incomplete']).at(-1)).toEqual({
      period: '2024-03-01',
      value: 3,
      incomplete: true,
    });
    // A closed range still knows where the data starts: January (data from the 6th) stays incomplete.
    const whole = await project.run({ kpi: 'logins', markIncomplete: true, from: '2024-01-01', to: '2024-03-01' });
    expect(pickColumns(whole.rows, ['period', 'incomplete'])).toEqual([
      { period: '2024-01-01', incomplete: true },
      { period: '2024-02-01', incomplete: false },
    ]);
  });

  it('marks the first period when --from starts inside it', async () => {
    const { rows } = await project.run({ kpi: 'logins', markIncomplete: true, from: '2024-01-10', to: '2024-03-01' });
    expect(pickColumns(rows, ['period', 'value', 'incomplete'])).toEqual([
      { period: '2024-01-01', value: 2, incomplete: true },
      { period: '2024-02-01', value: 3, incomplete: false },
    ]);
  });

  it('leaves incomplete periods out with `periods complete`', async () => {
    const { rows, compiled } = await project.run({ kpi: 'complete_logins' });
    expect(compiled.columns.map((c) => c.name)).not.toContain('incomplete');
    // January (data from the 6th) and March (to the 17th) are partial.
    expect(pickColumns(rows, ['period', 'value'])).toEqual([{ period: '2024-02-01', value: 3 }]);
  });

  it('a day with data is covered: daily periods end at the last day', async () => {
    const { rows } = await project.run({ kpi: 'logins', grain: 'day', markIncomplete: true, from: '2024-03-15' });
    expect(pickColumns(rows, ['period', 'value', 'incomplete'])).toEqual([
      { period: '2024-03-15', value: 0, incomplete: false },
      { period: '2024-03-16', value: 0, incomplete: false },
      { period: '2024-03-17', value: 1, incomplete: false },
    ]);
  });
});

describe('--by customer and --status', () => {
  it('breaks any KPI down by the customer key', async () => {
    const { rows, compiled } = await project.run({ kpi: 'customer_logins', by: [{ name: 'customer', span: AT }] });
    expect(compiled.columns.map((c) => c.name)).toEqual([
      'period',
      'customer',
      'numerator',
      'denominator',
      'value',
      'status',
      'target_met',
    ]);
    const hand = await project.db.all(`
      select date_trunc('month', "at")::date as period, customer_id as customer, count(*) as value,
             case when count(*) < 2 then 'critical' else 'ok' end as status
      from read_csv('${project.db.root}/events.csv') group by all order by 1, 2`);
    expect(pickColumns(rows, ['period', 'customer', 'value', 'status'])).toEqual(plain(hand));
  });

  it('keeps only the rows of the asked statuses', async () => {
    const { rows } = await project.run({
      kpi: 'customer_logins',
      by: [{ name: 'customer', span: AT }],
      status: ['critical'],
      keepIncomplete: true,
    });
    // Jan: c2 1 | Feb: c1 1 | Mar: c1 1, c2 1 (c4 has 2).
    expect(pickColumns(rows, ['period', 'customer', 'value'])).toEqual([
      { period: '2024-01-01', customer: 'c2', value: 1 },
      { period: '2024-02-01', customer: 'c1', value: 1 },
      { period: '2024-03-01', customer: 'c1', value: 1 },
      { period: '2024-03-01', customer: 'c2', value: 1 },
    ]);
    // Without `--incomplete`, March (the data ends on the 17th) is left out: no false alarm from a partial month.
    const complete = await project.run({
      kpi: 'customer_logins',
      by: [{ name: 'customer', span: AT }],
      status: ['critical'],
    });
    // Nor January, which the data covers from the 6th only.
    expect(pickColumns(complete.rows, ['period', 'customer', 'value'])).toEqual([
      { period: '2024-02-01', customer: 'c1', value: 1 },
    ]);
  });

  it('rejects an unknown status', () => {
    expect(project.diagnose({ kpi: 'logins', status: ['bad' as never] }).map((d) => d.code)).toEqual([
      'invalid-status',
    ]);
  });
});
