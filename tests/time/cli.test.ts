// The time-analytics flags through the real CLI: --compare, --status,
// --incomplete (column and table footnote), --by customer, explain of a
// health score.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';
import { CUSTOMERS, EVENTS, SOURCES } from './data.ts';

const KPIS = `
kpi logins {
  title "Logins"
  owner "product"
  numerator login_count
  grain month
  critical < 2
}
kpi long_sessions {
  owner "product"
  numerator avg_long_session
  grain month
}
kpi health {
  owner "product"
  value weighted_mean(score(logins, 0, 10), 3, score(long_sessions, 0, 100), 1)
  grain month
  warn < 80
}
`;

const dir = mkdtempSync(join(tmpdir(), 'kpic-time-cli-'));
mkdirSync(join(dir, 'data'));
writeFileSync(join(dir, 'kpic.yaml'), 'name: time\nmetrics: ["*.kpi"]\ndata:\n  root: data\n');
writeFileSync(join(dir, 'model.kpi'), SOURCES);
writeFileSync(join(dir, 'kpis.kpi'), KPIS);
writeFileSync(join(dir, 'data', 'customers.csv'), CUSTOMERS);
writeFileSync(join(dir, 'data', 'events.csv'), EVENTS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('kpic run over time', () => {
  it('--compare previous --incomplete: the columns, in order, in csv', async () => {
    const r = await kpic(dir, ['run', 'logins', '--compare', 'previous', '--incomplete', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\r\n')).toEqual([
      'period,numerator,denominator,value,previous_value,change,change_pct,status,target_met,incomplete',
      '2024-01-01,3,,3,,,,ok,,false',
      '2024-02-01,3,,3,3,0,0,ok,,false',
      '2024-03-01,4,,4,3,1,0.3333333333333333,ok,,true',
      '',
    ]);
  });

  it('the table footnotes the incomplete period', async () => {
    const r = await kpic(dir, ['run', 'logins', '--incomplete']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('* the period starting 2024-03-01 is incomplete');
    expect(r.stdout).not.toContain('2024-02-01 is incomplete');
  });

  it('--by customer --status critical keeps the critical customers', async () => {
    const r = await kpic(dir, ['run', 'logins', '--by', 'customer', '--status', 'critical', '--format', 'csv']);
    expect(r.stdout.split('\r\n').slice(1, -1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      '2024-01-01 c2', '2024-02-01 c1', '2024-03-01 c1', '2024-03-01 c2',
    ]);
  });

  it('a wrong status is a usage error', async () => {
    const r = await kpic(dir, ['run', 'logins', '--status', 'critcal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `critical`?');
  });

  it('explain lists the components of a health score', async () => {
    const r = await kpic(dir, ['explain', 'health']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('logins: this period; scored 0..100: 0 scores 0, 10 scores 100, clamped; weight 3 (75%');
    expect(r.stdout).toContain('long_sessions: this period; scored 0..100: 0 scores 0, 100 scores 100, clamped; weight 1 (25%');
  });
});
