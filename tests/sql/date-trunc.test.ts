// `date_trunc` of a DATE is a DATE: the resolver types it so, and the SQL
// casts the engine's TIMESTAMP back (a cohort prints `2024-01-01`, not
// `2024-01-01 00:00:00`). A truncated timestamp stays a timestamp.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_START } from '../../compiler/diagnostics.ts';
import { openProject, type Project } from './harness.ts';
import { csv } from './duckdb.ts';

const SOURCES = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension signup_month = date_trunc("month", signup_date)
  dimension signup_hour = date_trunc("hour", seen_at)
  dimension seen_month = date_trunc("month", seen_at)
  measure customer_count = count()
}
kpi customers_by_signup_month {
  numerator customer_count
  segment by signup_month
}
`;

const DATA = {
  'customers.csv': csv('customer_id,signup_date,seen_at', [
    ['c1', '2024-01-05', '2024-01-05 10:30:00'],
    ['c2', '2024-01-31', '2024-02-01 09:00:00'],
    ['c3', '2024-02-10', '2024-02-10 23:59:59'],
  ]),
};

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/model.kpi': SOURCES }, DATA);
});
afterAll(() => project.close());

const by = (name: string) => [{ name, span: FILE_START }];

describe('date_trunc of a DATE', () => {
  it('comes out of the SQL as a DATE', async () => {
    const { compiled, rows } = await project.run({ kpi: 'customers_by_signup_month' });
    expect(compiled.sql).toContain(`cast(date_trunc('month', "customers"."signup_date") as date)`);
    // By hand: January c1 c2, February c3.
    expect(rows.map((r) => [r.signup_month, Number(r.value)])).toEqual([
      ['2024-01-01', 2],
      ['2024-02-01', 1],
    ]);
    const types = await project.db.all(`select typeof("signup_month") as t from (${compiled.sql}) limit 1`);
    expect(types[0]!.t).toBe('DATE');
  });

  it('a truncated timestamp stays a timestamp', async () => {
    const { compiled, rows } = await project.run({ kpi: 'customers_by_signup_month', by: by('seen_month') });
    expect(compiled.sql).not.toContain(`cast(date_trunc('month', "customers"."seen_at") as date)`);
    expect(rows.map((r) => [r.seen_month, Number(r.value)])).toEqual([
      ['2024-01-01 00:00:00', 1],
      ['2024-02-01 00:00:00', 2],
    ]);
    const hourly = await project.run({ kpi: 'customers_by_signup_month', by: by('signup_hour') });
    expect(hourly.rows.map((r) => r.signup_hour)).toEqual([
      '2024-01-05 10:00:00',
      '2024-02-01 09:00:00',
      '2024-02-10 23:00:00',
    ]);
  });
});
