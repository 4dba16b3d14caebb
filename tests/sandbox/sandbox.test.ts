// The engine's sandbox as a project gets it: every way we know to read
// outside the data root, write, reconfigure, load code or smuggle a second
// statement is tried through `openProject(...).engine`, and the project's
// own `.duckdb` file must be byte-identical afterwards (also after `kpic run`).
// The figure (escapes tried / succeeded) is printed and must be N / 0.

import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';
import { readAttempts, writeAttempts } from './attempts.ts';
import type { Attempt, Places } from './attempts.ts';
import { runKpic } from '../hostile/cli.ts';

const SECRET = 'hunter2-do-not-read';
const base = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-sandbox-')));
const dir = join(base, 'project');
const dataRoot = join(dir, 'data');
const database = join(dir, 'warehouse.duckdb');
const places: Places = { dataRoot, outside: join(base, 'secret.csv'), link: join(dataRoot, 'link.csv'), database };

const MODEL = `customer customers from table customers {
  key id
  dimension name
  measure everyone = count()
}

source events from table events {
  key event_id
  customer customer_id
  time at
  measure distinct_events = count_distinct(event_id)
}

kpi everyone {
  owner "sandbox"
  numerator everyone
}

kpi slow {
  owner "sandbox"
  numerator distinct_events
}
`;

let project: Project;

beforeAll(async () => {
  mkdirSync(dataRoot, { recursive: true });
  writeFileSync(join(dataRoot, 'ok.csv'), 'id,name\n1,ok\n');
  writeFileSync(places.outside, `id,secret\n1,${SECRET}\n`);
  symlinkSync(places.outside, places.link);
  writeFileSync(
    join(dir, 'kpic.yaml'),
    'name: sandbox\nmetrics: ["*.kpi"]\ndata:\n  root: data\n  database: warehouse.duckdb\n',
  );
  writeFileSync(join(dir, 'model.kpi'), MODEL);
  const instance = await DuckDBInstance.create(database);
  const connection = await instance.connect();
  await connection.run(`create table customers (id integer, name varchar)`);
  await connection.run(`insert into customers values (1, 'ada'), (2, 'grace')`);
  // A view over a huge range: free to store, slow to scan (for --timeout).
  await connection.run(
    `create view events as select i as event_id, i % 2 + 1 as customer_id, timestamp '2024-01-01' + to_seconds(i % 1000) as at from range(4000000000) t(i)`,
  );
  connection.closeSync();
  instance.closeSync();
  project = await openProject({ projectDir: dir });
});

