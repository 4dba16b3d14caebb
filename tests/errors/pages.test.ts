// Every diagnostic code has its page in docs/errors/, every page belongs to a
// code, and each page's example, run with the real CLI in a fresh project,
// reports that code where the page says.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docPageOf, ERROR_CODES, type ErrorCode, LINT_RULE_IDS } from '../../compiler/codes.ts';
import { exampleSteps, runExample } from './examples.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const codes = Object.keys(ERROR_CODES) as ErrorCode[];
const pages = readdirSync(new URL('docs/errors/', root)).filter((f) => f.endsWith('.md') && f !== 'README.md');

/**
 * The codes whose page has no runnable example, each for the reason its page
 * gives (a bug of kpic, a code only the TypeScript API can meet, a state of
 * the file system). A new code joins this list only with such a reason.
 */
const NO_EXAMPLE: readonly ErrorCode[] = [
  'empty-range',
  'file-unreadable',
  'fmt-comment-unplaceable',
  'fmt-failed',
  'internal-error',
  'invalid-last',
  'invalid-range',
  'invalid-sql',
  'invalid-status',
  'kpi-without-numerator',
  'snapshot-without-valid',
  'unknown-timezone',
];

describe('docs/errors', () => {
  it('has a page for every code, and no page without a code', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual([...codes].sort());
  });

  it('gives every code and lint rule a page that exists', () => {
    const missing = [...codes, ...LINT_RULE_IDS].filter((code) => {
      try {
        read(docPageOf(code)!);
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });

  it('lists every code in its index, linked to its page', () => {
    const index = read('docs/errors/README.md');
    for (const code of codes)
      expect(index, code).toContain(`| [\`${code}\`](${code}.md) | ${ERROR_CODES[code].severity} |`);
  });

  it("states each code's severity and summary as the table does", () => {
    for (const code of codes) {
      const page = read(`docs/errors/${code}.md`);
      expect(page.startsWith(`# \`${code}\`\n`), code).toBe(true);
      expect(page, code).toContain(`- **Severity:** ${ERROR_CODES[code].severity}\n`);
      expect(page, code).toContain(`\n${ERROR_CODES[code].summary}\n`);
      expect(page, code).toContain('\n## What it means\n');
      expect(page, code).toContain('\n## How to fix it\n');
    }
  });

  it('has an example on every page but those that say why not', () => {
    const without = codes.filter((code) => exampleSteps(read(`docs/errors/${code}.md`)).length === 0);
    expect(without).toEqual(NO_EXAMPLE);
    for (const code of without) expect(read(`docs/errors/${code}.md`), code).toContain('\n## No example\n');
  });
});

describe('each example produces its code', () => {
  const runnable = codes.filter((code) => !NO_EXAMPLE.includes(code));
  it.each(runnable)('%s', { timeout: 600_000 }, async (code) => {
    const steps = exampleSteps(read(`docs/errors/${code}.md`));
    const run = await runExample(steps);
    // The page states where the code is reported: `FILE:LINE:COL SEVERITY CODE`.
    const header = new RegExp(`^\\S+:\\d+:\\d+ ${ERROR_CODES[code].severity} ${code}$`);
    expect(run.expected.filter((line) => header.test(line))).toHaveLength(1);
    expect(run.missing).toEqual([]);
    expect(run.last.stderr).not.toMatch(/\n\s+at .+(\.ts|\.js|node:internal)/);
  });
});
