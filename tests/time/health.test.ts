// Health scores: components normalised to 0..100 (fixed bounds or min-max
// over the segments), weighted, a missing component left out of the weights;
// status bands from the thresholds. And the "logins fell by more than 30%
// against the previous four weeks" alert, per customer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv } from '../sql/duckdb.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns, SOURCES } from './data.ts';
import { parseExpression } from '../../compiler/syntax/parse.ts';

const KPIS = `
kpi logins {
  numerator login_count
  segment by plan
}
kpi long_sessions {
  numerator avg_long_session
  segment by plan
}
kpi health {
  value weighted_mean(score(logins, 0, 10), 3, score(long_sessions, 0, 100), 1)
  segment by plan
  warn < 80
  critical < 60
}
kpi long_only {
  value weighted_mean(score(long_sessions, 0, 100), 1)
  segment by plan
  warn < 80
}
kpi relative_logins {
  value score(logins)
  segment by plan
}
`;

const AT = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/sources.kpi': SOURCES, 'metrics/health.kpi': KPIS }, DATA);
});
afterAll(() => project.close());

describe('health score', () => {
  it('weights normalised components; a missing one drops out of the weights', async () => {
    // logins: enterprise 6 (c1 4, c2 2), starter 4 -> score(0..10): 60, 40.
    // avg duration of sessions over 100: enterprise (150 + 200) / 2 = 175 -> clamped to 100; starter none (null).
    // enterprise (3*60 + 1*100) / 4 = 70 -> warn; starter 40 (logins alone) -> critical.
    const { rows } = await project.run({ kpi: 'health' });
    expect(pickColumns(rows, ['plan', 'value', 'status'])).toEqual([
      { plan: 'enterprise', value: 70, status: 'warn' },
      { plan: 'starter', value: 40, status: 'critical' },
    ]);
  });

  it('min-max over the segments of the period', async () => {
    const { rows } = await project.run({ kpi: 'relative_logins' });
    expect(pickColumns(rows, ['plan', 'value'])).toEqual([
      { plan: 'enterprise', value: 100 },
      { plan: 'starter', value: 0 },
    ]);
    // One segment: no spread, no score.
    const total = await project.run({ kpi: 'relative_logins', by: 'none' });
    expect(pickColumns(total.rows, ['value'])).toEqual([{ value: null }]);
  });

  it('is null when every component is missing', async () => {
    const { rows } = await project.run({ kpi: 'long_only' });
    expect(pickColumns(rows, ['plan', 'value', 'status'])).toEqual([
      { plan: 'enterprise', value: 100, status: 'ok' },
      { plan: 'starter', value: null, status: null },
    ]);
  });

  it('scores each customer', async () => {
    const { rows } = await project.run({ kpi: 'health', by: [{ name: 'customer', span: AT }] });
    // c1: logins 4 -> 40, long (150+200)/2 = 175 -> 100: (120 + 100) / 4 = 55. c2: logins 2 -> 20, no long: 20.
    expect(pickColumns(rows, ['customer', 'value'])).toEqual([
      { customer: 'c1', value: 55 },
      { customer: 'c2', value: 20 },
      { customer: 'c3', value: 20 },
      { customer: 'c4', value: 20 },
    ]);
  });

  it('exposes each component, its normalisation and its share for explain', () => {
    expect(project.compile({ kpi: 'health' }).components).toEqual([
      { kpi: 'logins', lag: 0, normalise: { kind: 'fixed', low: '0', high: '10' }, weight: '3', share: 0.75 },
      { kpi: 'long_sessions', lag: 0, normalise: { kind: 'fixed', low: '0', high: '100' }, weight: '1', share: 0.25 },
    ]);
  });
});

// Weeks (Mondays) 2024-01-01, 01-08, 01-15, 01-22, 01-29.
// a (enterprise): 2 logins a week, then 1 in week 5 -> 1 / 2 - 1 = -50%: critical.
// b (enterprise): 1 a week, 1 in week 5 -> 0%.  c (starter): 3 a week, none in week 5 -> -100%.
function weeklyLogins(): string {
  const rows: [string, string, string][] = [];
  const weeks = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'];
  weeks.forEach((week, w) => {
    for (let i = 0; i < 2; i++) rows.push([`a${w}${i}`, 'a', `${week} 1${i}:00:00`]);
    rows.push([`b${w}`, 'b', `${week} 09:00:00`]);
    for (let i = 0; i < 3; i++) rows.push([`c${w}${i}`, 'c', `${week} 0${i + 1}:00:00`]);
  });
  rows.push(['a5', 'a', '2024-01-30 10:00:00'], ['b5', 'b', '2024-01-31 10:00:00']);
  return csv('login_id,account_id,at', rows);
}