afterAll(async () => {
  await project?.close();
  rmSync(base, { recursive: true, force: true });
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Did the attempt escape? Refusals and engine errors are not escapes. Through
 * `all`, a statement that ran (writes) or rows read from outside are. Through
 * `describe`, which prepares without running, a write that ran or a column
 * list that reveals the file (its header or content) is.
 */
async function tryEscape(attempt: Attempt, via: 'all' | 'describe'): Promise<string | undefined> {
  try {
    if (via === 'describe') {
      const columns = JSON.stringify(await project.engine.describe(attempt.sql));
      if (attempt.success === 'ran') return 'describe ran it';
      return /hunter2|"name":"secret"|root:/.test(columns) ? `describe revealed ${columns.slice(0, 120)}` : undefined;
    }
    const rows = (await project.engine.all(attempt.sql, { timeoutMs: 10_000 })).rows;
    const shown = JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    if (attempt.success === 'ran') return 'all ran it';
    if (attempt.success === 'rows' && rows.length > 0) return `all returned ${shown.slice(0, 120)}`;
    return shown.includes(SECRET) ? 'all returned the secret' : undefined;
  } catch {
    return undefined;
  }
}

/** Every attempt through `all` and `describe`; a changed data root or parent folder is an escape too. */
async function tryAll(attempts: readonly Attempt[]): Promise<{ tried: number; escapes: string[] }> {
  const escapes: string[] = [];
  let tried = 0;
  const snapshot = () =>
    JSON.stringify([
      readdirSync(dataRoot, { recursive: true }).sort(),
      readdirSync(base).sort(),
      readdirSync(dir).sort(),
    ]);
  const clean = snapshot();
  for (const attempt of attempts) {
    for (const via of ['all', 'describe'] as const) {
      tried++;
      let escaped = await tryEscape(attempt, via);
      if (snapshot() !== clean) {
        escaped ??= `${via} changed the file system: ${snapshot()}`;
        restore();
      }
      if (escaped) escapes.push(`${attempt.name}: ${escaped}\n  ${attempt.sql}`);
    }
  }
  return { tried, escapes };
}

/** Undo what an escape created, so that the next attempt is judged on its own. */
function restore(): void {
  const keep = new Set(['ok.csv', 'link.csv']);
  for (const entry of readdirSync(dataRoot))
    if (!keep.has(entry)) rmSync(join(dataRoot, entry), { recursive: true, force: true });
  for (const entry of readdirSync(base))
    if (entry !== 'project' && entry !== 'secret.csv') rmSync(join(base, entry), { recursive: true, force: true });
  const files = new Set(['data', 'kpic.yaml', 'model.kpi', 'warehouse.duckdb', 'warehouse.duckdb.wal']);
  for (const entry of readdirSync(dir))
    if (!files.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
}

describe('engine sandbox, through openProject', () => {
  it('the project opens cleanly on its read-only database', () => {
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses every escape attempt, and the database file is unchanged', async () => {
    const before = sha256(database);
    const attempts = [...readAttempts(places), ...writeAttempts(places)];
    const { tried, escapes } = await tryAll(attempts);
    // Anything the attempts could have changed, checked from inside the session.
    const settings = await project.engine.all(
      `select current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked, current_setting('autoload_known_extensions') as autoload`,
    );
    expect(settings.rows).toEqual([[false, true, false]]);
    const tables = await project.engine.all(`select count(*) as n, min(name) as first from customers`);
    expect(tables.rows).toEqual([[2n, 'ada']]);
    await project.close();
    console.log(`sandbox: ${tried} escapes tried, ${escapes.length} succeeded`);
    expect(escapes).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(300);
    expect(readFileSync(places.outside, 'utf8')).toContain(SECRET);
    expect(sha256(database)).toBe(before);
    project = await openProject({ projectDir: dir });
  });

  // DuckDB creates EXPORT DATABASE's folder while it prepares the statement:
  // the engine must refuse it (and its kin) before preparing anything.
  it('EXPORT DATABASE and other statements with bind-time effects are refused before they create anything', async () => {
    const attempts = writeAttempts(places).filter((a) => /^(EXPORT|COPY)/.test(a.name));
    expect(attempts.length).toBeGreaterThanOrEqual(5);
    const { tried, escapes } = await tryAll(attempts);
    expect(tried).toBe(attempts.length * 2);
    expect(escapes).toEqual([]);
    expect(readdirSync(dataRoot).sort()).toEqual(['link.csv', 'ok.csv']);
    await expect(project.engine.all(attempts[0]!.sql)).rejects.toThrow(
      /refused: only a SELECT statement may run, not (COPY|EXPORT)/,
    );
  });

  it('kpic check and kpic run leave the database byte-identical', async () => {
    const before = sha256(database);
    const check = await runKpic(dir, ['check'], 30_000);
    expect(check.stdout + check.stderr).not.toMatch(/ error /);
    expect(check.code).toBe(0);
    const run = await runKpic(dir, ['run', 'everyone', '--format', 'csv'], 30_000);
    // Two customers, counted by hand.
    expect(run.stdout).toBe('numerator,denominator,value,status,target_met\r\n2,,2,,\r\n');
    expect(run.code).toBe(0);
    expect(sha256(database)).toBe(before);
  });

  it('kpic run --timeout interrupts a long query cleanly (exit 3, no stack, prompt end)', async () => {
    const before = sha256(database);
    const run = await runKpic(dir, ['run', 'slow', '--grain', 'none', '--timeout', '1'], 30_000);
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toMatch(/query interrupted after 1 s/);
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+/m);
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(20_000);
    expect(sha256(database)).toBe(before);
  });
});
