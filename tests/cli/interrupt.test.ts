// Long queries: --timeout, Ctrl-C, and --out left untouched when a run fails.
//
// The project reads a DuckDB file whose `events` view is a huge cross join:
// describing it is instant, counting it takes hours. A lost interrupt would
// therefore run into the test's limit; nothing here is timed (the machine
// may be busy), and the limits are generous, only to catch such a hang.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTemplate, createDatabase, kpic, STACK_FRAME } from './helpers.ts';

const project = copyTemplate('kpic-slow-');
afterAll(() => project.cleanup());

const LIMIT = 300_000;

/**
 * Resolves when the child has opened its engine: its private spill folder
 * (`kpic-engine-*`) appears in the temporary folder the child was given.
 */
function engineOpened(folder: string, ended: () => boolean): Promise<boolean> {
  return new Promise((done) => {
    const look = () => {
      if (ended()) return done(false);
      if (readdirSync(folder).some((f) => f.startsWith('kpic-engine-'))) return done(true);
      setTimeout(look, 20);
    };
    look();
  });
}

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
}, LIMIT);

describe('interrupting a run', () => {
  it('--timeout interrupts cleanly with exit 3 and leaves --out untouched', { timeout: LIMIT }, async () => {
    const out = join(project.dir, 'timeout.csv');
    writeFileSync(out, 'previous,result\r\n1,2\r\n');
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
    expect(readFileSync(out, 'utf8')).toBe('previous,result\r\n1,2\r\n');
    expect(readdirSync(project.dir).filter((f) => f.includes('timeout.csv'))).toEqual(['timeout.csv']);
  });

  it('Ctrl-C interrupts the query and exits 130 without a stack trace', { timeout: LIMIT }, async () => {
    const out = join(project.dir, 'sigint.csv');
    writeFileSync(out, 'kept\r\n');
    // The child's own temporary folder: its engine's spill folder there says the engine is open.
    const temp = mkdtempSync(join(tmpdir(), 'kpic-sigint-tmp-'));
    let ended = false;
    let signalled = false;
    try {
      const r = await kpic(project.dir, ['run', 'events_per_customer', '--format', 'csv', '--out', out], {
        env: { TMPDIR: temp },
        onSpawn: (child) => {
          child.on('close', () => (ended = true));
          // Once the engine is open, the query (hours long) is next or running: interrupt it.
          void engineOpened(temp, () => ended).then((open) => {
            if (!open) return;
            signalled = true;
            child.kill('SIGINT');
          });
        },
      });
      expect(signalled).toBe(true);
      expect(r.code).toBe(130);
      expect(r.stderr).toBe('interrupted\n');
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(readFileSync(out, 'utf8')).toBe('kept\r\n');
      // The engine's private folder is removed on the way out.
      expect(readdirSync(temp).filter((f) => f.startsWith('kpic-engine-'))).toEqual([]);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('a successful run replaces --out atomically, leaving no temporary file', { timeout: LIMIT }, async () => {
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

  it('--out into a missing folder is a usage error before anything runs', { timeout: LIMIT }, async () => {
    const r = await kpic(project.dir, ['run', 'nps', '--out', join(project.dir, 'nope', 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
    expect(existsSync(join(project.dir, 'nope'))).toBe(false);
  });
});
