import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../compiler/lint/rule.ts';
import { ALL_RULE_METAS } from '../../compiler/lint/lint.ts';
import { describeFindings, lintText } from './helpers.ts';

// A KPI with no owner (warn), no description (info) and a non-snake_case name (warn).
const CODE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
kpi CustomerBase {
  numerator customer_count
}
`;

describe('lintModel', () => {
  it('runs every rule with its default severity, sorted by place then rule', () => {
    const { findings } = lintText(CODE);
    expect(findings.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.severity}`)).toEqual([
      '5:5 missing-description info',
      '5:5 missing-owner warn',
      '5:5 naming warn',
    ]);
  });

  it('applies configured severities and turns rules off', () => {
    const { findings } = lintText(CODE, {
      rules: { 'missing-owner': 'error', naming: 'off', 'missing-description': 'warn' },
    });
    expect(findings.map((d) => `${d.code} ${d.severity}`)).toEqual(['missing-description warn', 'missing-owner error']);
  });

  it('reports unknown rule ids and bad levels in kpic.yaml, where they are written', () => {
    const span = { start: { offset: 30, line: 4, column: 5 }, end: { offset: 42, line: 4, column: 17 } };
    const { findings } = lintText(CODE, {
      rules: { 'missing-ownr': 'error', naming: 'loud' as 'warn', 'no-such-thing': 'off' },
      spans: new Map([['missing-ownr', span]]),
    });
    const config = findings.filter((d) => d.file === 'kpic.yaml');
    expect(config.map((d) => [d.code, d.span.start.line, d.span.start.column, d.message, d.help])).toEqual([
      [
        'unknown-rule',
        1,
        1,
        '`loud` is not a severity for `naming`: the rule keeps its default `warn`.',
        'write one of `off`, `info`, `warn` or `error`.',
      ],
      [
        'unknown-rule',
        1,
        1,
        '`no-such-thing` in `lint.rules` is not a rule of the linter, so its setting has no effect.',
        'the rules are listed in docs/rules/README.md.',
      ],
      [
        'unknown-rule',
        4,
        5,
        '`missing-ownr` in `lint.rules` is not a rule of the linter, so its setting has no effect.',
        'did you mean `missing-owner`?',
      ],
    ]);
    // The rest of the configuration still applies: naming keeps its default.
    expect(findings.filter((d) => d.file === 'test.kpi').map((d) => d.code)).toEqual([
      'missing-description',
      'missing-owner',
      'naming',
    ]);
  });

  it('is deterministic: files in any order give the same sorted findings', () => {
    const other = 'kpi OtherBase {\n  numerator customer_count\n}\n';
    const first = lintText({ 'b.kpi': other, 'a.kpi': CODE });
    const again = lintText({ 'a.kpi': CODE, 'b.kpi': other });
    expect(describeFindings(first.findings)).toEqual(describeFindings(again.findings));
    expect(describeFindings(first.findings)).toEqual([
      'a.kpi:5:5 missing-description',
      'a.kpi:5:5 missing-owner',
      'a.kpi:5:5 naming',
      'b.kpi:1:5 missing-description',
      'b.kpi:1:5 missing-owner',
      'b.kpi:1:5 naming',
    ]);
  });

  it('every message and help template is filled from its data', () => {
    for (const meta of ALL_RULE_METAS) {
      for (const template of Object.values<string>(meta.messages)) {
        const keys = [...template.matchAll(/\{([a-zA-Z]\w*)\}/g)].map((m) => m[1]!);
        const data = Object.fromEntries(keys.map((k) => [k, `<${k}>`]));
        expect(fillTemplate(template, data)).not.toMatch(/\{[a-zA-Z]\w*\}/);
      }
    }
    expect(() => fillTemplate('KPI `{kpi}`', {})).toThrow(/\{kpi\}/);
  });
});
