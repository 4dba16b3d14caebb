// The table of diagnostic codes (compiler/codes.ts): its lint half agrees
// with the rules' metadata, and templates fill as documented.

import { describe, expect, it } from 'vitest';
import { codeParams, docPageOf, ERROR_CODES, formatMessage, LINT_RULE_IDS } from '../../compiler/codes.ts';
import { ALL_RULE_METAS } from '../../compiler/index.ts';

describe('the code table', () => {
  it('names exactly the lint rules that exist', () => {
    expect([...LINT_RULE_IDS].sort()).toEqual(ALL_RULE_METAS.map((m) => m.id).sort());
  });

  it('shares no code between an error code and a lint rule', () => {
    const shared = LINT_RULE_IDS.filter((id) => Object.hasOwn(ERROR_CODES, id));
    expect(shared).toEqual([]);
  });

  it('is sorted by code and every code is kebab-case', () => {
    const codes = Object.keys(ERROR_CODES);
    expect(codes).toEqual([...codes].sort());
    for (const code of codes) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('has a one-line summary ending in a full stop for every code', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(info.summary, code).toMatch(/^[A-Za-z`].*\.$/);
      expect(info.summary, code).not.toContain('\n');
    }
  });

  it('fills a template with its parameters, in order of first use', () => {
    expect(codeParams('wrong-arity')).toEqual(['function', 'expected', 'actual']);
    expect(formatMessage('wrong-arity', { function: 'round', expected: 2, actual: 3 })).toBe(
      '`round` takes 2 argument(s), not 3.',
    );
    expect(codeParams('empty-name')).toEqual([]);
    expect(formatMessage('empty-name', {})).toBe('a backticked name cannot be empty');
  });

  it('rejects a missing parameter at run time too', () => {
    // @ts-expect-error `actual` is missing: tsc refuses it, and so does the helper
    expect(() => formatMessage('wrong-arity', { function: 'round', expected: 2 })).toThrow(/\{actual\}/);
  });

  it('gives the doc page of any code, and none for an unknown one', () => {
    expect(docPageOf('unknown-column')).toBe('docs/errors/unknown-column.md');
    expect(docPageOf('customer-reference')).toBe('docs/rules/customer-reference.md');
    expect(docPageOf('no-such-code')).toBeUndefined();
  });
});
