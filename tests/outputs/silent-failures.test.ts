// Failures that used to pass silently or fake a limit: a full disk on
// stdout, a timeout past Node's timer range, a 252-letter KPI name in the
// catalog, a huge `metrics` glob, a JSON source nested 30,000 levels deep.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, copyTemplate, kpic, STACK_FRAME } from '../cli/helpers.ts';

const project = copyTemplate('kpic-silent-');
afterAll(() => project.cleanup());

/** `kpic ...args` with stdout going to `path` (e.g. /dev/full). */
function kpicTo(path: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(path, 'w');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => {
      closeSync(fd);
      done({ code, stderr });
    });
  });
}

describe('silent failures', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'a full disk on stdout exits 3 with a message, in every command that prints',
    async () => {
      for (const args of [['run', 'nps'], ['run', 'nps', '--format', 'csv'], ['list'], ['compile', 'nps']]) {
        const r = await kpicTo('/dev/full', args);
        expect(r.code, args.join(' ')).toBe(3);
        expect(r.stderr).toContain('error: cannot write the output: ENOSPC (no space left on the device)');
        expect(r.stderr).not.toMatch(STACK_FRAME);
      }
    },
  );

  it('--timeout past the longest timer is refused, the longest one works', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--timeout', '2147484']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: --timeout: 2147484 s is more than the longest timeout, 2147483 s (about 24 days)',
    );
    expect(r.stderr).not.toContain('TimeoutOverflowWarning');
    const ok = await kpic(project.dir, ['run', 'nps', '--timeout', '2147483', '--format', 'csv']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain('interrupted');
    expect(ok.stdout.split('\r\n')[1]).toBe('2024-01-01,gold,1,1,100,ok,true');
  });

  it('kpic docs writes a page for a 252-letter KPI name, with a short stable file name', async () => {
    const long = 'k'.repeat(252);
    const kpis = join(project.dir, 'metrics/long.kpi');
    writeFileSync(kpis, `kpi ${long} {\n  title "Long"\n  owner "growth"\n  numerator signups\n}\n`);
    try {
      const r = await kpic(project.dir, ['docs', '--out', 'site']);
      expect(r.stderr).not.toMatch(/ENAMETOOLONG|internal error/);
      expect(r.code).toBe(0);
      const pages = readdirSync(join(project.dir, 'site/kpi'));
      const page = pages.find((p) => p.startsWith('kkkk'))!;
      expect(page).toMatch(/^k{180}-[0-9a-f]{16}\.html$/);
      expect(readFileSync(join(project.dir, 'site/index.html'), 'utf8')).toContain(`kpi/${page}`);
      // The same name gives the same file on the next run.
      await kpic(project.dir, ['docs', '--out', 'site']);
      expect(readdirSync(join(project.dir, 'site/kpi'))).toContain(page);
    } finally {
      writeFileSync(kpis, '');
    }
  });

  it('a metrics glob over 64 KiB is a clear kpic.yaml error (exit 2), not an internal error', async () => {
    const config = join(project.dir, 'kpic.yaml');
    const text = readFileSync(config, 'utf8');
    writeFileSync(
      config,
      text.replace('metrics: ["metrics/**/*.kpi"]', `metrics: ["metrics/${'a'.repeat(70_000)}*.kpi"]`),
    );
    try {
      const r = await kpic(project.dir, ['check']);
      expect(r.code).toBe(2);
      expect(r.stderr + r.stdout).toContain(
        '`metrics[]` is 70013 characters long; a path or glob may be at most 4096.',
      );
      expect(r.stderr + r.stdout).not.toContain('internal error');
    } finally {
      writeFileSync(config, text);
    }
  });

  it('a JSON source nested 30,000 levels deep is refused before the engine reads it; 900 levels still work', async () => {
    writeFileSync(join(project.dir, 'data/deep.json'), `${'['.repeat(30_000)}${']'.repeat(30_000)}`);
    writeFileSync(
      join(project.dir, 'data/nested.json'),
      `[{"customer_id": 1, "x": ${'['.repeat(900)}"]"${']'.repeat(900)}}]`,
    );
    writeFileSync(
      join(project.dir, 'metrics/json.kpi'),
      [
        'source deep from "deep.json" {\n  key customer_id\n  customer customer_id\n  measure deep_rows = count()\n}',
        'kpi deep_count { numerator deep_rows }',
        'source nested from "nested.json" {\n  key customer_id\n  customer customer_id\n  measure nested_rows = count()\n}',
        'kpi nested_count { numerator nested_rows }',
      ].join('\n'),
    );
    try {
      const r = await kpic(project.dir, ['check']);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('deep.json nests arrays and objects more than 1000');
      const ok = await kpic(project.dir, ['run', 'nested_count', '--format', 'csv']);
      expect(ok.code).toBe(0);
      // One row in nested.json: count() is 1.
      expect(ok.stdout).toBe('numerator,denominator,value,status,target_met\r\n1,,1,,\r\n');
    } finally {
      writeFileSync(join(project.dir, 'metrics/json.kpi'), '');
    }
  });
});
