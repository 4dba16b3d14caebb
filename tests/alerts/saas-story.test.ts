// The story of issue 13, on the saas example: "tell me every Monday which
// enterprise accounts' weekly usage fell more than 30% against their
// previous four weeks, and tell my manager if one stays there three weeks".
// The alert is examples/saas/kpis/alerts.kpi, written from docs/alerts.md;
// the accounts kpic reports are compared with hand-written SQL over the
// example's CSV files.

import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';

const SAAS = resolve(import.meta.dirname, '../../examples/saas');
const DATA = resolve(SAAS, 'data');

interface Breach {
  readonly alert: string;
  readonly period: string;
  readonly segments: { readonly customer: string };
  readonly value: number;
  readonly baseline: number;
  readonly periods_in_breach: number;
  readonly at_least: boolean;
  readonly escalated: boolean;
  readonly notify: readonly string[];
}

/**
 * Per enterprise account and week, events (0 in a week without any) and the
 * mean of the four weeks before; the condition per week; the run of weeks,
 * ending with the latest complete one, in which it holds. The latest
 * complete week is the one before the week holding the day after the last
 * event (a day with data counts as covered). kpic reads 12 weeks, so runs
 * are seen up to 8 weeks.
 */
const HAND_SQL = `
with events as (
  select customer_id, cast(date_trunc('week', occurred_at) as date) as week
  from read_csv('${DATA}/events.csv')
),
latest as (
  select cast(date_trunc('week', cast(max(occurred_at) as date) + 1) - interval 7 day as date) as week
  from read_csv('${DATA}/events.csv')
),
weeks as (
  select cast(latest.week - interval (7 * i) day as date) as week, i from latest, range(0, 16) as t(i)
),
accounts as (select customer_id from read_csv('${DATA}/customers.csv') where tier = 'enterprise'),
grid as (
  select a.customer_id, w.week, w.i, count(e.customer_id) as events
  from accounts a cross join weeks w
  left join events e on e.customer_id = a.customer_id and e.week = w.week
  group by all
),
judged as (
  select *, avg(events) over (partition by customer_id order by week rows between 4 preceding and 1 preceding) as base
  from grid
),
decided as (
  select *, coalesce(i <= 7 and base > 0 and (events - base) / base < -0.3, false) as holds from judged
),
runs as (
  select customer_id, min(i) filter (where not holds) as first_not from decided group by customer_id
)
select cast(d.customer_id as varchar) as customer, d.events, d.base, least(r.first_not, 8) as streak
from decided d join runs r using (customer_id)
where d.i = 0 and d.holds
order by customer
`;

async function handBreaches(): Promise<{ customer: string; events: number; base: number; streak: number }[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(HAND_SQL);
    return reader.getRowObjectsJson().map((r) => ({
      customer: String(r['customer']),
      events: Number(r['events']),
      base: Number(r['base']),
      streak: Number(r['streak']),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('the enterprise usage story on examples/saas', () => {
  it('kpic alert reports exactly the accounts hand-written SQL finds, escalated after three weeks', async () => {
    const r = await kpic(SAAS, ['alert', 'account_weekly_usage', '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { evaluated: { period: string }[]; breaches: Breach[] };
    const hand = await handBreaches();
    expect(hand.length).toBeGreaterThan(0);
    const got = report.breaches
      .filter((b) => b.alert === 'enterprise_usage_drop')
      .map((b) => ({
        customer: b.segments.customer,
        events: b.value,
        base: b.baseline,
        streak: b.periods_in_breach,
      }))
      .sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0));
    expect(got).toEqual(hand);
    for (const b of report.breaches) {
      expect(b.at_least).toBe(b.periods_in_breach >= 8);
      expect(b.escalated).toBe(b.periods_in_breach >= 3);
      // The manager (accountable) is told only once escalated.
      expect(b.notify.includes('cs-manager')).toBe(b.escalated);
    }
    expect(report.breaches.some((b) => b.escalated)).toBe(true);
  });
});
