// The golden files guard themselves: a missing one fails (it is not recreated),
// and every file in tests/golden is named by a test, so none is silently unused.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { golden } from './golden.ts';

const TESTS = join(dirname(fileURLToPath(import.meta.url)), '..');

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('golden files', () => {
  it.skipIf(process.env.UPDATE_GOLDEN === '1')('a missing golden file fails instead of being written', () => {
    const name = 'no-such-golden-case';
    expect(() => golden(name, 'select 1')).toThrow(
      /tests\/golden\/no-such-golden-case\.sql is missing; run with UPDATE_GOLDEN=1/,
    );
    expect(existsSync(join(TESTS, 'golden', `${name}.sql`))).toBe(false);
  });

  it('every golden file is named by a test', () => {
    const sources = testSources(TESTS).join('\n');
    const files = readdirSync(join(TESTS, 'golden')).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(20);
    const unused = files
      .map((f) => f.replace(/\.sql$/, ''))
      .filter((name) => !sources.includes(`'${name}'`) && !sources.includes(`name: '${name}'`));
    expect(unused).toEqual([]);
  });
});
