// `kpic run --sort COL[:desc] --limit N`: the rows of the plain run, ordered
// and cut as the test orders and cuts them itself.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpic } from './helpers.ts';

const SAAS = join(import.meta.dirname, '..', '..', 'examples', 'saas');
const QUERY = ['run', 'csat', '--by', 'region', '--grain', 'none', '--format', 'csv'];

function rowsOf(csv: string): string[][] {
  return csv
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(','));
}

describe('kpic run --sort and --limit', () => {
  it('orders by a numeric column descending and keeps the first N rows', async () => {
    const plain = await kpic(SAAS, QUERY);
    expect(plain.code).toBe(0);
    const expected = rowsOf(plain.stdout)
      .sort((a, b) => Number(b[3]) - Number(a[3]))
      .slice(0, 2);
    const sorted = await kpic(SAAS, [...QUERY, '--sort', 'value:desc', '--limit', '2']);
    expect(sorted.code).toBe(0);
    expect(rowsOf(sorted.stdout)).toEqual(expected);
    expect(sorted.stdout.split('\r\n')[0]).toBe('region,numerator,denominator,value,status,target_met');
    const ascending = await kpic(SAAS, [...QUERY, '--sort', 'denominator']);
    expect(rowsOf(ascending.stdout).map((r) => Number(r[2]))).toEqual(
      rowsOf(plain.stdout)
        .map((r) => Number(r[2]))
        .sort((a, b) => a - b),
    );
  }, 120_000);

  it('refuses an unknown column and a bad limit with exit 2', async () => {
    const column = await kpic(SAAS, [...QUERY, '--sort', 'nope']);
    expect(column.code).toBe(2);
    expect(column.stderr).toContain('error: --sort: the result has no column `nope`');
    expect(column.stderr).toContain('hint: sort by one of: region, numerator, denominator, value, status, target_met');
    const limit = await kpic(SAAS, [...QUERY, '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('error: --limit: `0` is not a whole number of rows above 0');
  }, 120_000);
});
