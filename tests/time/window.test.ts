// Trailing windows: each period's value covers [period_end - window,
// period_end), computed over the rows (exact for count_distinct and median),
// never a sum of the periods' own values.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv } from '../sql/duckdb.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { pickColumns, plain } from './data.ts';

// Weeks start on Monday: 2024-01-01, 01-08, 01-15.
const EVENTS = csv('event_id,customer_id,at,duration', [
  ['w1', 'c1', '2024-01-01 00:00:00', 10], // exactly period_end - 14 days for the week of Jan 8: inside
  ['w2', 'c2', '2024-01-07 23:59:59', 20],
  ['w3', 'c1', '2024-01-08 00:00:00', 30],
  ['w4', 'c3', '2024-01-14 12:00:00', 100],
  ['w5', 'c2', '2024-01-15 00:00:00', 50], // exactly period_end of the week of Jan 8: outside
]);

const KPIS = `
customer customers from events { key customer_id }
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure actives = count_distinct(customer_id)
  measure typical_duration = median(duration)
}
kpi actives_14d {
  numerator actives
  grain week
  window 14 days
}
kpi actives_2w {
  numerator actives
  grain week
  window 2 weeks
}
kpi duration_2w {
  numerator typical_duration
  grain week
  window 2 weeks
}
kpi actives_weekly {
  numerator actives
  grain week
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/window.kpi': KPIS }, { 'events.csv': EVENTS });
});
afterAll(() => project.close());

describe('window', () => {
  it('counts distinct customers over the rows of the window (hand numbers)', async () => {
    // Week of Jan 1: [Dec 25, Jan 8) -> c1, c2 = 2.
    // Week of Jan 8: [Jan 1, Jan 15) -> c1 (w1, w3), c2, c3 = 3; the weekly counts would sum to 4.
    // Week of Jan 15: [Jan 8, Jan 22) -> c1, c3, c2 = 3.
    const { rows } = await project.run({ kpi: 'actives_14d' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 2 },
      { period: '2024-01-08', value: 3 },
      { period: '2024-01-15', value: 3 },
    ]);
    const weekly = await project.run({ kpi: 'actives_weekly' });
    expect(pickColumns(weekly.rows, ['value']).map((r) => r.value)).toEqual([2, 2, 1]);
  });

  it('a 14-day window and a 2-week window are the same window', async () => {
    const days = await project.run({ kpi: 'actives_14d' });
    const weeks = await project.run({ kpi: 'actives_2w' });
    expect(weeks.rows).toEqual(days.rows);
    expect(weeks.compiled.sql.replace('actives_2w', 'actives_14d')).toBe(days.compiled.sql);
  });

  it("takes the median of the window's rows, not of the periods' medians", async () => {
    // Week of Jan 8: durations 10, 20, 30, 100 -> 25 (the weekly medians 15 and 65 would give 40).
    // Week of Jan 15: 30, 100, 50 -> 50.
    const { rows } = await project.run({ kpi: 'duration_2w' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 15 },
      { period: '2024-01-08', value: 25 },
      { period: '2024-01-15', value: 50 },
    ]);
  });

  it('agrees with hand SQL over a self-join of weeks and rows', async () => {
    const { rows } = await project.run({ kpi: 'actives_14d' });
    const hand = await project.db.all(`
      with weeks as (select unnest(['2024-01-01'::date, '2024-01-08', '2024-01-15']) as period)
      select w.period, count(distinct e.customer_id) as value
      from weeks w join read_csv('${project.db.root}/events.csv') e
        on e."at" >= w.period + 7 - 14 and e."at" < w.period + 7
      group by w.period order by w.period`);
    expect(pickColumns(rows, ['period', 'value'])).toEqual(plain(hand));
  });

  it('reads rows before --from for the first window', async () => {
    const { rows } = await project.run({ kpi: 'actives_14d', from: '2024-01-08' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-08', value: 3 },
      { period: '2024-01-15', value: 3 },
    ]);
  });
});
