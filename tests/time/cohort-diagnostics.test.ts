// What `cohort by` and `retained`/`churned` refuse, and why.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../compiler/syntax/parse.ts';
import { resolveProject } from '../../compiler/semantic/resolve.ts';
import { catalogFromEntries } from '../../compiler/semantic/catalog.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA } from './data.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  time signup_date
  dimension plan
  measure cohort_size = count()
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure active_customers = count_distinct(customer_id)
  measure active_to_date = count_distinct(customer_id) cumulative
  measure retained_customers = count_distinct(customer_id) retained
}
kpi by_plan_text {
  numerator active_customers
  cohort by plan
  grain month
}
kpi by_event_time {
  numerator active_customers
  cohort by events.at
  grain month
}
kpi cumulative_cohort {
  numerator active_to_date
  cohort by signup_date
  grain month
}
kpi cohort_window {
  numerator active_customers
  cohort by signup_date
  grain month
  window 2 months
}
kpi cohort_plain {
  numerator active_customers
  denominator cohort_size
  cohort by signup_date
  grain month
}
kpi derived_from_cohort {
  value cohort_plain * 2
  grain month
}
kpi retention_window {
  numerator retained_customers
  grain month
  window 2 months
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/model.kpi': MODEL }, DATA);
});
afterAll(() => project.close());

const codes = (kpi: string) =>
  project
    .diagnose({ kpi })
    .filter((d) => d.severity === 'error')
    .map((d) => d.code);

describe('cohort diagnostics', () => {
  it('a cohort is the period of a date or timestamp of the customer entity', () => {
    expect(codes('by_plan_text')).toEqual(['cohort-dimension']);
    expect(project.diagnose({ kpi: 'by_plan_text' })[0]!.message).toContain('`plan` is text');
    expect(codes('by_event_time')).toEqual(['cohort-dimension']);
  });

  it('refuses measures with no single period per row, windows, and derived KPIs over cohorts', () => {
    expect(codes('cumulative_cohort')).toEqual(['cohort-unsupported']);
    expect(codes('cohort_window')).toContain('cohort-unsupported');
    expect(codes('derived_from_cohort')).toEqual(['cohort-in-derived']);
    expect(codes('retention_window')).toEqual(['retention-with-window']);
  });

  it('postgres refuses a cohort over file sources for the files, not for the cohort', () => {
    const diagnostics = project.diagnose({ kpi: 'cohort_plain', dialect: 'postgres' });
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.code).toBe('dialect-unsupported');
      expect(d.message).toContain('reads the file');
    }
  });
});

describe('retention modifiers in the resolver', () => {
  it('need count_distinct, a time, and no cumulative', () => {
    const text = `
customer customers from "customers.csv" {
  key customer_id
  measure r1 = count() retained
}
source events from "events.csv" {
  key event_id
  customer customer_id
  time at
  measure r2 = count_distinct(customer_id) cumulative churned
  measure r3 = count_distinct(customer_id) retained
}
`;
    const file = parseFile(text, 'm.kpi');
    expect(file.diagnostics).toEqual([]);
    const resolved = resolveProject([file.value], catalogFromEntries(new Map()), { timezone: 'UTC' });
    const found = resolved.diagnostics.filter((d) => d.code === 'invalid-retention').map((d) => d.message);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('needs `count_distinct(...)`, not `count`');
    expect(found[1]).toContain('`cumulative`');
    expect(resolved.value.measures.get('r3')?.retention).toBe('retained');
  });

  it('retained and churned exclude each other', () => {
    const parsed = parseFile(
      'source e from "e.csv" {\n  time at\n  measure x = count_distinct(c) retained churned\n}\n',
      'm.kpi',
    );
    expect(parsed.diagnostics.map((d) => d.code)).toContain('duplicate-modifier');
  });
});
