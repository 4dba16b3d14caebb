// The project's time zone for every grain, pinned at both DST transitions of
// Europe/Berlin (2024-03-31 has 23 hours, 2024-10-27 has 25) and at week and
// year boundaries. Timestamps in the data are UTC instants; every expected
// number below is worked out by hand in local time.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv } from '../sql/duckdb.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { pickColumns } from './data.ts';

//        UTC instant             Berlin wall time
const EVENTS = csv('event_id,customer_id,at', [
  ['y1', 'c1', '2023-12-31 22:30:00'], // 2023-12-31 23:30 CET: still 2023
  ['y2', 'c2', '2023-12-31 23:30:00'], // 2024-01-01 00:30 CET: 2024, week of Mon 2024-01-01
  ['k1', 'c1', '2024-01-07 22:30:00'], // 2024-01-07 23:30 (Sunday): week of 2024-01-01
  ['k2', 'c2', '2024-01-07 23:30:00'], // 2024-01-08 00:30 (Monday): week of 2024-01-08
  ['s1', 'c1', '2024-03-29 23:30:00'], // 2024-03-30 00:30 CET
  ['s2', 'c2', '2024-03-30 22:30:00'], // 2024-03-30 23:30 CET
  ['s3', 'c3', '2024-03-30 23:30:00'], // 2024-03-31 00:30 CET
  ['s4', 'c1', '2024-03-31 21:30:00'], // 2024-03-31 23:30 CEST (the 23-hour day)
  ['s5', 'c2', '2024-03-31 22:30:00'], // 2024-04-01 00:30 CEST: April, Q2
  ['f1', 'c1', '2024-10-26 22:30:00'], // 2024-10-27 00:30 CEST
  ['f2', 'c2', '2024-10-27 00:30:00'], // 2024-10-27 02:30 CEST (first 02:30)
  ['f3', 'c3', '2024-10-27 01:30:00'], // 2024-10-27 02:30 CET  (second 02:30)
  ['f4', 'c1', '2024-10-27 22:30:00'], // 2024-10-27 23:30 CET (the 25-hour day)
  ['f5', 'c2', '2024-10-27 23:30:00'], // 2024-10-28 00:30 CET
]);

const KPIS = `
customer customers from events { key customer_id }
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure event_count = count()
  measure actives = count_distinct(customer_id)
}
kpi events {
  numerator event_count
}
kpi actives_2d {
  numerator actives
  grain day
  window 2 days
}
kpi events_48h {
  numerator event_count
  grain day
  window 48 hours
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/tz.kpi': KPIS }, { 'events.csv': EVENTS }, 'Europe/Berlin');
});
afterAll(() => project.close());

const nonZero = (rows: Record<string, unknown>[]) =>
  pickColumns(rows, ['period', 'value']).filter((r) => r.value !== 0);

describe('time zone Europe/Berlin', () => {
  it('days: the 23-hour and the 25-hour day hold their local events', async () => {
    const spring = await project.run({ kpi: 'events', grain: 'day', from: '2024-03-30', to: '2024-04-02' });
    expect(pickColumns(spring.rows, ['period', 'value'])).toEqual([
      { period: '2024-03-30', value: 2 },
      { period: '2024-03-31', value: 2 },
      { period: '2024-04-01', value: 1 },
    ]);
    const autumn = await project.run({ kpi: 'events', grain: 'day', from: '2024-10-27', to: '2024-10-29' });
    expect(pickColumns(autumn.rows, ['period', 'value'])).toEqual([
      { period: '2024-10-27', value: 4 },
      { period: '2024-10-28', value: 1 },
    ]);
  });

  it('weeks start on Monday in local time', async () => {
    const { rows } = await project.run({ kpi: 'events', grain: 'week', from: '2024-01-01', to: '2024-01-15' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-01-01', value: 2 }, // y2, k1
      { period: '2024-01-08', value: 1 }, // k2
    ]);
  });

  it('months, quarters and years change at local midnight', async () => {
    const months = await project.run({ kpi: 'events', grain: 'month' });
    expect(nonZero(months.rows)).toEqual([
      { period: '2023-12-01', value: 1 },
      { period: '2024-01-01', value: 3 },
      { period: '2024-03-01', value: 4 },
      { period: '2024-04-01', value: 1 },
      { period: '2024-10-01', value: 5 },
    ]);
    const quarters = await project.run({ kpi: 'events', grain: 'quarter' });
    expect(nonZero(quarters.rows)).toEqual([
      { period: '2023-10-01', value: 1 },
      { period: '2024-01-01', value: 7 },
      { period: '2024-04-01', value: 1 },
      { period: '2024-10-01', value: 5 },
    ]);
    const years = await project.run({ kpi: 'events', grain: 'year' });
    expect(pickColumns(years.rows, ['period', 'value'])).toEqual([
      { period: '2023-01-01', value: 1 },
      { period: '2024-01-01', value: 13 },
    ]);
  });

  it('a window spanning the spring change covers whole local days (47 real hours)', async () => {
    // 2024-03-31: [03-30 00:00, 04-01 00:00) local -> s1 s2 s3 s4: c1 c2 c3 = 3 customers.
    // 2024-04-01: [03-31 00:00, 04-02 00:00) local -> s3 s4 s5: c3 c1 c2 = 3; 2024-03-30: s1 s2 = 2.
    const { rows } = await project.run({ kpi: 'actives_2d', from: '2024-03-30', to: '2024-04-03' });
    expect(pickColumns(rows, ['period', 'value'])).toEqual([
      { period: '2024-03-30', value: 2 },
      { period: '2024-03-31', value: 3 },
      { period: '2024-04-01', value: 3 },
      { period: '2024-04-02', value: 1 },
    ]);
  });

  it('an hour window counts wall-clock hours back from local midnight', async () => {
    // 48 hours and 2 days are the same wall-clock span: the window ends at local midnight.
    const hours = await project.run({ kpi: 'events_48h', from: '2024-10-27', to: '2024-10-29' });
    expect(pickColumns(hours.rows, ['period', 'value'])).toEqual([
      { period: '2024-10-27', value: 4 }, // [10-26, 10-28): f1..f4
      { period: '2024-10-28', value: 5 }, // [10-27, 10-29): f1..f5
    ]);
  });
});