const ALERT = `
customer accounts from "accounts.csv" {
  key account_id
  dimension plan
}
source logins from "logins.csv" {
  key login_id
  customer account_id
  time at
  measure login_count = count()
}
kpi weekly_logins {
  numerator login_count
  grain week
}
kpi weekly_logins_4w_avg {
  numerator login_count
  scale 0.25
  grain week
  window 4 weeks
}
kpi login_drop {
  value coalesce(weekly_logins, 0) / previous(weekly_logins_4w_avg) - 1
  grain week
  critical < -30%
}
`;

describe('per-customer alert: weekly logins against the previous four weeks', () => {
  let alert: Project;
  beforeAll(async () => {
    alert = await openProject(
      { 'metrics/alert.kpi': ALERT },
      {
        'accounts.csv': csv('account_id,plan', [
          ['a', 'enterprise'],
          ['b', 'enterprise'],
          ['c', 'starter'],
        ]),
        'logins.csv': weeklyLogins(),
      },
    );
  });
  afterAll(() => alert.close());

  it('lists the accounts that fell by more than 30%', async () => {
    const by = [{ name: 'customer', span: AT }];
    // The week of 2024-01-29 ends after the data (Wednesday the 31st): --status leaves it out unless asked.
    const complete = await alert.run({ kpi: 'login_drop', by, status: ['critical'] });
    expect(complete.rows).toEqual([]);
    const all = await alert.run({ kpi: 'login_drop', by, status: ['critical'], keepIncomplete: true });
    expect(pickColumns(all.rows, ['period', 'customer', 'value'])).toEqual([
      { period: '2024-01-29', customer: 'a', value: -0.5 },
      { period: '2024-01-29', customer: 'c', value: -1 },
    ]);
    const enterprise = await alert.run({
      kpi: 'login_drop',
      by,
      status: ['critical'],
      keepIncomplete: true,
      where: parseWhere("plan = 'enterprise'"),
    });
    expect(pickColumns(enterprise.rows, ['period', 'customer', 'value'])).toEqual([
      { period: '2024-01-29', customer: 'a', value: -0.5 },
    ]);
  });

  it('computes every week from the rows (hand numbers for account a)', async () => {
    // previous 4-week average at week w = logins in [w - 28 days, w) / 4.
    // a: week 2: 2 / (2/4) - 1 = 3; week 3: 2 / 1 - 1 = 1; week 4: 2 / 1.5 - 1 = 1/3; week 5: 1 / 2 - 1.
    const { rows } = await alert.run({
      kpi: 'login_drop',
      by: [{ name: 'customer', span: AT }],
      where: parseWhere("account_id = 'a'"),
    });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: null },
      { period: '2024-01-08', value: 3 },
      { period: '2024-01-15', value: 1 },
      { period: '2024-01-22', value: Math.round((1 / 3) * 1e9) / 1e9 },
      { period: '2024-01-29', value: -0.5 },
    ]);
  });
});

function parseWhere(text: string) {
  const parsed = parseExpression(text, '<query>');
  if (!parsed.value) throw new Error(`bad test predicate ${text}`);
  return parsed.value;
}

describe('health score components', () => {
  it('--components: each score and its weighted contribution; a missing one drops out', async () => {
    const { rows, compiled } = await project.run({ kpi: 'health', components: true });
    expect(compiled.columns.map((c) => `${c.name}:${c.role}`).slice(-4)).toEqual([
      'logins_score:component',
      'logins_contribution:component',
      'long_sessions_score:component',
      'long_sessions_contribution:component',
    ]);
    // enterprise: logins 6 -> 60, long sessions 175 -> 100; weights 3 and 1: 3 * 60 / 4 = 45 and 1 * 100 / 4 = 25, 45 + 25 = 70.
    // starter: logins 4 -> 40, no long sessions: the weights present are 3, so logins contributes 3 * 40 / 3 = 40, all of the value.
    expect(
      pickColumns(rows, [
        'plan',
        'value',
        'logins_score',
        'logins_contribution',
        'long_sessions_score',
        'long_sessions_contribution',
      ]),
    ).toEqual([
      {
        plan: 'enterprise',
        value: 70,
        logins_score: 60,
        logins_contribution: 45,
        long_sessions_score: 100,
        long_sessions_contribution: 25,
      },
      {
        plan: 'starter',
        value: 40,
        logins_score: 40,
        logins_contribution: 40,
        long_sessions_score: null,
        long_sessions_contribution: null,
      },
    ]);
  });

  it('--components of another derived KPI shows its inputs; of a KPI over measures it is an error', async () => {
    const { rows } = await project.run({ kpi: 'relative_logins', components: true });
    expect(pickColumns(rows, ['plan', 'value', 'logins'])).toEqual([
      { plan: 'enterprise', value: 100, logins: 6 },
      { plan: 'starter', value: 0, logins: 4 },
    ]);
    expect(project.diagnose({ kpi: 'logins', components: true }).map((d) => d.code)).toEqual([
      'components-not-derived',
    ]);
  });
});
