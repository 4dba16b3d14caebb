// The linter runs on whatever the parser and resolver make of broken text:
// it must never throw, and every finding must point into the file.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintText } from './helpers.ts';

const examples = readdirSync(new URL('../../docs/rules/', import.meta.url))
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .flatMap((f) =>
    [...readFileSync(new URL(`../../docs/rules/${f}`, import.meta.url), 'utf8').matchAll(/```kpi\n([\s\S]*?)```/g)].map(
      (m) => m[1]!,
    ),
  );

describe('lint on broken projects', () => {
  it('never throws on examples with lines dropped or text cut', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.nat(), fc.nat(), fc.boolean(), (text, a, b, cut) => {
        const lines = text.split('\n');
        const mutated = cut
          ? text.slice(0, a % (text.length + 1))
          : lines.filter((_, i) => i !== a % lines.length && i !== b % lines.length).join('\n');
        const linted = lintText(mutated);
        const lineCount = mutated.split('\n').length;
        for (const d of linted.findings) {
          expect(d.file).toBe('test.kpi');
          expect(d.span.start.line).toBeGreaterThanOrEqual(1);
          expect(d.span.start.line).toBeLessThanOrEqual(lineCount);
          expect(d.message).not.toMatch(/\{[a-zA-Z]\w*\}|undefined/);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
