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
kpi cohorts {
  owner "product"
  numerator active_customers
  denominator customer_count
  cohort by signup_date
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
      '2024-01-01,3,,3,,,,ok,,true',
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

  it('the table footnotes the incomplete period without --incomplete, and shows no such column', async () => {
    const r = await kpic(dir, ['run', 'logins']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '* the period starting 2024-03-01 is incomplete: the data or the range covers only part of it',
    );
    expect(r.stdout).toContain('* the period starting 2024-01-01 is incomplete'); // the data starts on the 6th
    expect(r.stdout).not.toContain('2024-02-01 is incomplete');
    expect(r.stdout.split('\n')[1]).not.toContain('incomplete');
    // With --to inside March the range ends mid-period; with --to 2024-03-01 every period is whole.
    const cut = await kpic(dir, ['run', 'logins', '--to', '2024-02-15']);
    expect(cut.stdout).toContain('* the period starting 2024-02-01 is incomplete');
    const whole = await kpic(dir, ['run', 'logins', '--from', '2024-02-01', '--to', '2024-03-01']);
    expect(whole.stdout).not.toContain('is incomplete');
    // Machine formats keep the plain columns and no footnote.
    const csvOut = await kpic(dir, ['run', 'logins', '--format', 'csv']);
    expect(csvOut.stdout.split('\r\n')[0]).toBe('period,numerator,denominator,value,status,target_met');
    expect(csvOut.stdout).not.toContain('incomplete');
  });

  it('a cohort grid in a table footnotes its incomplete cells', async () => {
    const r = await kpic(dir, ['run', 'cohorts']);
    expect(r.code).toBe(0);
    // March is incomplete: the cells (Jan, 2), (Feb, 1) and (Mar, 0).
    expect(r.stdout).toContain('* 3 rows are of a period the data or the range covers only in part');
    const csvOut = await kpic(dir, ['run', 'cohorts', '--format', 'csv', '--incomplete']);
    expect(csvOut.stdout.split('\r\n').slice(0, 3)).toEqual([
      'cohort,periods_since,numerator,denominator,value,status,target_met,incomplete',
      '2024-01-01,0,2,2,1,,,false',
      '2024-01-01,1,1,2,0.5,,,false',
    ]);
  });

  it('--by customer --status critical keeps the critical customers', async () => {
    const r = await kpic(dir, [
      'run',
      'logins',
      '--by',
      'customer',
      '--status',
      'critical',
      '--incomplete',
      '--format',
      'csv',
    ]);
    expect(
      r.stdout
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',').slice(0, 2).join(' ')),
    ).toEqual(['2024-01-01 c2', '2024-02-01 c1', '2024-03-01 c1', '2024-03-01 c2']);
    // Without --incomplete, January (the data starts on the 6th) and March (it ends on the 17th) are not reported.
    const complete = await kpic(dir, ['run', 'logins', '--by', 'customer', '--status', 'critical', '--format', 'csv']);
    expect(
      complete.stdout
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',').slice(0, 2).join(' ')),
    ).toEqual(['2024-02-01 c1']);
  });

  it('a wrong status is a usage error', async () => {
    const r = await kpic(dir, ['run', 'logins', '--status', 'critcal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `critical`?');
  });

  it('--components adds each score and contribution, after target_met', async () => {
    const r = await kpic(dir, ['run', 'health', '--components', '--format', 'csv']);
    expect(r.stderr).toBe('');
    // Jan: logins 3 -> 30, long sessions 150 -> 100: (3 * 30 + 100) / 4 = 47.5 (22.5 + 25).
    // Feb: logins 3 -> 30, no long session: 30 alone. Mar: logins 4 -> 40, long 200 -> 100: (120 + 100) / 4 = 55.
    expect(r.stdout.split('\r\n')).toEqual([
      'period,numerator,denominator,value,status,target_met,logins_score,logins_contribution,long_sessions_score,long_sessions_contribution',
      '2024-01-01,,,47.5,warn,,30,22.5,100,25',
      '2024-02-01,,,30,warn,,30,30,,',
      '2024-03-01,,,55,warn,,40,30,100,25',
      '',
    ]);
    const wrong = await kpic(dir, ['run', 'logins', '--components']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('components-not-derived');
  });

  it('compile takes --components too: the SQL carries the same component columns', async () => {
    const plain = await kpic(dir, ['compile', 'health']);
    const r = await kpic(dir, ['compile', 'health', '--components']);
    expect(r.code).toBe(0);
    for (const column of ['logins_score', 'logins_contribution', 'long_sessions_score', 'long_sessions_contribution']) {
      expect(r.stdout).toContain(`"${column}"`);
      expect(plain.stdout).not.toContain(`"${column}"`);
    }
    const wrong = await kpic(dir, ['compile', 'logins', '--components']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('components-not-derived');
  });

  it('explain lists the components of a health score', async () => {
    const r = await kpic(dir, ['explain', 'health']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('the others are re-weighted');
    expect(r.stdout).toContain('kpic run health --components');
    expect(r.stdout).toContain('logins: this period; scored 0..100: 0 scores 0, 10 scores 100, clamped; weight 3 (75%');
    expect(r.stdout).toContain(
      'long_sessions: this period; scored 0..100: 0 scores 0, 100 scores 100, clamped; weight 1 (25%',
    );
  });
});
