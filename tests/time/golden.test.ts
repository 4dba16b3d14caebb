// Golden SQL of the time features (tests/golden/time-*.sql), each also
// executed and compared with hand-worked numbers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { golden, GOLDEN_ROOT } from '../sql/golden.ts';
import { openProject, type Project } from '../sql/harness.ts';
import { DATA, pickColumns, SOURCES } from './data.ts';

const KPIS = `
kpi logins {
  numerator login_count
  segment by plan
  grain month
  critical < 2
}
kpi active {
  numerator active_customers
  segment by plan
  grain month
}
kpi logins_per_active_change {
  value logins / active - previous(logins) / previous(active)
  segment by plan
  grain month
}
`;

let project: Project;
beforeAll(async () => {
  project = await openProject({ 'metrics/sources.kpi': SOURCES, 'metrics/kpis.kpi': KPIS }, DATA);
});
afterAll(() => project.close());

describe('golden SQL over time', () => {
  it('time-compare-status-incomplete', async () => {
    const query = {
      kpi: 'logins',
      compare: 'previous' as const,
      status: ['critical' as const],
      markIncomplete: true,
      keepIncomplete: true,
      from: '2024-02-01',
    };
    expect(project.compile(query, GOLDEN_ROOT).sql).toBe(
      golden('time-compare-status-incomplete', project.compile(query, GOLDEN_ROOT).sql),
    );
    // logins by plan: Jan enterprise 3 | Feb enterprise 1, starter 2 | Mar enterprise 2, starter 2; critical < 2.
    const { rows } = await project.run(query);
    expect(pickColumns(rows, ['period', 'plan', 'value', 'previous_value', 'incomplete'])).toEqual([
      { period: '2024-02-01', plan: 'enterprise', value: 1, previous_value: 3, incomplete: false },
    ]);
  });

  it('time-derived-previous', async () => {
    const query = { kpi: 'logins_per_active_change', from: '2024-02-01' };
    expect(project.compile(query, GOLDEN_ROOT).sql).toBe(
      golden('time-derived-previous', project.compile(query, GOLDEN_ROOT).sql),
    );
    // enterprise: Jan 3/2, Feb 1/1, Mar 2/2 -> Feb 1 - 1.5 = -0.5, Mar 1 - 1 = 0. starter: Feb 2/1 (no Jan: null), Mar 2/1 - 2 = 0.
    const { rows } = await project.run(query);
    expect(pickColumns(rows, ['period', 'plan', 'value'])).toEqual([
      { period: '2024-02-01', plan: 'enterprise', value: -0.5 },
      { period: '2024-02-01', plan: 'starter', value: null },
      { period: '2024-03-01', plan: 'enterprise', value: 0 },
      { period: '2024-03-01', plan: 'starter', value: 0 },
    ]);
  });
});
