// The README's opening sample is what kpic does: every line of its KPI code is a
// line of `metrics/`, and its sample output is printed by the command it shows
// on `examples/saas` (the shown lines, in order; `...` stands for rows left out).

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic } from './cli/helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function kpiFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return kpiFiles(path);
    return entry.name.endsWith('.kpi') ? [readFileSync(path, 'utf8')] : [];
  });
}

/** A code line without its comment and with single spaces, for comparison. */
function normal(line: string): string {
  return line
    .replace(/\s+#.*$/, '')
    .trim()
    .replace(/\s+/g, ' ');
}

/** The text of the first fenced block whose info string is `info` (or whose first line starts with `start`). */
function block(predicate: (info: string, body: string) => boolean): string {
  for (const match of README.matchAll(/```([a-z]*)\n([\s\S]*?)```/g)) {
    if (predicate(match[1]!, match[2]!)) return match[2]!;
  }
  throw new Error('README block not found');
}

describe('README sample', () => {
  it('shows KPI code that is in metrics/', () => {
    const code = block((info) => info === 'kpi');
    const known = new Set(kpiFiles(join(ROOT, 'metrics')).flatMap((text) => text.split('\n').map(normal)));
    const lines = code
      .split('\n')
      .map(normal)
      .filter((line) => line !== '' && line !== '}');
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.filter((line) => !known.has(line))).toEqual([]);
  });

  it('shows output that kpic prints on examples/saas', async () => {
    const sample = block((_, body) => body.startsWith('$ kpic run '))
      .trimEnd()
      .split('\n');
    const args = sample[0]!.replace(/^\$ kpic /, '').split(' ');
    const run = await kpic(join(ROOT, 'examples/saas'), args);
    expect(run.code, run.stderr).toBe(0);
    const printed = `${run.stdout}${run.stderr}`.split('\n').map((line) => line.trimEnd());
    let at = 0;
    for (const line of sample.slice(1)) {
      if (line === '...') continue;
      const found = printed.indexOf(line.trimEnd(), at);
      expect(found, `README line not printed (in order): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(sample.length).toBeGreaterThan(5);
  });
});
