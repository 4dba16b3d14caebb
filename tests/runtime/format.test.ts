import { describe, expect, it } from 'vitest';
import { formatResult } from '../../runtime/format/format.ts';
import type { ResultTable } from '../../runtime/format/format.ts';
import { displayText, exactNumberText } from '../../runtime/format/values.ts';

const table: ResultTable = {
  columns: ['period', 'tier', 'numerator', 'denominator', 'value', 'status', 'target_met'],
  types: ['DATE', 'VARCHAR', 'BIGINT', 'DECIMAL(38,2)', 'DOUBLE', 'VARCHAR', 'BOOLEAN'],
  rows: [
    ['2024-01-01', 'gold, "vip"', 9007199254740993n, '12345678901234567890.05', 0.1 + 0.2, 'ok', true],
    ['2024-02-01', 'line\nbreak|pipe', 0n, null, null, null, null],
  ],
  excluded: [
    { source: 'surveys', check: 'nps_range', excluded: 3n },
    { source: 'orders', check: 'positive', excluded: 0n },
  ],
};

describe('csv', () => {
  it('is RFC 4180 with exact numbers and empty nulls', () => {
    expect(formatResult(table, 'csv')).toBe(
      'period,tier,numerator,denominator,value,status,target_met\r\n' +
        '2024-01-01,"gold, ""vip""",9007199254740993,12345678901234567890.05,0.30000000000000004,ok,true\r\n' +
        '2024-02-01,"line\nbreak|pipe",0,,,,\r\n',
    );
  });
});

describe('json', () => {
  it('writes big integers and decimals as exact JSON numbers', () => {
    const text = formatResult(table, 'json');
    expect(text).toBe(
      '[\n' +
        '  {"period": "2024-01-01", "tier": "gold, \\"vip\\"", "numerator": 9007199254740993, "denominator": 12345678901234567890.05, "value": 0.30000000000000004, "status": "ok", "target_met": true},\n' +
        '  {"period": "2024-02-01", "tier": "line\\nbreak|pipe", "numerator": 0, "denominator": null, "value": null, "status": null, "target_met": null}\n' +
        ']\n',
    );
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(Object.keys(parsed[0]!)).toEqual(table.columns);
    // The exact digits are in the text, whatever a double parser makes of them.
    expect(text).toContain('9007199254740993,');
  });

  it('is an empty array for no rows', () => {
    expect(formatResult({ ...table, rows: [] }, 'json')).toBe('[]\n');
  });
});

describe('markdown', () => {
  it('is a GitHub table, numbers right-aligned, cells escaped', () => {
    expect(formatResult(table, 'markdown')).toBe(
      '| period | tier | numerator | denominator | value | status | target_met |\n' +
        '| --- | --- | ---: | ---: | ---: | --- | --- |\n' +
        '| 2024-01-01 | gold, "vip" | 9007199254740993 | 12345678901234567890.05 | 0.3 | ok | true |\n' +
        '| 2024-02-01 | line<br>break\\|pipe | 0 |  |  |  |  |\n',
    );
  });
});

describe('table', () => {
  it('has every column in order, right-aligns numbers and lists excluded rows', () => {
    const text = formatResult(table, 'table', { color: false });
    const header = text.split('\n')[1]!;
    expect(
      header
        .split('│')
        .map((s) => s.trim())
        .filter(Boolean),
    ).toEqual(table.columns);
    expect(text).toContain('* 3 rows of `surveys` excluded by check `nps_range`');
    expect(text).not.toContain('orders');
    // Right alignment: the short number ends where the long one does.
    const lines = text.split('\n');
    const first = lines.find((l) => l.includes('9007199254740993'))!;
    const second = lines.find((l) => l.includes('2024-02-01'))!;
    const end = (line: string, token: string) => line.indexOf(token) + token.length;
    expect(end(second, ' 0 ')).toBe(end(first, '9007199254740993 '));
  });

  it('says so when there are no rows', () => {
    expect(formatResult({ ...table, rows: [], excluded: [] }, 'table', { color: false })).toContain('(no rows)');
  });
});

describe('number text', () => {
  it('never uses an exponent and keeps the shortest round-trip digits', () => {
    expect(exactNumberText(1.5e-7)).toBe('0.00000015');
    expect(exactNumberText(1e21)).toBe('1000000000000000000000');
    expect(exactNumberText(-2.5e-10)).toBe('-0.00000000025');
    expect(exactNumberText(123.456)).toBe('123.456');
    expect(exactNumberText(-0)).toBe('0');
    expect(exactNumberText(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(Number(exactNumberText(0.1 + 0.2))).toBe(0.1 + 0.2);
  });

  it('rounds doubles for people but keeps small values readable', () => {
    expect(displayText(42.857142857142854)).toBe('42.8571');
    expect(displayText(0.000123456)).toBe('0.0001235');
    expect(displayText(3)).toBe('3');
    expect(displayText('1.10')).toBe('1.10');
  });
});
