// The `docs:` line of a diagnostic: on a terminal it names the page of the
// code in the installed kpic (a file that exists); piped, in logs or under
// --quiet there is none. The terminal is a real pseudo-terminal (util-linux
// `script`).

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, copyTemplate, kpic } from '../cli/helpers.ts';

const BROKEN = 'kpi nps_copy {\n  numerator promoter\n}\n';
/** A KPI without an owner: a lint finding, whose page is under docs/rules/. */
const UNOWNED = 'kpi answers {\n  description "Answers."\n  numerator responses\n}\n';

/** `kpic ARGS` in a pseudo-terminal in `cwd`: what the terminal showed. */
function inTerminal(cwd: string, args: readonly string[], exitCode = 1): string {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', COLUMNS: '400' };
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  expect(r.status).toBe(exitCode);
  return r.stdout.replaceAll('\r\n', '\n');
}

describe.runIf(spawnSync('script', ['--version']).status === 0)('docs links in a terminal', () => {
  it('kpic check names the page of each code, and the page exists', () => {
    const project = copyTemplate('kpic-links-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'copy.kpi'), BROKEN);
      const out = inTerminal(project.dir, ['check']);
      const links = [...out.matchAll(/^ {2}docs: (\S+)$/gm)].map((m) => m[1]!);
      expect(links.some((l) => l.endsWith('/docs/errors/unknown-measure.md'))).toBe(true);
      for (const link of links) expect(existsSync(link), link).toBe(true);
      // One docs line per diagnostic: every header has one.
      expect(links).toHaveLength([...out.matchAll(/^\S+:\d+:\d+ (error|warn|info) \S+$/gm)].length);
    } finally {
      project.cleanup();
    }
  }, 300_000);

  it('--quiet leaves it out, also in a terminal', () => {
    const project = copyTemplate('kpic-links-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'copy.kpi'), BROKEN);
      const out = inTerminal(project.dir, ['--quiet', 'check']);
      expect(out).toContain('error unknown-measure');
      expect(out).not.toContain('docs:');
    } finally {
      project.cleanup();
    }
  }, 300_000);

  it('kpic lint names the page of each finding', () => {
    const project = copyTemplate('kpic-links-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'answers.kpi'), UNOWNED);
      const out = inTerminal(project.dir, ['lint'], 0);
      const links = [...out.matchAll(/^ {2}docs: (\S+)$/gm)].map((m) => m[1]!);
      expect(links.some((l) => l.endsWith('/docs/rules/missing-owner.md'))).toBe(true);
      for (const link of links) expect(existsSync(link), link).toBe(true);
    } finally {
      project.cleanup();
    }
  }, 300_000);
});

describe('docs links elsewhere', () => {
  it('piped output has no docs line', async () => {
    const project = copyTemplate('kpic-links-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'copy.kpi'), BROKEN);
      const r = await kpic(project.dir, ['check']);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toContain('error unknown-measure');
      expect(`${r.stdout}${r.stderr}`).not.toContain('docs:');
    } finally {
      project.cleanup();
    }
  }, 300_000);

  it('sarif links every rule to its page, under --docs-url when given', async () => {
    const project = copyTemplate('kpic-links-');
    try {
      writeFileSync(join(project.dir, 'metrics', 'copy.kpi'), BROKEN);
      type Log = { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] };
      const local = await kpic(project.dir, ['lint', '--format', 'sarif']);
      const rules = (JSON.parse(local.stdout) as Log).runs[0]!.tool.driver.rules;
      expect(rules.find((r) => r.id === 'unknown-measure')!.helpUri).toMatch(
        /^file:\/\/.+\/docs\/errors\/unknown-measure\.md$/,
      );
      const published = await kpic(project.dir, [
        'lint',
        '--format',
        'sarif',
        '--docs-url',
        'https://example.org/kpic/docs',
      ]);
      const links = (JSON.parse(published.stdout) as Log).runs[0]!.tool.driver.rules.map((r) => r.helpUri);
      expect(links).toContain('https://example.org/kpic/docs/errors/unknown-measure.md');
      expect(links).toContain('https://example.org/kpic/docs/rules/missing-owner.md');
      const wrong = await kpic(project.dir, ['lint', '--format', 'sarif', '--docs-url', 'docs']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('--docs-url wants the absolute http(s) URL');
    } finally {
      project.cleanup();
    }
  }, 300_000);
});
