import { describe, expect, it } from 'vitest';
import { isSnakeCase, toSnakeCase } from '../../../compiler/lint/rules/naming.ts';
import { testRule } from '../helpers.ts';

testRule('naming', {
  valid: [
    `customer customers from "c.csv" {\n  key customer_id\n  measure customer_count_30d = count()\n}\nkpi customer_base {\n  numerator customer_count_30d\n}\n`,
    {
      name: "a column dimension keeps the data's spelling",
      code: `customer customers from "c.csv" {\n  key customerID\n  dimension SeniorCitizen\n  measure customer_count = count()\n}\nkpi customer_base {\n  numerator customer_count\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'a KPI',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure customer_count = count()\n}\nkpi CustomerBase {\n  numerator customer_count\n}\n`,
      line: 5,
      column: 5,
      message: 'KPI name `CustomerBase` is not snake_case',
      help: 'rename it `customer_base`',
    },
    {
      name: 'a measure',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure customerCount = count()\n}\nkpi customer_base {\n  numerator customerCount\n}\n`,
      line: 3,
      column: 11,
      message: 'measure name `customerCount`',
    },
    {
      name: 'a source',
      code: `customer Customers from "c.csv" {\n  key customer_id\n  measure customer_count = count()\n}\nkpi customer_base {\n  numerator customer_count\n}\n`,
      line: 1,
      column: 10,
      message: 'customer entity name `Customers`',
    },
    {
      name: 'a computed dimension',
      code: `customer customers from "c.csv" {\n  key customer_id\n  dimension seniorCitizen = is_senior = 1\n  measure customer_count = count()\n}\nkpi customer_base {\n  numerator customer_count\n}\n`,
      line: 3,
      column: 13,
      help: '`senior_citizen`',
    },
    {
      name: 'an accented name',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure \`café\` = count()\n}\nkpi customer_base {\n  numerator \`café\`\n}\n`,
      line: 3,
      column: 11,
      help: 'rename it `cafe`',
    },
    {
      name: 'a fullwidth name',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure \`ｎｐｓ\` = count()\n}\nkpi customer_base {\n  numerator \`ｎｐｓ\`\n}\n`,
      line: 3,
      column: 11,
      help: 'rename it `nps`',
    },
    {
      name: 'a name with no ASCII letter',
      code: `customer customers from "c.csv" {\n  key customer_id\n  measure \`売上\` = count()\n}\nkpi customer_base {\n  numerator \`売上\`\n}\n`,
      line: 3,
      column: 11,
      help: 'rename it in lower-case ASCII words joined by `_`',
    },
  ],
});

describe('snake_case', () => {
  it('accepts lower-case words joined by single underscores', () => {
    for (const name of ['nps', 'nps_30d', 'a1_b2']) expect(isSnakeCase(name)).toBe(true);
    for (const name of ['NPS', 'npsScore', 'nps__score', '_nps', 'nps_', '30d']) expect(isSnakeCase(name)).toBe(false);
  });
  it('suggests a snake_case spelling', () => {
    expect(toSnakeCase('NetPromoterScore')).toBe('net_promoter_score');
    expect(toSnakeCase('ARRPerSeat')).toBe('arr_per_seat');
    expect(toSnakeCase('Total Charges')).toBe('total_charges');
    expect(toSnakeCase('nps__score_')).toBe('nps_score');
    expect(toSnakeCase('30d_active')).toBe('n_30d_active');
  });
  it('transliterates fullwidth letters and drops accents; suggests nothing when no ASCII is left', () => {
    expect(toSnakeCase('ｎｐｓ')).toBe('nps');
    expect(toSnakeCase('ＮｅｔＰｒｏｍｏｔｅｒ')).toBe('net_promoter');
    expect(toSnakeCase('café')).toBe('cafe');
    expect(toSnakeCase('cafe\u0301')).toBe('cafe');
    expect(toSnakeCase('Überraschung Ärger')).toBe('uberraschung_arger');
    expect(toSnakeCase('売上')).toBe('');
  });
});
