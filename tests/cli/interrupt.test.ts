// Long queries: --timeout, Ctrl-C, and --out left untouched when a run fails.
//
// The project reads a DuckDB file whose `events` view is a huge cross join:
// describing it is instant, counting it takes minutes.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTemplate, createDatabase, kpic, STACK_FRAME } from './helpers.ts';

const project = copyTemplate('kpic-slow-');
afterAll(() => project.cleanup());

beforeAll(async () => {
  await createDatabase(join(project.dir, 'slow.duckdb'), [
    `create view events as
       select a.range % 8 + 1 as customer_id, timestamp '2024-01-01' + to_seconds(b.range % 1000) as at
       from range(1000000) a, range(1000000) b`,
  ]);
  writeFileSync(
    join(project.dir, 'kpic.yaml'),
    'metrics: ["metrics/**/*.kpi"]\ndata:\n  database: slow.duckdb\n  root: data\n',
  );
  writeFileSync(
    join(project.dir, 'metrics', 'events.kpi'),
    [
      'source events from table events {',
      '  customer customer_id',
      '  time at',
      '  measure event_count = count()',
      '}',
      '',
      'kpi events_per_customer {',
      '  owner "product"',
      '  description "Events per customer."',
      '  numerator event_count',
      '  denominator signups',
      '}',
      '',
    ].join('\n'),
  );
});

describe('interrupting a run', () => {
  it('--timeout interrupts cleanly with exit 3 and leaves --out untouched', async () => {
    const out = join(project.dir, 'timeout.csv');
    writeFileSync(out, 'previous,result\r\n1,2\r\n');
    const started = Date.now();
    const r = await kpic(project.dir, [
      'run',
      'events_per_customer',
      '--timeout',
      '1',
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: query interrupted after 1 s\n');
    expect(Date.now() - started).toBeLessThan(15000);
    expect(readFileSync(out, 'utf8')).toBe('previous,result\r\n1,2\r\n');
    expect(readdirSync(project.dir).filter((f) => f.includes('timeout.csv'))).toEqual(['timeout.csv']);
  });

  it('Ctrl-C interrupts the query and exits 130 without a stack trace', async () => {
    const out = join(project.dir, 'sigint.csv');
    writeFileSync(out, 'kept\r\n');
    const started = Date.now();
    const r = await kpic(project.dir, ['run', 'events_per_customer', '--format', 'csv', '--out', out], {
      onSpawn: (child) => {
        // Wait until the query runs (the process has printed nothing yet), then interrupt.
        setTimeout(() => child.kill('SIGINT'), 4000);
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('interrupted\n');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(Date.now() - started).toBeLessThan(20000);
    expect(readFileSync(out, 'utf8')).toBe('kept\r\n');
  });

  it('a successful run replaces --out atomically, leaving no temporary file', async () => {
    const out = join(project.dir, 'ok.json');
    writeFileSync(out, 'old');
    const r = await kpic(project.dir, [
      'run',
      'nps',
      '--by',
      'none',
      '--grain',
      'none',
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      {
        numerator: 3,
        denominator: 11,
        value: expect.closeTo(300 / 11, 10),
        status: expect.any(String),
        target_met: false,
      },
    ]);
    expect(readdirSync(project.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out into a missing folder is a usage error before anything runs', async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--out', join(project.dir, 'nope', 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
    expect(existsSync(join(project.dir, 'nope'))).toBe(false);
  });
});
