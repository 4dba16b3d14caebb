// Input under the size limit that once cost far more than its size, through
// the CLI: 30,000 unclosed `kpi a {` lines (minutes before: the lint report
// copied its list of findings once per finding), one line of 200,000 bad
// escapes (the call stack overflowed: `internal error`), and 1 MiB of token
// soup. Each must end with its diagnostics counted and at most 100 shown per
// file, the right exit code, and no stack trace. The process limit only
// catches a hang; timings are in `npm run bench -- --only costly-input`.

import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COSTLY_INPUTS } from '../../bench/costly-input.ts';
import { kpic, STACK_FRAME } from './helpers.ts';

const TIMEOUT = 600_000;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(text: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-costly-')));
  made.push(dir);
  writeFileSync(join(dir, 'kpic.yaml'), 'name: costly\nmetrics: ["*.kpi"]\n');
  writeFileSync(join(dir, 'input.kpi'), text);
  return dir;
}

const env = { KPIC_CACHE: 'off' };

function noCrash(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toContain('internal error');
  expect(text).not.toContain('Maximum call stack');
}

function countBy(findings: readonly { rule: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return counts;
}

describe('30,000 lines of an unclosed `kpi a {`', () => {
  const text = COSTLY_INPUTS.unclosed(30_000);

  it(
    'lint finds every one (json) and shows the first 100 (pretty)',
    async () => {
      const dir = project(text);
      const json = await kpic(dir, ['lint', '--format', 'json'], { env });
      expect(json.code).toBe(1);
      // One unclosed block per line, the name `a` declared 30,000 times (29,999 duplicates),
      // no customer, and the first KPI has no numerator (the others are duplicates).
      expect(countBy(JSON.parse(json.stdout))).toEqual({
        'unclosed-block': 30_000,
        'duplicate-name': 29_999,
        'missing-customer': 1,
        'missing-numerator': 1,
      });
      const pretty = await kpic(dir, ['lint'], { env });
      expect(pretty.code).toBe(1);
      expect(pretty.stdout).toContain('input.kpi: and 59,901 more (only the first 100 of a file are shown)');
      expect(pretty.stdout).toContain('60001 errors, 0 warnings in 1 file');
      // The first two are at 1:1 (missing-customer, missing-numerator).
      expect(pretty.stdout.split('\n').filter((l) => / error (unclosed-block|duplicate-name)/.test(l))).toHaveLength(
        98,
      );
      noCrash(pretty.stdout + pretty.stderr);
    },
    TIMEOUT,
  );

  it(
    'check ends too, with the same count',
    async () => {
      const result = await kpic(project(text), ['check'], { env });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('60001 errors');
      noCrash(result.stdout + result.stderr);
    },
    TIMEOUT,
  );
});

describe('200,000 bad escapes on one line', () => {
  const text = COSTLY_INPUTS.escapes(200_000);

  it(
    'lint counts 200,000 invalid escapes (and no customer) without overflowing the stack',
    async () => {
      const result = await kpic(project(text), ['lint'], { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('200001 errors, 0 warnings in 1 file');
      expect(result.stdout).toContain('input.kpi: and 199,901 more (only the first 100 of a file are shown)');
      // The frame shows a window of the 1 MB line, not the whole line 100 times.
      const frames = result.stdout.split('\n').filter((l) => l.startsWith('  1 | '));
      expect(frames).toHaveLength(100);
      for (const frame of frames) expect(frame.length).toBeLessThan(220);
      expect(result.stdout.length).toBeLessThan(100_000);
      noCrash(result.stdout + result.stderr);
    },
    TIMEOUT,
  );

  it(
    'check and fmt end with exit 1 and leave the file as it was',
    async () => {
      const dir = project(text);
      const check = await kpic(dir, ['check'], { env });
      expect(check.code).toBe(1);
      expect(check.stdout + check.stderr).toContain('200001 errors');
      noCrash(check.stdout + check.stderr);
      const fmt = await kpic(dir, ['fmt'], { env });
      expect(fmt.code).toBe(1);
      noCrash(fmt.stdout + fmt.stderr);
      expect(readFileSync(join(dir, 'input.kpi'), 'utf8')).toBe(text);
    },
    TIMEOUT,
  );
});

describe('1 MiB of token soup', () => {
  const text = COSTLY_INPUTS.soup(1000 * 1024);

  it(
    'lint, check and fmt end with exit 1, at most 100 findings shown, the rest counted',
    async () => {
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
      const dir = project(text);
      for (const command of ['lint', 'check', 'fmt']) {
        const result = await kpic(dir, [command], { env });
        const out = result.stdout + result.stderr;
        expect(result.code, command).toBe(1);
        const summary = /(\d+) errors?, \d+ warnings? in 1 file/.exec(out);
        expect(summary, command).not.toBeNull();
        const total = Number(summary![1]);
        expect(total, command).toBeGreaterThanOrEqual(100);
        // At most 100 rendered; the rest counted.
        const shown = out.split('\n').filter((l) => l.startsWith('input.kpi:') && / error /.test(l));
        expect(shown.length, command).toBeLessThanOrEqual(100);
        if (total > 100) expect(out).toContain(`input.kpi: and ${(total - 100).toLocaleString('en-US')} more`);
        noCrash(out);
      }
      expect(readFileSync(join(dir, 'input.kpi'), 'utf8')).toBe(text);
    },
    TIMEOUT,
  );
});
