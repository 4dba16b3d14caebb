// `kpic run` on the init template, in every format, against hand-worked numbers.
//
// The template's surveys (tiers from customers.csv; response 112 has nps 11
// and fails the check `nps_range`):
//   Jan  gold: 101 (10, P)                      silver: 102 (6, D), 103 (9, P)
//   Feb  gold: 104 (9, P), 105 (7), 107 (10, P)  silver: 106 (3, D)
//   Mar  gold: 111 (10, P)                      silver: 108 (8), 109 (9, P), 110 (5, D)
// nps = (promoters - detractors) / responses * 100; target >= 30, warn < 10, critical < 0.

import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate, kpic, STACK_FRAME } from './helpers.ts';

const project = copyTemplate();
afterAll(() => project.cleanup());

const COLUMNS = ['period', 'tier', 'numerator', 'denominator', 'value', 'status', 'target_met'];
const EXPECTED = [
  ['2024-01-01', 'gold', 1, 1, 100, 'ok', true],
  ['2024-01-01', 'silver', 0, 2, 0, 'warn', false],
  ['2024-02-01', 'gold', 2, 3, 200 / 3, 'ok', true],
  ['2024-02-01', 'silver', -1, 1, -100, 'critical', false],
  ['2024-03-01', 'gold', 1, 1, 100, 'ok', true],
  ['2024-03-01', 'silver', 0, 3, 0, 'warn', false],
] as const;

function expectRowsClose(rows: readonly (readonly unknown[])[]): void {
  expect(rows).toHaveLength(EXPECTED.length);
  rows.forEach((row, i) => {
    const want = EXPECTED[i]!;
    expect(row.slice(0, 4)).toEqual(want.slice(0, 4));
    expect(row[4]).toBeCloseTo(want[4], 10);
    expect(row.slice(5)).toEqual(want.slice(5));
  });
}

describe.concurrent('kpic run', () => {
  it('csv: the documented columns, exact numbers, excluded rows on stderr', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe(COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((l) => {
      const f = l.split(',');
      return [f[0], f[1], Number(f[2]), Number(f[3]), Number(f[4]), f[5], f[6] === 'true'];
    });
    expectRowsClose(rows);
    // (2 * 100) / 3: the double nearest 200/3 (scaled before dividing, docs/sql.md).
    expect(lines[3]).toBe(`2024-02-01,gold,2,3,${200 / 3},ok,true`);
    expect(r.stderr).toBe('note: 1 row of `surveys` excluded by check `nps_range`\n');
  });

  it('json: objects with exactly the result columns', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--format', 'json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
    for (const row of parsed) expect(Object.keys(row)).toEqual(COLUMNS);
    expectRowsClose(parsed.map((o) => COLUMNS.map((c) => o[c])));
  });

  it('markdown: a GitHub table with the same columns', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--format', 'markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`| ${COLUMNS.join(' | ')} |`);
    expect(lines[1]).toBe('| --- | --- | ---: | ---: | ---: | --- | --- |');
    expect(lines[4]).toBe('| 2024-02-01 | gold | 2 | 3 | 66.6667 | ok | true |');
    expect(lines).toHaveLength(2 + EXPECTED.length);
  });

  it('table: the same columns and a footnote on excluded rows', async () => {
    const r = await kpic(project.dir, ['run', 'nps']);
    expect(r.code).toBe(0);
    const header = r.stdout.split('\n')[1]!;
    expect(
      header
        .split('│')
        .map((s) => s.trim())
        .filter(Boolean),
    ).toEqual(COLUMNS);
    expect(r.stdout).toContain('* 1 row of `surveys` excluded by check `nps_range`');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('--by none --grain none: one row over everything', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--by', 'none', '--grain', 'none', '--format', 'json']);
    expect(r.code).toBe(0);
    const [row, ...rest] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(Object.keys(row!)).toEqual(['numerator', 'denominator', 'value', 'status', 'target_met']);
    // Promoters 101 103 104 107 109 111, detractors 102 106 110, 11 responses.
    expect(row!['numerator']).toBe(3);
    expect(row!['denominator']).toBe(11);
    expect(row!['value']).toBeCloseTo(300 / 11, 10);
  });

  it('--from/--to and --where narrow the rows', async () => {
    const r = await kpic(project.dir, [
      'run',
      'nps',
      '--from',
      '2024-02-01',
      '--to',
      '2024-03-01',
      '--where',
      'tier = "gold"',
      '--format',
      'csv',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${COLUMNS.join(',')}\r\n2024-02-01,gold,2,3,${200 / 3},ok,true\r\n`);
  });
});

describe('--where is kpic, never SQL', () => {
  it.each([
    ['1=1; drop table customers'],
    ["tier = 'gold') or (1=1"],
    ['tier = "gold" --'],
    ["read_csv('/etc/passwd') is not null"],
  ])('rejects %s as a kpic problem with exit 2', async (where) => {
    const r = await kpic(project.dir, ['run', 'nps', '--where', where]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^<query>:1:\d+ error /m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('keeps a quote inside a string literal a literal', async () => {
    const where = `tier = "gold'; drop table customers; --"`;
    const compiled = await kpic(project.dir, ['compile', 'nps', '--where', where]);
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toContain(`'gold''; drop table customers; --'`);
    const r = await kpic(project.dir, ['run', 'nps', '--where', where, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .split('\r\n')
        .slice(1)
        .filter(Boolean)
        .every((l) => !l.includes(',gold,') && !l.includes(',silver,')),
    ).toBe(true);
  });
});
