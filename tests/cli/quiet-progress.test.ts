// Progress shows only on a terminal and not under --quiet; --quiet drops
// notes from stderr but never errors or warnings.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showProgress } from '../../runtime/cli/output.ts';
import { kpic } from './helpers.ts';

const SAAS = join(import.meta.dirname, '..', '..', 'examples', 'saas');
const ARGS = ['run', 'csat', '--by', 'region', '--grain', 'none', '--format', 'csv'];

describe('progress and --quiet', () => {
  it('progress is for a terminal, never under --quiet', () => {
    expect(showProgress(true, false)).toBe(true);
    expect(showProgress(true, true)).toBe(false);
    expect(showProgress(false, false)).toBe(false);
  });

  it('piped: no spinner on stderr, only the note', async () => {
    const r = await kpic(SAAS, ARGS);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: 21 rows of `surveys` excluded by check `score_in_scale`\n');
  }, 120_000);

  it('--quiet drops the note and keeps the result; errors still print', async () => {
    const r = await kpic(SAAS, ['--quiet', ...ARGS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\r\n')[0]).toBe('region,numerator,denominator,value,status,target_met');
    const bad = await kpic(SAAS, ['--quiet', 'run', 'no_such_kpi']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error/);
  }, 120_000);
});
