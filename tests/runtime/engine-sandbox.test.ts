import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, openEngine } from '../../runtime/engine/engine.ts';
import type { Engine } from '../../runtime/engine/engine.ts';
import { isQueryKeyword, leadingKeyword } from '../../runtime/engine/leading-keyword.ts';
import { instanceOptions, lockSandbox, privateTempFolder } from '../../runtime/engine/sandbox.ts';
import { createDatabase, makeTempDir } from './helpers.ts';

const temp = makeTempDir('kpic-sandbox-');
const dataRoot = join(temp.dir, 'data');
let engine: Engine;

beforeAll(async () => {
  mkdirSync(dataRoot);
  writeFileSync(join(dataRoot, 'ok.csv'), 'a,b\n1,2\n');
  writeFileSync(join(temp.dir, 'outside.csv'), 'secret\n42\n');
  symlinkSync(join(temp.dir, 'outside.csv'), join(dataRoot, 'link.csv'));
  engine = await openEngine({ database: ':memory:', dataRoot });
});

afterAll(async () => {
  await engine.close();
  temp.cleanup();
});

async function refusal(sql: string): Promise<EngineError> {
  const error = await engine.all(sql).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, sql).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('engine sandbox', () => {
  it('reads a file under the data root by its absolute path', async () => {
    const rows = await engine.all(`select a, b from read_csv('${dataRoot}/ok.csv')`);
    expect(rows.columns).toEqual(['a', 'b']);
    expect(rows.rows).toEqual([[1n, 2n]]);
  });

  it.each([
    `select * from read_csv('/etc/passwd')`,
    `select * from read_text('/etc/passwd')`,
    `select * from read_blob('/etc/passwd')`,
    `select * from read_parquet('/etc/passwd')`,
    `select * from read_json('/etc/passwd')`,
    `select * from glob('/etc/*')`,
    `select * from read_csv('${dataRoot}/../outside.csv')`,
  ])('refuses to read outside the data root: %s', async (sql) => {
    const error = await refusal(sql);
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(/Permission Error|disabled/);
  });

  it('refuses a symlink in the data root that points outside', async () => {
    const error = await refusal(`select * from read_csv('${dataRoot}/link.csv')`);
    expect(error.message).toMatch(/Permission Error/);
  });

  it.each([
    [`copy (select 42) to '${dataRoot}/out.csv'`, /not COPY/],
    [`attach '${dataRoot}/new.duckdb' as x`, /not ATTACH/],
    [`detach memory`, /not DETACH/],
    [`install httpfs`, /not INSTALL/],
    [`export database '${dataRoot}/export'`, /not EXPORT/],
    [`/* a /* nested */ comment */ -- x\n export database '${dataRoot}/export'`, /not EXPORT/],
    [`load httpfs`, /not LOAD/],
    [`set enable_external_access = true`, /not (SET|VARIABLE SET)/],
    [`create table t as select 1`, /not CREATE/],
    [`pragma enable_profiling`, /not /],
    [`select 1; select 2`, /exactly one SELECT statement, got 2/],
    [`select 1; copy (select 1) to '${dataRoot}/x.csv'`, /got 2/],
    [``, /got none/],
  ])('refuses anything but one SELECT: %s', async (sql, message) => {
    const error = await refusal(sql);
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(message);
    expect(existsSync(join(dataRoot, 'out.csv'))).toBe(false);
    expect(existsSync(join(dataRoot, 'new.duckdb'))).toBe(false);
    expect(existsSync(join(dataRoot, 'export'))).toBe(false);
  });

  it('reads the leading keyword past comments and parentheses, as DuckDB does', () => {
    expect(leadingKeyword('/* a /* nested */ b */ -- line\n ((SELECT 1))')).toBe('select');
    expect(leadingKeyword("  EXPORT DATABASE 'x'")).toBe('export');
    expect(leadingKeyword('-- only a comment')).toBeUndefined();
    expect(leadingKeyword('/* unterminated')).toBeUndefined();
    expect(['select', 'with', 'from', 'values', 'describe'].every(isQueryKeyword)).toBe(true);
    expect(['export', 'copy', 'attach', 'pragma', 'call', 'install', undefined].some(isQueryKeyword)).toBe(false);
  });

  it('validate refuses what all refuses, and reports engine errors without running', async () => {
    expect(await engine.validate('select 1 as x')).toBeUndefined();
    expect(await engine.validate(`copy (select 1) to '${dataRoot}/v.csv'`)).toMatch(/refused/);
    expect(await engine.validate('select nope')).toMatch(/nope/);
    expect(existsSync(join(dataRoot, 'v.csv'))).toBe(false);
  });

  it('locks the configuration: a SET on a raw sandboxed connection fails', async () => {
    const temp = privateTempFolder();
    const instance = await DuckDBInstance.create(':memory:', instanceOptions(1, '1GB', false, temp.path));
    const connection = await instance.connect();
    await lockSandbox(connection, dataRoot);
    await expect(connection.run('SET enable_external_access = true')).rejects.toThrow(/locked/);
    await expect(connection.run(`SET allowed_directories = ['/']`)).rejects.toThrow(/locked/);
    await expect(connection.run(`select * from read_text('/etc/passwd')`)).rejects.toThrow(/Permission/);
    connection.closeSync();
    instance.closeSync();
    temp.release();
  });

  it('runs in UTC whatever the machine zone', async () => {
    const rows = await engine.all(
      `select current_setting('TimeZone') as tz, timestamptz '2024-03-01 12:00:00+02'::varchar as t`,
    );
    expect(rows.rows).toEqual([['UTC', '2024-03-01 10:00:00+00']]);
  });
});

