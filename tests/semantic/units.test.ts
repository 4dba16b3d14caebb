// Small pure helpers: exact decimals, paths and formats, reachability.

import { describe, expect, it } from 'vitest';
import { isUnitInterval, literalDecimal, negateDecimal } from '../../compiler/semantic/decimal.ts';
import { fileFormatOf, unsafePathReason } from '../../compiler/semantic/relations.ts';
import { canonicalTimezone } from '../../compiler/semantic/timezone.ts';
import { isDateText, isTimestampText } from '../../compiler/semantic/types.ts';

describe('exact decimals', () => {
  it('applies percentages on the digits', () => {
    expect(literalDecimal('2', true)).toBe('0.02');
    expect(literalDecimal('12.5', true)).toBe('0.125');
    expect(literalDecimal('100', true)).toBe('1');
    expect(literalDecimal('0.5', true)).toBe('0.005');
    expect(literalDecimal('150', true)).toBe('1.5');
    expect(literalDecimal('007.50', false)).toBe('7.5');
    expect(literalDecimal('0.1', true)).toBe('0.001');
  });
  it('negates and bounds', () => {
    expect(negateDecimal('5')).toBe('-5');
    expect(negateDecimal('-0.5')).toBe('0.5');
    expect(negateDecimal('0')).toBe('0');
    expect(isUnitInterval('1')).toBe(true);
    expect(isUnitInterval('0.95')).toBe(true);
    expect(isUnitInterval('1.01')).toBe(false);
  });
});

describe('paths and formats', () => {
  it('accepts relative paths inside the root', () => {
    for (const path of ['data/x.csv', './data/x.csv', 'x.parquet', 'data/2024-*.csv'])
      expect(unsafePathReason(path)).toBeUndefined();
  });
  it('refuses paths that could leave it', () => {
    for (const path of [
      '',
      '../x.csv',
      'a/../../x.csv',
      '/abs.csv',
      'C:x.csv',
      'file:x.csv',
      's3://b/x.csv',
      'a\\x.csv',
      '~/x.csv',
    ]) {
      expect(unsafePathReason(path), path).toBeDefined();
    }
  });
  it('reads the format from the extension, in any case', () => {
    expect(fileFormatOf('a.CSV')).toBe('csv');
    expect(fileFormatOf('a.csv.gz')).toBe('csv');
    expect(fileFormatOf('a.tsv')).toBe('csv');
    expect(fileFormatOf('a.ndjson')).toBe('json');
    expect(fileFormatOf('a.jsonl')).toBe('json');
    expect(fileFormatOf('a.Parquet')).toBe('parquet');
    expect(fileFormatOf('a.gz')).toBeUndefined();
    expect(fileFormatOf('a.xlsx')).toBeUndefined();
  });
});

describe('dates and zones', () => {
  it('checks calendar dates and timestamps', () => {
    expect(isDateText('2024-02-29')).toBe(true);
    expect(isDateText('2023-02-29')).toBe(false);
    expect(isDateText('2024-13-01')).toBe(false);
    expect(isTimestampText('2024-01-31 23:59:59.123')).toBe(true);
    expect(isTimestampText('2024-01-31T12:00')).toBe(true);
    expect(isTimestampText('2024-01-31 24:00:00')).toBe(false);
  });
  it('canonicalizes IANA zones', () => {
    expect(canonicalTimezone('UTC')).toBe('UTC');
    expect(canonicalTimezone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimezone('Mars/Olympus')).toBeUndefined();
  });
});
