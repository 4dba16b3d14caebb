// The PostgreSQL engine's safety on a live server: each attack is first shown
// to work through a plain `pg` client on the same connection URL, then shown
// to fail through kpic's engine. The engine connects here as the superuser on
// purpose: the defences must hold even when the role is too powerful.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runtime/engine/engine.ts';
import { EngineError } from '../../runtime/engine/engine.ts';
import { openPostgres } from '../../runtime/engine/postgres.ts';
import { ADMIN_URL, ensureReader, READER_ENV, skipReason, withAdmin } from '../support/postgres.ts';

const skip = skipReason();
// The UTC day of a naive timestamp read as an instant, as compiled SQL reads one (`cast(t as timestamptz)`).
const UTC_DAY = `cast(timezone('UTC', cast(timestamp '2024-01-01 00:30' as timestamptz)) as date)::text`;

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected the statement to fail');
}

describe.skipIf(skip !== undefined)('the PostgreSQL engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    await withAdmin(async (admin) => {
      await admin.query('drop schema if exists kpic_engine cascade; create schema kpic_engine');
      await admin.query('create table kpic_engine.t (x integer); insert into kpic_engine.t values (1), (2)');
      await admin.query('create sequence kpic_engine.s');
      await admin.query(`alter role postgres set timezone = 'Asia/Kathmandu'`);
    });
    engine = await openPostgres({ urlEnv: 'KPIC_ADMIN', schema: 'kpic_engine', env: { KPIC_ADMIN: ADMIN_URL! } });
  });
  afterAll(async () => {
    await engine.close();
    await withAdmin((admin) => admin.query('alter role postgres reset timezone; drop schema kpic_engine cascade'));
  });

  it('runs a SELECT in the configured schema, values as the DuckDB engine gives them', async () => {
    const rows = await engine.all(
      `select sum(x) as total, count(*) as n, avg(x)::float8 as mean, date '2024-02-29' as d, 1.50::numeric(4,2) as dec from t`,
    );
    expect(rows.columns).toEqual(['total', 'n', 'mean', 'd', 'dec']);
    expect(rows.rows).toEqual([[3n, 2n, 1.5, '2024-02-29', '1.50']]);
  });

  it('refuses anything but one query: DDL, two statements', async () => {
    await withAdmin(async (plain) => {
      // Without kpic: the same URL creates tables and runs two statements at once.
      await plain.query(
        'create table kpic_engine.made_by_plain (x int); select 1; drop table kpic_engine.made_by_plain',
      );
    });
    expect((await failure(engine.all('create table made (x int)'))).message).toMatch(
      /only a SELECT statement may run, not CREATE/,
    );
    expect((await failure(engine.all('select 1; drop table t'))).message).toMatch(/cannot insert multiple commands/);
    expect((await engine.all('select count(*) from t')).rows).toEqual([[2n]]);
  });

  it('writes nothing even through a SELECT: every statement is in a read-only transaction', async () => {
    // Without kpic: a SELECT advances a sequence (a write).
    await withAdmin(async (plain) => {
      expect((await plain.query(`select nextval('kpic_engine.s') as v`)).rows[0].v).toBe('1');
    });
    expect((await failure(engine.all(`select nextval('s')`))).message).toMatch(/read-only transaction/);
    expect(
      (await failure(engine.all(`select set_config('default_transaction_read_only', 'off', false), nextval('s')`)))
        .message,
    ).toMatch(/read-only transaction/);
    await withAdmin(async (plain) => {
      expect((await plain.query(`select last_value from kpic_engine.s`)).rows[0].last_value).toBe('1');
    });
  });

  it('has its own session: UTC whatever the role says, JIT off, a statement timeout', async () => {
    await withAdmin(async (plain) => {
      // Without kpic: the role's zone applies and shifts a naive timestamp read as an instant.
      const shifted = await plain.query(`select current_setting('TimeZone') as tz, ${UTC_DAY} as d`);
      expect(shifted.rows[0]).toEqual({ tz: 'Asia/Kathmandu', d: '2023-12-31' });
    });
    const own = await engine.all(
      `select current_setting('TimeZone'), current_setting('jit'), current_setting('statement_timeout'), current_setting('default_transaction_read_only'), ${UTC_DAY}`,
    );
    expect(own.rows).toEqual([['UTC', 'off', '2min', 'on', '2024-01-01']]);
  });

  it('a timeout cancels the statement on the server', async () => {
    const error = await failure(engine.all('select pg_sleep(600)', { timeoutMs: 1000 }));
    expect(error.kind).toBe('interrupted');
    expect(error.message).toBe('query interrupted after 1 s');
    await withAdmin(async (plain) => {
      const left = await plain.query(
        `select count(*)::int as n from pg_stat_activity where application_name = 'kpic' and query like '%pg_sleep(600)%' and state = 'active'`,
      );
      expect(left.rows[0].n).toBe(0);
    });
    expect((await engine.all('select 1 as one')).rows).toEqual([[1]]);
  });

  it('validate plans without running; describe reads columns without running', async () => {
    expect(await engine.validate('select pg_sleep(600), x from t')).toBeUndefined();
    expect(await engine.validate('select nope from t')).toMatch(/column "nope" does not exist/);
    expect((await engine.describe('select x, x::text as y from t')).map((c) => [c.name, c.type])).toEqual([
      ['x', 'integer'],
      ['y', 'text'],
    ]);
  });

  it('connects as a read-only role through url_env, never showing its password', async () => {
    const url = await ensureReader(['kpic_engine']);
    const reader = await openPostgres({ urlEnv: READER_ENV, schema: 'kpic_engine' });
    try {
      expect((await reader.all('select count(*) from t')).rows).toEqual([[2n]]);
    } finally {
      await reader.close();
    }
    const wrong = new URL(url);
    wrong.password = 'not-the-password-9c1d';
    const error = await failure(openPostgres({ urlEnv: 'X', env: { X: wrong.toString() } }));
    expect(error.message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:\d+, database postgres \(from X\): password authentication failed for user "kpic_reader"$/,
    );
    expect(error.message).not.toContain('not-the-password');
  });
});
