import { describe, expect, it } from 'vitest';
import { compareDecimal } from '../../../compiler/lint/decimal-order.ts';
import { CUSTOMERS, describeFindings, lintText, testRule } from '../helpers.ts';

// Lines 5-10; the KPI opens on line 11 and its items start on line 14.
const SURVEYS = `${CUSTOMERS}source surveys from "s.csv" {
  customer customer_id
  time responded_at
  measure promoters = count() where nps >= 9
  measure responses = count()
}
`;
const kpi = (...items: string[]) =>
  `${SURVEYS}kpi promoter_share {\n  numerator promoters\n  denominator responses\n${items.map((i) => `  ${i}\n`).join('')}}\n`;

testRule('threshold-order', {
  valid: [
    {
      name: 'the language example',
      code: kpi('direction higher', 'target >= 40', 'warn < 30', 'critical < 10', 'critical < 20 for region = "EMEA"'),
    },
    { name: 'direction lower', code: kpi('direction lower', 'target <= 2%', 'warn > 2%', 'critical > 5%') },
    { name: 'target at the warning boundary', code: kpi('direction higher', 'target >= 30', 'warn < 30') },
    { name: 'strict target at an inclusive boundary', code: kpi('direction higher', 'target > 30', 'warn <= 30') },
    { name: 'no direction, thresholds agree', code: kpi('warn < 30', 'critical < 10', 'target >= 40') },
    { name: 'equality thresholds have no order', code: kpi('direction higher', 'warn = 0', 'critical != 5') },
    { name: 'negative numbers', code: kpi('direction higher', 'warn < -5', 'critical < -10') },
    {
      name: 'a segment with its own warn level',
      code: kpi('direction higher', 'warn < 30', 'critical < 10', 'warn < 15 for region = "EMEA"'),
    },
    { name: 'no thresholds', code: kpi('direction higher') },
  ],
  invalid: [
    {
      name: 'critical above warn with direction higher',
      code: kpi('direction higher', 'target >= 50%', 'warn < 30%', 'critical < 40%'),
      line: 17,
      column: 3,
      message:
        '`critical < 40%` is not worse than `warn < 30%`: with `direction higher` every value that would warn is already critical',
      help: 'order the levels `critical < warn < target`',
    },
    {
      name: 'critical equal to warn',
      code: kpi('direction higher', 'warn < 30', 'critical < 30'),
      line: 16,
      column: 3,
    },
    {
      name: 'critical below warn with direction lower',
      code: kpi('direction lower', 'warn > 5', 'critical > 2'),
      line: 16,
      column: 3,
      help: '`target < warn < critical`',
    },
    {
      name: 'a target worse than the warning level',
      code: kpi('direction higher', 'target >= 20', 'warn < 30'),
      line: 15,
      column: 3,
      message: '`target >= 20` overlaps `warn < 30`',
    },
    {
      name: 'target and warn sharing an inclusive boundary',
      code: kpi('direction higher', 'target >= 30', 'warn <= 30'),
      line: 15,
      column: 3,
    },
    {
      name: 'an alert on the good side',
      code: kpi('direction higher', 'warn > 90'),
      line: 15,
      column: 3,
      message: '`warn > 90` raises an alert for high values, but KPI `promoter_share` has `direction higher`',
      help: 'flip the comparison (`warn <= 90`)',
    },
    {
      name: 'a target on the bad side',
      code: kpi('direction lower', 'target >= 5'),
      line: 15,
      column: 3,
      message:
        '`target >= 5` is met by high values, but KPI `promoter_share` has `direction lower`: high values are the bad ones.',
    },
    {
      name: 'no direction, thresholds pointing both ways',
      code: kpi('warn < 30', 'critical > 90'),
      line: 15,
      column: 3,
      message: 'point both ways: `warn < 30` treats low values as bad, `critical > 90` treats high values as bad',
    },
    {
      name: 'a segment critical level against the general warn level',
      code: kpi('direction higher', 'warn < 30', 'critical < 10', 'critical < 40 for region = "EMEA"'),
      line: 17,
      column: 3,
      message: '`critical < 40` is not worse than `warn < 30`',
    },
    {
      name: 'percentages and decimals compared exactly',
      code: kpi('direction higher', 'warn < 0.3', 'critical < 30.5%'),
      line: 16,
      column: 3,
    },
  ],
});

describe('threshold-order across segments', () => {
  it('reports a contradiction of general thresholds once, not once per segment', () => {
    const code = kpi(
      'direction higher',
      'warn < 30',
      'critical < 40',
      'target >= 50 for region = "EMEA"',
      'target >= 60 for region = "APAC"',
    );
    const found = lintText(code).findings.filter((d) => d.code === 'threshold-order');
    expect(describeFindings(found)).toEqual(['test.kpi:16:3 threshold-order']);
  });
});

describe('compareDecimal', () => {
  it('orders exact decimal text', () => {
    expect(compareDecimal('0.3', '0.305')).toBe(-1);
    expect(compareDecimal('40', '9')).toBe(1);
    expect(compareDecimal('-5', '-10')).toBe(1);
    expect(compareDecimal('-0', '0')).toBe(0);
    expect(compareDecimal('2.50', '2.5')).toBe(0);
    expect(compareDecimal('-0.1', '0')).toBe(-1);
    expect(compareDecimal('12345678901234567890.1', '12345678901234567890.01')).toBe(1);
  });
});
