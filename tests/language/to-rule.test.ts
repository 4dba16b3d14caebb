// One `--to` rule for every measure kind: no row at or after `--to` is
// counted, and the period `--to` cuts ends at `--to`. Fence posts: a row just
// before `--to` (23:59:59), one exactly at it, one just after; numbers worked
// out by hand in the comments.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type Project } from '../sql/harness.ts';

const DATA = {
  // c3 joins exactly at --to, c4 the day before, c5 after.
  'customers.csv':
    'customer_id,signup_date\nc1,2024-01-05\nc2,2024-02-20\nc3,2024-03-15\nc4,2024-03-14\nc5,2024-03-20\n',
  'events.csv': [
    'event_id,customer_id,occurred_at',
    'e5,c4,2024-02-05 10:00:00',
    'e4,c1,2024-02-10 10:00:00',
    'e1,c1,2024-03-14 23:59:59', // just before --to
    'e2,c4,2024-03-15 00:00:00', // exactly at --to
    'e3,c3,2024-03-15 00:00:01', // just after
  ].join('\n'),
  // s1 ends exactly at --to; s3 starts exactly at it; s4 spans it.
  'subscriptions.csv':
    'subscription_id,customer_id,started_at,ended_at\ns1,c1,2024-01-01,2024-03-15\ns2,c2,2024-02-01,\ns3,c3,2024-03-15,\ns4,c4,2024-03-10,2024-03-20\n',
};

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  measure customers_to_date = count() cumulative
  measure cohort_size = count()
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time occurred_at
  measure event_count = count()
  measure active = count_distinct(customer_id)
  measure active_to_date = count_distinct(customer_id) cumulative
  measure retained = count_distinct(customer_id) retained
  measure churned = count_distinct(customer_id) churned
}
source subscriptions from "subscriptions.csv" {
  key subscription_id
  customer customer_id
  valid from started_at to ended_at
  measure paying_at_start = count() at period start
  measure paying_at_end = count() at period end
}
kpi events_flow { numerator event_count  grain month }
kpi events_2m { numerator event_count  grain month  window 2 months }
kpi active_to_date { numerator active_to_date  grain month }
kpi customers_to_date { numerator customers_to_date  grain month }
kpi paying_start { numerator paying_at_start  grain month }
kpi paying_end { numerator paying_at_end  grain month }
kpi retention { numerator retained  denominator retained + churned  grain month }
kpi cohorts { numerator active  denominator cohort_size  cohort by signup_date  grain month }
`;

const RANGE = { from: '2024-01-01', to: '2024-03-15', by: 'none' as const };
let project: Project;
beforeAll(async () => {
  project = await openProject({ 'm.kpi': MODEL }, DATA);
});
afterAll(() => project?.close());

async function values(kpi: string, range: { from: string; to: string } = RANGE): Promise<unknown[][]> {
  const { rows } = await project.run({ kpi, ...range, by: 'none' });
  return rows.map((r) => [
    r.period ?? r.cohort,
    ...(r.periods_since === undefined ? [] : [r.periods_since]),
    r.numerator,
    r.denominator,
  ]);
}

describe('--to 2024-03-15 cuts March for every measure kind', () => {
  it('flows: e1 (23:59:59) counts, e2 (at --to) and e3 do not', async () => {
    expect(await values('events_flow')).toEqual([
      ['2024-01-01', '0', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '1', null],
    ]);
  });

  it("trailing windows end at --to: March's 2-month window is Feb 1 .. Mar 15 (e5, e4, e1), not to Apr 1", async () => {
    // Jan: Dec 1 .. Feb 1, nothing. Feb: Jan 1 .. Mar 1: e5, e4.
    expect(await values('events_2m')).toEqual([
      ['2024-01-01', '0', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '3', null],
    ]);
    // A --to on a period boundary cuts nothing: March's window is Feb 1 .. Apr 1, all five events.
    expect(await values('events_2m', { from: '2024-03-01', to: '2024-04-01' })).toEqual([['2024-03-01', '5', null]]);
  });

  it('cumulative measures end at --to', async () => {
    // Distinct active customers to date: Feb {c4, c1}; March adds nobody before --to (c4 at --to, c3 after).
    expect(await values('active_to_date')).toEqual([
      ['2024-01-01', '0', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '2', null],
    ]);
    // Customers to date by signup: Jan c1; Feb + c2; March + c4 (03-14); c3 signs up at --to, c5 after.
    expect(await values('customers_to_date')).toEqual([
      ['2024-01-01', '1', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '3', null],
    ]);
  });

  it('snapshots: at period start is untouched; at period end of the cut period is the state at --to', async () => {
    // Start of March: s1, s2 (s4 starts 03-10, s3 03-15).
    expect(await values('paying_start')).toEqual([
      ['2024-01-01', '1', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '2', null],
    ]);
    // At --to (the instant before 03-15): s1 (ends at 03-15), s2, s4 -- not s3, which starts at --to.
    // (At April 1 it would be s2, s3: 2.) Jan end: s1, s2 starts Feb 1: 1. Feb end: s1, s2: 2.
    expect(await values('paying_end')).toEqual([
      ['2024-01-01', '1', null],
      ['2024-02-01', '2', null],
      ['2024-03-01', '3', null],
    ]);
  });

  it("retained / churned: March's set is the activity before --to", async () => {
    // Feb active {c4, c1}; March before --to {c1}: retained 1, churned 1 (c4 is active only at --to).
    const rows = await values('retention');
    expect(rows[2]).toEqual(['2024-03-01', '1', '2']);
  });

  it('cohorts: a customer who joins at --to is in no cohort; activity at or after --to is not counted', async () => {
    // Jan cohort {c1}: Jan 0, Feb 1 (e4), Mar 1 (e1). Feb cohort {c2}: 0, 0. Mar cohort {c4} (c3 joins at --to): e2 is at --to: 0.
    expect(await values('cohorts')).toEqual([
      ['2024-01-01', '0', '0', '1'],
      ['2024-01-01', '1', '1', '1'],
      ['2024-01-01', '2', '1', '1'],
      ['2024-02-01', '0', '0', '1'],
      ['2024-02-01', '1', '0', '1'],
      ['2024-03-01', '0', '0', '1'],
    ]);
  });
});
