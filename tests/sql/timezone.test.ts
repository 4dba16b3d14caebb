// Periods in the project's time zone, across the switch to summer time in
// Europe/Berlin (2024-03-31 01:00 UTC: 02:00 CET becomes 03:00 CEST).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/compile.ts';
import { csv } from './duckdb.ts';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';

const SOURCES = `
customer accounts from "accounts.csv" {
  key account_id
  time created_on
  measure accounts_created = count()
}
source events from "events.csv" {
  key event_id
  customer account_id
  time happened_at
  measure events = count()
}
kpi events_monthly { numerator events grain month }
kpi accounts_monthly { numerator accounts_created grain month }
`;

// Timestamps in the file are UTC instants.
const DATA = {
  'accounts.csv': csv('account_id,created_on', [
    [1, '2024-01-31'],
    [2, '2024-03-31'],
  ]),
  'events.csv': csv('event_id,account_id,happened_at', [
    [1, 1, '2024-01-31 23:00:00'], // Berlin 2024-02-01 00:00 CET: February
    [2, 1, '2024-02-29 23:30:00'], // Berlin 2024-03-01 00:30 CET: March
    [3, 2, '2024-03-31 21:59:00'], // Berlin 2024-03-31 23:59 CEST: March
    [4, 2, '2024-03-31 22:30:00'], // Berlin 2024-04-01 00:30 CEST: April
    [5, 1, '2024-01-15 12:00:00'], // January either way
  ]),
};

let berlin: Project;
let utc: Project;
beforeAll(async () => {
  berlin = await openProject({ 'metrics/events.kpi': SOURCES }, DATA, 'Europe/Berlin');
  utc = await openProject({ 'metrics/events.kpi': SOURCES }, DATA, 'UTC');
});
afterAll(async () => {
  await berlin.close();
  await utc.close();
});

describe('time zones', () => {
  it('puts each instant in its local month', async () => {
    const query = { kpi: 'events_monthly' };
    const compiled = berlin.compile(query, GOLDEN_ROOT);
    expect(compiled.sql).toBe(golden('timezone-berlin-month', compiled.sql));
    expect(compileQuery(berlin.reversed, query, { dataRoot: GOLDEN_ROOT }).value?.sql).toBe(compiled.sql);
    expect(compiled.sql).toContain(`timezone('Europe/Berlin', cast("events"."happened_at" as timestamptz))`);
    const { rows } = await berlin.run(query);
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['2024-01-01', 1],
      ['2024-02-01', 1],
      ['2024-03-01', 2],
      ['2024-04-01', 1],
    ]);
  });

  it('emits no conversion in UTC, and the months differ', async () => {
    const { compiled, rows } = await utc.run({ kpi: 'events_monthly' });
    expect(compiled.sql).not.toContain('timezone(');
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['2024-01-01', 2],
      ['2024-02-01', 1],
      ['2024-03-01', 2],
    ]);
  });

  it('splits days on local midnight across the DST change', async () => {
    const { rows } = await berlin.run({ kpi: 'events_monthly', grain: 'day', from: '2024-03-31', to: '2024-04-02' });
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['2024-03-31', 1],
      ['2024-04-01', 1],
    ]);
  });

  it('compares range bounds on local time', async () => {
    // From local 2024-04-01 00:00 (= 2024-03-31 22:00 UTC): only event 4.
    const { rows } = await berlin.run({ kpi: 'events_monthly', grain: 'none', from: '2024-04-01' });
    expect(tuples(rows)[0]![0]).toBe(1);
    // Local hour bound: from 2024-03-31 23:59 local takes events 3 and 4.
    const later = await berlin.run({
      kpi: 'events_monthly',
      grain: 'none',
      from: '2024-03-31 23:59:00',
      to: '2024-04-02',
    });
    expect(tuples(later.rows)[0]![0]).toBe(2);
  });

  it('leaves DATE columns as calendar dates', async () => {
    const { compiled, rows } = await berlin.run({ kpi: 'accounts_monthly' });
    expect(compiled.sql).not.toContain('timezone(');
    expect(tuples(rows).map((r) => [r[0], r[1]])).toEqual([
      ['2024-01-01', 1],
      ['2024-02-01', 0],
      ['2024-03-01', 1],
    ]);
  });
});
