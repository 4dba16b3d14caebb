// A derived KPI built for one grain warns when run at another: the SaaS
// example's `usage_drop` is a week's events against the 4-week average of
// the weeks before (a window and `previous`).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../compiler/index.ts';
import type { Project } from '../../runtime/project/open.ts';
import { openExample } from '../e2e/support.ts';

let project: Project;
beforeAll(async () => {
  project = await openExample('saas');
});
afterAll(async () => {
  await project?.close();
});

describe('derived-grain-mismatch', () => {
  it('warns at month, naming the window and previous; says nothing at its own grain', () => {
    const month = compileQuery(project.model, { kpi: 'usage_drop', grain: 'month' }, { dataRoot: project.dataRoot });
    const warning = month.diagnostics.find((d) => d.code === 'derived-grain-mismatch');
    expect(warning?.severity).toBe('warn');
    expect(warning?.message).toContain('built for grain week and is run by month');
    expect(warning?.message).toContain('`weekly_events_4w_average` (window 4 weeks)');
    expect(warning?.message).toContain('`previous` steps one period');
    expect(month.value).toBeDefined();
    const week = compileQuery(project.model, { kpi: 'usage_drop' }, { dataRoot: project.dataRoot });
    expect(week.diagnostics.filter((d) => d.code === 'derived-grain-mismatch')).toEqual([]);
  });

  it("a health score reading it warns too (the input is run at the query's grain)", () => {
    const health = compileQuery(
      project.model,
      { kpi: 'account_health', grain: 'month' },
      { dataRoot: project.dataRoot },
    );
    expect(health.diagnostics.map((d) => d.code)).toContain('derived-grain-mismatch');
  });
});
