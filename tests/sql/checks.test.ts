// Rows failing a check are excluded from every measure of their source and
// counted, per check, over the query's range.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golden, GOLDEN_ROOT, tuples } from './golden.ts';
import { openProject, type Project } from './harness.ts';
import { SHOP_DATA, SHOP_SOURCES } from './shop.ts';
import { SHOP_KPIS } from './kpis.ts';

const EXTRA = `
source tickets_checked from "tickets.csv" {
  key ticket_id
  customer customer_id
  time opened_at
  check minutes is not null as has_minutes
  check minutes < 45 as quick
  measure checked_tickets = count()
}
kpi checked_tickets { numerator checked_tickets denominator responses }
`;

let project: Project;
beforeAll(async () => {
  project = await openProject(
    { 'metrics/sources.kpi': SHOP_SOURCES, 'metrics/kpis.kpi': SHOP_KPIS, 'metrics/extra.kpi': EXTRA },
    SHOP_DATA,
  );
});
afterAll(() => project.close());

describe('check report', () => {
  it('counts rows failing a check (false or null) once per check', async () => {
    const compiled = project.compile({ kpi: 'nps' }, GOLDEN_ROOT);
    expect(compiled.checkReportSql).toBe(golden('check-report-nps', compiled.checkReportSql!));
    const live = project.compile({ kpi: 'nps' });
    // Survey 5 (nps 11) and survey 6 (nps null).
    expect(tuples(await project.db.all(live.checkReportSql!))).toEqual([['surveys', 'nps_range', 2]]);
    const hand = await project.db.all(
      `select count(*) as n from read_csv('${project.db.root}/surveys.csv') where not coalesce(nps between 0 and 10, false)`,
    );
    expect(Number(hand[0]!.n)).toBe(2);
  });

  it('counts over the query range only', async () => {
    const january = project.compile({ kpi: 'nps', from: '2024-01-01', to: '2024-02-01' });
    expect(tuples(await project.db.all(january.checkReportSql!))).toEqual([['surveys', 'nps_range', 0]]);
    const february = project.compile({ kpi: 'nps', from: '2024-02-01' });
    expect(tuples(await project.db.all(february.checkReportSql!))).toEqual([['surveys', 'nps_range', 2]]);
  });

  it('reports every check of every source read, and excludes failing rows from the measures', async () => {
    const { compiled, rows } = await project.run({ kpi: 'checked_tickets', grain: 'none' });
    // Tickets: minutes 30, 50, null, null. has_minutes fails 2; quick fails 50 and both nulls = 3.
    // Only ticket 1 passes both. Responses: 7 valid surveys.
    expect(tuples(await project.db.all(compiled.checkReportSql!))).toEqual([
      ['tickets_checked', 'has_minutes', 2],
      ['tickets_checked', 'quick', 3],
      ['surveys', 'nps_range', 2],
    ]);
    expect(tuples(rows)).toEqual([
      [1, 7, 1 / 7, null, null].map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)),
    ]);
  });

  it('has no report when no source of the query has a check', () => {
    expect(project.compile({ kpi: 'orders_monthly' }).checkReportSql).toBeUndefined();
  });
});