describe('engine on a database file', () => {
  it('opens it read-only: refuses writes and re-attaching read-write, and leaves the file byte-identical', async () => {
    const dir = makeTempDir('kpic-db-');
    const path = join(dir.dir, 'shop.duckdb');
    await createDatabase(path, ['create table orders as select range as id, range * 10 as amount from range(5)']);
    const hash = () => createHash('sha256').update(readFileSync(path)).digest('hex');
    const before = hash();
    const db = await openEngine({ database: path, dataRoot: dir.dir });
    try {
      const rows = await db.all('select count(*) as n, sum(amount) as total from orders');
      expect(rows.rows).toEqual([[5n, 100n]]);
      await expect(db.all('detach shop')).rejects.toThrow(/not DETACH/);
      await expect(db.all(`attach '${path}' as rw (read_write)`)).rejects.toThrow(/not ATTACH/);
      await expect(db.all('insert into orders values (9, 9)')).rejects.toThrow(/not INSERT/);
      await expect(db.all('select * from orders; drop table orders')).rejects.toThrow(/got 2/);
    } finally {
      await db.close();
    }
    expect(hash()).toBe(before);
    dir.cleanup();
  });

  it('never creates a missing database file', async () => {
    const dir = makeTempDir('kpic-nodb-');
    const path = join(dir.dir, 'missing.duckdb');
    await expect(openEngine({ database: path, dataRoot: dir.dir })).rejects.toThrow(/does not exist/);
    expect(existsSync(path)).toBe(false);
    dir.cleanup();
  });
});

describe('engine interrupts', () => {
  it('a timeout interrupts a huge cross join promptly', async () => {
    const started = Date.now();
    const error = await engine
      .all('select count(*) from range(100000000) a, range(100000000) b where a.range + b.range < 0', {
        timeoutMs: 300,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('interrupted');
    expect((error as EngineError).message).toBe('query interrupted after 0.3 s');
    expect(Date.now() - started).toBeLessThan(5000);
    // The session is still usable afterwards.
    expect((await engine.all('select 1 as one')).rows).toEqual([[1]]);
  });

  it('interrupt() stops the running statement', async () => {
    const running = engine.all('select count(*) from range(100000000) a, range(100000000) b').catch((e: unknown) => e);
    setTimeout(() => engine.interrupt(), 200);
    const error = await running;
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('interrupted');
  });
});

describe('engine values', () => {
  it('keeps 64- and 128-bit integers and decimals exact', async () => {
    const rows = await engine.all(
      `select 9007199254740993::bigint as big, (-9223372036854775808)::bigint as min_big,
              170141183460469231731687303715884105727::hugeint as huge,
              123456789012345678.12::decimal(20,2) as dec, -0.05::decimal(10,4) as small_dec, 1.10::decimal(5,2) as money`,
    );
    expect(rows.rows[0]).toEqual([
      9007199254740993n,
      -9223372036854775808n,
      170141183460469231731687303715884105727n,
      '123456789012345678.12',
      '-0.0500',
      '1.10',
    ]);
    expect(rows.types).toEqual(['BIGINT', 'BIGINT', 'HUGEINT', 'DECIMAL(20,2)', 'DECIMAL(10,4)', 'DECIMAL(5,2)']);
  });

  it('converts doubles, floats, dates, timestamps, booleans, text and null', async () => {
    const rows = await engine.all(
      `select 0.1::double + 0.2::double as d, 0.1::float as f, 7::integer as i, date '2024-02-29' as day,
              timestamp '2024-02-29 23:59:58.5' as ts, timestamp '2024-01-01 00:00:00' as midnight,
              true as yes, 'héllo' as txt, null as nothing`,
    );
    expect(rows.rows[0]).toEqual([
      0.30000000000000004,
      0.1,
      7,
      '2024-02-29',
      '2024-02-29 23:59:58.5',
      '2024-01-01 00:00:00',
      true,
      'héllo',
      null,
    ]);
  });
});
