// Every `.kpi` file the repository ships is already in the canonical layout,
// so `kpic fmt --check` passes on the metrics and the examples.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFile } from '../../compiler/syntax/format.ts';

const root = join(import.meta.dirname, '..', '..');

function listKpiFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory())
        return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : listKpiFiles(path);
      return entry.name.endsWith('.kpi') ? [path] : [];
    })
    .sort();
}

const files = ['metrics', 'examples'].flatMap((folder) => listKpiFiles(join(root, folder)));

describe('the repository`s .kpi files', () => {
  it('are found (the walk is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.includes(`${join('metrics', 'model')}`))).toBe(true);
  });

  it.each(files.map((f) => [relative(root, f).replaceAll('\\', '/'), f]))('%s is formatted', (shown, path) => {
    const text = readFileSync(path, 'utf8');
    const result = formatFile(text, shown);
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toBe(text);
  });
});
