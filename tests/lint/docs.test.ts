// The rule pages cannot drift from the rules: every rule has a page whose
// header matches its metadata, whose Bad example produces exactly the findings
// the page states and whose Good example produces none at all.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULE_METAS } from '../../compiler/lint/lint.ts';
import { RULES } from '../../compiler/lint/rules/index.ts';
import { compilerErrors, describeFindings, lintText } from './helpers.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Page {
  readonly text: string;
  readonly bad: string;
  readonly good: string;
  readonly expected: readonly string[];
}

/** The first ```kpi block after a heading. */
function exampleAfter(text: string, heading: string): string {
  const at = text.indexOf(`\n${heading}\n`);
  if (at === -1) throw new Error(`no "${heading}" section`);
  const match = /```kpi\n([\s\S]*?)```/.exec(text.slice(at));
  if (!match) throw new Error(`no kpi example after "${heading}"`);
  return match[1]!;
}

function readPage(path: string): Page {
  const text = read(path);
  const expected = [...text.matchAll(/<!-- expect: ([a-z-]+) (\d+):(\d+) -->/g)].map(
    (m) => `bad.kpi:${m[2]}:${m[3]} ${m[1]}`,
  );
  return { text, bad: exampleAfter(text, '## Bad'), good: exampleAfter(text, '## Good'), expected };
}

describe('rule docs', () => {
  it('every rule has a unique kebab-case id and a page at its docs path', () => {
    const ids = ALL_RULE_METAS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const meta of ALL_RULE_METAS) {
      expect(meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(meta.docs).toBe(`docs/rules/${meta.id}.md`);
      expect(existsSync(new URL(meta.docs, root)), meta.docs).toBe(true);
    }
  });

  it('has no page without a rule, and the index lists every rule', () => {
    const pages = readdirSync(new URL('docs/rules/', root)).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.sort()).toEqual(ALL_RULE_METAS.map((m) => `${m.id}.md`).sort());
    const index = read('docs/rules/README.md');
    for (const meta of ALL_RULE_METAS)
      expect(index).toContain(`[\`${meta.id}\`](${meta.id}.md) | ${meta.defaultSeverity} |`);
  });

  it('every rule has its test file', () => {
    for (const rule of RULES)
      expect(existsSync(new URL(`tests/lint/rules/${rule.meta.id}.test.ts`, root)), rule.meta.id).toBe(true);
  });

  for (const meta of ALL_RULE_METAS) {
    describe(meta.id, () => {
      const page = readPage(meta.docs);

      it('states the id, default severity and step of the rule', () => {
        expect(page.text.startsWith(`# \`${meta.id}\`\n`)).toBe(true);
        expect(page.text).toContain(`- **Default severity:** ${meta.defaultSeverity}\n`);
        expect(page.text).toContain(`- **Step:** ${meta.step}\n`);
        for (const section of ['## Reason to flag', '## How to remediate', '## Bad', '## Good'])
          expect(page.text).toContain(`\n${section}\n`);
      });

      it('Bad example produces exactly the stated findings', () => {
        expect(page.expected.some((e) => e.endsWith(` ${meta.id}`))).toBe(true);
        const linted = lintText({ 'bad.kpi': page.bad });
        expect(compilerErrors(linted)).toEqual([]);
        expect(describeFindings(linted.findings)).toEqual([...page.expected]);
      });

      it('Good example produces no finding at all', () => {
        const linted = lintText({ 'good.kpi': page.good });
        expect(compilerErrors(linted)).toEqual([]);
        expect(describeFindings(linted.findings)).toEqual([]);
      });
    });
  }
});
