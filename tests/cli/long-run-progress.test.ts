// Progress of `kpic test` and `kpic diff --values`: a spinner with the
// elapsed time on stderr, only on a terminal (not piped, not under NO_COLOR
// or --quiet), with the text the shared helper renders.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressText, showProgress } from '../../runtime/cli/output.ts';
import { BIN, copyTemplate, kpic } from './helpers.ts';

const NPS_TEST = [
  'kpi: nps',
  'data:',
  '  customers:',
  '    - { customer_id: 1, tier: gold, region: EMEA, signup_date: 2024-01-01 }',
  'tests:',
  '  - name: three answers in gold give 33.3',
  '    query: { by: tier, grain: none }',
  '    data:',
  '      surveys:',
  '        - { response_id: 1, customer_id: 1, responded_at: "2024-01-05 10:00:00", nps: 10 }',
  '        - { response_id: 2, customer_id: 1, responded_at: "2024-01-06 10:00:00", nps: 9 }',
  '        - { response_id: 3, customer_id: 1, responded_at: "2024-01-07 10:00:00", nps: 4 }',
  '    expect:',
  '      - { tier: gold, numerator: 1, denominator: 3, value: 33.3, status: ok }',
  '',
].join('\n');

/** What a spinner leaves on stderr: a carriage return, an escape sequence, or its label. */
const SPINNER = /\r|\u001b\[|kpic (test|diff --values):/;

describe('the progress text', () => {
  it('is the label and the seconds elapsed, to a tenth', () => {
    expect(progressText('kpic test: test 3/12, nps', 4249)).toBe('kpic test: test 3/12, nps (4.2 s)');
    expect(progressText('loading', 0)).toBe('loading (0.0 s)');
    expect(progressText('loading', 61_060)).toBe('loading (61.1 s)');
  });

  it('reads a function label again each time', () => {
    let done = 0;
    const label = () => `test ${done}/2`;
    expect(progressText(label, 1000)).toBe('test 0/2 (1.0 s)');
    done = 2;
    expect(progressText(label, 2000)).toBe('test 2/2 (2.0 s)');
  });

  it('shows only on a terminal and never under --quiet', () => {
    expect(showProgress(true, false)).toBe(true);
    expect(showProgress(false, false)).toBe(false);
    expect(showProgress(true, true)).toBe(false);
  });
});

describe('kpic test and kpic diff --values print no progress off a terminal', () => {
  it('kpic test, piped: the report on stdout, nothing on stderr', async () => {
    const project = copyTemplate('kpic-progress-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'nps.test.yaml'), NPS_TEST);
      const r = await kpic(project.dir, ['test'], { env: { NO_COLOR: '' } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('PASS');
      expect(r.stdout).toContain('three answers in gold give 33.3');
      expect(r.stderr).toBe('');
    } finally {
      project.cleanup();
    }
  }, 300_000);

  it('kpic diff --values, piped: no spinner on stderr', async () => {
    const project = copyTemplate('kpic-progress-');
    try {
      const git = (args: string[]) =>
        spawnSync('git', args, {
          cwd: project.dir,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'k',
            GIT_AUTHOR_EMAIL: 'k@example.org',
            GIT_COMMITTER_NAME: 'k',
            GIT_COMMITTER_EMAIL: 'k@example.org',
          },
        });
      expect(git(['init', '-q']).status).toBe(0);
      expect(git(['add', '-A']).status).toBe(0);
      expect(git(['commit', '-qm', 'base']).status).toBe(0);
      const nps = join(project.dir, 'metrics', 'nps.kpi');
      const text = spawnSync('cat', [nps], { encoding: 'utf8' }).stdout;
      writeFileSync(nps, text.replace('numerator promoters - detractors', 'numerator promoters'));
      const r = await kpic(project.dir, ['diff', '--base', 'HEAD', '--values'], { env: { NO_COLOR: '' } });
      expect(r.stdout).toContain('nps');
      expect(r.stderr).not.toMatch(SPINNER);
    } finally {
      project.cleanup();
    }
  }, 300_000);

  it.runIf(spawnSync('script', ['--version']).status === 0)(
    'kpic test in a terminal with NO_COLOR: no spinner',
    () => {
      const project = copyTemplate('kpic-progress-');
      try {
        writeFileSync(join(project.dir, 'metrics', 'nps.test.yaml'), NPS_TEST);
        const command = [process.execPath, BIN, 'test'].map((a) => `'${a}'`).join(' ');
        const r = spawnSync('script', ['-qec', command, '/dev/null'], {
          cwd: project.dir,
          env: { ...process.env, NO_COLOR: '1' },
          encoding: 'utf8',
          timeout: 300_000,
        });
        expect(r.status).toBe(0);
        expect(r.stdout).toContain('three answers in gold give 33.3');
        expect(r.stdout).not.toMatch(/kpic test:|\u001b\[/);
      } finally {
        project.cleanup();
      }
    },
    300_000,
  );
});
