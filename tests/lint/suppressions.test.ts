import { describe, expect, it } from 'vitest';
import { compilerErrors, describeFindings, lintText } from './helpers.ts';

// Lines 1-4; a KPI without owner follows, so `missing-owner` fires on its name.
const BASE = `customer customers from "c.csv" {
  key customer_id
  measure customer_count = count()
}
`;
const KPI = `kpi customer_base {\n  description "Customers."\n  numerator customer_count\n}\n`;

function findings(code: string, config?: Parameters<typeof lintText>[1]): string[] {
  const linted = lintText(code, config);
  expect(compilerErrors(linted)).toEqual([]);
  return describeFindings(linted.findings);
}

describe('kpic-disable-next-line', () => {
  it('suppresses a finding that starts on the next line', () => {
    expect(findings(`${BASE}${KPI}`)).toEqual(['test.kpi:5:5 missing-owner']);
    expect(findings(`${BASE}# kpic-disable-next-line missing-owner -- the board owns it\n${KPI}`)).toEqual([]);
  });

  it('skips blank and comment-only lines to the next line of code', () => {
    const code = `${BASE}# kpic-disable-next-line missing-owner -- the board owns it\n\n# (a longer explanation)\n${KPI}`;
    expect(findings(code)).toEqual([]);
  });

  it('suppresses several rules, ids compared without case', () => {
    const kpi = `kpi customer_base {\n  numerator customer_count\n}\n`;
    expect(findings(`${BASE}${kpi}`)).toEqual(['test.kpi:5:5 missing-description', 'test.kpi:5:5 missing-owner']);
    expect(findings(`${BASE}# kpic-disable-next-line missing-owner,Missing-Description -- legacy\n${kpi}`)).toEqual([]);
  });

  it('does not reach findings that start further down the block', () => {
    const code = `${BASE}# kpic-disable-next-line missing-owner, threshold-order -- legacy
kpi customer_base {
  description "Customers."
  numerator customer_count
  direction higher
  warn > 5
}
`;
    expect(findings(code)).toEqual(['test.kpi:5:41 unused-suppression', 'test.kpi:10:3 threshold-order']);
  });

  it('applies from a comment at the end of a line of code to the next line', () => {
    const code = `${BASE}kpi customer_base { # kpic-disable-next-line threshold-order -- legacy
  description "Customers."
  owner "cs"
  numerator customer_count
  direction higher
  warn > 5
}
`;
    expect(findings(code)).toEqual(['test.kpi:5:46 unused-suppression', 'test.kpi:10:3 threshold-order']);
    const above = code
      .replace('  warn > 5', '  # kpic-disable-next-line threshold-order -- legacy\n  warn > 5')
      .replace(' # kpic-disable-next-line threshold-order -- legacy', '');
    expect(findings(above)).toEqual([]);
  });

  it('reports a suppression without a reason, and still suppresses', () => {
    expect(findings(`${BASE}# kpic-disable-next-line missing-owner\n${KPI}`)).toEqual([
      'test.kpi:5:1 suppression-missing-reason',
    ]);
    expect(findings(`${BASE}# kpic-disable-next-line missing-owner --   \n${KPI}`)).toEqual([
      'test.kpi:5:1 suppression-missing-reason',
    ]);
    const linted = lintText(`${BASE}# kpic-disable-next-line missing-owner\n${KPI}`);
    expect(linted.findings[0]!.help).toContain('# kpic-disable-next-line missing-owner -- ');
  });

  it('reports a suppression that suppresses nothing, at the rule id', () => {
    const linted = lintText(`${BASE}# kpic-disable-next-line missing-owner, naming -- legacy\n${KPI}`);
    expect(describeFindings(linted.findings)).toEqual(['test.kpi:5:41 unused-suppression']);
    const finding = linted.findings[0]!;
    expect(finding.span.end.column - finding.span.start.column).toBe('naming'.length);
    expect(finding.message).toBe('`naming` is suppressed here, but the next line of code has no `naming` finding.');
  });

  it('reports an unknown rule id with the closest one', () => {
    const linted = lintText(`${BASE}# kpic-disable-next-line missing-ownr -- legacy\n${KPI}`);
    expect(describeFindings(linted.findings)).toEqual(['test.kpi:5:26 unknown-rule', 'test.kpi:6:5 missing-owner']);
    expect(linted.findings[0]!.help).toBe('did you mean `missing-owner`?');
  });

  it('leaves suppressions of a rule that is off alone', () => {
    const code = `${BASE}# kpic-disable-next-line naming -- legacy\nkpi customer_base {\n  owner "cs"\n  description "Customers."\n  numerator customer_count\n}\n`;
    expect(findings(code)).toEqual(['test.kpi:5:26 unused-suppression']);
    expect(findings(code, { rules: { naming: 'off' } })).toEqual([]);
    expect(findings(code, { rules: { 'unused-suppression': 'off' } })).toEqual([]);
  });

  it('reports comments that look like directives but are not', () => {
    const linted = lintText(`${BASE}# kpic-disable-line missing-owner -- legacy\n${KPI}`);
    expect(describeFindings(linted.findings)).toEqual([
      'test.kpi:5:3 unused-suppression',
      'test.kpi:6:5 missing-owner',
    ]);
    expect(linted.findings[0]!.message).toContain('`kpic-disable-line` is not a suppression comment');
  });

  it('reports a suppression that names no rule or is followed by no code', () => {
    expect(findings(`${BASE}# kpic-disable-next-line -- why\n${KPI}`)).toEqual([
      'test.kpi:5:1 unused-suppression',
      'test.kpi:6:5 missing-owner',
    ]);
    expect(
      findings(`${BASE}${KPI.replace('{', '{\n  owner "cs"')}# kpic-disable-next-line naming -- trailing\n`),
    ).toEqual(['test.kpi:10:1 unused-suppression']);
  });

  it('ignores ordinary comments', () => {
    expect(
      findings(`${BASE}# owner to be decided: kpic-disable is not used here\n# TODO kpic-disable-next-line\n${KPI}`),
    ).toEqual(['test.kpi:7:5 missing-owner']);
  });
});
