// A live PostgreSQL server for the tests: where it is, the read-only role
// kpic connects as, loading CSV files into tables, and turning a file-based
// example project into the same project over tables.
//
// The server comes from `KPIC_TEST_PG_URL` (a superuser URL; `.ci/run`
// starts a throwaway server and sets it). Without it the PostgreSQL tests
// are skipped with the reason printed, except in CI (`CI=true`), where a
// missing server is a failure.

import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

export const ADMIN_URL = process.env['KPIC_TEST_PG_URL'];
export const READER_ENV = 'KPIC_TEST_READER_URL';
const READER = 'kpic_reader';

/** Why the PostgreSQL tests do not run here; undefined when they do. Throws in CI without a server. */
export function skipReason(): string | undefined {
  if (ADMIN_URL) return undefined;
  if (process.env['CI'] === 'true')
    throw new Error('CI=true but KPIC_TEST_PG_URL is not set: .ci/run starts PostgreSQL and sets it');
  const reason = 'PostgreSQL tests skipped: KPIC_TEST_PG_URL is not set (eval "$(.ci/postgres.sh start)" to run them)';
  console.warn(reason);
  return reason;
}

export async function withAdmin<T>(task: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/**
 * The login role kpic's tests connect as: may read the given schemas and
 * nothing else (docs/postgres.md). Its own default time zone is far from UTC,
 * so a result that depended on the session zone would differ. Sets
 * `KPIC_TEST_READER_URL` for the projects' `url_env`.
 */
export async function ensureReader(schemas: readonly string[]): Promise<string> {
  const password = 'reader-secret-7f3a';
  await withAdmin(async (admin) => {
    const exists = await admin.query('select 1 from pg_roles where rolname = $1', [READER]);
    if (exists.rowCount === 0) {
      // Two test files may get here at once: the second finds the role made.
      await admin.query(`create role ${READER} login password '${password}'`).catch((error: { code?: string }) => {
        if (error.code !== '42710' && error.code !== '23505') throw error;
      });
    }
    await admin.query(`alter role ${READER} set timezone = 'Pacific/Kiritimati'`);
    for (const schema of schemas) {
      await admin.query(`grant usage on schema ${admin.escapeIdentifier(schema)} to ${READER}`);
      await admin.query(`grant select on all tables in schema ${admin.escapeIdentifier(schema)} to ${READER}`);
    }
  });
  const url = new URL(ADMIN_URL!);
  url.username = READER;
  url.password = password;
  process.env[READER_ENV] = url.toString();
  return url.toString();
}

const PG_TYPES: Readonly<Record<string, string>> = {
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  TINYINT: 'smallint',
  DOUBLE: 'double precision',
  FLOAT: 'real',
  VARCHAR: 'text',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  BOOLEAN: 'boolean',
  TIME: 'time',
};

function pgType(duckType: string): string {
  if (duckType.startsWith('DECIMAL')) return duckType.replace('DECIMAL', 'numeric');
  const type = PG_TYPES[duckType];
  if (!type) throw new Error(`no PostgreSQL type for DuckDB's ${duckType}`);
  return type;
}

/** `Telco-Customer-Churn.csv` -> `telco_customer_churn`. */
export function tableName(path: string): string {
  return path
    .replace(/\.[a-z]+$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Load CSV files into `schema` (recreated) with the column types DuckDB infers, as the DuckDB engine reads them. */
export async function loadCsvs(schema: string, files: readonly string[], url = ADMIN_URL): Promise<void> {
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  try {
    await withAdmin(async (admin) => {
      const s = admin.escapeIdentifier(schema);
      await admin.query(`drop schema if exists ${s} cascade; create schema ${s}`);
      for (const file of files) {
        const from = `read_csv('${file.replaceAll("'", "''")}')`;
        const described = (await db.runAndReadAll(`describe select * from ${from}`)).getRows();
        const columns = described.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
        const table = `${s}.${admin.escapeIdentifier(tableName(file.split('/').pop()!))}`;
        await admin.query(
          `create table ${table} (${columns.map((c) => `${admin.escapeIdentifier(c.name)} ${pgType(c.type)}`).join(', ')})`,
        );
        const text = columns.map((c) => `cast(${JSON.stringify(c.name)} as varchar)`).join(', ');
        const rows = (await db.runAndReadAll(`select ${text} from ${from}`)).getRows() as (string | null)[][];
        const names = columns.map((c) => admin.escapeIdentifier(c.name)).join(', ');
        for (let start = 0; start < rows.length; start += 500) {
          const batch = rows.slice(start, start + 500);
          const values = batch
            .map((row, i) => `(${row.map((_, j) => `$${i * columns.length + j + 1}`).join(', ')})`)
            .join(', ');
          await admin.query(`insert into ${table} (${names}) values ${values}`, batch.flat());
        }
      }
    }, url);
  } finally {
    db.closeSync();
    duck.closeSync();
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Copy `examples/<name>` (and `metrics/`, which examples include as
 * `../../metrics`) to a temporary tree; in the copy every `from "X.csv"`
 * source reads `from table x` and kpic.yaml points at PostgreSQL (`schema`).
 * Returns the copy's project folder.
 */
export function postgresCopy(
  repo: string,
  name: string,
  schema: string,
  extra: { timezone?: string; root?: string; urlEnv?: string } = {},
): string {
  const root = extra.root ?? realpathSync(mkdtempSync(join(tmpdir(), 'kpic-pg-')));
  cpSync(join(repo, 'examples', name), join(root, 'examples', name), { recursive: true });
  cpSync(join(repo, 'metrics'), join(root, 'metrics'), { recursive: true });
  // The copy is its own work tree, as the repository is: `include: ../../metrics` stays inside it.
  mkdirSync(join(root, '.git'));
  for (const file of walk(root).filter((f) => f.endsWith('.kpi'))) {
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace(/\bfrom "([^"]+\.csv)"/g, (_, path: string) => `from table ${tableName(path.split('/').pop()!)}`),
    );
  }
  const project = join(root, 'examples', name);
  const yaml = readFileSync(join(project, 'kpic.yaml'), 'utf8').split('\n');
  const kept = yaml.filter(
    (line) => /^(name|metrics|include|timezone):/.test(line) && !(extra.timezone && line.startsWith('timezone:')),
  );
  writeFileSync(
    join(project, 'kpic.yaml'),
    [
      ...kept,
      ...(extra.timezone ? [`timezone: ${extra.timezone}`] : []),
      'data:',
      '  engine: postgres',
      `  url_env: ${extra.urlEnv ?? READER_ENV}`,
      `  schema: ${schema}`,
      '  root: data',
      '  statement_timeout: 60s',
      '',
    ].join('\n'),
  );
  return project;
}

/** A file-based copy of an example with another time zone (the DuckDB side of a time-zone comparison). */
export function duckdbCopy(repo: string, name: string, timezone: string): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'kpic-duck-')));
  cpSync(join(repo, 'examples', name), join(root, 'examples', name), { recursive: true });
  cpSync(join(repo, 'metrics'), join(root, 'metrics'), { recursive: true });
  // The copy is its own work tree, as the repository is: `include: ../../metrics` stays inside it.
  mkdirSync(join(root, '.git'));
  const project = join(root, 'examples', name);
  const yaml = readFileSync(join(project, 'kpic.yaml'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('timezone:'));
  writeFileSync(join(project, 'kpic.yaml'), [...yaml.filter((l) => l !== ''), `timezone: ${timezone}`, ''].join('\n'));
  return project;
}

/** The CSV files of an example's data folder, absolute. */
export function csvFiles(repo: string, name: string): string[] {
  const data = resolve(repo, 'examples', name, 'data');
  return walk(data)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => resolve(data, relative(data, f)));
}
